import { InvalidInputError } from "../errors.ts";
import {
  BIEU_06_LAYOUT,
  type Bieu06,
  type Bieu06ColumnId,
  type Bieu06Line,
  PROGRESS_766,
} from "./bieu-06.ts";
import { neutraliseFormula } from "./columns.ts";
import { CSV_BOM, type CsvOptions } from "./csv.ts";
import { dayText } from "./day-text.ts";
import { columnLetter, type XlsxCell, type XlsxSheet, xlsxOf } from "./xlsx-lite.ts";

/**
 * Biểu số 06 as CSV and XLSX (docs/reports.md, "Biểu số 06"): the form's 13 numbered columns,
 * then beside them — outside the form — the dossiers awaiting a supplement or paused (of column
 * 12), those rejected, withdrawn or stopped, dunghan's on-time rate and the QĐ 766 progress figure.
 */

type Value = number | string | null;

const FORM_CELLS: Record<Bieu06ColumnId, (line: Bieu06Line) => Value> = {
  no: (line) => line.no,
  field: (line) => (line.no === null ? "Tổng cộng" : line.fieldName),
  receivedTotal: (line) => line.receivedTotal,
  receivedOnline: (line) => line.receivedOnline,
  receivedInPersonOrPostal: (line) => line.receivedInPersonOrPostal,
  carriedOver: (line) => line.carriedOver,
  resolvedTotal: (line) => line.resolvedTotal,
  resolvedEarly: (line) => line.resolvedEarly,
  resolvedOnTime: (line) => line.resolvedOnTime,
  resolvedLate: (line) => line.resolvedLate,
  inProgressTotal: (line) => line.inProgressTotal,
  inProgressNotYetDue: (line) => line.inProgressNotYetDue,
  inProgressOverdue: (line) => line.inProgressOverdue,
};

interface ExtraColumn {
  readonly header: string;
  readonly kind: "integer" | "rate" | "points";
  readonly value: (line: Bieu06Line) => number | null;
}

/** Beside the form (not columns of Biểu số 06). */
export const BIEU_06_EXTRA_COLUMNS: readonly ExtraColumn[] = [
  { header: "Trong đó chờ bổ sung, tạm dừng", kind: "integer", value: (line) => line.stopped },
  { header: "Từ chối, rút, dừng (ngoài biểu)", kind: "integer", value: (line) => line.closed },
  { header: "Tỷ lệ đúng hạn (đã giải quyết)", kind: "rate", value: (line) => line.onTimeRate },
  { header: "Tiến độ QĐ 766 (tỷ lệ)", kind: "rate", value: (line) => line.progress766.rate },
  { header: "Tiến độ QĐ 766 (điểm /20)", kind: "points", value: (line) => line.progress766.points },
];

function headerTexts(): string[] {
  return [
    ...BIEU_06_LAYOUT.columns.map((column) =>
      column.group === "" ? column.header : `${column.group}: ${column.header}`,
    ),
    ...BIEU_06_EXTRA_COLUMNS.map((column) => column.header),
  ];
}

const allLines = (form: Bieu06) => [...form.lines, form.total];

export function bieu06ToCsv(form: Bieu06, options: CsvOptions = {}): string {
  const separator = options.separator ?? ";";
  const decimal = options.decimal ?? (separator === ";" ? "," : ".");
  if (separator === decimal) {
    throw new InvalidInputError(`the CSV separator and the decimal mark cannot both be "${separator}"`);
  }
  const quote = (text: string) =>
    text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  const rows: string[][] = [
    headerTexts().map((header, index) =>
      BIEU_06_EXTRA_COLUMNS[index - BIEU_06_LAYOUT.columns.length]?.kind === "rate"
        ? `${header} (%)`
        : header,
    ),
    // The form's column numbers, (1) … (13), as printed under its header.
    [...BIEU_06_LAYOUT.columns.map((column) => `(${column.number})`), ...BIEU_06_EXTRA_COLUMNS.map(() => "")],
  ];
  for (const line of allLines(form)) {
    rows.push([
      ...BIEU_06_LAYOUT.columns.map((column) => {
        const value = FORM_CELLS[column.id](line);
        return value === null ? "" : typeof value === "number" ? String(value) : neutraliseFormula(value);
      }),
      ...BIEU_06_EXTRA_COLUMNS.map((column) => {
        const value = column.value(line);
        if (value === null) return "";
        if (column.kind === "rate") return (Math.round(value * 1000) / 10).toFixed(1).replace(".", decimal);
        if (column.kind === "points") return value.toFixed(2).replace(".", decimal);
        return String(value);
      }),
    ]);
  }
  return `${CSV_BOM}${rows.map((row) => row.map(quote).join(separator)).join("\r\n")}\r\n`;
}

/** The title rows above the table, then the group header, the column header and the numbers. */
export const BIEU_06_XLSX_FIRST_DATA_ROW = 7;

export interface Bieu06XlsxOptions {
  /** The reporting agency's name, printed under the title (default: the form's). */
  readonly agencyName?: string;
}

export function bieu06ToXlsx(form: Bieu06, options: Bieu06XlsxOptions = {}): Uint8Array {
  const formWidth = BIEU_06_LAYOUT.columns.length;
  const width = formWidth + BIEU_06_EXTRA_COLUMNS.length;
  const last = columnLetter(width - 1);
  const rows: (XlsxCell | string | number | null)[][] = [
    [{ value: `${BIEU_06_LAYOUT.form} — ${BIEU_06_LAYOUT.title}`, style: "bold" }],
    [
      `${(options.agencyName ?? form.agencyName) ? `${options.agencyName ?? form.agencyName} — ` : ""}Kỳ báo cáo: từ ngày ${dayText(form.from)} đến ngày ${dayText(form.to)}`,
    ],
    [],
    // Group header: merged over each group's columns.
    [
      ...BIEU_06_LAYOUT.columns.map((column) => ({
        value: column.group === "" ? column.header : column.group,
        style: "bold" as const,
      })),
      ...BIEU_06_EXTRA_COLUMNS.map((column) => ({ value: column.header, style: "bold" as const })),
    ],
    [
      ...BIEU_06_LAYOUT.columns.map((column) => ({
        value: column.group === "" ? null : column.header,
        style: "bold" as const,
      })),
    ],
    BIEU_06_LAYOUT.columns.map((column) => `(${column.number})`),
  ];
  for (const line of allLines(form)) {
    const total = line.no === null;
    rows.push([
      ...BIEU_06_LAYOUT.columns.map((column): XlsxCell => {
        const value = FORM_CELLS[column.id](line);
        if (typeof value === "number") return { value, style: total ? "boldInteger" : "integer" };
        return { value: value === null ? null : neutraliseFormula(value), style: total ? "bold" : "text" };
      }),
      ...BIEU_06_EXTRA_COLUMNS.map((column): XlsxCell => {
        const value = column.value(line);
        if (column.kind === "rate") return { value, style: total ? "boldPercent" : "percent" };
        if (column.kind === "points") return { value, style: "decimal" };
        return { value, style: total ? "boldInteger" : "integer" };
      }),
    ]);
  }
  rows.push(
    [],
    [`Tiến độ giải quyết theo QĐ 766: ${PROGRESS_766.formula}.`],
    [
      `Nguồn công thức: ${PROGRESS_766.source}; phụ lục của Quyết định chưa được đối chiếu — số liệu tham khảo.`,
    ],
    [
      BIEU_06_LAYOUT.verified
        ? `Mẫu: ${BIEU_06_LAYOUT.form}, ${BIEU_06_LAYOUT.source}.`
        : `Mẫu: ${BIEU_06_LAYOUT.form}, ${BIEU_06_LAYOUT.source}; bố cục chưa được đối chiếu với biểu mẫu gốc.`,
    ],
    [
      "Các cột sau cột (13) không thuộc biểu: (3) = (7) + (11) + số hồ sơ từ chối, rút, dừng; chờ bổ sung và tạm dừng tính trong (12).",
    ],
  );
  const merges = [`A1:${last}1`, `A2:${last}2`];
  // STT and Lĩnh vực span the two header rows; each group spans its columns; extras span both rows.
  const groupRow = 4;
  let start = 0;
  BIEU_06_LAYOUT.columns.forEach((column, index) => {
    const next = BIEU_06_LAYOUT.columns[index + 1];
    if (column.group === "") {
      merges.push(`${columnLetter(index)}${groupRow}:${columnLetter(index)}${groupRow + 1}`);
      start = index + 1;
    } else if (next?.group !== column.group) {
      merges.push(`${columnLetter(start)}${groupRow}:${columnLetter(index)}${groupRow}`);
      start = index + 1;
    }
  });
  BIEU_06_EXTRA_COLUMNS.forEach((_, index) => {
    const letter = columnLetter(formWidth + index);
    merges.push(`${letter}${groupRow}:${letter}${groupRow + 2}`);
  });
  const sheet: XlsxSheet = {
    name: "Biểu số 06",
    rows,
    merges,
    widths: [6, 36, ...Array.from({ length: width - 2 }, () => 13)],
    frozenRows: BIEU_06_XLSX_FIRST_DATA_ROW - 1,
  };
  return xlsxOf(sheet);
}
