import { instantOfLocal, localEpochDay, parseClock } from "../calendar/index.ts";
import {
  DEFAULT_DOSSIER_POLICY,
  type Dossier,
  type DossierEvent,
  type DossierPolicy,
  foldAsOf,
  foldDossier,
  groupByDossier,
  orderEvents,
} from "../dossier/index.ts";
import type { AlertChannel, AlertKind, RecipientRole } from "./alert.ts";
import { type AlertPolicyBook, policyFor } from "./alert-policy.ts";
import { buildDigests } from "./digest.ts";
import { type AlertContext, planAlerts } from "./plan.ts";
import { smsSendableAt } from "./quiet-hours.ts";

/** A message the simulation would send: an alert, or a digest (`dossier` null, `dossiers` listed). */
export interface SentMessage {
  at: number;
  dossier: string | null;
  dossiers?: string[];
  rule: string;
  kind: AlertKind | "digest";
  recipientRole: RecipientRole;
  recipientId?: string;
  channel: AlertChannel;
  appointmentVersion?: number;
  dedupeKey: string;
}

export interface SimulationOptions {
  book: AlertPolicyBook;
  context: AlertContext;
  dossierPolicy?: DossierPolicy;
}

/**
 * Replays events against the clock up to `until` (inclusive) and returns, in time order, every
 * message that would be sent, as a sweep reading the agenda would send them: between two events
 * of a dossier its plan is fixed; an alert that becomes due only because a fact arrived (its
 * instant already past) is sent when the fact arrives; a dedupe key is sent once. Digests go out
 * at the policy's hour on every working day, listing the dossiers overdue at that moment.
 */
export function simulateAlerts(
  events: readonly DossierEvent[],
  until: number,
  options: SimulationOptions,
): SentMessage[] {
  const { book, context } = options;
  const out: SentMessage[] = [];
  const groups = [...groupByDossier(events).values()].map(orderEvents);

  for (const ordered of groups) {
    const times = [...new Set(ordered.map((event) => event.occurredAt))];
    const sent = new Set<string>();
    for (let k = 0; k < times.length; k++) {
      const from = times[k]!;
      if (from > until) break;
      const next = times[k + 1];
      const known = ordered.filter((event) => event.occurredAt <= from);
      if (!known.some((event) => event.type === "received")) continue;
      const dossier = foldDossier(known, context.workingTime);
      const policy = policyFor(book, dossier.received.agency.id);
      for (const alert of planAlerts(dossier, policy, context)) {
        if (sent.has(alert.dedupeKey)) continue;
        if (next !== undefined ? alert.at >= next : alert.at > until) continue;
        let at = Math.max(alert.at, from);
        if (at !== alert.at && alert.channel === "sms") at = smsSendableAt(at, policy.smsWindow);
        if (at > until || (next !== undefined && at >= next)) continue;
        if (alert.expiresAt !== undefined && at >= alert.expiresAt) continue;
        sent.add(alert.dedupeKey);
        const message: SentMessage = {
          at,
          dossier: alert.dossier,
          rule: alert.rule,
          kind: alert.kind,
          recipientRole: alert.recipientRole,
          channel: alert.channel,
          appointmentVersion: alert.appointmentVersion,
          dedupeKey: alert.dedupeKey,
        };
        if (alert.recipientId !== undefined) message.recipientId = alert.recipientId;
        out.push(message);
      }
    }
  }

  out.push(...simulateDigests(groups, until, options));
  return out.sort(
    (a, b) => a.at - b.at || (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0),
  );
}

function simulateDigests(
  groups: readonly DossierEvent[][],
  until: number,
  options: SimulationOptions,
): SentMessage[] {
  const { book, context } = options;
  const policy = book.defaults;
  if (!policy.digest.enabled || groups.length === 0) return [];
  const first = Math.min(...groups.map((group) => group[0]!.occurredAt));
  const minute = parseClock(policy.digest.at);
  const out: SentMessage[] = [];
  for (let day = localEpochDay(first); day <= localEpochDay(until); day++) {
    const at = instantOfLocal(day, minute);
    if (at > until) break;
    if (!context.workingTime.isWorkingDay(day)) continue;
    const dossiers: Dossier[] = [];
    for (const group of groups) {
      const dossier = foldAsOf(group, at, context.workingTime);
      if (dossier) dossiers.push(dossier);
    }
    for (const digest of buildDigests(
      dossiers,
      at,
      policy,
      context,
      options.dossierPolicy ?? DEFAULT_DOSSIER_POLICY,
    )) {
      const message: SentMessage = {
        at: digest.at,
        dossier: null,
        dossiers: digest.entries.map((entry) => entry.dossier),
        rule: digest.rule,
        kind: "digest",
        recipientRole: digest.recipientRole,
        channel: digest.channel,
        dedupeKey: digest.dedupeKey,
      };
      if (digest.recipientId !== undefined) message.recipientId = digest.recipientId;
      out.push(message);
    }
  }
  return out;
}
