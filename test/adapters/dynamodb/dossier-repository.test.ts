import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbAgendaRepository } from "../../../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { ATTR, INDEX, keys } from "../../../shared/adapters/dynamodb/table-design.ts";
import { ConcurrencyError, type PlannedAlert, type StoredEvent } from "../../../shared/app/ports.ts";
import { ConflictError, InvalidInputError } from "../../../shared/errors.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anAlert, anEvent, pending, type TestState } from "./builders.ts";

const table = useTestTable();
const repo = () =>
  new DynamoDbDossierRepository<StoredEvent, TestState, PlannedAlert>({
    client: table.doc,
    design: table.design,
  });
const SAVED_AT = "2026-11-20T09:00:00+07:00";

async function create(code: string, events: StoredEvent[], alerts: PlannedAlert[] = []) {
  return repo().save({
    code,
    expectedVersion: undefined,
    newEvents: events,
    state: { status: "in-progress", eventCount: events.length },
    listing: { agencyId: "so-nnmt", status: "in-progress", dueAt: "2026-11-26T17:00:00+07:00" },
    agenda: { previous: [], next: alerts },
    savedAt: SAVED_AT,
  });
}

async function agendaIndexKeys(code: string): Promise<string[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.design.tableName,
      KeyConditionExpression: `${ATTR.pk} = :pk`,
      ExpressionAttributeValues: { ":pk": keys.dossierPartition(code) },
      ConsistentRead: true,
    }),
  );
  return Items.filter((item) => item[ATTR.agendaPk] !== undefined)
    .map((item) => item.dedupeKey as string)
    .sort();
}

describe("DynamoDbDossierRepository", () => {
  it("loads what it saved: the log in order, the state, the version, the agenda and the listing", async () => {
    const code = aDossierCode();
    // Ids that sort differently from the log order.
    const events = [anEvent(code, "z-received", { type: "received" }), anEvent(code, "a-assigned")];
    const alerts = [
      anAlert(code, "warn", "2026-11-25T07:30:00+07:00"),
      anAlert(code, "late", "2026-11-26T17:00:00+07:00"),
    ];

    const result = await create(code, events, alerts);
    await repo().save({
      code,
      expectedVersion: 1,
      newEvents: [anEvent(code, "m-paused", { type: "paused", reason: undefined })],
      state: { status: "paused", eventCount: 3 },
      listing: { agencyId: "so-nnmt", status: "paused" },
      agenda: { previous: pending(alerts), next: alerts },
      savedAt: SAVED_AT,
    });
    const loaded = await repo().load(code);

    expect(result).toEqual({ version: 1, duplicateEventIds: [], agendaPut: 2, agendaRemoved: 0 });
    expect(loaded?.version).toBe(2);
    expect(loaded?.events.map((e) => e.id)).toEqual(["z-received", "a-assigned", "m-paused"]);
    expect(loaded?.events[0]).toEqual(events[0]);
    expect(loaded?.state).toEqual({ status: "paused", eventCount: 3 });
    expect(loaded?.listing).toEqual({ agencyId: "so-nnmt", status: "paused" });
    expect(loaded?.agenda.map((e) => e.alert).sort((a, b) => a.at.localeCompare(b.at))).toEqual(alerts);
    expect(loaded?.agenda.every((e) => e.doneAt === undefined)).toBe(true);
  });

  it("returns undefined for a dossier never saved", async () => {
    await expect(repo().load(aDossierCode())).resolves.toBeUndefined();
  });

  it("skips an event id already in the log without overwriting it", async () => {
    const code = aDossierCode();
    await create(code, [anEvent(code, "e1", { note: "original" })]);

    const result = await repo().save({
      code,
      expectedVersion: 1,
      newEvents: [anEvent(code, "e1", { note: "replayed" }), anEvent(code, "e2"), anEvent(code, "e2")],
      state: { status: "in-progress", eventCount: 2 },
      listing: undefined,
      agenda: { previous: [], next: [] },
      savedAt: SAVED_AT,
    });
    const loaded = await repo().load(code);

    expect(result.version).toBe(2);
    expect([...result.duplicateEventIds].sort()).toEqual(["e1", "e2"]);
    expect(loaded?.events.map((e) => [e.id, e.note])).toEqual([
      ["e1", "original"],
      ["e2", undefined],
    ]);
    expect(loaded?.version).toBe(2);
  });

  it("refuses a save on a stale version with ConcurrencyError and keeps the winner's log, state and agenda", async () => {
    const code = aDossierCode();
    const plan = [anAlert(code, "warn", "2026-11-25T07:30:00+07:00")];
    await create(code, [anEvent(code, "e1")], plan);
    const first = await repo().load(code);
    const second = await repo().load(code);
    const winnerPlan = [anAlert(code, "warn-a", "2026-11-24T07:30:00+07:00")];
    await repo().save({
      code,
      expectedVersion: first!.version,
      newEvents: [anEvent(code, "from-a")],
      state: { status: "a", eventCount: 2 },
      listing: undefined,
      agenda: { previous: first!.agenda, next: winnerPlan },
      savedAt: SAVED_AT,
    });

    const stale = repo().save({
      code,
      expectedVersion: second!.version,
      newEvents: [anEvent(code, "from-b")],
      state: { status: "b", eventCount: 2 },
      listing: undefined,
      agenda: { previous: second!.agenda, next: [anAlert(code, "warn-b", "2026-11-23T07:30:00+07:00")] },
      savedAt: SAVED_AT,
    });

    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toMatchObject({
      code: "CONFLICT",
      details: { reason: "stale-version", expectedVersion: 1 },
    });
    const loaded = await repo().load(code);
    expect(loaded?.version).toBe(2);
    expect(loaded?.events.map((e) => e.id)).toEqual(["e1", "from-a"]);
    expect(loaded?.state).toEqual({ status: "a", eventCount: 2 });
    expect(loaded?.agenda.map((e) => e.alert)).toEqual(winnerPlan);
  });

  it("refuses to create a dossier that already exists", async () => {
    const code = aDossierCode();
    await create(code, [anEvent(code, "e1")]);

    await expect(create(code, [anEvent(code, "e2")])).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await repo().load(code))?.events.map((e) => e.id)).toEqual(["e1"]);
  });

  it("writes only the agenda difference: removed entries disappear from the table and the index, new ones appear", async () => {
    const code = aDossierCode();
    const a1 = anAlert(code, "a1", "2026-11-21T07:30:00+07:00");
    const a2 = anAlert(code, "a2", "2026-11-22T07:30:00+07:00");
    const a3 = anAlert(code, "a3", "2026-11-23T07:30:00+07:00");
    await create(code, [anEvent(code, "e1")], [a1, a2, a3]);
    const loaded = await repo().load(code);
    const a3Moved = { ...a3, at: "2026-11-24T07:30:00+07:00" };
    const a4 = anAlert(code, "a4", "2026-11-25T07:30:00+07:00");

    const result = await repo().save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [anEvent(code, "e2")],
      state: { status: "in-progress", eventCount: 2 },
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: [a2, a3Moved, a4] },
      savedAt: SAVED_AT,
    });
    const after = await repo().load(code);

    expect(result).toMatchObject({ agendaPut: 2, agendaRemoved: 1 });
    const byKey = new Map(after!.agenda.map((e) => [e.alert.dedupeKey, e.alert]));
    expect([...byKey.keys()].sort()).toEqual([a2.dedupeKey, a3.dedupeKey, a4.dedupeKey]);
    expect(byKey.get(a3.dedupeKey)?.at).toBe("2026-11-24T07:30:00+07:00");
    expect(await agendaIndexKeys(code)).toEqual([a2.dedupeKey, a3.dedupeKey, a4.dedupeKey]);
  });

  it("leaves an entry the sweep has done alone when the plan still holds it", async () => {
    const code = aDossierCode();
    const a1 = anAlert(code, "a1", "2026-11-20T08:00:00+07:00");
    await create(code, [anEvent(code, "e1")], [a1]);
    await new DynamoDbAgendaRepository({ client: table.doc, design: table.design }).markDone(
      [{ dossierCode: code, dedupeKey: a1.dedupeKey, at: a1.at }],
      "2026-11-20T08:00:30+07:00",
    );
    const loaded = await repo().load(code);

    const result = await repo().save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [anEvent(code, "e2")],
      state: { status: "in-progress", eventCount: 2 },
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: [{ ...a1, note: "re-planned" }] },
      savedAt: SAVED_AT,
    });

    expect(result).toMatchObject({ agendaPut: 0, agendaRemoved: 0 });
    expect((await repo().load(code))?.agenda).toEqual([{ alert: a1, doneAt: "2026-11-20T08:00:30+07:00" }]);
    expect(await agendaIndexKeys(code)).toEqual([]);
  });

  it("saves an agenda change larger than one 100-item transaction, and a stale one changes neither log nor state", async () => {
    const code = aDossierCode();
    const plan = Array.from({ length: 150 }, (_, i) => anAlert(code, `k${i}`, "2026-11-25T07:30:00+07:00"));
    await create(code, [anEvent(code, "e1")], plan);
    const loaded = await repo().load(code);
    const replan = Array.from({ length: 120 }, (_, i) => anAlert(code, `n${i}`, "2026-11-26T07:30:00+07:00"));

    const result = await repo().save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [anEvent(code, "e2")],
      state: { status: "in-progress", eventCount: 2 },
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: replan },
      savedAt: SAVED_AT,
    });
    const stale = repo().save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [anEvent(code, "e3")],
      state: { status: "stale", eventCount: 3 },
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: plan },
      savedAt: SAVED_AT,
    });

    expect(loaded?.agenda).toHaveLength(150);
    expect(result).toMatchObject({ version: 2, agendaPut: 120, agendaRemoved: 150 });
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    const after = await repo().load(code);
    expect(after?.events.map((e) => e.id)).toEqual(["e1", "e2"]);
    expect(after?.state.status).toBe("in-progress");
    expect(after?.agenda.map((e) => e.alert.dedupeKey).sort()).toEqual(replan.map((a) => a.dedupeKey).sort());
  });

  it("refuses events and alerts of another dossier", async () => {
    const code = aDossierCode();
    const other = aDossierCode();

    await expect(create(code, [anEvent(other, "e1")])).rejects.toBeInstanceOf(InvalidInputError);
    await expect(create(code, [anEvent(code, "e1")], [anAlert(other, "x", SAVED_AT)])).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(repo().load(code)).resolves.toBeUndefined();
  });

  it("puts a listed dossier in the by-agency-status index and takes it out when the listing goes", async () => {
    const code = aDossierCode();
    await create(code, [anEvent(code, "e1")]);
    const inIndex = async () => {
      const { Items = [] } = await table.doc.send(
        new QueryCommand({
          TableName: table.design.tableName,
          IndexName: INDEX.byAgencyStatus,
          KeyConditionExpression: `${ATTR.byAgencyStatusPk} = :pk`,
          ExpressionAttributeValues: { ":pk": "AGENCY#so-nnmt#DOSSIER#in-progress" },
        }),
      );
      return Items.some((item) => item.dossierCode === code);
    };
    const before = await inIndex();

    await repo().save({
      code,
      expectedVersion: 1,
      newEvents: [anEvent(code, "e2", { type: "returned" })],
      state: { status: "returned", eventCount: 2 },
      listing: undefined,
      agenda: { previous: [], next: [] },
      savedAt: SAVED_AT,
    });

    expect(before).toBe(true);
    expect(await inIndex()).toBe(false);
  });
});
