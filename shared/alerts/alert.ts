import { formatInstant } from "../calendar/index.ts";

export const RECIPIENT_ROLES = ["handler", "unit-leader", "agency-leader", "citizen"] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];
export type StaffRole = Exclude<RecipientRole, "citizen">;
export const ALERT_CHANNELS = ["sms", "email"] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/**
 * "notice": a message to a person. "apology-draft-requested": a command for the letters module
 * to draft the apology (NĐ 61/2018 Art. 19(9)); the draft goes to the unit leader for approval.
 */
export type AlertKind = "notice" | "apology-draft-requested";

/**
 * An alert the policy plans for a dossier. Contacts are not here: the notify layer resolves
 * `recipientId` through the directory, and the applicant's contact from the dossier, at send time.
 */
export interface PlannedAlert {
  /** When to send (epoch ms); SMS already moved out of the quiet hours. */
  at: number;
  dossier: string;
  rule: string;
  kind: AlertKind;
  recipientRole: RecipientRole;
  /** The person, when the directory knows them (a handler's id, a leader's id). */
  recipientId?: string | undefined;
  /** The recipient's agency; for a citizen notice, the receiving agency (whose policy applies). */
  agencyId: string;
  unitId?: string | undefined;
  /** The step a step alert is about. */
  stepId?: string | undefined;
  channel: AlertChannel;
  /** The appointment version the alert belongs to: bumped only by a restart or an apology. */
  appointmentVersion: number;
  /** The due instant a warning or an escalation is about. */
  dueAt?: number | undefined;
  /** A warning is pointless once this instant has passed (its due instant): the sweep drops it. */
  expiresAt?: number | undefined;
  /**
   * The apology alerts: when the apology must be issued by — the law's last moment, L (one
   * working day before the legal due instant), or, for a short allotment, apology-overdue's
   * instant. The notice states it.
   */
  actBy?: number | undefined;
  /**
   * Stable identity: dossier / rule / appointment version (not for step alerts) / step or supplement
   * round / recipient / channel. The
   * instant is not part of it, so a re-planned alert (a pause, a calendar change) is never sent twice.
   */
  dedupeKey: string;
}

export interface AlertJson {
  at: string;
  dossier: string;
  rule: string;
  kind: AlertKind;
  recipientRole: RecipientRole;
  recipientId?: string;
  agencyId: string;
  unitId?: string;
  stepId?: string;
  channel: AlertChannel;
  appointmentVersion: number;
  dueAt?: string;
  dedupeKey: string;
}

export function alertToJson(alert: PlannedAlert): AlertJson {
  const json: AlertJson = {
    at: formatInstant(alert.at),
    dossier: alert.dossier,
    rule: alert.rule,
    kind: alert.kind,
    recipientRole: alert.recipientRole,
    agencyId: alert.agencyId,
    channel: alert.channel,
    appointmentVersion: alert.appointmentVersion,
    dedupeKey: alert.dedupeKey,
  };
  if (alert.recipientId !== undefined) json.recipientId = alert.recipientId;
  if (alert.unitId !== undefined) json.unitId = alert.unitId;
  if (alert.stepId !== undefined) json.stepId = alert.stepId;
  if (alert.dueAt !== undefined) json.dueAt = formatInstant(alert.dueAt);
  return json;
}

export interface DedupeParts {
  dossier: string;
  rule: string;
  /** Omitted for step alerts: a step is its own subject, whatever the appointment. */
  version?: number | undefined;
  subject?: string | undefined;
  recipientKey: string;
  channel: AlertChannel;
}

export function dedupeKey(parts: DedupeParts): string {
  const version = parts.version === undefined ? "" : `/v${parts.version}`;
  const subject = parts.subject === undefined ? "" : `/${parts.subject}`;
  return `${parts.dossier}/${parts.rule}${version}${subject}/${parts.recipientKey}/${parts.channel}`;
}

/** Time order; alerts at one instant by rule, then by dedupe key (deterministic output). */
export function compareAlerts(
  a: { at: number; rule: string; dedupeKey: string },
  b: { at: number; rule: string; dedupeKey: string },
): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0;
}
