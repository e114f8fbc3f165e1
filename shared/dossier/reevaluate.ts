import type { WorkingTime } from "../calendar/index.ts";
import type { Dossier } from "./dossier.ts";
import type { DossierEvent } from "./events.ts";
import { foldDossier } from "./fold.ts";
import { DEFAULT_DOSSIER_POLICY, type DossierPolicy } from "./timeliness.ts";

export interface DueChange {
  what: "appointment" | "legal-due" | "due" | "step-due";
  /** The appointment version or step concerned. */
  version?: number;
  stepId?: string;
  from: number | undefined;
  to: number | undefined;
}

export interface Reevaluation {
  dossier: Dossier;
  /** What moved; empty when the new calendar changes nothing for this dossier. */
  changes: DueChange[];
}

/**
 * Re-reads an open dossier on a new calendar (a year's announcement loaded or corrected).
 * Appointments already given to the applicant are kept as given unless the policy says otherwise
 * (`keepPromisedAppointment`); internal step due instants, which no one was promised, move with
 * the calendar. Alert dedupe keys carry the appointment version, which a calendar change never
 * bumps, so alerts already sent are not sent again.
 */
export function reevaluate(
  events: readonly DossierEvent[],
  previous: Dossier,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): Reevaluation {
  const dossier = policy.keepPromisedAppointment
    ? foldDossier(events, working, { promised: promisedAppointments(previous) })
    : foldDossier(events, working, { recomputeAppointments: true });
  return { dossier, changes: dueChanges(previous, dossier) };
}

/** The appointments a dossier has given, by the id of the event that gave each. */
export function promisedAppointments(dossier: Dossier): Map<string, number> {
  return new Map(dossier.appointments.map((version) => [version.eventId, version.at]));
}

export function dueChanges(before: Dossier, after: Dossier): DueChange[] {
  const changes: DueChange[] = [];
  for (const version of after.appointments) {
    const old = before.appointments.find((candidate) => candidate.eventId === version.eventId);
    if (old && old.at !== version.at) {
      changes.push({ what: "appointment", version: version.version, from: old.at, to: version.at });
    }
  }
  if (before.legalDueAt !== after.legalDueAt) {
    changes.push({ what: "legal-due", from: before.legalDueAt, to: after.legalDueAt });
  }
  if (before.dueAt !== after.dueAt) changes.push({ what: "due", from: before.dueAt, to: after.dueAt });
  for (const step of after.steps) {
    const old = before.steps.find((candidate) => candidate.id === step.id);
    if (old && old.dueAt !== step.dueAt) {
      changes.push({ what: "step-due", stepId: step.id, from: old.dueAt, to: step.dueAt });
    }
  }
  return changes;
}
