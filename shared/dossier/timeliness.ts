import { localEpochDay, WORKING_DAY_MS, WORKING_HOUR_MS, type WorkingTime } from "../calendar/index.ts";
import { type Assignment, type Dossier, isOpen, legalAppointment } from "./dossier.ts";
import { asPauses, extendByStops, stoppedOfficeTime } from "./stopped-clock.ts";

/**
 * Timeliness classes as provincial e-one-stop systems report them (docs/law.md, "Timeliness
 * classes"): in progress — trong hạn, sắp đến hạn, quá hạn; finished — trước hạn, đúng hạn,
 * quá hạn, by local date.
 */
export type InProgressStatus = "trong-han" | "sap-den-han" | "qua-han";
export type FinishedStatus = "truoc-han" | "dung-han" | "qua-han";
export type TimelinessStatus = InProgressStatus | FinishedStatus;

export type Phase =
  | "in-progress"
  | "paused"
  | "awaiting-supplement"
  | "finished"
  | "returned"
  | "rejected"
  | "withdrawn"
  | "stopped";

export interface Offset {
  amount: number;
  unit: "working-days" | "working-hours";
}

/** Dossier rules that are deployment data, not code (docs/architecture.md, law as data). */
export interface DossierPolicy {
  /**
   * "Sắp đến hạn": still on time and due within this much office time. Provincial systems call a
   * dossier due within 24 h "sắp hết hạn"; one working day is the office-time reading of that.
   */
  warningWindow: Offset;
  /**
   * When the calendar changes (a year announced or corrected), appointments already given to the
   * applicant stay as given: the receipt is a promise (NĐ 61/2018 Art. 18 — Mẫu 01 states it).
   */
  keepPromisedAppointment: boolean;
}

export const DEFAULT_DOSSIER_POLICY: DossierPolicy = {
  warningWindow: { amount: 1, unit: "working-days" },
  keepPromisedAppointment: true,
};

export function offsetMs(offset: Offset): number {
  return offset.amount * (offset.unit === "working-days" ? WORKING_DAY_MS : WORKING_HOUR_MS);
}

export type DelayReason = "step-finished-late" | "step-overdue" | "dossier-overdue";

/** Which unit or step caused a delay (NĐ 61/2018 Art. 19(7): that unit apologises). */
export interface Delay {
  reason: DelayReason;
  /** The step at fault; undefined when the dossier never left the receiving unit. */
  stepId: string | undefined;
  assignment: Assignment;
}

/** A dossier read at an instant. */
export interface Progress {
  /** The instant read: `now`, or the finish or closure when earlier. */
  at: number;
  phase: Phase;
  /** Null for a rejected, withdrawn or stopped dossier (counted apart in reports). */
  status: TimelinessStatus | null;
  paused: boolean;
  awaitingSupplement: boolean;
  /** The legal due instant with a stopped clock restarted at `at` (equal to `legalDueAt` while it runs). */
  projectedLegalDueAt: number;
  projectedDueAt: number;
  /** Office time counted against the limit from the latest receipt or restart up to `at`. */
  elapsedOfficeMs: number;
  /** Office time left until the legal due instant (negative once overdue). */
  remainingOfficeMs: number;
  /** Office time left until the current appointment (differs after an apology). */
  remainingToDueOfficeMs: number;
  delay: Delay | undefined;
}

/**
 * Reads a dossier at `now`. The dossier must have been folded from the events known at `now`;
 * a finished dossier is read at its finish.
 */
export function progressAt(
  dossier: Dossier,
  now: number,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): Progress {
  const endAt = dossier.finishedAt ?? dossier.closure?.at;
  const at = endAt === undefined ? now : Math.min(now, endAt);
  const paused =
    isOpen(dossier) && dossier.stops.some((stop) => stop.kind === "pause" && stop.end === undefined);
  const awaitingSupplement =
    isOpen(dossier) && dossier.stops.some((stop) => stop.kind === "supplement" && stop.end === undefined);
  const legal = legalAppointment(dossier);
  const pauses = asPauses(dossier.stops, at);
  const projectedLegalDueAt = dossier.legalDueAt ?? extendByStops(working, legal.startAt, legal.at, pauses)!;
  const current = dossier.appointments[dossier.appointments.length - 1]!;
  const projectedDueAt =
    dossier.dueAt ??
    (current === legal ? projectedLegalDueAt : extendByStops(working, current.startAt, current.at, pauses)!);
  const atOffice = working.officeTimeAt(at);
  const remainingOfficeMs = working.officeTimeAt(projectedLegalDueAt) - atOffice;
  const remainingToDueOfficeMs = working.officeTimeAt(projectedDueAt) - atOffice;
  const elapsedOfficeMs =
    at <= legal.startAt
      ? 0
      : working.workingTimeBetween(legal.startAt, at) - stoppedOfficeTime(working, legal.startAt, at, pauses);

  let status: TimelinessStatus | null;
  if (dossier.closure) status = null;
  else if (dossier.finishedAt !== undefined) status = finishedStatus(dossier.finishedAt, projectedLegalDueAt);
  else status = inProgressStatus(projectedLegalDueAt, now, working, policy);

  return {
    at,
    phase: phaseOf(dossier, now, paused, awaitingSupplement),
    status,
    paused,
    awaitingSupplement,
    projectedLegalDueAt,
    projectedDueAt,
    elapsedOfficeMs,
    remainingOfficeMs,
    remainingToDueOfficeMs,
    delay: delayOf(dossier, at, status === "qua-han"),
  };
}

/**
 * An open dossier's class at `now` against its legal due instant: "qua-han" once past it,
 * "sap-den-han" while at most the warning window of office time is left, "trong-han" before.
 */
export function inProgressStatus(
  legalDueAt: number,
  now: number,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): InProgressStatus {
  if (now > legalDueAt) return "qua-han";
  const remaining = working.officeTimeAt(legalDueAt) - working.officeTimeAt(now);
  return remaining <= offsetMs(policy.warningWindow) ? "sap-den-han" : "trong-han";
}

/**
 * The first due instant that is no longer "sap-den-han" at `now`: dossiers due in [now, this)
 * are due soon. Office time stands still outside office hours, so the bound is the first
 * millisecond of office time past the warning window (a due instant that evening still counts).
 */
export function dueSoonBound(
  now: number,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): number {
  return working.instantAtOfficeTime(working.officeTimeAt(now) + offsetMs(policy.warningWindow) + 1);
}

/**
 * A finished dossier is compared with its due instant by local date, as provincial reports do:
 * finished on the due date is "đúng hạn" even after the due hour, an earlier date "trước hạn".
 */
export function finishedStatus(finishedAt: number, dueAt: number): FinishedStatus {
  const finishDay = localEpochDay(finishedAt);
  const dueDay = localEpochDay(dueAt);
  return finishDay < dueDay ? "truoc-han" : finishDay === dueDay ? "dung-han" : "qua-han";
}

function phaseOf(dossier: Dossier, now: number, paused: boolean, awaitingSupplement: boolean): Phase {
  if (dossier.closure) return dossier.closure.kind;
  if (dossier.returnedAt !== undefined && dossier.returnedAt <= now) return "returned";
  if (dossier.finishedAt !== undefined) return "finished";
  if (awaitingSupplement) return "awaiting-supplement";
  if (paused) return "paused";
  return "in-progress";
}

/**
 * The first step finished after its own due instant; else the open step past its due instant;
 * else, when the dossier itself is overdue, whoever holds it.
 */
export function delayOf(dossier: Dossier, at: number, overdue: boolean): Delay | undefined {
  for (const step of dossier.steps) {
    if (step.dueAt !== undefined && step.finishedAt !== undefined && step.finishedAt > step.dueAt) {
      return { reason: "step-finished-late", stepId: step.id, assignment: step.assignment };
    }
  }
  const open = dossier.steps[dossier.steps.length - 1];
  if (open && open.finishedAt === undefined && open.dueAt !== undefined && at > open.dueAt) {
    return { reason: "step-overdue", stepId: open.id, assignment: open.assignment };
  }
  if (overdue) return { reason: "dossier-overdue", stepId: open?.id, assignment: dossier.current };
  return undefined;
}
