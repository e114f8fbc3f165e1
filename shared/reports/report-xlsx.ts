import {
  type Column,
  DIMENSION_HEADERS,
  DIMENSION_TITLES,
  gradeLabel,
  neutraliseFormula,
  reportColumns,
} from "./columns.ts";
import { dayText } from "./day-text.ts";
import type { Grade, GradeScale } from "./grades.ts";
import type { Report, ReportLine } from "./report.ts";
import { columnLetter, type XlsxCell, type XlsxCellStyle, xlsxOf } from "./xlsx-lite.ts";

/**
 * The live report as one XLSX sheet (docs/reports.md, Exports), written by xlsx-lite.ts so the api
 * function needs no exceljs: the CSV's columns with Vietnamese headers, numbers as numbers, rates
 * as `0.0%`, the grade cell filled with its colour, the total in bold, and the notes on how the
 * rate is computed and where the colour thresholds come from. The same report gives the same bytes.
 */

export const REPORT_TITLE = "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH";

/** Row of the column headers (title, period line and a blank row above it), frozen above the data. */
export const REPORT_XLSX_HEADER_ROW = 4;

/** The period line under the title. */
export function reportSubtitle(report: Report): string {
  return `Từ ngày ${dayText(report.from)} đến ngày ${dayText(report.to)} — ${DIMENSION_HEADERS[report.by].toLowerCase()}`;
}

/** The notes under a report's table: how the rate is computed, when the stocks are read, the grades. */
export function reportNotes(report: Report): string[] {
  return [
    "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết, so với hạn theo quy định (văn bản xin lỗi không làm hồ sơ trễ thành đúng hạn). " +
      `Hồ sơ đang giải quyết, chờ bổ sung, tạm dừng: tại cuối ngày ${dayText(report.to)}.`,
    gradeNote(report.gradeScale),
  ];
}

function gradeNote(scale: GradeScale): string {
  const pct = (rate: number) => `${(rate * 100).toLocaleString("vi-VN")}%`;
  return (
    `Xếp loại theo tỷ lệ đúng hạn: Xanh ≥ ${pct(scale.green)}, Vàng ≥ ${pct(scale.yellow)}, ` +
    `Cam ≥ ${pct(scale.orange)}, Đỏ dưới ${pct(scale.orange)} (${scale.source}).`
  );
}

const GRADE_STYLES: Record<Grade, XlsxCellStyle> = {
  green: "gradeGreen",
  yellow: "gradeYellow",
  orange: "gradeOrange",
  red: "gradeRed",
};

function cell(column: Column<ReportLine>, line: ReportLine, total: boolean): XlsxCell {
  const value = column.value(line);
  switch (column.kind) {
    case "integer":
      return { value, style: total ? "boldInteger" : "integer" };
    case "rate":
      return { value, style: total ? "boldPercent" : "percent" };
    case "decimal":
      return { value, style: total ? "boldOneDecimal" : "oneDecimal" };
    case "grade":
      return value === null
        ? { value: null }
        : { value: gradeLabel(value as Grade), style: GRADE_STYLES[value as Grade] };
    default:
      return {
        value: value === null ? null : neutraliseFormula(String(value)),
        style: total ? "bold" : "text",
      };
  }
}

export function reportToXlsx(report: Report): Uint8Array {
  const columns = reportColumns(report.by);
  const last = columnLetter(columns.length - 1);
  const lines = [...report.lines, report.total];
  const rows: (XlsxCell | null)[][] = [
    [{ value: REPORT_TITLE, style: "bold" }],
    [{ value: reportSubtitle(report), style: "italic" }],
    [],
    columns.map((column) => ({ value: column.header, style: "header" })),
    ...lines.map((line) => columns.map((column) => cell(column, line, line === report.total))),
    [],
    ...reportNotes(report).map((note) => [{ value: note }]),
  ];
  return xlsxOf({
    name: DIMENSION_TITLES[report.by],
    rows,
    merges: [`A1:${last}1`, `A2:${last}2`],
    widths: columns.map((column) => column.width),
    frozenRows: REPORT_XLSX_HEADER_ROW,
  });
}
