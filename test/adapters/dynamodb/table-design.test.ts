import { describe, expect, it } from "vitest";
import { createTableInput } from "../../../local/dynamodb-local.ts";
import {
  ATTR,
  agendaBucket,
  agendaIndexKey,
  agendaShard,
  apologyDraftIndexKey,
  byAgencyStatusKey,
  ENTITY,
  INDEX,
  itemOf,
  keys,
  TTL_ATTRIBUTE,
  tableDefinition,
  tableDesign,
} from "../../../shared/adapters/dynamodb/table-design.ts";
import { InvalidInputError } from "../../../shared/errors.ts";

const design = tableDesign({ tableName: "dunghan-test" });

describe("table design", () => {
  it("files an agenda entry under the local day of max(at, savedAt), sorted by `at` in UTC", () => {
    const saved = Date.parse("2026-11-19T10:00:00+07:00");

    const beforeMidnight = agendaIndexKey(design, { at: "2026-11-19T23:59:59+07:00", dedupeKey: "k" }, saved);
    const atMidnight = agendaIndexKey(design, { at: "2026-11-19T17:00:00Z", dedupeKey: "k" }, saved);
    const plannedLate = agendaIndexKey(design, { at: "2026-11-01T08:00:00+07:00", dedupeKey: "k" }, saved);

    expect(beforeMidnight.bucket).toBe("2026-11-19");
    expect(atMidnight.bucket).toBe("2026-11-20");
    expect(atMidnight.agendaSk).toBe("2026-11-19T17:00:00.000Z");
    expect(plannedLate.bucket).toBe("2026-11-19");
    expect(plannedLate.agendaSk).toBe("2026-11-01T01:00:00.000Z");
    expect(atMidnight.agendaPk).toMatch(/^AGENDA#2026-11-20#\d{2}$/);
    expect(agendaBucket(Date.parse("2026-11-19T16:59:59.999Z"))).toBe("2026-11-19");
  });

  it("spreads dedupe keys evenly over the shards", () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16_000; i++)
      counts[agendaShard(`000.00.12.H42-261120-${i}:due-soon:v1:handler`, 16)]! += 1;

    expect(Math.min(...counts)).toBeGreaterThan(800);
    expect(Math.max(...counts)).toBeLessThan(1200);
  });

  it("sorts listings by due instant whatever the offset, those without one last", () => {
    const listing = { agencyId: "a", status: "in-progress", dossierCode: "X" };

    const utc = byAgencyStatusKey({ ...listing, dueAt: "2026-11-20T01:00:00Z" }).byAgencyStatusSk;
    const hanoi = byAgencyStatusKey({ ...listing, dueAt: "2026-11-20T07:30:00+07:00" }).byAgencyStatusSk;
    const none = byAgencyStatusKey(listing).byAgencyStatusSk;

    expect([none, utc, hanoi].sort()).toEqual([hanoi, utc, none]);
  });

  it("files apology drafts on by-agency-status apart from dossiers, by the appointment they move", () => {
    const draft = { agencyId: "a", status: "draft", dossierCode: "X", id: "draft-v1" };

    const utc = apologyDraftIndexKey({ ...draft, originalAppointment: "2026-11-20T01:00:00Z" });
    const hanoi = apologyDraftIndexKey({ ...draft, originalAppointment: "2026-11-20T07:30:00+07:00" });
    const dossier = byAgencyStatusKey({ agencyId: "a", status: "draft", dossierCode: "X" });

    expect(utc).toEqual({
      byAgencyStatusPk: "AGENCY#a#APOLOGY#draft",
      byAgencyStatusSk: "2026-11-20T01:00:00.000Z#X#draft-v1",
    });
    expect([utc.byAgencyStatusSk, hanoi.byAgencyStatusSk].sort()).toEqual([
      hanoi.byAgencyStatusSk,
      utc.byAgencyStatusSk,
    ]);
    expect(dossier.byAgencyStatusPk).not.toBe(utc.byAgencyStatusPk);
    expect(() =>
      apologyDraftIndexKey({ ...draft, status: "a#b", originalAppointment: "2026-11-20T01:00:00Z" }),
    ).toThrow(InvalidInputError);
  });

  it("refuses key parts that would run into the next part", () => {
    expect(() => keys.dossierState("")).toThrow(InvalidInputError);
    expect(() => keys.dossierState("A#B")).toThrow(InvalidInputError);
    expect(() => byAgencyStatusKey({ agencyId: "a#b", status: "s", dossierCode: "X" })).toThrow(
      InvalidInputError,
    );
    expect(() => tableDesign({ tableName: "t" })).toThrow(InvalidInputError);
    expect(() => tableDesign({ tableName: "dunghan", agendaShards: 0 })).toThrow(InvalidInputError);
  });

  it("describes one table with the agenda and by-agency-status indexes and TTL, and CreateTable follows it", () => {
    const definition = tableDefinition(design);
    const input = createTableInput(design);

    expect(definition.globalSecondaryIndexes.map((i) => i.indexName)).toEqual([
      INDEX.agenda,
      INDEX.byAgencyStatus,
    ]);
    expect(definition.timeToLiveAttribute).toBe(TTL_ATTRIBUTE);
    expect(definition.attributeDefinitions.map((a) => a.name)).toEqual([
      ATTR.pk,
      ATTR.sk,
      ATTR.agendaPk,
      ATTR.agendaSk,
      ATTR.byAgencyStatusPk,
      ATTR.byAgencyStatusSk,
    ]);
    expect(input.GlobalSecondaryIndexes?.[1]?.Projection).toEqual({
      ProjectionType: "INCLUDE",
      NonKeyAttributes: [ATTR.entity, "dossierCode", "version", "listing"],
    });
    expect(new Set(Object.values(ENTITY)).size).toBe(Object.values(ENTITY).length);
  });

  it("reads a stored item as its entity's item only when the entity tag says so", () => {
    const stored: Record<string, unknown> = {
      ...keys.agencyDirectory("so-nnmt"),
      [ATTR.entity]: ENTITY.agencyDirectory,
      agencyId: "so-nnmt",
      directory: { agencyId: "so-nnmt" },
    };

    // The item interfaces name the tag `entity`: ATTR.entity must stay that attribute.
    expect(itemOf(ENTITY.agencyDirectory, stored)?.agencyId).toBe("so-nnmt");
    expect(itemOf(ENTITY.calendarAnnouncement, stored)).toBeUndefined();
    expect(itemOf(ENTITY.agencyDirectory, undefined)).toBeUndefined();
    expect(itemOf(ENTITY.agencyDirectory, { ...stored, [ATTR.entity]: undefined })).toBeUndefined();
  });
});
