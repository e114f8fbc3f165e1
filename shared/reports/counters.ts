import { type EpochDay, isoDate, localEpochDay, type WorkingTime } from "../calendar/index.ts";
import { asPauses, type Dossier, extendByStops, type FinishedStatus, progressAt } from "../dossier/index.ts";

/**
 * Report counters: what one dossier adds to the per-agency, per-day figures (docs/reports.md).
 *
 * FLOW fields count what happened on a day (received, resolved by class, returned, apologies…).
 * STOCK fields (`…Net`) are net changes of a state: the number of dossiers in the state at the
 * end of day D is the sum of the field over every day up to D. A dossier's contribution is a
 * pure function of its folded state, future days included (an open dossier "becomes overdue" on
 * its due date's day without any event), so `counterDeltas(before, after)` is the difference of
 * two contributions and a rebuild from the event log gives the same rows as the increments.
 *
 * These field names are stored attributes: NEVER rename one once counters are written.
 */
export const COUNTER_FIELDS = [
  "receivedOnline",
  "receivedInPerson",
  "receivedPostal",
  "resolvedEarly",
  "resolvedOnTime",
  "resolvedLate",
  /** Office milliseconds from reception (or the latest restart) to result-ready, stops excluded. */
  "officeMsTaken",
  "rejected",
  "withdrawn",
  "stopped",
  "returned",
  "apologies",
  "openNet",
  "overdueNet",
  "pausedNet",
  "awaitingSupplementNet",
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type CounterValues = Record<CounterField, number>;

/** The stock fields: read as running sums from the first day, never summed over a period alone. */
export const STOCK_FIELDS = ["openNet", "overdueNet", "pausedNet", "awaitingSupplementNet"] as const;
export type StockField = (typeof STOCK_FIELDS)[number];

export const DIMENSIONS = ["agency", "unit", "procedure", "handler"] as const;
/** What a report line is: the receiving agency, the unit or handler holding the dossier, the procedure. */
export type Dimension = (typeof DIMENSIONS)[number];

/** What changed for one agency, day and dimension key. Only non-zero fields are present. */
export interface CounterDelta {
  readonly agencyId: string;
  /** Local date, YYYY-MM-DD. */
  readonly day: string;
  readonly dimension: Dimension;
  readonly key: string;
  /** The name shown in reports (agency, unit, procedure or handler); the latest one wins. */
  readonly label: string;
  readonly values: Readonly<Partial<CounterValues>>;
}

export function zeroCounters(): CounterValues {
  return {
    receivedOnline: 0,
    receivedInPerson: 0,
    receivedPostal: 0,
    resolvedEarly: 0,
    resolvedOnTime: 0,
    resolvedLate: 0,
    officeMsTaken: 0,
    rejected: 0,
    withdrawn: 0,
    stopped: 0,
    returned: 0,
    apologies: 0,
    openNet: 0,
    overdueNet: 0,
    pausedNet: 0,
    awaitingSupplementNet: 0,
  };
}

/** Adds `values` × `sign` into `target`. */
export function addCounters(
  target: CounterValues,
  values: Readonly<Partial<CounterValues>>,
  sign: 1 | -1 = 1,
): void {
  for (const field of COUNTER_FIELDS) {
    const value = values[field];
    if (value) target[field] += sign * value;
  }
}

export function isZero(values: Readonly<Partial<CounterValues>>): boolean {
  return COUNTER_FIELDS.every((field) => !values[field]);
}

const CHANNEL_FIELD = {
  online: "receivedOnline",
  "in-person": "receivedInPerson",
  postal: "receivedPostal",
} as const satisfies Record<Dossier["received"]["channel"], CounterField>;

const CLASS_FIELD = {
  "truoc-han": "resolvedEarly",
  "dung-han": "resolvedOnTime",
  "qua-han": "resolvedLate",
} as const satisfies Record<FinishedStatus, CounterField>;

/** A line of a report the dossier is counted on, per dimension. */
export interface Attribution {
  readonly dimension: Dimension;
  readonly key: string;
  readonly label: string;
}

/** Key of the handler dimension for a dossier held by a unit without a named handler. */
export const NO_HANDLER_KEY = "-";

/**
 * Where a dossier is counted. The agency is the receiving agency (the counters' partition) and
 * the procedure is fixed at reception. The unit and the handler are those HOLDING the dossier
 * (`dossier.current`: the latest step's assignee, else the receiving desk): every figure of the
 * dossier, past days included, follows it when it is reassigned, so each per-unit line balances
 * (carried over + received = resolved + closed + open at the end). A unit is keyed by its
 * agency too (every agency has its "mot-cua"); a liên thông step at another agency without a
 * unit counts for that agency.
 */
export function attributionOf(dossier: Dossier): Attribution[] {
  const { received, current } = dossier;
  const foreign = current.agency.id !== received.agency.id;
  const unitKey = current.unit ? `${current.agency.id}/${current.unit.id}` : current.agency.id;
  const unitLabel = current.unit
    ? foreign
      ? `${current.unit.name} (${current.agency.name})`
      : current.unit.name
    : current.agency.name;
  return [
    { dimension: "agency", key: received.agency.id, label: received.agency.name },
    { dimension: "unit", key: unitKey, label: unitLabel },
    { dimension: "procedure", key: received.procedure.code, label: received.procedure.name },
    {
      dimension: "handler",
      key: current.handler?.id ?? NO_HANDLER_KEY,
      label: current.handler ? (current.handler.name ?? current.handler.id) : "(chưa có cán bộ xử lý)",
    },
  ];
}

type StockState = "running" | "overdue" | "paused" | "awaiting";
const STATE_FIELD: Record<StockState, StockField | undefined> = {
  running: undefined,
  overdue: "overdueNet",
  paused: "pausedNet",
  awaiting: "awaitingSupplementNet",
};

export interface StockTransition {
  readonly at: number;
  /** undefined: not open (before the reception, after the finish or closure). */
  readonly from: StockState | undefined;
  readonly to: StockState | undefined;
}

/**
 * The states an open dossier goes through, read from its folded state: awaiting a supplement,
 * paused (a supplement wait wins over a pause, as in `progressAt`), else running — on time until
 * its legal due instant, overdue after it. Each legal appointment version (the receipt, a
 * supplement restart) runs from the moment it is given; its due instant is moved by every stop,
 * which gives the same answer as reading the dossier as known at the time: a stop that starts
 * after the due instant moves nothing, and one that starts before it is known before it passes.
 * A version whose clock is held by an open stop has no due instant and never becomes overdue
 * until the stop ends (the next event changes the contribution).
 */
export function stockTransitions(dossier: Dossier, working: WorkingTime): StockTransition[] {
  const start = dossier.received.receivedAt;
  const endAt = dossier.finishedAt ?? dossier.closure?.at;
  const pauses = asPauses(dossier.stops, endAt);
  const versions = dossier.appointments
    .filter((version) => version.kind !== "apology")
    .map((version, index) => ({
      from: index === 0 ? start : Math.max(version.givenAt, start),
      due: extendByStops(working, version.startAt, version.at, pauses),
    }));
  const points = new Set<number>([start]);
  for (const stop of dossier.stops) {
    points.add(Math.max(stop.start, start));
    if (stop.end !== undefined) points.add(Math.max(stop.end, start));
  }
  for (const version of versions) {
    points.add(version.from);
    if (version.due !== undefined) points.add(Math.max(version.due, start));
  }
  const ordered = [...points].filter((p) => endAt === undefined || p < endAt).sort((a, b) => a - b);

  const stateAfter = (p: number): StockState => {
    let paused = false;
    for (const stop of dossier.stops) {
      if (stop.start <= p && (stop.end === undefined || stop.end > p)) {
        if (stop.kind === "supplement") return "awaiting";
        paused = true;
      }
    }
    if (paused) return "paused";
    let version = versions[0]!;
    for (const candidate of versions) if (candidate.from <= p) version = candidate;
    // Overdue strictly after the due instant (progressAt: now > due).
    return version.due !== undefined && p >= version.due ? "overdue" : "running";
  };

  const transitions: StockTransition[] = [];
  let state: StockState | undefined;
  for (const p of ordered) {
    const next = stateAfter(p);
    if (next !== state) {
      transitions.push({ at: p, from: state, to: next });
      state = next;
    }
  }
  if (endAt !== undefined && state !== undefined) transitions.push({ at: endAt, from: state, to: undefined });
  return transitions;
}

/**
 * What one dossier adds to the counters, per local day, before it is spread over its report
 * lines. Flows land on the day they happen: the reception (by channel, on the day of
 * `receivedAt`), the result (by timeliness class against the legal due instant, by local date —
 * `progressAt`), the closure, the return, the apology. Stocks land as net changes on the days
 * the state changes, including the future day an open dossier becomes overdue.
 */
export function dailyContribution(
  dossier: Dossier,
  working: WorkingTime,
): Map<EpochDay, Partial<CounterValues>> {
  const perDay = new Map<EpochDay, Partial<CounterValues>>();
  const add = (instant: number, field: CounterField, amount: number) => {
    if (amount === 0) return;
    const day = localEpochDay(instant);
    let values = perDay.get(day);
    if (!values) {
      values = {};
      perDay.set(day, values);
    }
    values[field] = (values[field] ?? 0) + amount;
  };

  const { received } = dossier;
  add(received.receivedAt, CHANNEL_FIELD[received.channel], 1);
  if (dossier.closure) add(dossier.closure.at, dossier.closure.kind, 1);
  else if (dossier.finishedAt !== undefined) {
    const progress = progressAt(dossier, dossier.finishedAt, working);
    add(dossier.finishedAt, CLASS_FIELD[progress.status as FinishedStatus], 1);
    add(dossier.finishedAt, "officeMsTaken", progress.elapsedOfficeMs);
  }
  if (dossier.returnedAt !== undefined) add(dossier.returnedAt, "returned", 1);
  if (dossier.apology) add(dossier.apology.occurredAt, "apologies", 1);

  for (const transition of stockTransitions(dossier, working)) {
    if (transition.from === undefined) add(transition.at, "openNet", 1);
    if (transition.to === undefined) add(transition.at, "openNet", -1);
    const left = transition.from && STATE_FIELD[transition.from];
    const entered = transition.to && STATE_FIELD[transition.to];
    if (left) add(transition.at, left, -1);
    if (entered) add(transition.at, entered, 1);
  }
  return perDay;
}

/** Everything one dossier adds to the counters: its daily contribution on each of its report lines. */
export function dossierContributions(dossier: Dossier, working: WorkingTime): CounterDelta[] {
  const days = dailyContribution(dossier, working);
  return attributionOf(dossier).flatMap((line) => spread(dossier.received.agency.id, line, days, 1));
}

function spread(
  agencyId: string,
  line: Attribution,
  days: ReadonlyMap<EpochDay, Partial<CounterValues>>,
  sign: 1 | -1,
): CounterDelta[] {
  const out: CounterDelta[] = [];
  for (const day of [...days.keys()].sort((a, b) => a - b)) {
    const values = days.get(day)!;
    if (isZero(values)) continue;
    out.push({ agencyId, day: isoDate(day), ...line, values: sign === 1 ? values : scaled(values, -1) });
  }
  return out;
}

function scaled(values: Partial<CounterValues>, factor: number): Partial<CounterValues> {
  const out: Partial<CounterValues> = {};
  for (const field of COUNTER_FIELDS) {
    const value = values[field];
    if (value) out[field] = value * factor;
  }
  return out;
}

/** after − before, per day; days and fields that cancel out are left out. */
function difference(
  after: ReadonlyMap<EpochDay, Partial<CounterValues>>,
  before: ReadonlyMap<EpochDay, Partial<CounterValues>>,
): Map<EpochDay, Partial<CounterValues>> {
  const out = new Map<EpochDay, Partial<CounterValues>>();
  for (const day of new Set([...after.keys(), ...before.keys()])) {
    const a = after.get(day);
    const b = before.get(day);
    const values: Partial<CounterValues> = {};
    let any = false;
    for (const field of COUNTER_FIELDS) {
      const value = (a?.[field] ?? 0) - (b?.[field] ?? 0);
      if (value !== 0) {
        values[field] = value;
        any = true;
      }
    }
    if (any) out.set(day, values);
  }
  return out;
}

/** The identity of a counter row within its agency: period, dimension and key. */
export function counterRowId(period: string, dimension: Dimension, key: string): string {
  return `${period}#${dimension}#${key}`;
}

/**
 * What applying the events that turned `before` into `after` changes in the counters: the
 * contribution of `after` minus that of `before` (undefined: the dossier was not received yet).
 * Empty when nothing a report reads has changed (a replay, an acknowledgement, an assignment
 * within the same unit and handler). A reassignment moves the dossier's figures, past days
 * included, from the old unit and handler lines to the new ones. A new name for the same key
 * with no figure changed writes nothing: a row shows the name of its latest delta.
 */
export function counterDeltas(
  before: Dossier | undefined,
  after: Dossier,
  working: WorkingTime,
): CounterDelta[] {
  if (!before) return dossierContributions(after, working);
  const agencyId = after.received.agency.id;
  const afterDays = dailyContribution(after, working);
  const beforeDays = dailyContribution(before, working);
  const changed = difference(afterDays, beforeDays);
  const beforeLines = attributionOf(before);
  const out: CounterDelta[] = [];
  attributionOf(after).forEach((line, index) => {
    const old = beforeLines[index]!;
    if (old.key === line.key) out.push(...spread(agencyId, line, changed, 1));
    else out.push(...spread(agencyId, old, beforeDays, -1), ...spread(agencyId, line, afterDays, 1));
  });
  return out;
}
