/**
 * The XLSX writer of the reports and the register (docs/reports.md, Exports): the CLI's only, so
 * exceljs stays out of the domain and out of every Lambda bundle.
 */
import ExcelJS from "exceljs";
import { instantOfLocal, parseIsoDate, VN_OFFSET_MS } from "../../shared/calendar/index.ts";
import { InvalidInputError } from "../../shared/errors.ts";
import { dayText } from "../../shared/reports/day-text.ts";
import {
  type CellValue,
  type Column,
  DIMENSION_TITLES,
  GRADE_COLOURS,
  type Grade,
  gradeLabel,
  neutraliseFormula,
  REGISTER_COLUMNS,
  REGISTER_LAYOUT,
  REPORT_TITLE,
  type RegisterEntry,
  type Report,
  reportColumns,
  reportNotes,
  reportSubtitle,
} from "../../shared/reports/index.ts";

/** Row of the column headers in every sheet (title, period line and a blank row above it). */
export const XLSX_HEADER_ROW = 4;

export { REPORT_TITLE };

export interface XlsxOptions {
  /** Written as the workbook's created/modified date; defaults to the end of the period (no wall clock). */
  readonly generatedAt?: number;
}

const NUMBER_FORMATS: Partial<Record<Column<unknown>["kind"], string>> = {
  integer: "#,##0",
  rate: "0.0%",
  decimal: "0.0",
  datetime: "dd/mm/yyyy hh:mm",
};

/** One sheet per report ("Theo cơ quan", "Theo đơn vị"…), Vietnamese headers, rates as %. */
export async function reportsToXlsx(reports: readonly Report[], options: XlsxOptions = {}): Promise<Buffer> {
  if (reports.length === 0) throw new InvalidInputError("no report to write");
  const workbook = newWorkbook(options.generatedAt ?? endOfDay(reports[0]!.to));
  const used = new Set<string>();
  for (const report of reports) {
    let name = DIMENSION_TITLES[report.by];
    for (let n = 2; used.has(name); n++) name = `${DIMENSION_TITLES[report.by]} (${n})`;
    used.add(name);
    const sheet = workbook.addWorksheet(name);
    const columns = reportColumns(report.by);
    writeHeading(sheet, columns.length, REPORT_TITLE, reportSubtitle(report));
    writeTable(sheet, columns, [...report.lines, report.total]);
    sheet.getRow(XLSX_HEADER_ROW + report.lines.length + 1).font = { bold: true };
    const noteRow = XLSX_HEADER_ROW + report.lines.length + 3;
    reportNotes(report).forEach((note, index) => {
      sheet.getCell(noteRow + index, 1).value = note;
    });
  }
  return write(workbook);
}

/** The register (Sổ theo dõi hồ sơ) as one sheet; see REGISTER_LAYOUT (verified: false). */
export async function registerToXlsx(
  entries: readonly RegisterEntry[],
  period: { from: string; to: string },
  options: XlsxOptions = {},
): Promise<Buffer> {
  const workbook = newWorkbook(options.generatedAt ?? endOfDay(period.to));
  const sheet = workbook.addWorksheet("Sổ theo dõi hồ sơ");
  const title = REGISTER_LAYOUT.verified
    ? `${REGISTER_LAYOUT.title} (${REGISTER_LAYOUT.formLabel})`
    : REGISTER_LAYOUT.title;
  writeHeading(
    sheet,
    REGISTER_COLUMNS.length,
    title,
    `Hồ sơ tiếp nhận từ ngày ${dayText(period.from)} đến ngày ${dayText(period.to)}`,
  );
  writeTable(sheet, REGISTER_COLUMNS, entries);
  if (!REGISTER_LAYOUT.verified) {
    sheet.getCell(XLSX_HEADER_ROW + entries.length + 2, 1).value =
      "Bố cục sổ chưa được đối chiếu với mẫu chính thức (Mẫu 07, Thông tư 03/2025/TT-VPCP).";
  }
  return write(workbook);
}

function newWorkbook(at: number): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "dunghan";
  workbook.created = new Date(at);
  workbook.modified = new Date(at);
  return workbook;
}

async function write(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeHeading(sheet: ExcelJS.Worksheet, width: number, title: string, subtitle: string): void {
  sheet.mergeCells(1, 1, 1, width);
  sheet.mergeCells(2, 1, 2, width);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { bold: true, size: 14 };
  titleCell.alignment = { horizontal: "center" };
  const subtitleCell = sheet.getCell(2, 1);
  subtitleCell.value = subtitle;
  subtitleCell.font = { italic: true };
  subtitleCell.alignment = { horizontal: "center" };
}

function writeTable<Row>(
  sheet: ExcelJS.Worksheet,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
): void {
  const header = sheet.getRow(XLSX_HEADER_ROW);
  columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E1F2" } };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    sheet.getColumn(index + 1).width = column.width;
  });
  rows.forEach((row, r) => {
    const line = sheet.getRow(XLSX_HEADER_ROW + 1 + r);
    columns.forEach((column, index) => {
      const cell = line.getCell(index + 1);
      writeCell(cell, column, column.value(row));
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
    });
  });
  sheet.views = [{ state: "frozen", ySplit: XLSX_HEADER_ROW }];
}

const THIN: Partial<ExcelJS.Border> = { style: "thin" };

function writeCell<Row>(cell: ExcelJS.Cell, column: Column<Row>, value: CellValue): void {
  const format = NUMBER_FORMATS[column.kind];
  if (format) cell.numFmt = format;
  if (value === null) return;
  if (column.kind === "datetime") {
    // Excel dates have no zone: write the wall-clock time in Vietnam (docs/calendar.md).
    cell.value = new Date((value as number) + VN_OFFSET_MS);
  } else if (column.kind === "grade") {
    cell.value = gradeLabel(value as Grade);
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: GRADE_COLOURS[value as Grade] } };
    cell.alignment = { horizontal: "center" };
  } else cell.value = typeof value === "string" ? neutraliseFormula(value) : value;
}

function endOfDay(isoDay: string): number {
  return instantOfLocal(parseIsoDate(isoDay) + 1, 0) - 1;
}

/**
 * The rows of a workbook's first sheet as plain values (text, numbers, dates as their cell values),
 * for the importers (`dunghan catalog import`, `dunghan import`). Merged cells repeat their value.
 */
export async function readXlsxRows(bytes: Uint8Array): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new InvalidInputError(`not an XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new InvalidInputError("the workbook has no sheet");
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: unknown[] = [];
    for (let column = 1; column <= sheet.columnCount; column++) values.push(row.getCell(column).value);
    rows[rowNumber - 1] = values;
  });
  return Array.from(rows, (row) => row ?? []);
}
