import type { AlertKind, PlannedAlert } from "../alerts/index.ts";
import { formatInstant, type WorkingTime } from "../calendar/index.ts";
import { canonicalJson } from "../canonical-json.ts";
import {
  currentAppointment,
  type Dossier,
  type DossierEventJson,
  isOpen,
  progressAt,
  reachedDueAt,
} from "../dossier/index.ts";
import type {
  AgendaEntry,
  AgendaRepository,
  AlertLog,
  DossierListing,
  DossierRepository,
  PlannedAlertRecord,
} from "./ports.ts";

/**
 * How the app stores the domain's values through the storage ports: events in their wire form
 * (ISO instants, as validated at the edge), the folded `Dossier` as the state snapshot (`null`
 * while only events before the reception are known), and planned alerts as `AgendaAlert`.
 */
export type DossierSnapshot = Dossier | null;
export type AppDossierRepository = DossierRepository<DossierEventJson, DossierSnapshot, AgendaAlert>;
export type AppAgendaRepository = AgendaRepository<AgendaAlert>;
export type AppAlertLog = AlertLog<AgendaAlert>;

/**
 * What a notice needs besides the alert, captured when the alert is planned so the sweep and the
 * notify function need not read the dossier again for staff notices. No personal data: names of
 * procedures, agencies, units and staff only (applicant contacts are read at send time).
 */
export interface NoticeContext {
  readonly procedureName: string;
  readonly agencyName: string;
  /** The unit holding the dossier when the alert was planned. */
  readonly unitName: string;
  readonly handlerName?: string;
  /** The reception (ISO): the decree a notice cites follows it (NĐ 61/2018 or NĐ 118/2025). */
  readonly receivedAt?: string;
}

/** A planned alert as the agenda stores it: the domain's PlannedAlert with ISO instants. */
export interface AgendaAlert extends PlannedAlertRecord {
  readonly kind: AlertKind;
  readonly appointmentVersion: number;
  readonly unitId?: string;
  readonly stepId?: string;
  readonly dueAt?: string;
  /** The sweep drops the alert unsent once this instant has passed (a warning overtaken). */
  readonly expiresAt?: string;
  /** The apology alerts: the apology is due by then (PlannedAlert.actBy). */
  readonly actBy?: string;
  readonly context: NoticeContext;
}

export function toAgendaAlert(alert: PlannedAlert, dossier: Dossier): AgendaAlert {
  const holder = dossier.current;
  return {
    at: formatInstant(alert.at),
    dedupeKey: alert.dedupeKey,
    rule: alert.rule,
    kind: alert.kind,
    recipientRole: alert.recipientRole,
    recipientId: alert.recipientId,
    channel: alert.channel,
    dossierCode: alert.dossier,
    // A citizen notice names no agency: it belongs to the receiving one.
    agencyId: alert.agencyId ?? dossier.received.agency.id,
    unitId: alert.unitId,
    stepId: alert.stepId,
    appointmentVersion: alert.appointmentVersion,
    dueAt: alert.dueAt === undefined ? undefined : formatInstant(alert.dueAt),
    expiresAt: alert.expiresAt === undefined ? undefined : formatInstant(alert.expiresAt),
    actBy: alert.actBy === undefined ? undefined : formatInstant(alert.actBy),
    context: {
      procedureName: dossier.received.procedure.name,
      agencyName: holder.agency.name,
      unitName: holder.unit?.name ?? dossier.received.unit.name,
      handlerName: holder.handler?.name,
      receivedAt: formatInstant(dossier.received.receivedAt),
    },
  };
}

/** Open dossiers are listed (digest, dashboard) by phase; a finished or closed one leaves the index. */
export const OPEN_STATUSES = ["in-progress", "paused", "awaiting-supplement"] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export function listingOf(dossier: Dossier, now: number, working: WorkingTime): DossierListing | undefined {
  if (!isOpen(dossier)) return undefined;
  const progress = progressAt(dossier, now, working);
  const legalDue = reachedDueAt(dossier, working, "legal");
  return {
    agencyId: dossier.received.agency.id,
    status: progress.phase,
    // Overdue is measured against the legal due instant: an apology does not make a late dossier on time.
    // A clock stopped after the due instant leaves the dossier overdue (the digest lists it).
    dueAt: legalDue === undefined ? undefined : formatInstant(legalDue),
    summary: {
      procedureName: dossier.received.procedure.name,
      currentAgencyId: dossier.current.agency.id,
      unitId: dossier.current.unit?.id,
      // The unit that made it late (NĐ 61/2018 Art. 19(7)): its leader sees it too (a unit leader's scope).
      delayUnitId: progress.delay?.assignment.unit?.id,
      handlerId: dossier.current.handler?.id,
      appointment: formatInstant(currentAppointment(dossier).at),
      apologyIssued: dossier.apology !== undefined,
      // The open step, the handler's next piece of work ("Hồ sơ của tôi"), and its own due instant.
      ...nextStepOf(dossier),
    },
  };
}

function nextStepOf(dossier: Dossier): { stepTask?: string; stepDueAt?: string } {
  const step = dossier.steps.findLast((candidate) => candidate.finishedAt === undefined);
  if (step === undefined) return {};
  return {
    ...(step.task === undefined ? {} : { stepTask: step.task }),
    ...(step.dueAt === undefined ? {} : { stepDueAt: formatInstant(step.dueAt) }),
  };
}

/**
 * The agenda to save: the new plan, plus every entry already handled that the plan no longer
 * holds. Done entries are the dossier's record of the alerts sent (`GET /dossiers/{code}` lists
 * them); keeping them costs nothing on the sweep path (they are out of the agenda index).
 */
export function nextAgenda(
  previous: readonly AgendaEntry<AgendaAlert>[],
  plan: readonly AgendaAlert[],
): AgendaAlert[] {
  const planned = new Set(plan.map((alert) => alert.dedupeKey));
  const kept = previous
    .filter((entry) => entry.doneAt !== undefined && !planned.has(entry.alert.dedupeKey))
    .map((entry) => entry.alert);
  return [...plan, ...kept];
}

/** True when saving `next` would change nothing stored (the repository skips done entries too). */
export function sameAgenda(
  previous: readonly AgendaEntry<AgendaAlert>[],
  next: readonly AgendaAlert[],
): boolean {
  const before = new Map(previous.map((entry) => [entry.alert.dedupeKey, entry]));
  if (before.size !== next.length) return false;
  for (const alert of next) {
    const old = before.get(alert.dedupeKey);
    if (old === undefined) return false;
    if (old.doneAt === undefined && canonicalJson(old.alert) !== canonicalJson(alert)) return false;
  }
  return true;
}
