import { describe, expect, it } from "vitest";
import { DynamoDbApologyDraftRepository } from "../../../shared/adapters/dynamodb/apology-draft-repository.dynamodb.ts";
import { DynamoDbCalendarRepository } from "../../../shared/adapters/dynamodb/calendar-repository.dynamodb.ts";
import { DynamoDbDossierQuery } from "../../../shared/adapters/dynamodb/dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import type { ReadReport } from "../../../shared/adapters/dynamodb/support.ts";
import { INDEX } from "../../../shared/adapters/dynamodb/table-design.ts";
import { ConcurrencyError, type DossierListing } from "../../../shared/app/ports.ts";
import type { Announcement } from "../../../shared/calendar/announcements.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import type { ApologyDraft } from "../../../shared/letters/apology/index.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anEvent } from "./builders.ts";

const table = useTestTable();
const options = () => ({ client: table.doc, design: table.design });

/** The letters workflow's draft plus the agency storage lists it under. */
type TestDraft = ApologyDraft & { readonly agencyId: string };

function aDraft(code: string, overrides: Partial<TestDraft> = {}): TestDraft {
  return {
    id: "xl-1",
    dossierCode: code,
    agencyId: "so-nnmt",
    status: "draft",
    reason: "Cần lấy ý kiến của Sở Tài chính",
    responsibleUnit: "Văn phòng Đăng ký đất đai",
    originalAppointment: "2026-11-23T16:00:00+07:00",
    newAppointment: "2026-11-26T08:30:00+07:00",
    createdBy: "cb-01",
    createdAt: "2026-11-20T09:00:00+07:00",
    edits: [],
    ...overrides,
  };
}

describe("DynamoDbApologyDraftRepository", () => {
  it("stores, versions and lists a dossier's drafts", async () => {
    const drafts = new DynamoDbApologyDraftRepository<TestDraft>(options());
    const code = aDossierCode();
    const draft = aDraft(code);

    const v1 = await drafts.save(draft, undefined);
    const approved = {
      ...draft,
      status: "approved" as const,
      approvedBy: "ld-01",
      approvedAt: "2026-11-20T10:00:00+07:00",
    };
    const v2 = await drafts.save(approved, v1);
    await drafts.save(aDraft(code, { id: "xl-2", status: "withdrawn" }), undefined);

    expect([v1, v2]).toEqual([1, 2]);
    expect(await drafts.get(code, "xl-1")).toEqual({ value: approved, version: 2 });
    expect((await drafts.listForDossier(code)).map((d) => [d.value.id, d.value.status, d.version])).toEqual([
      ["xl-1", "approved", 2],
      ["xl-2", "withdrawn", 1],
    ]);
    expect(await drafts.get(code, "xl-3")).toBeUndefined();
  });

  it("refuses a save from a stale version or a second creation with ConcurrencyError", async () => {
    const drafts = new DynamoDbApologyDraftRepository<TestDraft>(options());
    const code = aDossierCode();
    await drafts.save(aDraft(code), undefined);
    await drafts.save(aDraft(code, { status: "approved" }), 1);

    await expect(drafts.save(aDraft(code, { status: "withdrawn" }), 1)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(drafts.save(aDraft(code), undefined)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await drafts.get(code, "xl-1"))?.value.status).toBe("approved");
  });
});

describe("DynamoDbApologyDraftRepository.listByAgency", () => {
  const agency = () => `agency-${Math.random().toString(36).slice(2, 8)}`;

  it("lists an agency's drafts in one status, earliest appointment first, a page at a time, with one Query on the index", async () => {
    const reads: ReadReport[] = [];
    const drafts = new DynamoDbApologyDraftRepository<TestDraft>({
      ...options(),
      onRead: (report) => reads.push(report),
    });
    const mine = agency();
    const save = (appointment: string, overrides: Partial<TestDraft> = {}) => {
      const code = aDossierCode();
      const draft = aDraft(code, { agencyId: mine, originalAppointment: appointment, ...overrides });
      return drafts.save(draft, undefined).then(() => code);
    };
    const later = await save("2026-11-27T16:00:00+07:00");
    const first = await save("2026-11-23T01:00:00Z"); // 08:00 in Hanoi: before the 10:00 one
    const second = await save("2026-11-23T10:00:00+07:00");
    await save("2026-11-20T08:00:00+07:00", { status: "approved" });
    await save("2026-11-20T08:00:00+07:00", { agencyId: `${mine}-other` });

    const page1 = await drafts.listByAgency(mine, "draft", { limit: 2 });
    const page2 = await drafts.listByAgency(mine, "draft", { limit: 2, cursor: page1.cursor! });
    const approved = await drafts.listByAgency(mine, "approved");

    expect(page1.items.map((d) => d.value.dossierCode)).toEqual([first, second]);
    expect(page2.items.map((d) => d.value.dossierCode)).toEqual([later]);
    expect(page2.cursor).toBeUndefined();
    expect(page1.items[0]).toEqual({
      value: aDraft(first, { agencyId: mine, originalAppointment: "2026-11-23T01:00:00Z" }),
      version: 1,
    });
    expect(approved.items.map((d) => d.value.status)).toEqual(["approved"]);
    const listings = reads.filter((read) => read.operation === "Query");
    expect(listings.map((read) => read.index)).toEqual([
      INDEX.byAgencyStatus,
      INDEX.byAgencyStatus,
      INDEX.byAgencyStatus,
    ]);
  });

  it("moves a draft to its new status on every save (approve, send, withdraw)", async () => {
    const drafts = new DynamoDbApologyDraftRepository<TestDraft>(options());
    const mine = agency();
    const code = aDossierCode();
    const codes = async (status: string) =>
      (await drafts.listByAgency(mine, status)).items.map((d) => [d.value.dossierCode, d.version]);
    const v1 = await drafts.save(aDraft(code, { agencyId: mine }), undefined);
    expect(await codes("draft")).toEqual([[code, 1]]);

    const v2 = await drafts.save(aDraft(code, { agencyId: mine, status: "approved" }), v1);
    expect(await codes("draft")).toEqual([]);
    expect(await codes("approved")).toEqual([[code, 2]]);

    await drafts.save(aDraft(code, { agencyId: mine, status: "sent" }), v2);
    expect(await codes("approved")).toEqual([]);
    expect(await codes("sent")).toEqual([[code, 3]]);

    const other = aDossierCode();
    await drafts.save(aDraft(other, { agencyId: mine }), undefined);
    await drafts.save(aDraft(other, { agencyId: mine, status: "withdrawn" }), 1);
    expect(await codes("draft")).toEqual([]);
    expect(await codes("withdrawn")).toEqual([[other, 2]]);
  });

  it("refuses a cursor of another listing, a malformed cursor and an oversized page", async () => {
    const drafts = new DynamoDbApologyDraftRepository<TestDraft>(options());
    const mine = agency();
    for (const day of ["23", "24"]) {
      await drafts.save(
        aDraft(aDossierCode(), { agencyId: mine, originalAppointment: `2026-11-${day}T08:00:00+07:00` }),
        undefined,
      );
    }
    const { cursor } = await drafts.listByAgency(mine, "draft", { limit: 1 });

    await expect(drafts.listByAgency(`${mine}-other`, "draft", { cursor: cursor! })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(drafts.listByAgency(mine, "approved", { cursor: cursor! })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(drafts.listByAgency(mine, "draft", { cursor: "not-a-cursor" })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(drafts.listByAgency(mine, "draft", { limit: 101 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe("DynamoDbCalendarRepository", () => {
  it("stores announcements by year, replaces a year, and lists them oldest first", async () => {
    const calendar = new DynamoDbCalendarRepository<Announcement>(options());
    const a2027: Announcement = {
      year: 2027,
      sources: ["Công văn …/VPCP-KGVX"],
      daysOff: [{ date: "2027-02-05", name: "Tết Nguyên đán", kind: "holiday" }],
      workingDays: [{ date: "2027-02-20", name: "Làm bù cho ngày 12/02/2027" }],
    } as Announcement;
    const a2026 = { ...a2027, year: 2026, daysOff: [], workingDays: [] } as Announcement;
    const corrected = { ...a2027, sources: ["Công văn 1/VPCP-KGVX"] } as Announcement;

    await calendar.put(a2027);
    await calendar.put(a2026);
    await calendar.put(corrected);

    expect(await calendar.get(2027)).toEqual(corrected);
    expect(await calendar.get(2030)).toBeUndefined();
    expect((await calendar.list()).map((a) => a.year)).toEqual([2026, 2027]);
    await expect(calendar.get(27)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("DynamoDbDossierQuery.byAgencyStatus", () => {
  const agency = `agency-${Math.random().toString(36).slice(2, 8)}`;
  const listed = async (listing: Omit<DossierListing, "agencyId">, agencyId = agency) => {
    const code = aDossierCode();
    await new DynamoDbDossierRepository(options()).save({
      code,
      expectedVersion: undefined,
      newEvents: [anEvent(code, "received", { type: "received" })],
      state: {},
      listing: { agencyId, ...listing },
      agenda: { previous: [], next: [] },
      savedAt: "2026-11-20T09:00:00+07:00",
    });
    return code;
  };

  it("lists an agency's dossiers in one status, soonest due first, pages through them and keeps the overdue", async () => {
    const summary = { procedureName: "Cấp giấy chứng nhận quyền sử dụng đất", handlerName: "Nguyễn Văn An" };
    const late2 = await listed({ status: "in-progress", dueAt: "2026-11-18T17:00:00+07:00", summary });
    const noDue = await listed({ status: "in-progress" });
    const late1 = await listed({ status: "in-progress", dueAt: "2026-11-17T10:00:00Z", summary });
    const soon = await listed({ status: "in-progress", dueAt: "2026-11-23T08:00:00+07:00" });
    await listed({ status: "paused", dueAt: "2026-11-10T08:00:00+07:00" });
    await listed({ status: "in-progress", dueAt: "2026-11-10T08:00:00+07:00" }, `${agency}-other`);
    const query = new DynamoDbDossierQuery(options());

    const first = await query.byAgencyStatus(agency, "in-progress", { limit: 3 });
    const rest = await query.byAgencyStatus(agency, "in-progress", { limit: 3, cursor: first.cursor! });
    const overdue = await query.byAgencyStatus(agency, "in-progress", {
      dueBefore: "2026-11-20T09:00:00+07:00",
    });

    expect([...first.items, ...rest.items].map((r) => r.dossierCode)).toEqual([late1, late2, soon, noDue]);
    expect(rest.cursor).toBeUndefined();
    expect(overdue.items.map((r) => r.dossierCode)).toEqual([late1, late2]);
    expect(overdue.items[1]).toEqual({
      dossierCode: late2,
      version: 1,
      listing: { agencyId: agency, status: "in-progress", dueAt: "2026-11-18T17:00:00+07:00", summary },
    });
  });

  it("refuses a malformed cursor and an oversized page", async () => {
    const query = new DynamoDbDossierQuery(options());

    await expect(
      query.byAgencyStatus(agency, "in-progress", { cursor: "not-a-cursor" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(query.byAgencyStatus(agency, "in-progress", { limit: 10_000 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
