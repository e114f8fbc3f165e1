import { formatInstant, type TimeLimit, WORKING_DAY_MS, type WorkingTime } from "../calendar/index.ts";
import type { AppointmentKind, Assignment, Dossier } from "./dossier.ts";
import type { Applicant, Organisation, Person, Procedure, SupplementPolicy } from "./events.ts";
import {
  DEFAULT_DOSSIER_POLICY,
  type DelayReason,
  type DossierPolicy,
  type Phase,
  progressAt,
  type TimelinessStatus,
} from "./timeliness.ts";

/** An ISO-8601 instant with the +07:00 offset, e.g. "2026-11-26T09:00:00+07:00". */
export type IsoInstant = string;

export interface AssignmentJson {
  agency: Organisation;
  unit: Organisation | null;
  handler: Person | null;
}

/**
 * A dossier read at an instant, as JSON: what `dunghan simulate --now` prints and what the
 * apology letter (`dunghan letter --dossier`) reads — agency, unit, procedure, applicant,
 * reception, original and current appointment, apology, the unit that caused a delay.
 * The applicant's contact details are here because the letter prints them; keep this document
 * out of logs (NĐ 13/2023/NĐ-CP).
 */
export interface DossierState {
  dossierCode: string;
  asOf: IsoInstant;
  procedure: {
    code: string;
    name: string;
    field: string | null;
    timeLimit: TimeLimit;
    cutoff: string | null;
  };
  supplementPolicy: SupplementPolicy;
  agency: Organisation;
  unit: Organisation;
  channel: "online" | "in-person" | "postal";
  applicant: Applicant;
  receivedAt: IsoInstant;
  /** The appointment on the receipt (Mẫu 01). */
  originalAppointment: IsoInstant;
  /** The latest appointment given: after a supplement restart or an apology. */
  currentAppointment: IsoInstant;
  appointmentVersion: number;
  appointments: { version: number; kind: AppointmentKind; at: IsoInstant; givenAt: IsoInstant }[];
  /** Due instant under the time limit (moved by stopped time); null while the clock is stopped. */
  legalDueAt: IsoInstant | null;
  /** Due instant of the current appointment; null while the clock is stopped. */
  dueAt: IsoInstant | null;
  phase: Phase;
  /** trong-han | sap-den-han | qua-han in progress; truoc-han | dung-han | qua-han finished; null when closed. */
  status: TimelinessStatus | null;
  paused: boolean;
  awaitingSupplement: boolean;
  elapsed: { officeMs: number; workingDays: number };
  remaining: { officeMs: number; workingDays: number };
  current: AssignmentJson;
  steps: {
    id: string;
    kind: "assigned" | "transferred";
    task: string | null;
    assignment: AssignmentJson;
    startedAt: IsoInstant;
    allotment: TimeLimit | null;
    dueAt: IsoInstant | null;
    finishedAt: IsoInstant | null;
    late: boolean;
  }[];
  /** Which unit or step caused the delay (NĐ 61/2018 Art. 19(7)); null when nothing is late. */
  delay: { reason: DelayReason; stepId: string | null; assignment: AssignmentJson } | null;
  apology: {
    issuedAt: IsoInstant;
    reason: string;
    responsibleUnit: Organisation;
    newAppointment: IsoInstant;
    letterNumber: string | null;
  } | null;
  supplements: {
    requestedAt: IsoInstant;
    reason: string;
    documents: string[];
    receivedAt: IsoInstant | null;
  }[];
  pauses: { start: IsoInstant; end: IsoInstant | null; reason: string | null }[];
  finishedAt: IsoInstant | null;
  returnedAt: IsoInstant | null;
  closure: { kind: "rejected" | "withdrawn" | "stopped"; at: IsoInstant; reason: string | null } | null;
  acknowledgements: { at: IsoInstant; by: { id: string; role: string }; version: number }[];
  anomalies: string[];
}

const iso = (ms: number | undefined): IsoInstant | null => (ms === undefined ? null : formatInstant(ms));
const workingDays = (officeMs: number) => Math.round((officeMs / WORKING_DAY_MS) * 100) / 100;

function assignmentJson(assignment: Assignment): AssignmentJson {
  return { agency: assignment.agency, unit: assignment.unit ?? null, handler: assignment.handler ?? null };
}

function procedureJson(procedure: Procedure): DossierState["procedure"] {
  return {
    code: procedure.code,
    name: procedure.name,
    field: procedure.field ?? null,
    timeLimit: procedure.timeLimit,
    cutoff: procedure.cutoff ?? null,
  };
}

/** The dossier at `now` as JSON (the dossier folded from the events known at `now`). */
export function describeDossier(
  dossier: Dossier,
  now: number,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): DossierState {
  const progress = progressAt(dossier, now, working, policy);
  const { received } = dossier;
  const first = dossier.appointments[0]!;
  const last = dossier.appointments[dossier.appointments.length - 1]!;
  return {
    dossierCode: dossier.code,
    asOf: formatInstant(now),
    procedure: procedureJson(received.procedure),
    supplementPolicy: dossier.supplementPolicy,
    agency: received.agency,
    unit: received.unit,
    channel: received.channel,
    applicant: received.applicant,
    receivedAt: formatInstant(received.receivedAt),
    originalAppointment: formatInstant(first.at),
    currentAppointment: formatInstant(last.at),
    appointmentVersion: last.version,
    appointments: dossier.appointments.map((version) => ({
      version: version.version,
      kind: version.kind,
      at: formatInstant(version.at),
      givenAt: formatInstant(version.givenAt),
    })),
    legalDueAt: iso(dossier.legalDueAt),
    dueAt: iso(dossier.dueAt),
    phase: progress.phase,
    status: progress.status,
    paused: progress.paused,
    awaitingSupplement: progress.awaitingSupplement,
    elapsed: { officeMs: progress.elapsedOfficeMs, workingDays: workingDays(progress.elapsedOfficeMs) },
    remaining: { officeMs: progress.remainingOfficeMs, workingDays: workingDays(progress.remainingOfficeMs) },
    current: assignmentJson(dossier.current),
    steps: dossier.steps.map((step) => ({
      id: step.id,
      kind: step.kind,
      task: step.task ?? null,
      assignment: assignmentJson(step.assignment),
      startedAt: formatInstant(step.startedAt),
      allotment: step.allotment ?? null,
      dueAt: iso(step.dueAt),
      finishedAt: iso(step.finishedAt),
      late: step.dueAt !== undefined && (step.finishedAt ?? progress.at) > step.dueAt,
    })),
    delay: progress.delay
      ? {
          reason: progress.delay.reason,
          stepId: progress.delay.stepId ?? null,
          assignment: assignmentJson(progress.delay.assignment),
        }
      : null,
    apology: dossier.apology
      ? {
          issuedAt: formatInstant(dossier.apology.occurredAt),
          reason: dossier.apology.reason,
          responsibleUnit: dossier.apology.responsibleUnit,
          newAppointment: formatInstant(dossier.apology.newAppointment),
          letterNumber: dossier.apology.letterNumber ?? null,
        }
      : null,
    supplements: dossier.supplements.map((round) => ({
      requestedAt: formatInstant(round.requestedAt),
      reason: round.reason,
      documents: [...round.documents],
      receivedAt: iso(round.receivedAt),
    })),
    pauses: dossier.stops
      .filter((stop) => stop.kind === "pause")
      .map((stop) => ({ start: formatInstant(stop.start), end: iso(stop.end), reason: stop.reason ?? null })),
    finishedAt: iso(dossier.finishedAt),
    returnedAt: iso(dossier.returnedAt),
    closure: dossier.closure
      ? {
          kind: dossier.closure.kind,
          at: formatInstant(dossier.closure.at),
          reason: dossier.closure.reason ?? null,
        }
      : null,
    acknowledgements: dossier.acknowledgements.map((ack) => ({
      at: formatInstant(ack.at),
      by: ack.by,
      version: ack.version,
    })),
    anomalies: [...dossier.anomalies],
  };
}
