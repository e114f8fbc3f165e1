import { InvalidInputError } from "../errors.ts";
import { type ProcedureField, UNKNOWN_FIELD } from "./fields.ts";
import type { Report, ReportLine } from "./report.ts";

/**
 * Biểu số 06 (Thông tư 01/2020/TT-VPCP, the periodic reports of the Government Office): the
 * situation and results of handling administrative procedures at the agency that handles them,
 * one line per lĩnh vực (field). Built from the report by field (`buildReport(…, {by: "field"},
 * {fieldOf})`: the procedure lines grouped by each procedure's field, from the procedure catalogue
 * or the `received` event's `procedure.field`), so no counter is added for it (docs/reports.md,
 * "Biểu số 06").
 *
 * Beside the form: the QĐ 766/QĐ-TTg progress figure (`progress766`), whose formula is only known
 * second-hand (PROGRESS_766 below says which, and where it comes from).
 */

/**
 * The form's columns, numbered as printed. TT 01/2020/TT-VPCP's appendix itself was not obtained:
 * the column set follows the figures the provincial reports quote (received: total, online, in
 * person or by post, carried over; resolved: total, before, on, after the due date; in progress:
 * total, not yet due, overdue), so the output says the layout is not checked against the form.
 */
export const BIEU_06_LAYOUT = {
  form: "Biểu số 06",
  source: "Thông tư 01/2020/TT-VPCP (chế độ báo cáo định kỳ của Văn phòng Chính phủ)",
  title: "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT",
  verified: false,
  columns: [
    { id: "no", number: 1, group: "", header: "STT" },
    { id: "field", number: 2, group: "", header: "Lĩnh vực giải quyết" },
    { id: "receivedTotal", number: 3, group: "Số hồ sơ nhận giải quyết", header: "Tổng số" },
    { id: "receivedOnline", number: 4, group: "Số hồ sơ nhận giải quyết", header: "Trực tuyến" },
    {
      id: "receivedInPersonOrPostal",
      number: 5,
      group: "Số hồ sơ nhận giải quyết",
      header: "Trực tiếp, dịch vụ bưu chính",
    },
    { id: "carriedOver", number: 6, group: "Số hồ sơ nhận giải quyết", header: "Từ kỳ trước chuyển sang" },
    { id: "resolvedTotal", number: 7, group: "Số hồ sơ đã giải quyết", header: "Tổng số" },
    { id: "resolvedEarly", number: 8, group: "Số hồ sơ đã giải quyết", header: "Trả trước hạn" },
    { id: "resolvedOnTime", number: 9, group: "Số hồ sơ đã giải quyết", header: "Trả đúng hạn" },
    { id: "resolvedLate", number: 10, group: "Số hồ sơ đã giải quyết", header: "Trả quá hạn" },
    { id: "inProgressTotal", number: 11, group: "Số hồ sơ đang giải quyết", header: "Tổng số" },
    { id: "inProgressNotYetDue", number: 12, group: "Số hồ sơ đang giải quyết", header: "Chưa đến hạn" },
    { id: "inProgressOverdue", number: 13, group: "Số hồ sơ đang giải quyết", header: "Quá hạn" },
  ],
} as const;

export type Bieu06ColumnId = (typeof BIEU_06_LAYOUT.columns)[number]["id"];

/**
 * QĐ 766/QĐ-TTg (23/06/2022), the service index: "tiến độ giải quyết" is worth up to 20 of 100
 * points. The decision's annex with the scoring method was not obtained; the weight is reported
 * second-hand (summaries of the decision) and the formula below is the one provincial guidance is
 * reported to use: dossiers handled in time — resolved before or on the due date, plus those in
 * progress and not yet due — over every dossier resolved or in progress in the period, × 20.
 * Dossiers rejected, withdrawn or stopped are in neither part. The resolved-only rate
 * (`onTimeRate`, the figure dunghan grades) is printed beside it, so either reading can be quoted.
 */
export const PROGRESS_766 = {
  source: "Quyết định 766/QĐ-TTg ngày 23/06/2022, nhóm chỉ tiêu “Tiến độ giải quyết” (reported second-hand)",
  maxPoints: 20,
  formula:
    "(trả trước hạn + trả đúng hạn + đang giải quyết chưa đến hạn) / (đã giải quyết + đang giải quyết) × 20",
  verified: false,
} as const;

export interface Progress766 {
  /** The fraction (0–1, 4 decimals), null when nothing was resolved or in progress. */
  readonly rate: number | null;
  /** rate × 20, 2 decimals. */
  readonly points: number | null;
}

export interface Bieu06Line {
  /** STT; null on the total line. */
  readonly no: number | null;
  readonly fieldCode: string;
  readonly fieldName: string;
  /** The procedure codes counted on the line. */
  readonly procedures: readonly string[];
  /** (3) = (4) + (5) + (6). */
  readonly receivedTotal: number;
  readonly receivedOnline: number;
  readonly receivedInPersonOrPostal: number;
  readonly carriedOver: number;
  /** (7) = (8) + (9) + (10), classed against the legal due instant by local date (docs/reports.md). */
  readonly resolvedTotal: number;
  readonly resolvedEarly: number;
  readonly resolvedOnTime: number;
  readonly resolvedLate: number;
  /** (11) = (12) + (13): open at the end of the period's last day. */
  readonly inProgressTotal: number;
  /** Clock running and not yet due, or stopped (awaiting a supplement, paused). */
  readonly inProgressNotYetDue: number;
  /** Clock running, past the legal due instant. */
  readonly inProgressOverdue: number;
  /** Of (12): awaiting a supplement or paused — beside the form. */
  readonly stopped: number;
  /** Rejected, withdrawn or stopped in the period — not a column of the form; (3) = (7) + (11) + closed. */
  readonly closed: number;
  /** (8) + (9) over (7): dunghan's graded on-time rate, 4 decimals. */
  readonly onTimeRate: number | null;
  readonly progress766: Progress766;
}

export interface Bieu06 {
  readonly from: string;
  readonly to: string;
  /** The reporting agency's name when the report holds one agency. */
  readonly agencyName: string | null;
  readonly lines: readonly Bieu06Line[];
  readonly total: Bieu06Line;
  readonly layout: typeof BIEU_06_LAYOUT;
  readonly progressFormula: typeof PROGRESS_766;
}

interface Sum {
  field: ProcedureField;
  procedures: Set<string>;
  received: number;
  online: number;
  inPersonOrPostal: number;
  carriedOver: number;
  early: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  stopped: number;
  closed: number;
}

const emptySum = (field: ProcedureField): Sum => ({
  field,
  procedures: new Set(),
  received: 0,
  online: 0,
  inPersonOrPostal: 0,
  carriedOver: 0,
  early: 0,
  onTime: 0,
  late: 0,
  open: 0,
  overdue: 0,
  stopped: 0,
  closed: 0,
});

function add(sum: Sum, line: ReportLine): void {
  for (const code of line.procedures ?? []) sum.procedures.add(code);
  sum.received += line.toHandle;
  sum.online += line.receivedOnline;
  sum.inPersonOrPostal += line.receivedInPerson + line.receivedPostal;
  sum.carriedOver += line.carriedOver;
  sum.early += line.resolvedEarly;
  sum.onTime += line.resolvedOnTime;
  sum.late += line.resolvedLate;
  sum.open += line.openAtEnd;
  sum.overdue += line.inProgressOverdue;
  sum.stopped += line.awaitingSupplement + line.paused;
  sum.closed += line.closed;
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

function toLine(no: number | null, sum: Sum): Bieu06Line {
  const resolvedTotal = sum.early + sum.onTime + sum.late;
  const inProgressNotYetDue = sum.open - sum.overdue;
  const inTime = ratio(sum.early + sum.onTime + inProgressNotYetDue, resolvedTotal + sum.open);
  return {
    no,
    fieldCode: sum.field.code,
    fieldName: sum.field.name,
    procedures: [...sum.procedures].sort(),
    receivedTotal: sum.received,
    receivedOnline: sum.online,
    receivedInPersonOrPostal: sum.inPersonOrPostal,
    carriedOver: sum.carriedOver,
    resolvedTotal,
    resolvedEarly: sum.early,
    resolvedOnTime: sum.onTime,
    resolvedLate: sum.late,
    inProgressTotal: sum.open,
    inProgressNotYetDue,
    inProgressOverdue: sum.overdue,
    stopped: sum.stopped,
    closed: sum.closed,
    onTimeRate: ratio(sum.early + sum.onTime, resolvedTotal),
    progress766: {
      rate: inTime,
      points: inTime === null ? null : Math.round(inTime * PROGRESS_766.maxPoints * 100) / 100,
    },
  };
}

/**
 * Biểu số 06's lines from the report by field, in its order (Vietnamese collation of the fields'
 * names, the unknown field last). A field reported by several agencies is one line of the form;
 * every field line lands on exactly one form line, so the total is the report's total.
 */
export function buildBieu06(report: Report): Bieu06 {
  if (report.by !== "field") {
    throw new InvalidInputError(`Biểu số 06 is built from a report by field, not by ${report.by}`);
  }
  const sums = new Map<string, Sum>();
  const total = emptySum({ code: "*", name: "Tổng cộng" });
  const agencies = new Set<string>();
  for (const line of report.lines) {
    if (line.agencyName !== null) agencies.add(line.agencyName);
    let sum = sums.get(line.key);
    if (sum === undefined) {
      sum = emptySum({ code: line.key, name: line.label });
      sums.set(line.key, sum);
    }
    add(sum, line);
    add(total, line);
  }
  const ordered = [...sums.values()].sort((a, b) => {
    const unknown = Number(a.field.code === UNKNOWN_FIELD.code) - Number(b.field.code === UNKNOWN_FIELD.code);
    return (
      unknown || a.field.name.localeCompare(b.field.name, "vi") || (a.field.code < b.field.code ? -1 : 1)
    );
  });
  return {
    from: report.from,
    to: report.to,
    agencyName: agencies.size === 1 ? [...agencies][0]! : null,
    lines: ordered.map((sum, index) => toLine(index + 1, sum)),
    total: toLine(null, total),
    layout: BIEU_06_LAYOUT,
    progressFormula: PROGRESS_766,
  };
}
