import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  AGENCY_B,
  aDossierCode,
  adminA,
  assigned,
  directoryA,
  directoryB,
  handlerA,
  leaderA,
  received,
  resultReady,
} from "./support/builders.ts";
import { type Harness, useHarness } from "./support/harness.ts";

const start = useHarness({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA, directoryB] });

const NOVEMBER = { from: "2026-11-01", to: "2026-11-30" };

// The builders' procedure (1.010727, 3 working days unless `limit`), in the catalogue's shape.
const CATALOGUE = [
  {
    code: "1.010727",
    name: "Cấp giấy phép môi trường",
    field: "Môi trường",
    timeLimit: { amount: 3, unit: "working-days" },
  },
  {
    code: "1.004227",
    name: "Đăng ký biến động quyền sử dụng đất",
    field: "Đất đai",
    timeLimit: { amount: 10, unit: "working-days" },
  },
];

/** Three dossiers of agency A — early, late (due 12/11, finished 16/11), open — and one of agency B. */
async function feed(h: Harness) {
  const [early, late, open, other] = [aDossierCode(), aDossierCode(), aDossierCode(), aDossierCode()];
  await h.ingest([
    received(early, { at: "2026-11-16T08:00:00+07:00" }),
    received(late, { at: "2026-11-11T09:00:00+07:00", limit: 1 }),
    received(open, { at: "2026-11-16T09:30:00+07:00" }),
    received(other, { at: "2026-11-16T09:00:00+07:00", agencyId: AGENCY_B }),
  ]);
  await h.ingest([
    assigned(early, "2026-11-16T08:30:00+07:00"),
    resultReady(early, "2026-11-16T09:00:00+07:00"),
    assigned(late, "2026-11-11T10:00:00+07:00"),
    resultReady(late, "2026-11-16T09:30:00+07:00"),
  ]);
}

describe("GET /reports/bieu-06", () => {
  it("groups the caller's agency's figures by the catalogue's lĩnh vực, with the QĐ 766 figure", async () => {
    const h = await start();
    await feed(h);
    const put = await h.api("PUT /catalogue", { claims: adminA, body: CATALOGUE });

    const form = await h.api("GET /reports/bieu-06", { claims: leaderA, query: NOVEMBER });

    expect(put.status).toBe(200);
    expect(form.status).toBe(200);
    expect(form.body.lines).toHaveLength(1);
    expect(form.body.lines[0]).toMatchObject({
      no: 1,
      fieldName: "Môi trường",
      receivedTotal: 3,
      receivedOnline: 3,
      receivedInPersonOrPostal: 0,
      carriedOver: 0,
      resolvedTotal: 2,
      resolvedEarly: 1,
      resolvedLate: 1,
      inProgressTotal: 1,
      // Due 19/11, open at the end of November: overdue.
      inProgressOverdue: 1,
      inProgressNotYetDue: 0,
      // (1 + 0 + 0) / (2 + 1) × 20
      progress766: { rate: 0.3333, points: 6.67 },
    });
    expect(form.body.total.receivedTotal).toBe(3);
  });

  it("puts every procedure on the unknown-field line while no catalogue is stored", async () => {
    const h = await start();
    await feed(h);

    const form = await h.api("GET /reports/bieu-06", { claims: leaderA, query: NOVEMBER });

    expect(form.body.lines.map((line: { fieldName: string }) => line.fieldName)).toEqual([
      "(Chưa xác định lĩnh vực)",
    ]);
  });

  it("exports CSV and an XLSX workbook", async () => {
    const h = await start();
    await feed(h);
    await h.api("PUT /catalogue", { claims: adminA, body: CATALOGUE });

    const csv = await h.api("GET /reports/bieu-06", {
      claims: leaderA,
      query: { ...NOVEMBER, format: "csv" },
    });
    const xlsx = await h.api("GET /reports/bieu-06", {
      claims: leaderA,
      query: { ...NOVEMBER, format: "xlsx" },
    });

    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(String(csv.body).split("\r\n")[2]).toBe("1;Môi trường;3;3;0;0;2;1;0;1;1;0;1;0;0;50,0;33,3;6,67");
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-disposition"]).toBe(
      'attachment; filename="bieu-06-2026-11-01-2026-11-30.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(String(xlsx.body), "base64") as unknown as ArrayBuffer);
    const row = workbook.getWorksheet("Biểu số 06")?.getRow(7);
    expect(row?.getCell(2).value).toBe("Môi trường");
    expect(row?.getCell(3).value).toBe(3);
  });

  it("takes a named period for from and to", async () => {
    const h = await start();
    await feed(h);
    await h.api("PUT /catalogue", { claims: adminA, body: CATALOGUE });

    const named = await h.api("GET /reports/bieu-06", { claims: leaderA, query: { period: "2026-11" } });
    const ranged = await h.api("GET /reports/bieu-06", { claims: leaderA, query: NOVEMBER });

    expect(named.status).toBe(200);
    expect(named.body).toEqual(ranged.body);
  });

  it("refuses handlers (403) and a bad format (400)", async () => {
    const h = await start();

    const asHandler = await h.api("GET /reports/bieu-06", { claims: handlerA, query: NOVEMBER });
    const badFormat = await h.api("GET /reports/bieu-06", {
      claims: leaderA,
      query: { ...NOVEMBER, format: "pdf" },
    });

    expect(asHandler.status).toBe(403);
    expect(badFormat.status).toBe(400);
  });
});

describe("PUT /catalogue, GET /catalogue", () => {
  it("stores a version named by the procedures' digest; the same catalogue again changes nothing", async () => {
    const h = await start();

    const first = await h.api("PUT /catalogue", { claims: adminA, body: CATALOGUE });
    const again = await h.api("PUT /catalogue", { claims: adminA, body: [...CATALOGUE].reverse() });
    const read = await h.api("GET /catalogue", { claims: adminA });

    expect(first.body).toMatchObject({ previousVersion: "empty", count: 2, changed: true });
    expect(first.body.version).toMatch(/^cat-[0-9a-f]{16}$/);
    expect(again.body).toMatchObject({ version: first.body.version, changed: false });
    expect(read.body.version).toBe(first.body.version);
    expect(read.body.procedures.map((p: { code: string }) => p.code).sort()).toEqual([
      "1.004227",
      "1.010727",
    ]);
  });

  it("refuses a catalogue with a bad entry (400, naming it) and anyone but an admin (403)", async () => {
    const h = await start();

    const bad = await h.api("PUT /catalogue", {
      claims: adminA,
      body: [{ ...CATALOGUE[0], timeLimit: { amount: 3, unit: "weeks" } }],
    });
    const asLeader = await h.api("PUT /catalogue", { claims: leaderA, body: CATALOGUE });
    const read = await h.api("GET /catalogue", { claims: adminA });

    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("0.timeLimit.unit");
    expect(asLeader.status).toBe(403);
    expect(read.body).toEqual({ version: "empty", count: 0, procedures: [] });
  });
});
