import { currentAppointment, type Dossier, type SupplementRound } from "../dossier/index.ts";
import { dedupeKey } from "./alert.ts";
import { recipientKey } from "./directory.ts";

/**
 * Whether a citizen notice is still true and useful at the moment it would be sent. Notices are
 * planned when the fact happens, but an SMS may wait for the morning (quiet hours), a queue may
 * lag, or a stack may come back after days: a receipt whose appointment has since been replaced,
 * a request for documents already handed in or a notice weeks old would only mislead the
 * applicant. Such a notice is recorded `expired` with one of these codes and never sent.
 */
export type NoticeExpiryCode =
  /** Older than the policy's `citizen.staleAfterHours` when it would go out. */
  | "TOO_OLD"
  /** A receipt, supplement request or apology after the result is ready (or handed over). */
  | "RESULT_READY"
  /** The result-ready notice after the applicant already took the result. */
  | "RESULT_RETURNED"
  /** The dossier was rejected, withdrawn or stopped. */
  | "DOSSIER_CLOSED"
  /** A receipt or apology whose appointment a newer one (restart, apology) replaced. */
  | "SUPERSEDED"
  /** A supplement request answered before its notice went out. */
  | "SUPPLEMENT_RECEIVED";

export interface NoticeExpiry {
  readonly code: NoticeExpiryCode;
  /** Safe to store and log: no personal data. */
  readonly reason: string;
}

/** What of the planned alert the rules read (AgendaAlert has these fields). */
export interface CitizenNoticeRef {
  readonly rule: string;
  /** When the notice was planned to go (ISO instant or epoch ms). */
  readonly at: number;
  readonly appointmentVersion: number;
  readonly dedupeKey: string;
  readonly channel: string;
}

const HOUR_MS = 3_600_000;

/**
 * Why the citizen notice should not be sent at `now`, or undefined when it should. Pure: the
 * dossier as stored now, the alert as planned, the policy's age limit in hours.
 */
export function citizenNoticeExpiry(
  notice: CitizenNoticeRef,
  dossier: Dossier,
  now: number,
  staleAfterHours: number,
): NoticeExpiry | undefined {
  if (now - notice.at > staleAfterHours * HOUR_MS) {
    return { code: "TOO_OLD", reason: `not sent within ${staleAfterHours} hours of its planned time` };
  }
  const closed: NoticeExpiry | undefined =
    dossier.closure === undefined
      ? undefined
      : { code: "DOSSIER_CLOSED", reason: `the dossier was ${dossier.closure.kind}` };
  const ready: NoticeExpiry | undefined =
    dossier.finishedAt === undefined
      ? undefined
      : { code: "RESULT_READY", reason: "the result is ready: the notice is no longer useful" };
  const superseded: NoticeExpiry | undefined =
    currentAppointment(dossier).version > notice.appointmentVersion
      ? { code: "SUPERSEDED", reason: "a newer appointment was given to the applicant" }
      : undefined;
  switch (notice.rule) {
    case "citizen-receipt":
    case "citizen-apology":
      return closed ?? ready ?? superseded;
    case "citizen-supplement-requested": {
      const round = supplementRoundOf(notice, dossier);
      if (round?.receivedAt !== undefined) {
        return {
          code: "SUPPLEMENT_RECEIVED",
          reason: "the supplement was received before the notice went out",
        };
      }
      return closed ?? ready;
    }
    case "citizen-result-ready":
      return dossier.returnedAt === undefined
        ? undefined
        : { code: "RESULT_RETURNED", reason: "the result was already handed over" };
    default:
      return undefined;
  }
}

/** The supplement round a `citizen-supplement-requested` notice was planned for (its dedupe key names it). */
export function supplementRoundOf(notice: CitizenNoticeRef, dossier: Dossier): SupplementRound | undefined {
  return dossier.supplements.find(
    (candidate) =>
      dedupeKey({
        dossier: dossier.code,
        rule: notice.rule,
        version: notice.appointmentVersion,
        subject: candidate.requestId,
        recipientKey: recipientKey({ role: "citizen" }),
        channel: notice.channel === "sms" ? "sms" : "email",
      }) === notice.dedupeKey,
  );
}
