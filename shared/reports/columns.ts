import { GRADE_LABELS, type Grade } from "./grades.ts";
import {
  REGISTER_LAYOUT,
  REGISTER_OUTCOME_LABELS,
  type RegisterColumnId,
  type RegisterEntry,
} from "./register.ts";
import type { ReportDimension, ReportLine } from "./report.ts";

/**
 * The columns of the exports, once for CSV, XLSX and the terminal table: Vietnamese headers as
 * the seed reports word them, and how each cell is typed.
 */
export type CellKind = "text" | "integer" | "rate" | "decimal" | "datetime" | "grade";
export type CellValue = string | number | null;

export interface Column<Row> {
  readonly header: string;
  readonly kind: CellKind;
  /** Width in characters (XLSX). */
  readonly width: number;
  readonly value: (row: Row) => CellValue;
}

export const DIMENSION_HEADERS: Record<ReportDimension, string> = {
  agency: "Cơ quan",
  unit: "Đơn vị",
  procedure: "Thủ tục hành chính",
  handler: "Cán bộ xử lý",
  field: "Lĩnh vực",
};

export const DIMENSION_TITLES: Record<ReportDimension, string> = {
  agency: "Theo cơ quan",
  unit: "Theo đơn vị",
  procedure: "Theo thủ tục",
  handler: "Theo cán bộ",
  field: "Theo lĩnh vực",
};

const int = (header: string, value: (line: ReportLine) => number): Column<ReportLine> => ({
  header,
  kind: "integer",
  width: 12,
  value,
});
const rate = (header: string, value: (line: ReportLine) => number | null): Column<ReportLine> => ({
  header,
  kind: "rate",
  width: 12,
  value,
});

export function reportColumns(by: ReportDimension): Column<ReportLine>[] {
  const columns: Column<ReportLine>[] = [];
  if (by !== "agency") {
    columns.push({ header: "Cơ quan", kind: "text", width: 30, value: (line) => line.agencyName ?? "" });
  }
  columns.push(
    { header: DIMENSION_HEADERS[by], kind: "text", width: 36, value: (line) => line.label },
    { header: "Mã", kind: "text", width: 16, value: (line) => (line.agencyId === null ? "" : line.key) },
    int("Kỳ trước chuyển sang", (line) => line.carriedOver),
    int("Tiếp nhận mới", (line) => line.receivedNew),
    int("Trực tuyến", (line) => line.receivedOnline),
    int("Trực tiếp", (line) => line.receivedInPerson),
    int("Bưu chính", (line) => line.receivedPostal),
    int("Tổng số phải giải quyết", (line) => line.toHandle),
    int("Đã giải quyết", (line) => line.resolved),
    int("Trước hạn", (line) => line.resolvedEarly),
    int("Đúng hạn", (line) => line.resolvedOnTime),
    int("Quá hạn", (line) => line.resolvedLate),
    rate("Tỷ lệ đúng hạn", (line) => line.onTimeRate),
    int("Đang giải quyết trong hạn", (line) => line.inProgressOnTime),
    int("Đang giải quyết quá hạn", (line) => line.inProgressOverdue),
    int("Chờ bổ sung", (line) => line.awaitingSupplement),
    int("Tạm dừng", (line) => line.paused),
    int("Từ chối, rút, dừng", (line) => line.closed),
    int("Đã trả kết quả", (line) => line.returned),
    int("Văn bản xin lỗi", (line) => line.apologies),
    { header: "Số ngày giải quyết TB", kind: "decimal", width: 12, value: (line) => line.averageWorkingDays },
    rate("Tỷ lệ trực tuyến", (line) => line.onlineRate),
    { header: "Xếp loại", kind: "grade", width: 10, value: (line) => line.grade },
  );
  return columns;
}

export function gradeLabel(grade: Grade | null): string {
  return grade === null ? "" : GRADE_LABELS[grade];
}

const REGISTER_CELLS: Record<RegisterColumnId, Omit<Column<RegisterEntry>, "header">> = {
  no: { kind: "integer", width: 6, value: (entry) => entry.no },
  dossierCode: { kind: "text", width: 28, value: (entry) => entry.dossierCode },
  procedure: { kind: "text", width: 40, value: (entry) => entry.procedure },
  applicant: { kind: "text", width: 28, value: (entry) => entry.applicant },
  receivedAt: { kind: "datetime", width: 17, value: (entry) => entry.receivedAt },
  appointmentAt: { kind: "datetime", width: 17, value: (entry) => entry.appointmentAt },
  transferredAt: { kind: "datetime", width: 17, value: (entry) => entry.transferredAt ?? null },
  finishedAt: { kind: "datetime", width: 17, value: (entry) => entry.finishedAt ?? null },
  returnedAt: { kind: "datetime", width: 17, value: (entry) => entry.returnedAt ?? null },
  outcome: { kind: "text", width: 28, value: (entry) => REGISTER_OUTCOME_LABELS[entry.outcome] },
  note: { kind: "text", width: 40, value: (entry) => entry.note },
};

export const REGISTER_COLUMNS: readonly Column<RegisterEntry>[] = REGISTER_LAYOUT.columns.map((column) => ({
  header: column.header,
  ...REGISTER_CELLS[column.id],
}));

/**
 * Text from events (an applicant's name, a reason, a unit's name) must not run as a formula when
 * an export is opened or a cell is edited (OWASP "CSV injection"): text starting with = + - @,
 * TAB, CR or LF — also after leading spaces, which spreadsheets skip — gets a leading apostrophe,
 * in the CSV and in the XLSX alike (an XLSX string cell is inert when opened, but Excel parses it
 * again as a formula once someone edits it).
 */
export function neutraliseFormula(text: string): string {
  return /^[\s]*[=+\-@\t\r\n]/.test(text) ? `'${text}` : text;
}
