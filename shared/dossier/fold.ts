import type { WorkingTime } from "../calendar/index.ts";
import { NotFoundError } from "../errors.ts";
import type {
  Acknowledgement,
  AppointmentKind,
  AppointmentVersion,
  Assignment,
  ClockStop,
  Closure,
  Dossier,
  Step,
  SupplementRound,
} from "./dossier.ts";
import type { DossierEvent, DossierEventType, EventOfType, ReceivedEvent } from "./events.ts";
import { legalBasisFor } from "./legal-basis.ts";
import { asPauses, extendByStops } from "./stopped-clock.ts";

/**
 * Ties at one instant are broken by a natural order of the facts (a pause before its resume, a
 * request before the supplement it asks for), then by id, so the order never depends on arrival.
 */
const RANK: Record<DossierEventType, number> = {
  received: 0,
  assigned: 1,
  transferred: 1,
  "supplement-requested": 2,
  "supplement-received": 3,
  paused: 4,
  resumed: 5,
  "apology-issued": 6,
  "result-ready": 7,
  returned: 8,
  rejected: 9,
  withdrawn: 9,
  stopped: 9,
  "alert-acknowledged": 10,
};

export function compareEvents(a: DossierEvent, b: DossierEvent): number {
  return (
    a.occurredAt - b.occurredAt || RANK[a.type] - RANK[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The canonical order of a set of events: deduplicated by id (the first of equal ids in that
 * order is kept) and sorted by (occurredAt, rank of the type, id). The state of a dossier is a
 * function of this sequence only, so duplicates and arrival order cannot change it.
 */
export function orderEvents(events: readonly DossierEvent[]): DossierEvent[] {
  const sorted = [...events].sort(compareEvents);
  const seen = new Set<string>();
  const out: DossierEvent[] = [];
  for (const event of sorted) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    out.push(event);
  }
  return out;
}

export interface FoldOptions {
  /**
   * Appointments already given to the applicant, by the id of the event that gave them (a
   * receipt, a restart): they are kept as they are even when the calendar has changed since.
   */
  promised?: ReadonlyMap<string, number>;
  /** Ignore recorded appointments (event fields and `promised`) and compute each one afresh. */
  recomputeAppointments?: boolean;
}

interface OpenStep {
  id: string;
  kind: "assigned" | "transferred";
  assignment: Assignment;
  task: string | undefined;
  startedAt: number;
  countFrom: number;
  allotment: Step["allotment"];
  recordedDue: number | undefined;
  finishedAt: number | undefined;
}

/**
 * Folds a dossier's events (any order, duplicates allowed) into its state on one working-time
 * calendar. The events are assumed to form a valid set (`assertValidEventSet`, decide.ts); facts
 * that make no sense in order — a resume without a pause — are skipped and listed as anomalies.
 */
export function foldDossier(
  events: readonly DossierEvent[],
  working: WorkingTime,
  options: FoldOptions = {},
) {
  const ordered = orderEvents(events);
  const received = ordered.find((event): event is ReceivedEvent => event.type === "received");
  if (!received) {
    const code = events[0]?.dossierCode ?? "(none)";
    throw new NotFoundError(`dossier ${code} has no "received" event`, { dossierCode: code });
  }
  return foldOrdered(received, ordered, working, options);
}

function foldOrdered(
  received: ReceivedEvent,
  ordered: readonly DossierEvent[],
  working: WorkingTime,
  options: FoldOptions,
): Dossier {
  const { procedure } = received;
  const supplementPolicy = procedure.supplementPolicy ?? "restart";
  const recorded = (eventId: string, fromEvent: number | undefined) =>
    options.recomputeAppointments ? undefined : (fromEvent ?? options.promised?.get(eventId));

  const appointments: AppointmentVersion[] = [];
  const addVersion = (
    kind: AppointmentKind,
    eventId: string,
    givenAt: number,
    startAt: number,
    at: number,
    limitAt: number,
  ) => {
    appointments.push({
      version: appointments.length + 1,
      kind,
      eventId,
      givenAt,
      startAt,
      at,
      allotmentMs: working.workingTimeBetween(startAt, at),
      limitAt,
    });
  };
  const receiptStart = working.countingStart(received.receivedAt, procedure.cutoff);
  const receiptLimit = working.due(received.receivedAt, procedure.timeLimit, { cutoff: procedure.cutoff })!;
  addVersion(
    "receipt",
    received.id,
    received.occurredAt,
    receiptStart,
    recorded(received.id, received.appointment) ?? receiptLimit,
    receiptLimit,
  );

  const receptionAssignment: Assignment = {
    agency: received.agency,
    unit: received.unit,
    handler: received.handler,
  };
  const stops: ClockStop[] = [];
  const steps: OpenStep[] = [];
  const supplements: SupplementRound[] = [];
  const acknowledgements: Acknowledgement[] = [];
  const anomalies: string[] = [];
  let openPause: number | undefined;
  let openSupplement: number | undefined;
  let apology: EventOfType<"apology-issued"> | undefined;
  let finishedAt: number | undefined;
  let returnedAt: number | undefined;
  let closure: Closure | undefined;
  let lastEventAt = received.occurredAt;

  const closeStep = (at: number) => {
    const open = steps[steps.length - 1];
    if (open && open.finishedAt === undefined) open.finishedAt = at;
  };
  const currentAssignment = () => steps[steps.length - 1]?.assignment ?? receptionAssignment;
  const note = (event: DossierEvent, what: string) => anomalies.push(`${event.type} ${event.id}: ${what}`);

  for (const event of ordered) {
    if (event === received) continue;
    lastEventAt = Math.max(lastEventAt, event.occurredAt);
    const at = event.occurredAt;
    switch (event.type) {
      case "received":
        note(event, "a second reception is ignored");
        break;
      case "assigned":
      case "transferred": {
        closeStep(at);
        steps.push({
          id: event.id,
          kind: event.type,
          assignment:
            event.type === "assigned"
              ? { agency: event.agency ?? received.agency, unit: event.unit, handler: event.handler }
              : { agency: event.agency, unit: event.unit, handler: event.handler },
          task: event.task,
          startedAt: at,
          countFrom: at,
          allotment: event.allotment,
          recordedDue: event.dueAt,
          finishedAt: undefined,
        });
        break;
      }
      case "supplement-requested":
        if (openSupplement !== undefined) {
          note(event, "a supplement is already awaited");
          break;
        }
        openSupplement = stops.length;
        stops.push({
          kind: "supplement",
          eventId: event.id,
          start: at,
          end: undefined,
          reason: event.reason,
        });
        supplements.push({
          requestId: event.id,
          requestedAt: at,
          reason: event.reason,
          documents: event.documents ?? [],
          receivedAt: undefined,
        });
        break;
      case "supplement-received": {
        if (openSupplement === undefined) {
          note(event, "no supplement was requested");
          break;
        }
        const stop = stops[openSupplement]!;
        stops[openSupplement] = { ...stop, end: at };
        openSupplement = undefined;
        const round = supplements[supplements.length - 1]!;
        supplements[supplements.length - 1] = { ...round, receivedAt: at };
        if (supplementPolicy === "restart") {
          // NĐ 61/2018 Art. 19(4): "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ".
          const start = working.countingStart(at, procedure.cutoff);
          const limit = working.due(at, procedure.timeLimit, { cutoff: procedure.cutoff })!;
          const appointment = recorded(event.id, event.appointment) ?? limit;
          addVersion("restart", event.id, at, start, appointment, limit);
          const open = steps[steps.length - 1];
          if (open && open.finishedAt === undefined) open.countFrom = at;
        }
        break;
      }
      case "paused":
        if (openPause !== undefined) {
          note(event, "the clock is already paused");
          break;
        }
        openPause = stops.length;
        stops.push({ kind: "pause", eventId: event.id, start: at, end: undefined, reason: event.reason });
        break;
      case "resumed":
        if (openPause === undefined) {
          note(event, "the clock was not paused");
          break;
        }
        stops[openPause] = { ...stops[openPause]!, end: at };
        openPause = undefined;
        break;
      case "apology-issued":
        if (apology) {
          note(
            event,
            `a second apology is ignored (${legalBasisFor(received.receivedAt).apologyCitation}: once only)`,
          );
          break;
        }
        apology = event;
        addVersion("apology", event.id, at, at, event.newAppointment, event.newAppointment);
        break;
      case "result-ready":
        if (finishedAt === undefined) finishedAt = at;
        closeStep(at);
        break;
      case "returned":
        if (returnedAt === undefined) returnedAt = at;
        if (finishedAt === undefined) finishedAt = at;
        closeStep(at);
        break;
      case "rejected":
      case "withdrawn":
      case "stopped":
        if (closure) {
          note(event, "the dossier is already closed");
          break;
        }
        closure = { kind: event.type, at, reason: event.reason };
        closeStep(at);
        break;
      case "alert-acknowledged":
        acknowledgements.push({ at, by: event.by, version: appointments.length });
        break;
    }
  }

  // A finished or closed dossier's clock ends there: an open stop ends with it.
  const endAt = finishedAt ?? closure?.at;
  const pauses = asPauses(stops, endAt);
  let legal = appointments[0]!;
  for (const version of appointments) if (version.kind !== "apology") legal = version;
  const current = appointments[appointments.length - 1]!;
  // While an open dossier's clock is stopped there is no due instant, even when the stop began
  // after it: the escalation waits with the clock (reachedDueAt gives the instant already passed).
  const stopped = endAt === undefined && stops.some((stop) => stop.end === undefined);
  const legalDueAt = stopped ? undefined : extendByStops(working, legal.startAt, legal.at, pauses);
  const dueAt = stopped
    ? undefined
    : current === legal
      ? legalDueAt
      : extendByStops(working, current.startAt, current.at, pauses);

  const finalSteps: Step[] = steps.map((step) => {
    let due: number | undefined;
    const base =
      step.recordedDue ?? (step.allotment ? working.due(step.countFrom, step.allotment) : undefined);
    if (base !== undefined) due = extendByStops(working, step.countFrom, base, pauses);
    return {
      id: step.id,
      kind: step.kind,
      assignment: step.assignment,
      task: step.task,
      startedAt: step.startedAt,
      countFrom: step.countFrom,
      allotment: step.allotment,
      dueAt: due,
      dueRecorded: step.recordedDue !== undefined,
      finishedAt: step.finishedAt,
    };
  });

  return {
    code: received.dossierCode,
    received,
    supplementPolicy,
    appointments,
    legalDueAt,
    dueAt,
    stops,
    steps: finalSteps,
    current: currentAssignment(),
    apology,
    finishedAt,
    returnedAt,
    closure,
    acknowledgements,
    anomalies,
    supplements,
    lastEventAt,
  };
}

/** Groups events by dossier code, keeping first-seen order of the codes. */
export function groupByDossier(events: readonly DossierEvent[]): Map<string, DossierEvent[]> {
  const groups = new Map<string, DossierEvent[]>();
  for (const event of events) {
    const group = groups.get(event.dossierCode);
    if (group) group.push(event);
    else groups.set(event.dossierCode, [event]);
  }
  return groups;
}

/**
 * The dossier as known at `asOf`: folded from its events that occurred by then, or undefined when
 * it had not been received yet.
 */
export function foldAsOf(
  events: readonly DossierEvent[],
  asOf: number,
  working: WorkingTime,
  options: FoldOptions = {},
): Dossier | undefined {
  const known = events.filter((event) => event.occurredAt <= asOf);
  if (!known.some((event) => event.type === "received")) return undefined;
  return foldDossier(known, working, options);
}
