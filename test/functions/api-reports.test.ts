import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { type CounterStore, REPORT_XLSX_HEADER_ROW, XLSX_CONTENT_TYPE } from "../../shared/reports/index.ts";
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
import { useHarness } from "./support/harness.ts";

const start = useHarness({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA, directoryB] });

const NOVEMBER = { from: "2026-11-01", to: "2026-11-30" };
// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
type Json = any;

describe("GET /reports", () => {
  it("reports the figures the worker counted as each event was applied, for the caller's agency only", async () => {
    const h = await start();
    const [early, open, other] = [aDossierCode(), aDossierCode(), aDossierCode()];
    await h.ingest([
      received(early, { at: "2026-11-16T09:00:00+07:00" }),
      received(open, { at: "2026-11-16T09:30:00+07:00" }),
      received(other, { at: "2026-11-16T09:00:00+07:00", agencyId: AGENCY_B }),
    ]);
    await h.ingest([
      assigned(early, "2026-11-16T10:00:00+07:00"),
      resultReady(early, "2026-11-17T10:00:00+07:00"),
    ]);

    const byAgency = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, by: "agency" } });
    const byUnit = await h.api("GET /reports", { claims: adminA, query: { ...NOVEMBER, by: "unit" } });

    expect(byAgency.status).toBe(200);
    expect(byAgency.body.lines).toHaveLength(1);
    expect(byAgency.body.total).toMatchObject({
      receivedNew: 2,
      resolved: 1,
      resolvedEarly: 1,
      onTimeRate: 1,
      grade: "green",
      openAtEnd: 1,
      // Due 19/11 (3 working days), still open at the end of November: overdue already projected.
      inProgressOverdue: 1,
    });
    expect(byUnit.body.lines.map((line: { key: string }) => line.key).sort()).toEqual([
      "so-nnmt/mot-cua",
      "so-nnmt/phong-mt",
    ]);
  });

  it("counts a replayed event once", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));

    const report = await h.api("GET /reports", { claims: leaderA, query: NOVEMBER });

    expect(report.body.total.receivedNew).toBe(1);
  });

  it("counts an event whose counting failed after its save exactly once, on the SQS retry", async () => {
    let failures = 0;
    const h = await start({
      wrapTables: (tables) => ({
        ...tables,
        counters: {
          read: (...args: Parameters<CounterStore["read"]>) => tables.counters.read(...args),
          apply: async (deltas, options) => {
            if (failures === 0) {
              failures += 1;
              throw new Error("ProvisionedThroughputExceededException");
            }
            return tables.counters.apply(deltas, options);
          },
        },
      }),
    });
    const code = aDossierCode();

    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    const report = await h.api("GET /reports", { claims: leaderA, query: NOVEMBER });

    expect(failures).toBe(1);
    expect(report.body.total.receivedNew).toBe(1);
    expect(h.eventsDlq.sent()).toHaveLength(0);
  });

  it("refuses handlers (403) and a malformed period (400)", async () => {
    const h = await start();

    const asHandler = await h.api("GET /reports", { claims: handlerA, query: NOVEMBER });
    const badDay = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-11", to: "2026-11-30" },
    });
    const backwards = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-11-30", to: "2026-11-01" },
    });

    expect(asHandler.status).toBe(403);
    expect(badDay.status).toBe(400);
    expect(backwards.status).toBe(400);
  });

  it("exports CSV (BOM, semicolons)", async () => {
    const h = await start();
    await h.ingest(received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }));

    const csv = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, format: "csv" } });

    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe(
      'attachment; filename="bao-cao-agency-2026-11-01-2026-11-30.csv"',
    );
    expect(String(csv.body).startsWith("\uFEFF")).toBe(true);
    expect(String(csv.body)).toContain(";");
  });

  it("exports the live report as XLSX: the CSV's columns, numbers as numbers, rates as percent", async () => {
    const h = await start();
    const [early, late] = [aDossierCode(), aDossierCode()];
    await h.ingest([
      received(early, { at: "2026-11-16T08:00:00+07:00" }),
      received(late, { at: "2026-11-11T09:00:00+07:00", limit: 1 }),
      received(aDossierCode(), { at: "2026-11-16T09:30:00+07:00" }),
    ]);
    await h.ingest([
      assigned(early, "2026-11-16T08:30:00+07:00"),
      resultReady(early, "2026-11-16T09:00:00+07:00"),
      assigned(late, "2026-11-11T10:00:00+07:00"),
      resultReady(late, "2026-11-16T09:30:00+07:00"),
    ]);
    const query = { ...NOVEMBER, by: "unit" };

    const report = await h.api("GET /reports", { claims: leaderA, query });
    const csv = await h.api("GET /reports", { claims: leaderA, query: { ...query, format: "csv" } });
    const xlsx = await h.api("GET /reports", { claims: leaderA, query: { ...query, format: "xlsx" } });

    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-type"]).toBe(XLSX_CONTENT_TYPE);
    expect(xlsx.headers["content-disposition"]).toBe(
      'attachment; filename="bao-cao-unit-2026-11-01-2026-11-30.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(String(xlsx.body), "base64") as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Theo đơn vị");
    if (!sheet) throw new Error("no sheet Theo đơn vị");
    const header = (sheet.getRow(REPORT_XLSX_HEADER_ROW).values as unknown[]).slice(1);
    const csvHeader = String(csv.body).slice(1).split("\r\n")[0]!.split(";");
    expect(header).toEqual(csvHeader.map((text) => text.replace(/ \(%\)$/, "")));
    const column = (name: string) => header.indexOf(name) + 1;
    const lines = [...report.body.lines, report.body.total];
    expect(lines).toHaveLength(3); // mot-cua, phong-mt, the total
    lines.forEach((line, index) => {
      const row = sheet.getRow(REPORT_XLSX_HEADER_ROW + 1 + index);
      expect(row.getCell(column("Đơn vị")).value).toBe(line.label);
      expect(row.getCell(column("Tiếp nhận mới")).value).toBe(line.receivedNew);
      expect(row.getCell(column("Trước hạn")).value).toBe(line.resolvedEarly);
      expect(row.getCell(column("Quá hạn")).value).toBe(line.resolvedLate);
      expect(row.getCell(column("Đang giải quyết quá hạn")).value).toBe(line.inProgressOverdue);
      expect(row.getCell(column("Tỷ lệ đúng hạn")).value ?? null).toBe(line.onTimeRate);
    });
    const total = sheet.getRow(REPORT_XLSX_HEADER_ROW + lines.length);
    expect(total.getCell(column("Tỷ lệ đúng hạn")).value).toBe(0.5);
    expect(total.getCell(column("Tỷ lệ đúng hạn")).numFmt).toBe("0.0%");
    expect(total.getCell(column("Đã giải quyết")).font?.bold).toBe(true);
  });

  it("reports by lĩnh vực from the catalogue, the procedures it does not name on the unknown-field line, last", async () => {
    const h = await start();
    const land = {
      code: "1.004227",
      name: "Đăng ký biến động quyền sử dụng đất",
      field: "Đất đai",
      timeLimit: { amount: 10, unit: "working-days" },
    };
    const unlisted = { ...land, code: "2.002154", name: "Thủ tục chưa có trong danh mục", field: "Khác" };
    const [early, parcel, other] = [aDossierCode(), aDossierCode(), aDossierCode()];
    await h.ingest([
      received(early, { at: "2026-11-16T08:00:00+07:00" }),
      received(aDossierCode(), { at: "2026-11-16T09:30:00+07:00" }),
      { ...received(parcel, { at: "2026-11-17T09:00:00+07:00" }), procedure: land },
      { ...received(other, { at: "2026-11-17T10:00:00+07:00" }), procedure: unlisted },
    ]);
    await h.ingest([
      assigned(early, "2026-11-16T08:30:00+07:00"),
      resultReady(early, "2026-11-16T09:00:00+07:00"),
    ]);
    await h.api("PUT /catalogue", {
      claims: adminA,
      body: [
        land,
        {
          code: "1.010727",
          name: "Cấp giấy phép môi trường",
          field: "Môi trường",
          timeLimit: land.timeLimit,
        },
      ],
    });

    const byField = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, by: "field" } });
    const byAgency = await h.api("GET /reports", { claims: leaderA, query: NOVEMBER });

    expect(byField.status).toBe(200);
    expect(byField.body.by).toBe("field");
    expect(
      byField.body.lines.map((line: Json) => [
        line.label,
        line.procedures,
        line.receivedNew,
        line.resolvedEarly,
      ]),
    ).toEqual([
      ["Đất đai", ["1.004227"], 1, 0],
      ["Môi trường", ["1.010727"], 2, 1],
      ["(Chưa xác định lĩnh vực)", ["2.002154"], 1, 0],
    ]);
    expect(byField.body.total).toEqual({ ...byAgency.body.total });
  });

  it("takes a named period instead of from and to, and refuses both or a bad one (400)", async () => {
    const h = await start();
    await h.ingest([
      received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }),
      received(aDossierCode(), { at: "2026-10-16T09:00:00+07:00" }),
    ]);

    const month = await h.api("GET /reports", { claims: leaderA, query: { period: "2026-11" } });
    const quarter = await h.api("GET /reports", {
      claims: leaderA,
      query: { period: "2026-Q4", format: "csv" },
    });
    const both = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, period: "2026-11" } });
    const bad = await h.api("GET /reports", { claims: leaderA, query: { period: "2026-13" } });
    const neither = await h.api("GET /reports", { claims: leaderA, query: { by: "unit" } });

    expect(month.body).toMatchObject({ from: "2026-11-01", to: "2026-11-30" });
    expect(month.body.total.receivedNew).toBe(1);
    expect(quarter.headers["content-disposition"]).toBe(
      'attachment; filename="bao-cao-agency-2026-10-01-2026-12-31.csv"',
    );
    expect([both.status, bad.status, neither.status]).toEqual([400, 400, 400]);
    expect(JSON.stringify(bad.body)).toContain("no month 13");
  });
});
