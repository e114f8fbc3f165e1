import { parseIsoDate, WORKING_DAY_MS } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";
import { type CounterRow, periodDays } from "./counter-store.ts";
import { addCounters, type CounterValues, DIMENSIONS, type Dimension, zeroCounters } from "./counters.ts";
import { type FieldLookup, UNKNOWN_FIELD } from "./fields.ts";
import { DEFAULT_GRADE_SCALE, type Grade, type GradeScale, gradeOf } from "./grades.ts";

/**
 * What a report's lines can be: a counted dimension, or "field" (lĩnh vực) — the procedure lines
 * grouped by each procedure's field, the way Biểu số 06 counts (no counter is kept per field).
 */
export const REPORT_DIMENSIONS = [...DIMENSIONS, "field"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export interface ReportQuery {
  /** First and last local day (YYYY-MM-DD), both included. */
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension;
  /** Only these agencies; every agency in the rows when absent. */
  readonly agencyIds?: readonly string[];
}

export interface ReportOptions {
  readonly grades?: GradeScale | undefined;
  /**
   * By field: each procedure's lĩnh vực (the procedure catalogue's `field`). A procedure it does
   * not know — or every procedure, without a lookup — is counted on UNKNOWN_FIELD's line.
   */
  readonly fieldOf?: FieldLookup | undefined;
}

/**
 * One line of a report (an agency, unit, procedure or handler) for a period. Flows count what
 * happened in the period; stocks are read at the end of its last day (`carriedOver`: open at the
 * end of the day before its first). Rates are fractions (0–1, 4 decimals), null when there is
 * nothing to divide by. Balance: carriedOver + receivedNew = resolved + closed + openAtEnd.
 */
export interface ReportLine {
  /** null on the total line. */
  readonly agencyId: string | null;
  readonly agencyName: string | null;
  readonly key: string;
  readonly label: string;
  /** Kỳ trước chuyển sang: open at the period's start. */
  readonly carriedOver: number;
  readonly receivedNew: number;
  readonly receivedOnline: number;
  readonly receivedInPerson: number;
  readonly receivedPostal: number;
  /** carriedOver + receivedNew: the dossiers the period had to handle. */
  readonly toHandle: number;
  readonly resolved: number;
  readonly resolvedEarly: number;
  readonly resolvedOnTime: number;
  readonly resolvedLate: number;
  /** (trước hạn + đúng hạn) / resolved: the figure graded and quoted as "đúng hạn". */
  readonly onTimeRate: number | null;
  readonly earlyRate: number | null;
  readonly lateRate: number | null;
  /** Open at the period's end, clock running, not yet due. */
  readonly inProgressOnTime: number;
  /** Open at the period's end, clock running, past the legal due instant. */
  readonly inProgressOverdue: number;
  readonly awaitingSupplement: number;
  readonly paused: number;
  readonly openAtEnd: number;
  readonly closed: number;
  readonly rejected: number;
  readonly withdrawn: number;
  readonly stopped: number;
  readonly returned: number;
  readonly apologies: number;
  /** Mean working days (8 office hours) from reception or the latest restart to result-ready, 1 decimal. */
  readonly averageWorkingDays: number | null;
  /** Online share of the dossiers received in the period. */
  readonly onlineRate: number | null;
  /** TT 01/2018/TT-VPCP Art. 13 points (2 early, 1 on time, 0 late) averaged over resolved dossiers, 2 decimals. */
  readonly score: number | null;
  readonly grade: Grade | null;
  /** By field only: the procedure codes counted on the line (those with figures in the period). */
  readonly procedures?: readonly string[];
}

export interface Report {
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension;
  readonly lines: readonly ReportLine[];
  readonly total: ReportLine;
  readonly gradeScale: GradeScale;
}

interface Accumulator {
  agencyId: string;
  key: string;
  label: string;
  labelDay: number;
  opening: CounterValues;
  period: CounterValues;
  /** By field: the procedures grouped on the line. */
  procedures?: Set<string>;
}

/**
 * Aggregates counter rows into a report. `rows` must cover, without overlap, every day up to
 * `query.to` for the agencies reported (what `CounterStore.read(agency, from, to)` returns): rows
 * before `from` give the stocks at the start, rows inside the period give its flows and the
 * stocks' changes, rows after `to` are ignored; a row straddling `from` or `to` is refused.
 */
export function buildReport(
  rows: readonly CounterRow[],
  query: ReportQuery,
  options: ReportOptions = {},
): Report {
  const from = parseIsoDate(query.from);
  const to = parseIsoDate(query.to);
  if (to < from)
    throw new InvalidInputError(`the period ends (${query.to}) before it starts (${query.from})`);
  const agencies = query.agencyIds ? new Set(query.agencyIds) : undefined;
  // A report by field reads the procedure rows and groups them afterwards.
  const dimension: Dimension = query.by === "field" ? "procedure" : query.by;
  const scale = options.grades ?? DEFAULT_GRADE_SCALE;
  const lines = new Map<string, Accumulator>();
  const agencyNames = new Map<string, { name: string; day: number }>();

  for (const row of rows) {
    if (agencies && !agencies.has(row.agencyId)) continue;
    const { first, last } = periodDays(row.period);
    if (row.dimension === "agency") {
      const known = agencyNames.get(row.agencyId);
      if (!known || last >= known.day) agencyNames.set(row.agencyId, { name: row.label, day: last });
    }
    if (row.dimension !== dimension || first > to) continue;
    let part: "opening" | "period";
    if (last < from) part = "opening";
    else if (first >= from && last <= to) part = "period";
    else {
      throw new InvalidInputError(
        `counter row ${row.period} straddles the period ${query.from}–${query.to}: read day rows for it`,
        { period: row.period },
      );
    }
    const id = `${row.agencyId}\u0000${row.key}`;
    let line = lines.get(id);
    if (!line) {
      line = {
        agencyId: row.agencyId,
        key: row.key,
        label: row.label,
        labelDay: last,
        opening: zeroCounters(),
        period: zeroCounters(),
      };
      lines.set(id, line);
    } else if (last >= line.labelDay) {
      line.label = row.label;
      line.labelDay = last;
    }
    addCounters(line[part], row.values);
  }

  const accumulated =
    query.by === "field"
      ? groupByField(lines.values(), options.fieldOf ?? (() => undefined), scale)
      : [...lines.values()];
  const out: ReportLine[] = [];
  const opening = zeroCounters();
  const period = zeroCounters();
  for (const line of accumulated) {
    const figures = reportLine(
      line.agencyId,
      agencyNames.get(line.agencyId)?.name ?? line.agencyId,
      line.key,
      line.label,
      line.opening,
      line.period,
      scale,
    );
    if (!hasFigures(figures)) continue;
    out.push(line.procedures ? { ...figures, procedures: [...line.procedures].sort(compareText) } : figures);
    addCounters(opening, line.opening);
    addCounters(period, line.period);
  }
  const unknownLast = (line: ReportLine) => Number(query.by === "field" && line.key === UNKNOWN_FIELD.code);
  out.sort(
    (a, b) =>
      compareText(a.agencyId ?? "", b.agencyId ?? "") ||
      unknownLast(a) - unknownLast(b) ||
      a.label.localeCompare(b.label, "vi") ||
      compareText(a.key, b.key),
  );
  return {
    from: query.from,
    to: query.to,
    by: query.by,
    lines: out,
    total: reportLine(null, null, "*", "Tổng cộng", opening, period, scale),
    gradeScale: scale,
  };
}

/**
 * The procedure lines of each agency summed per field — the counters, not the rounded figures, so
 * a field's rates and average are exact. A procedure with nothing in the period is not listed.
 */
function groupByField(
  procedures: Iterable<Accumulator>,
  fieldOf: FieldLookup,
  scale: GradeScale,
): Accumulator[] {
  const fields = new Map<string, Accumulator & { procedures: Set<string> }>();
  for (const line of procedures) {
    const own = reportLine(line.agencyId, null, line.key, line.label, line.opening, line.period, scale);
    if (!hasFigures(own)) continue;
    const field = fieldOf(line.key) ?? UNKNOWN_FIELD;
    const id = `${line.agencyId}\u0000${field.code}`;
    let sum = fields.get(id);
    if (!sum) {
      sum = {
        agencyId: line.agencyId,
        key: field.code,
        label: field.name,
        labelDay: line.labelDay,
        opening: zeroCounters(),
        period: zeroCounters(),
        procedures: new Set(),
      };
      fields.set(id, sum);
    }
    addCounters(sum.opening, line.opening);
    addCounters(sum.period, line.period);
    sum.procedures.add(line.key);
  }
  return [...fields.values()];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

function reportLine(
  agencyId: string | null,
  agencyName: string | null,
  key: string,
  label: string,
  opening: CounterValues,
  period: CounterValues,
  scale: GradeScale,
): ReportLine {
  const carriedOver = opening.openNet;
  const openAtEnd = carriedOver + period.openNet;
  const inProgressOverdue = opening.overdueNet + period.overdueNet;
  const paused = opening.pausedNet + period.pausedNet;
  const awaitingSupplement = opening.awaitingSupplementNet + period.awaitingSupplementNet;
  const receivedNew = period.receivedOnline + period.receivedInPerson + period.receivedPostal;
  const resolved = period.resolvedEarly + period.resolvedOnTime + period.resolvedLate;
  const onTimeRate = ratio(period.resolvedEarly + period.resolvedOnTime, resolved);
  return {
    agencyId,
    agencyName,
    key,
    label,
    carriedOver,
    receivedNew,
    receivedOnline: period.receivedOnline,
    receivedInPerson: period.receivedInPerson,
    receivedPostal: period.receivedPostal,
    toHandle: carriedOver + receivedNew,
    resolved,
    resolvedEarly: period.resolvedEarly,
    resolvedOnTime: period.resolvedOnTime,
    resolvedLate: period.resolvedLate,
    onTimeRate,
    earlyRate: ratio(period.resolvedEarly, resolved),
    lateRate: ratio(period.resolvedLate, resolved),
    inProgressOnTime: openAtEnd - inProgressOverdue - paused - awaitingSupplement,
    inProgressOverdue,
    awaitingSupplement,
    paused,
    openAtEnd,
    closed: period.rejected + period.withdrawn + period.stopped,
    rejected: period.rejected,
    withdrawn: period.withdrawn,
    stopped: period.stopped,
    returned: period.returned,
    apologies: period.apologies,
    averageWorkingDays:
      resolved === 0 ? null : Math.round((period.officeMsTaken / WORKING_DAY_MS / resolved) * 10) / 10,
    onlineRate: ratio(period.receivedOnline, receivedNew),
    score:
      resolved === 0
        ? null
        : Math.round(((2 * period.resolvedEarly + period.resolvedOnTime) / resolved) * 100) / 100,
    grade: gradeOf(onTimeRate, scale),
  };
}

function hasFigures(line: ReportLine): boolean {
  return (
    line.toHandle !== 0 ||
    line.resolved !== 0 ||
    line.closed !== 0 ||
    line.openAtEnd !== 0 ||
    line.returned !== 0 ||
    line.apologies !== 0
  );
}
