import { formatInstant, instantOfLocal, isoDate, localEpochDay, parseClock } from "../calendar/index.ts";
import {
  currentAppointment,
  DEFAULT_DOSSIER_POLICY,
  type Dossier,
  type DossierPolicy,
  isAcknowledged,
  isOpen,
  progressAt,
} from "../dossier/index.ts";
import type { AlertChannel, RecipientRole } from "./alert.ts";
import type { AlertPolicy } from "./alert-policy.ts";
import { recipientKey, recipientsFor } from "./directory.ts";
import type { AlertContext } from "./plan.ts";

export interface DigestEntry {
  dossier: string;
  procedure: string;
  agencyId: string;
  unitId: string | undefined;
  handlerId: string | undefined;
  legalDueAt: number;
  currentAppointment: number;
  /** Office time past the legal due instant at the digest's instant. */
  overdueOfficeMs: number;
  apologyIssued: boolean;
  acknowledged: boolean;
  /**
   * Set when the clock is stopped at the digest's instant — the dossier, already overdue, waits on
   * a pause ("tạm dừng") or on the applicant's supplement ("chờ bổ sung"); its escalation waits too.
   */
  clockStopped?: "paused" | "awaiting-supplement";
}

/** One message to one leader listing every overdue dossier of theirs (not one message per dossier). */
export interface Digest {
  at: number;
  /** The local date, YYYY-MM-DD. */
  date: string;
  rule: "daily-digest";
  recipientRole: RecipientRole;
  recipientId?: string;
  agencyId?: string;
  unitId?: string;
  channel: AlertChannel;
  /** One per leader per local date. */
  dedupeKey: string;
  entries: DigestEntry[];
}

/**
 * The daily digests for the local date of `now`, at the policy's hour (07:30) on working days;
 * none on other days or before that hour. The leaders (unit and agency) of the unit that caused
 * the delay and of the unit holding the dossier now each get one digest listing all of theirs. The dossiers must be folded from the events known at `now`.
 */
export function buildDigests(
  dossiers: readonly Dossier[],
  now: number,
  policy: AlertPolicy,
  context: AlertContext,
  dossierPolicy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): Digest[] {
  const day = localEpochDay(now);
  const at = instantOfLocal(day, parseClock(policy.digest.at));
  if (!policy.digest.enabled || now < at || !context.workingTime.isWorkingDay(day)) return [];
  const date = isoDate(day);
  const digests = new Map<string, Digest>();
  for (const dossier of dossiers) {
    if (!isOpen(dossier)) continue;
    const progress = progressAt(dossier, at, context.workingTime, dossierPolicy);
    if (progress.status !== "qua-han") continue;
    const holder = progress.delay?.assignment ?? dossier.current;
    const entry: DigestEntry = {
      dossier: dossier.code,
      procedure: dossier.received.procedure.name,
      agencyId: holder.agency.id,
      unitId: holder.unit?.id,
      handlerId: holder.handler?.id,
      legalDueAt: progress.projectedLegalDueAt,
      currentAppointment: currentAppointment(dossier).at,
      overdueOfficeMs: -progress.remainingOfficeMs,
      apologyIssued: dossier.apology !== undefined,
      acknowledged: isAcknowledged(dossier, currentAppointment(dossier).version),
    };
    if (progress.awaitingSupplement) entry.clockStopped = "awaiting-supplement";
    else if (progress.paused) entry.clockStopped = "paused";
    // The leaders of the unit that caused the delay, and of the unit holding the dossier now.
    const holders = holder === dossier.current ? [holder] : [holder, dossier.current];
    for (const role of policy.digest.roles) {
      for (const recipient of holders.flatMap((who) => recipientsFor(role, who, context.directory))) {
        const key = `digest/${recipientKey(recipient)}/${date}`;
        let digest = digests.get(key);
        if (!digest) {
          digest = {
            at,
            date,
            rule: "daily-digest",
            recipientRole: recipient.role,
            channel: policy.digest.channel,
            dedupeKey: key,
            entries: [],
          };
          if (recipient.id !== undefined) digest.recipientId = recipient.id;
          if (recipient.agencyId !== undefined) digest.agencyId = recipient.agencyId;
          if (recipient.unitId !== undefined) digest.unitId = recipient.unitId;
          digests.set(key, digest);
        }
        if (!digest.entries.some((existing) => existing.dossier === entry.dossier))
          digest.entries.push(entry);
      }
    }
  }
  const out = [...digests.values()];
  for (const digest of out)
    digest.entries.sort((a, b) => a.legalDueAt - b.legalDueAt || (a.dossier < b.dossier ? -1 : 1));
  return out.sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0));
}

export function digestToJson(digest: Digest) {
  return {
    ...digest,
    at: formatInstant(digest.at),
    entries: digest.entries.map((entry) => ({
      ...entry,
      legalDueAt: formatInstant(entry.legalDueAt),
      currentAppointment: formatInstant(entry.currentAppointment),
    })),
  };
}
