import { InvalidInputError } from "../errors.ts";
import {
  type CellValue,
  type Column,
  gradeLabel,
  neutraliseFormula,
  REGISTER_COLUMNS,
  reportColumns,
} from "./columns.ts";
import type { Grade } from "./grades.ts";
import { type RegisterEntry, shortDateTime } from "./register.ts";
import type { Report, ReportLine } from "./report.ts";

/**
 * CSV for Excel as Vietnamese offices run it. UTF-8 with a byte-order mark — without it Excel
 * reads the file as the ANSI code page and the diacritics break. Default separator ";" and
 * decimal comma: the vi-VN regional settings use "," as the decimal symbol and ";" as the list
 * separator, so a double-clicked file splits into columns and "66,7" is a number. For en-US
 * machines or scripts pass `{separator: ",", decimal: "."}`. No "sep=" line: Excel ignores the
 * BOM when one is present. Lines end with CRLF (RFC 4180).
 */
export interface CsvOptions {
  readonly separator?: ";" | ",";
  readonly decimal?: "," | ".";
}

export const CSV_BOM = "\uFEFF";

export function reportToCsv(report: Report, options: CsvOptions = {}): string {
  const rows: ReportLine[] = [...report.lines, report.total];
  return toCsv(reportColumns(report.by), rows, options);
}

export function registerToCsv(entries: readonly RegisterEntry[], options: CsvOptions = {}): string {
  return toCsv(REGISTER_COLUMNS, entries, options);
}

/** Any table as CSV: a header row, then one row per item, each cell by its column's kind (text neutralised as a formula). */
export function toCsv<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: CsvOptions = {},
): string {
  const separator = options.separator ?? ";";
  const decimal = options.decimal ?? (separator === ";" ? "," : ".");
  if (separator === decimal) {
    throw new InvalidInputError(`the CSV separator and the decimal mark cannot both be "${separator}"`);
  }
  const header = columns.map((column) => (column.kind === "rate" ? `${column.header} (%)` : column.header));
  const lines = [header.map((cell) => quote(cell, separator)).join(separator)];
  for (const row of rows) {
    lines.push(
      columns.map((column) => quote(cellText(column, column.value(row), decimal), separator)).join(separator),
    );
  }
  return `${CSV_BOM}${lines.join("\r\n")}\r\n`;
}

function cellText<Row>(column: Column<Row>, value: CellValue, decimal: string): string {
  if (value === null) return "";
  switch (column.kind) {
    case "rate":
      return (Math.round((value as number) * 1000) / 10).toFixed(1).replace(".", decimal);
    case "decimal":
      return (value as number).toFixed(1).replace(".", decimal);
    case "integer":
      return String(value);
    case "datetime":
      return shortDateTime(value as number);
    case "grade":
      return gradeLabel(value as Grade);
    case "text":
      return neutraliseFormula(String(value));
  }
}

function quote(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
