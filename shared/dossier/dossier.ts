import type { TimeLimit } from "../calendar/index.ts";
import type { EventOfType, Organisation, Person, ReceivedEvent, SupplementPolicy } from "./events.ts";

/**
 * A dossier as the fold of its events on one working-time calendar: every instant is epoch
 * milliseconds and nothing depends on `now`. `progressAt` (timeliness.ts) reads it at an instant;
 * `describeDossier` (dossier-state.ts) turns it into the JSON the CLI and the letters read.
 */
export interface Dossier {
  readonly code: string;
  readonly received: ReceivedEvent;
  readonly supplementPolicy: SupplementPolicy;
  /**
   * Every appointment given to the applicant, oldest first: the receipt, a new receipt after a
   * supplement restart, the apology's new date. Never empty. The version number is part of alert
   * dedupe keys, so it changes only on a restart or an apology.
   */
  readonly appointments: readonly AppointmentVersion[];
  /**
   * The due instant the time limit gives (latest receipt or restart, moved by stopped office
   * time); undefined while an open pause or supplement wait stops the clock — also when the stop
   * began after the due instant (`reachedDueAt` gives the instant then). Timeliness classes are
   * measured against it: an apology does not make a late dossier on time.
   */
  readonly legalDueAt: number | undefined;
  /** The instant the work is now due: the apology's new date when there is one, else `legalDueAt`. */
  readonly dueAt: number | undefined;
  /** Pauses and supplement waits, in time order; `end` absent while still open. */
  readonly stops: readonly ClockStop[];
  readonly steps: readonly Step[];
  /** Who holds the dossier now: the open step's assignee, else the receiving unit. */
  readonly current: Assignment;
  readonly apology: EventOfType<"apology-issued"> | undefined;
  /** "Đã xử lý xong": the result-ready instant (or the return, when no result-ready was recorded). */
  readonly finishedAt: number | undefined;
  readonly returnedAt: number | undefined;
  readonly closure: Closure | undefined;
  readonly acknowledgements: readonly Acknowledgement[];
  /** Facts the fold ignored (a resume without a pause…), for people to look at; never personal data. */
  readonly anomalies: readonly string[];
  readonly supplements: readonly SupplementRound[];
  readonly lastEventAt: number;
}

export type AppointmentKind = "receipt" | "restart" | "apology";

export interface AppointmentVersion {
  readonly version: number;
  readonly kind: AppointmentKind;
  /** The event that gave it: stable across re-evaluations, the key of a promised appointment. */
  readonly eventId: string;
  /** When the applicant was told (the event's instant). */
  readonly givenAt: number;
  /** Where this version's clock starts: the reception after the cut-off rule, or the apology. */
  readonly startAt: number;
  readonly at: number;
  /** Office milliseconds between `startAt` and `at`: the allotment this version grants. */
  readonly allotmentMs: number;
  /**
   * The due instant the time limit alone gives from `startAt` (computed, before stops). `at`
   * differs when the receiving system recorded another appointment or a promised one was kept;
   * the apology clock counts from the earlier of the two. Absent in snapshots folded before it
   * existed (read it as `at`); equal to `at` for an apology.
   */
  readonly limitAt?: number;
}

export interface Assignment {
  readonly agency: Organisation;
  readonly unit: Organisation | undefined;
  readonly handler: Person | undefined;
}

export interface Step {
  /** The id of the event that opened the step. */
  readonly id: string;
  readonly kind: "assigned" | "transferred";
  readonly assignment: Assignment;
  readonly task: string | undefined;
  readonly startedAt: number;
  /** Where the step's clock starts: its start, or a supplement restart while it was open. */
  readonly countFrom: number;
  readonly allotment: TimeLimit | undefined;
  /** Undefined when the step has no allotment of its own, or while the clock is stopped. */
  readonly dueAt: number | undefined;
  /** True when the due instant was written on the slip (the event's `dueAt`), not computed. */
  readonly dueRecorded: boolean;
  readonly finishedAt: number | undefined;
}

export interface ClockStop {
  readonly kind: "pause" | "supplement";
  readonly eventId: string;
  readonly start: number;
  readonly end: number | undefined;
  readonly reason: string | undefined;
}

export interface SupplementRound {
  readonly requestId: string;
  readonly requestedAt: number;
  readonly reason: string;
  readonly documents: readonly string[];
  readonly receivedAt: number | undefined;
}

export interface Closure {
  readonly kind: "rejected" | "withdrawn" | "stopped";
  readonly at: number;
  readonly reason: string | undefined;
}

export interface Acknowledgement {
  readonly at: number;
  readonly by: { readonly id: string; readonly role: "handler" | "unit-leader" | "agency-leader" };
  /** The appointment version current when acknowledged: escalation stops for that version only. */
  readonly version: number;
}

export function currentAppointment(dossier: Dossier): AppointmentVersion {
  return dossier.appointments[dossier.appointments.length - 1]!;
}

/** The version the time limit runs on: the latest receipt or restart (an apology is not one). */
export function legalAppointment(dossier: Dossier): AppointmentVersion {
  for (let i = dossier.appointments.length - 1; i >= 0; i--) {
    const version = dossier.appointments[i]!;
    if (version.kind !== "apology") return version;
  }
  return dossier.appointments[0]!;
}

/** Open: not finished and not closed (paused and awaiting-supplement dossiers are open). */
export function isOpen(dossier: Dossier): boolean {
  return dossier.finishedAt === undefined && dossier.closure === undefined;
}

export function isAcknowledged(dossier: Dossier, version: number): boolean {
  return dossier.acknowledgements.some((ack) => ack.version === version);
}

/**
 * When the escalation of an appointment version was stopped: the first acknowledgement of that
 * version by a leader (unit or agency) at or after its due instant. A handler's acknowledgement is
 * recorded and shown but silences no leader, and nobody can acknowledge a delay before it exists.
 */
export function escalationStoppedAt(dossier: Dossier, version: number, dueAt: number): number | undefined {
  let stoppedAt: number | undefined;
  for (const ack of dossier.acknowledgements) {
    if (ack.version !== version || ack.by.role === "handler" || ack.at < dueAt) continue;
    if (stoppedAt === undefined || ack.at < stoppedAt) stoppedAt = ack.at;
  }
  return stoppedAt;
}

/** The clock is stopped now: an open pause or supplement wait on an open dossier. */
export function isClockStopped(dossier: Dossier): boolean {
  return isOpen(dossier) && dossier.stops.some((stop) => stop.end === undefined);
}
