import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  buildReport,
  fieldMap,
  InMemoryCounterStore,
  type ProcedureField,
  REPORT_XLSX_HEADER_ROW,
  type ReportLine,
  rebuildDeltas,
  reportColumns,
  reportToCsv,
  reportToXlsx,
  UNKNOWN_FIELD,
} from "../../../shared/reports/index.ts";
import { EVENTS, working } from "./fixtures.ts";

const store = new InMemoryCounterStore();
store.applySync(rebuildDeltas(EVENTS, working));
const NOVEMBER = { from: "2026-11-01", to: "2026-11-30", agencyIds: ["so-nnmt"] };
const rows = store.readSync("so-nnmt", NOVEMBER.from, NOVEMBER.to);

const LAND: ProcedureField = { code: "G09-TN01", name: "Đất đai" };
const ENVIRONMENT: ProcedureField = { code: "G09-TN05", name: "Môi trường" };
// fixtures.ts: 1.004227 (A C D E), 1.010727 (B F G I), 1.000987 (H).
const catalogue = fieldMap([
  ["1.004227", LAND],
  ["1.010727", ENVIRONMENT],
]);

const byProcedure = buildReport(rows, { ...NOVEMBER, by: "procedure" });
const byAgency = buildReport(rows, { ...NOVEMBER, by: "agency" });
const byField = buildReport(rows, { ...NOVEMBER, by: "field" }, { fieldOf: catalogue });

const COUNTS = [
  "carriedOver",
  "receivedNew",
  "receivedOnline",
  "toHandle",
  "resolvedEarly",
  "resolvedOnTime",
  "resolvedLate",
  "inProgressOnTime",
  "inProgressOverdue",
  "awaitingSupplement",
  "paused",
  "closed",
] as const satisfies readonly (keyof ReportLine)[];
const counts = (line: ReportLine) => Object.fromEntries(COUNTS.map((name) => [name, line[name]]));

describe("the report by lĩnh vực", () => {
  it("has a line per field of the catalogue, keyed by the field's code, the procedures it does not name last", () => {
    expect(byField.by).toBe("field");
    expect(byField.lines.map((line) => [line.key, line.label, line.procedures])).toEqual([
      [LAND.code, "Đất đai", ["1.004227"]],
      [ENVIRONMENT.code, "Môi trường", ["1.010727"]],
      [UNKNOWN_FIELD.code, UNKNOWN_FIELD.name, ["1.000987"]],
    ]);
  });

  it("sums its procedures' lines, and its total is the agency's, average office time included", () => {
    for (const line of byField.lines) {
      const procedures = byProcedure.lines.filter((p) => line.procedures?.includes(p.key));
      for (const name of COUNTS) {
        expect(line[name], `${line.label}: ${name}`).toBe(procedures.reduce((sum, p) => sum + p[name], 0));
      }
    }
    expect(byField.total).toEqual(byAgency.total);
  });

  it("computes a field's rates and average from the counters, not from its procedures' rounded figures", () => {
    const both = buildReport(rows, { ...NOVEMBER, by: "field" }, { fieldOf: () => LAND });

    expect(both.lines).toHaveLength(1);
    expect(counts(both.lines[0]!)).toEqual(counts(byAgency.total));
    expect(both.lines[0]!.averageWorkingDays).toBe(byAgency.total.averageWorkingDays);
    expect(both.lines[0]!.onTimeRate).toBe(byAgency.total.onTimeRate);
  });

  it("puts every procedure on the unknown-field line without a lookup", () => {
    const unknown = buildReport(rows, { ...NOVEMBER, by: "field" });

    expect(unknown.lines.map((line) => line.label)).toEqual([UNKNOWN_FIELD.name]);
    expect(unknown.lines[0]!.procedures).toEqual(["1.000987", "1.004227", "1.010727"]);
  });
});

describe("the live report as XLSX (xlsx-lite)", () => {
  const bytes = reportToXlsx(byField);

  it("is deterministic: the same report gives the same bytes", () => {
    expect(reportToXlsx(byField)).toEqual(bytes);
  });

  it("holds the CSV's columns under a title and the period, numbers as numbers, rates as 0.0%, the total in bold", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Theo lĩnh vực");
    if (!sheet) throw new Error("no sheet");

    expect(String(sheet.getCell("A1").value)).toBe("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH");
    expect(String(sheet.getCell("A2").value)).toBe("Từ ngày 01/11/2026 đến ngày 30/11/2026 — lĩnh vực");
    const header = (sheet.getRow(REPORT_XLSX_HEADER_ROW).values as unknown[]).slice(1);
    const csvHeader = reportToCsv(byField).slice(1).split("\r\n")[0]!.split(";");
    expect(header).toEqual(csvHeader.map((text) => text.replace(/ \(%\)$/, "")));
    expect(header).toEqual(reportColumns("field").map((column) => column.header));

    const column = (name: string) => header.indexOf(name) + 1;
    const land = sheet.getRow(REPORT_XLSX_HEADER_ROW + 1);
    expect(land.getCell(column("Lĩnh vực")).value).toBe("Đất đai");
    expect(land.getCell(column("Tiếp nhận mới")).value).toBe(byField.lines[0]!.receivedNew);
    const total = sheet.getRow(REPORT_XLSX_HEADER_ROW + byField.lines.length + 1);
    expect(total.getCell(column("Lĩnh vực")).value).toBe("Tổng cộng");
    expect(total.getCell(column("Tỷ lệ đúng hạn")).value).toBe(0.75);
    expect(total.getCell(column("Tỷ lệ đúng hạn")).numFmt).toBe("0.0%");
    expect(total.getCell(column("Đã giải quyết")).value).toBe(4);
    expect(total.getCell(column("Đã giải quyết")).font?.bold).toBe(true);
    // 75 % under the default scale: orange, the cell filled with the grade's colour.
    expect(total.getCell(column("Xếp loại")).value).toBe("Cam");
    expect(total.getCell(column("Xếp loại")).fill).toMatchObject({
      pattern: "solid",
      fgColor: { argb: "FFFFC000" },
    });
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: REPORT_XLSX_HEADER_ROW });
    const notes = sheet.getCell(REPORT_XLSX_HEADER_ROW + byField.lines.length + 3, 1).value;
    expect(String(notes)).toContain("Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết");
  });
});
