/**
 * The reports page's parts that need no DOM (./reports-view.ts draws them): which period and
 * breakdown the address bar holds (`#/bao-cao?ky=2026-11&theo=don-vi`), the API query they make,
 * the names of the downloads, and the 8-week chart's points and gaps. Dates are local days
 * (YYYY-MM-DD, Vietnam) read from the text, never through the browser's time zone.
 */
import type { ReportRequest } from "./api-client.ts";
import { formatDay } from "./approval.ts";

export const REPORTS_ROUTE = "#/bao-cao";

/** The breakdowns the page offers, in the order shown, with their address-bar words. */
export const BREAKDOWNS = [
  { by: "unit", slug: "don-vi", label: "Đơn vị", title: "theo đơn vị" },
  { by: "procedure", slug: "thu-tuc", label: "Thủ tục", title: "theo thủ tục" },
  { by: "field", slug: "linh-vuc", label: "Lĩnh vực", title: "theo lĩnh vực" },
  { by: "handler", slug: "can-bo", label: "Cán bộ xử lý", title: "theo cán bộ xử lý" },
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number]["by"];

export const PERIOD_KINDS = [
  { kind: "month", label: "Tháng" },
  { kind: "quarter", label: "Quý" },
  { kind: "year", label: "Năm" },
  { kind: "custom", label: "Tùy chọn" },
] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number]["kind"];

/** A month "2026-11", a quarter "2026-Q4", a year "2026" (the API's `period`), or a custom range. */
export type ReportPeriod =
  | { readonly kind: "month" | "quarter" | "year"; readonly value: string }
  | { readonly kind: "custom"; readonly from: string; readonly to: string };

export interface ReportSelection {
  readonly period: ReportPeriod;
  readonly by: Breakdown;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isReportsRoute(hash: string): boolean {
  return hash === REPORTS_ROUTE || hash.startsWith(`${REPORTS_ROUTE}?`);
}

/** This month, by unit: the page without anything in the address bar. */
export function defaultSelection(today: string): ReportSelection {
  return { period: { kind: "month", value: today.slice(0, 7) }, by: "unit" };
}

/** The selection in `#/bao-cao?…`; what is missing or malformed falls back to the default. */
export function selectionFromHash(hash: string, today: string): ReportSelection {
  const fallback = defaultSelection(today);
  const query = new URLSearchParams(hash.slice(hash.indexOf("?") + 1 || hash.length));
  const by = BREAKDOWNS.find((b) => b.slug === query.get("theo"))?.by ?? fallback.by;
  const ky = query.get("ky") ?? "";
  const from = query.get("tu") ?? "";
  const to = query.get("den") ?? "";
  let period: ReportPeriod = fallback.period;
  if (DAY.test(from) && DAY.test(to) && from <= to) period = { kind: "custom", from, to };
  else if (/^\d{4}-(0[1-9]|1[0-2])$/.test(ky)) period = { kind: "month", value: ky };
  else if (/^\d{4}-Q[1-4]$/.test(ky)) period = { kind: "quarter", value: ky };
  else if (/^\d{4}$/.test(ky)) period = { kind: "year", value: ky };
  return { period, by };
}

export function hashOf(selection: ReportSelection): string {
  const query = new URLSearchParams();
  const { period } = selection;
  if (period.kind === "custom") {
    query.set("tu", period.from);
    query.set("den", period.to);
  } else query.set("ky", period.value);
  query.set("theo", BREAKDOWNS.find((b) => b.by === selection.by)!.slug);
  return `${REPORTS_ROUTE}?${query}`;
}

/** What `GET /reports` is asked. */
export function reportRequest(selection: ReportSelection): ReportRequest {
  const { period, by } = selection;
  return period.kind === "custom" ? { from: period.from, to: period.to, by } : { period: period.value, by };
}

/** First and last day of a period. */
export function rangeOf(period: ReportPeriod): { from: string; to: string } {
  if (period.kind === "custom") return { from: period.from, to: period.to };
  const year = Number(period.value.slice(0, 4));
  if (period.kind === "year") return { from: `${year}-01-01`, to: `${year}-12-31` };
  const [first, last] =
    period.kind === "month"
      ? [Number(period.value.slice(5, 7)), Number(period.value.slice(5, 7))]
      : [Number(period.value.slice(6)) * 3 - 2, Number(period.value.slice(6)) * 3];
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(daysInMonth(year, last))}` };
}

/**
 * Another kind of period around the same time: the quarter or year holding the month shown, the
 * month the period starts in, or the range shown as a custom one.
 */
export function switchKind(period: ReportPeriod, kind: PeriodKind): ReportPeriod {
  const { from, to } = rangeOf(period);
  switch (kind) {
    case "month":
      return { kind, value: from.slice(0, 7) };
    case "quarter":
      return { kind, value: `${from.slice(0, 4)}-Q${Math.ceil(Number(from.slice(5, 7)) / 3)}` };
    case "year":
      return { kind, value: from.slice(0, 4) };
    case "custom":
      return { kind, from, to };
  }
}

/** "tháng 11/2026", "quý 4/2026", "năm 2026", "từ 01/11/2026 đến 20/11/2026". */
export function periodLabel(period: ReportPeriod): string {
  switch (period.kind) {
    case "month":
      return `tháng ${Number(period.value.slice(5, 7))}/${period.value.slice(0, 4)}`;
    case "quarter":
      return `quý ${period.value.slice(6)}/${period.value.slice(0, 4)}`;
    case "year":
      return `năm ${period.value}`;
    case "custom":
      return `từ ${formatDay(period.from)} đến ${formatDay(period.to)}`;
  }
}

/** "Báo cáo theo đơn vị tháng 11-2026.xlsx": the period's words, no slash (not allowed in a file name). */
export function downloadName(selection: ReportSelection, format: "csv" | "xlsx"): string {
  const title = BREAKDOWNS.find((b) => b.by === selection.by)!.title;
  return `Báo cáo ${title} ${periodLabel(selection.period).replaceAll("/", "-")}.${format}`;
}

/** The last `count` months, quarters or years up to `today`'s, newest first (the pickers' options). */
export function recentPeriods(kind: "month" | "quarter" | "year", today: string, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return Array.from({ length: count }, (_, i) => {
    if (kind === "year") return String(year - i);
    if (kind === "quarter") {
      const index = year * 4 + Math.ceil(month / 3) - 1 - i;
      return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
    }
    const index = year * 12 + month - 1 - i;
    return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
  });
}

// --- the 8-week chart ---------------------------------------------------------------------------

export interface WeekFigure {
  /** The week's last day. */
  readonly to: string;
  readonly rate: number | null;
  readonly resolved: number;
}

export interface WeekChart {
  /** Runs of consecutive weeks with a rate: each is one line; a week without data breaks it. */
  readonly runs: readonly (readonly number[])[];
  /** The weeks with no dossier resolved: marked on the axis, never joined over. */
  readonly empty: readonly number[];
  /** What the chart says, week by week (its accessible name). */
  readonly summary: string;
}

export const NO_DATA_TEXT = "không có hồ sơ giải quyết";

export function weekChart(weeks: readonly WeekFigure[]): WeekChart {
  const runs: number[][] = [];
  const empty: number[] = [];
  let run: number[] = [];
  weeks.forEach((week, index) => {
    if (week.rate === null) {
      empty.push(index);
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(index);
  });
  if (run.length > 0) runs.push(run);
  const summary = weeks
    .map(
      (w) =>
        `tuần đến ${formatDay(w.to)}: ${w.rate === null ? NO_DATA_TEXT : `${percentText(w.rate)} (${w.resolved} hồ sơ)`}`,
    )
    .join("; ");
  return { runs, empty, summary };
}

export function percentText(rate: number | null | undefined): string {
  return rate === null || rate === undefined
    ? "—"
    : `${(rate * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 })}%`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
