import {
  epochDayFromYmd,
  ISO_DATE_PATTERN,
  isoDate,
  parseIsoDate,
  type WorkingTime,
  ymdFromEpochDay,
} from "../calendar/index.ts";
import { type DossierEvent, foldDossier, groupByDossier } from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";
import {
  addCounters,
  type CounterDelta,
  type CounterValues,
  counterRowId,
  type Dimension,
  dossierContributions,
  isZero,
  zeroCounters,
} from "./counters.ts";

/**
 * One stored counter row: the sums of the deltas of one agency, one dimension key and one
 * period — a day ("2026-11-02"), or a month ("2026-11") or a year ("2026") rolled up from its
 * days so that the stocks at a period's start (running sums from the first day) are read from a
 * few coarse rows instead of every day since the agency began.
 *
 * Storage (DynamoDB, one table): pk `REPORT#<agencyId>`, sk `DAY#<yyyy-mm-dd>#<dimension>#<key>`,
 * `MONTH#<yyyy-mm>#…`, `YEAR#<yyyy>#…` (`counterRowSortKey`); every field of `values` an ADD.
 */
export interface CounterRow {
  readonly agencyId: string;
  readonly period: string;
  readonly dimension: Dimension;
  readonly key: string;
  readonly label: string;
  readonly values: CounterValues;
}

export type Grain = "day" | "month" | "year";

export function grainOf(period: string): Grain {
  if (ISO_DATE_PATTERN.test(period)) return "day";
  if (/^\d{4}-\d{2}$/.test(period)) return "month";
  if (/^\d{4}$/.test(period)) return "year";
  throw new InvalidInputError(`invalid counter period "${period}": expected YYYY, YYYY-MM or YYYY-MM-DD`);
}

/** First and last local day a row's period covers. */
export function periodDays(period: string): { first: number; last: number } {
  const grain = grainOf(period);
  if (grain === "day") {
    const day = parseIsoDate(period);
    return { first: day, last: day };
  }
  const year = Number(period.slice(0, 4));
  if (grain === "year") return { first: epochDayFromYmd(year, 1, 1), last: epochDayFromYmd(year, 12, 31) };
  const month = Number(period.slice(5, 7));
  if (month < 1 || month > 12) throw new InvalidInputError(`invalid counter period "${period}"`);
  const first = epochDayFromYmd(year, month, 1);
  const last = month === 12 ? epochDayFromYmd(year + 1, 1, 1) - 1 : epochDayFromYmd(year, month + 1, 1) - 1;
  return { first, last };
}

const SK_PREFIX: Record<Grain, string> = { day: "DAY#", month: "MONTH#", year: "YEAR#" };

/** The sort key of a row under `REPORT#<agencyId>` (see CounterRow). */
export function counterRowSortKey(row: Pick<CounterRow, "period" | "dimension" | "key">): string {
  return SK_PREFIX[grainOf(row.period)] + counterRowId(row.period, row.dimension, row.key);
}

/**
 * Which rows cover, without overlap, every day up to `toDay` — the fewest the grains allow:
 * every year row before the year of `fromDay` (`yearsBefore`: a range, history has no fixed
 * start), then exactly `periods`: the months of that year before `fromDay`'s month, the days of
 * that month before `fromDay` (the stocks at the start), and [fromDay, toDay] cut into whole
 * years, whole months and days (a year's report reads one row per key, a month's one too).
 */
export interface ReadPlan {
  readonly yearsBefore: string;
  readonly periods: readonly string[];
}

export function readPlan(fromDay: string, toDay: string): ReadPlan {
  const from = parseIsoDate(fromDay);
  const to = parseIsoDate(toDay);
  if (to < from) throw new InvalidInputError(`the period ends (${toDay}) before it starts (${fromDay})`);
  const { year, month } = ymdFromEpochDay(from);
  const periods: string[] = [];
  for (let m = 1; m < month; m++) periods.push(`${year}-${pad2(m)}`);
  const monthStart = epochDayFromYmd(year, month, 1);
  for (let d = monthStart; d < from; d++) periods.push(isoDate(d));
  let d = from;
  while (d <= to) {
    const ymd = ymdFromEpochDay(d);
    const yearEnd = epochDayFromYmd(ymd.year + 1, 1, 1) - 1;
    const monthEnd = ymd.month === 12 ? yearEnd : epochDayFromYmd(ymd.year, ymd.month + 1, 1) - 1;
    if (ymd.month === 1 && ymd.day === 1 && yearEnd <= to) {
      periods.push(String(ymd.year));
      d = yearEnd + 1;
    } else if (ymd.day === 1 && monthEnd <= to) {
      periods.push(`${ymd.year}-${pad2(ymd.month)}`);
      d = monthEnd + 1;
    } else {
      periods.push(isoDate(d));
      d += 1;
    }
  }
  return { yearsBefore: String(year), periods };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The port the report use case reads and the ingest path writes (the DynamoDB adapter implements
 * it; `InMemoryCounterStore` is the reference).
 */
export interface CounterStore {
  /**
   * Adds each delta to its day row and to the month and year rows holding that day. With an
   * `applyId` (one per change: the event id, a re-evaluation's dossier version), a second call
   * with the same id adds nothing — an SQS retry of a change already counted.
   */
  apply(deltas: readonly CounterDelta[], options?: CounterApplyOptions): Promise<void>;
  /**
   * The rows of `readPlan(fromDay, toDay)`: they cover, without overlap, every day up to `toDay`
   * — `buildReport`'s input. `dimension` narrows the rows returned (an adapter may filter after
   * reading).
   */
  read(agencyId: string, fromDay: string, toDay: string, dimension?: Dimension): Promise<CounterRow[]>;
}

export interface CounterApplyOptions {
  /** Names the change the deltas come from: a change is counted once. */
  readonly applyId?: string | undefined;
  /** The caller's clock (epoch ms): a store may forget an apply id some time after it. */
  readonly at?: number | undefined;
}

interface MutableRow {
  agencyId: string;
  period: string;
  dimension: Dimension;
  key: string;
  label: string;
  values: CounterValues;
}

interface AgencyRows {
  /** period → row id → row. */
  readonly byPeriod: Map<string, Map<string, MutableRow>>;
  readonly years: Set<string>;
}

/** The counters in memory: the reference implementation of the port, the CLI's and the tests'. */
export class InMemoryCounterStore implements CounterStore {
  private readonly agencies = new Map<string, AgencyRows>();
  private readonly applied = new Set<string>();

  async apply(deltas: readonly CounterDelta[], options: CounterApplyOptions = {}): Promise<void> {
    if (options.applyId !== undefined) {
      if (this.applied.has(options.applyId)) return;
      this.applied.add(options.applyId);
    }
    this.applySync(deltas);
  }

  applySync(deltas: readonly CounterDelta[]): void {
    for (const delta of deltas) {
      const day = delta.day;
      for (const period of [day, day.slice(0, 7), day.slice(0, 4)]) this.addTo(delta, period);
    }
  }

  async read(agencyId: string, fromDay: string, toDay: string, dimension?: Dimension): Promise<CounterRow[]> {
    return this.readSync(agencyId, fromDay, toDay, dimension);
  }

  readSync(agencyId: string, fromDay: string, toDay: string, dimension?: Dimension): CounterRow[] {
    const plan = readPlan(fromDay, toDay);
    const agency = this.agencies.get(agencyId);
    if (!agency) return [];
    const periods = [...[...agency.years].filter((year) => year < plan.yearsBefore), ...plan.periods];
    const out: CounterRow[] = [];
    for (const period of periods) {
      for (const row of agency.byPeriod.get(period)?.values() ?? []) {
        if (dimension === undefined || row.dimension === dimension) out.push(copy(row));
      }
    }
    return out;
  }

  /** Every agency with counters. */
  agencyIds(): string[] {
    return [...this.agencies.keys()].sort();
  }

  /** Every row (day, month and year rows overlap: not an input for `buildReport`). */
  allRows(): CounterRow[] {
    const out: CounterRow[] = [];
    for (const agency of this.agencies.values())
      for (const rows of agency.byPeriod.values()) for (const row of rows.values()) out.push(copy(row));
    return out;
  }

  private addTo(delta: CounterDelta, period: string): void {
    let agency = this.agencies.get(delta.agencyId);
    if (!agency) {
      agency = { byPeriod: new Map(), years: new Set() };
      this.agencies.set(delta.agencyId, agency);
    }
    let rows = agency.byPeriod.get(period);
    if (!rows) {
      rows = new Map();
      agency.byPeriod.set(period, rows);
      if (period.length === 4) agency.years.add(period);
    }
    const id = counterRowId(period, delta.dimension, delta.key);
    let row = rows.get(id);
    if (!row) {
      row = {
        agencyId: delta.agencyId,
        period,
        dimension: delta.dimension,
        key: delta.key,
        label: delta.label,
        values: zeroCounters(),
      };
      rows.set(id, row);
    }
    row.label = delta.label;
    addCounters(row.values, delta.values);
    // Rows that cancel out are dropped, so a store and its rebuild hold the same rows.
    if (isZero(row.values)) {
      rows.delete(id);
      if (rows.size === 0) {
        agency.byPeriod.delete(period);
        agency.years.delete(period);
      }
    }
  }
}

function copy(row: MutableRow): CounterRow {
  return { ...row, values: { ...row.values } };
}

/**
 * The rebuild: every dossier folded from the log and its whole contribution derived — what the
 * counters must hold whatever order the events were applied in.
 */
export function rebuildDeltas(events: readonly DossierEvent[], working: WorkingTime): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const group of groupByDossier(events).values()) {
    if (!group.some((event) => event.type === "received")) continue;
    out.push(...dossierContributions(foldDossier(group, working), working));
  }
  return out;
}
