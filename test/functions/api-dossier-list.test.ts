import { afterEach, describe, expect, it } from "vitest";
import { INDEX } from "../../shared/adapters/dynamodb/table-design.ts";
import type { DossierListItem, DossierListPage } from "../../shared/app/api-types.ts";
import {
  aDossierCode,
  assigned,
  deskLeaderA,
  directorA,
  directoryA,
  handlerA,
  received,
  resultReady,
} from "./support/builders.ts";
import { type Claims, Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const start = async (at = "2026-11-16T10:00:00+07:00") => {
  harness = await Harness.start({ start: at, directories: [directoryA] });
  return harness;
};

/** Every page of one listing, following the cursor; the pages' sizes kept to show the paging. */
async function allPages(h: Harness, claims: Claims, query: Record<string, string>) {
  const items: DossierListItem[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const response = await h.api("GET /dossiers", {
      claims,
      query: { ...query, ...(cursor === undefined ? {} : { cursor }) },
    });
    expect(response.status).toBe(200);
    const page = response.body as DossierListPage;
    items.push(...page.items);
    sizes.push(page.items.length);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return { codes: items.map((item) => item.dossierCode), items, sizes };
}

/**
 * Six dossiers held by cb-lan at the one-stop desk and due in one working day, then three
 * assigned to cv-hoa in Phòng Môi trường and due in twenty: cv-hoa's sort after all of cb-lan's.
 */
async function agency(h: Harness) {
  const desk = Array.from({ length: 6 }, () => aDossierCode());
  const hoa = Array.from({ length: 3 }, () => aDossierCode());
  await h.ingest(desk.map((code) => received(code, { at: "2026-11-16T08:00:00+07:00", limit: 1 })));
  await h.ingest(hoa.map((code) => received(code, { at: "2026-11-16T08:00:00+07:00", limit: 20 })));
  await h.ingest(hoa.map((code) => assigned(code, "2026-11-16T09:00:00+07:00")));
  return { desk, hoa };
}

// Ingesting a dozen dossiers through the queue takes seconds on a loaded machine.
describe("GET /dossiers filtered on the server", { timeout: 90_000 }, () => {
  it("gives a handler all of their dossiers with mine=1, though none is on the agency's first page", async () => {
    const h = await start();
    const { hoa } = await agency(h);

    const firstAgencyPage = await h.api("GET /dossiers", { claims: directorA, query: { limit: "5" } });
    const mine = await allPages(h, handlerA, { mine: "1", limit: "2" });

    const onFirstPage = firstAgencyPage.body.items.map((row: DossierListItem) => row.dossierCode);
    expect(onFirstPage.filter((code: string) => hoa.includes(code))).toEqual([]);
    expect(mine.codes.sort()).toEqual([...hoa].sort());
    expect(mine.sizes).toEqual([2, 1]);
    expect(mine.items.every((item) => item.summary.handlerId === "cv-hoa")).toBe(true);
  });

  it("lists one handler's (handler=) and one unit's (unit=) dossiers, each page one Query on the index", async () => {
    const h = await start();
    const { desk, hoa } = await agency(h);
    h.reads.length = 0;

    const lan = await allPages(h, directorA, { handler: "cb-lan", limit: "4" });
    const moiTruong = await allPages(h, directorA, { unit: "phong-mt" });
    const motCua = await allPages(h, directorA, { unit: "mot-cua", limit: "100" });

    expect(lan.codes.sort()).toEqual([...desk].sort());
    expect(lan.sizes).toEqual([4, 2]);
    expect(moiTruong.codes.sort()).toEqual([...hoa].sort());
    expect(motCua.codes.sort()).toEqual([...desk].sort());
    const queries = h.reads.filter(
      (read) => read.operation === "Query" && read.index === INDEX.byAgencyStatus,
    );
    // One Query per page: two for cb-lan, one for each unit.
    expect(queries).toHaveLength(4);
  });

  it("keeps a unit leader to their unit's dossiers within a handler's", async () => {
    const h = await start();
    await agency(h);

    // tp-mai leads the one-stop desk; cv-hoa's dossiers are all in Phòng Môi trường.
    const hoaForDesk = await allPages(h, deskLeaderA, { handler: "cv-hoa" });

    expect(hoaForDesk.codes).toEqual([]);
  });

  it("moves a dossier from one handler's list to the next, and drops it once the result is ready", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T08:00:00+07:00" }));
    const lanBefore = await allPages(h, directorA, { handler: "cb-lan" });
    await h.ingest(assigned(code, "2026-11-16T09:00:00+07:00"));
    const lanAfter = await allPages(h, directorA, { handler: "cb-lan" });
    const hoaAfter = await allPages(h, handlerA, { mine: "1" });
    await h.ingest(resultReady(code, "2026-11-16T09:30:00+07:00"));
    const hoaDone = await allPages(h, handlerA, { mine: "1" });

    expect(lanBefore.codes).toEqual([code]);
    expect(lanAfter.codes).toEqual([]);
    expect(hoaAfter.codes).toEqual([code]);
    expect(hoaDone.codes).toEqual([]);
  });

  it("refuses two holders at once", async () => {
    const h = await start();

    const both = await h.api("GET /dossiers", {
      claims: directorA,
      query: { handler: "cv-hoa", unit: "phong-mt" },
    });

    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe("choose one of handler, mine and unit");
  });

  it("refuses a handler listing's cursor on another listing (it must not start a page elsewhere)", async () => {
    const h = await start();
    await agency(h);
    const first = await h.api("GET /dossiers", { claims: handlerA, query: { mine: "1", limit: "1" } });

    const onUnit = await h.api("GET /dossiers", {
      claims: directorA,
      query: { unit: "phong-mt", cursor: first.body.cursor },
    });
    const onAgency = await h.api("GET /dossiers", {
      claims: directorA,
      query: { cursor: first.body.cursor },
    });

    expect(typeof first.body.cursor).toBe("string");
    expect([onUnit.status, onUnit.body.error.message]).toEqual([400, "invalid page cursor"]);
    expect([onAgency.status, onAgency.body.error.message]).toEqual([400, "invalid page cursor"]);
  });
});

describe("GET /dossiers timeliness from the API (the domain's one working day)", () => {
  // Received Monday 16/11 09:00 with two working days: due Wednesday 18/11 09:00, legal.
  const receivedAt = "2026-11-16T09:00:00+07:00";

  async function oneDossier(h: Harness) {
    const code = aDossierCode();
    await h.ingest(received(code, { at: receivedAt, limit: 2 }));
    return code;
  }

  const soon = (h: Harness) => allPages(h, directorA, { due: "soon" });
  const listed = async (h: Harness) => (await allPages(h, directorA, {})).items[0]!;

  it("is due soon with exactly one working day of office time left, not one millisecond earlier", async () => {
    const h = await start();
    const code = await oneDossier(h);

    h.clock.set("2026-11-17T08:59:59.999+07:00");
    const before = await listed(h);
    const beforeSoon = await soon(h);
    h.clock.set("2026-11-17T09:00:00+07:00");
    const at = await listed(h);
    const atSoon = await soon(h);

    expect(before.dueAt).toBe("2026-11-18T09:00:00+07:00");
    expect(before.remainingOfficeMs).toBe(8 * 3_600_000 + 1);
    expect(before.timeliness).toBe("trong-han");
    expect(beforeSoon.codes).toEqual([]);
    expect(at.remainingOfficeMs).toBe(8 * 3_600_000);
    expect(at.timeliness).toBe("sap-den-han");
    expect(atSoon.codes).toEqual([code]);
  });

  it("is not due soon three calendar days ahead when that is more than one working day", async () => {
    const h = await start("2026-11-16T10:00:00+07:00");
    await oneDossier(h);

    // Two days before the due instant, one and seven eighths working days left.
    const row = await listed(h);

    expect(row.timeliness).toBe("trong-han");
    expect((await soon(h)).codes).toEqual([]);
  });

  it("is overdue one millisecond after the due instant, and leaves the due-soon list then", async () => {
    const h = await start();
    const code = await oneDossier(h);

    h.clock.set("2026-11-18T09:00:00+07:00");
    const atDue = await listed(h);
    const soonAtDue = await soon(h);
    h.clock.set("2026-11-18T09:00:00.001+07:00");
    const after = await listed(h);
    const overdue = await allPages(h, directorA, { due: "overdue" });

    expect(atDue.timeliness).toBe("sap-den-han");
    expect(soonAtDue.codes).toEqual([code]);
    expect(after.timeliness).toBe("qua-han");
    expect((await soon(h)).codes).toEqual([]);
    expect(overdue.codes).toEqual([code]);
  });
});
