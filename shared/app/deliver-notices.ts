import { type AlertPolicyBook, DEFAULT_POLICY_BOOK, policyFor } from "../alerts/index.ts";
import { citizenNoticeExpiry, supplementRoundOf } from "../alerts/notice-expiry.ts";
import { smsSendableAt } from "../alerts/quiet-hours.ts";
import { formatInstant, isoDate, localEpochDay, parseInstant, WORKING_DAY_MS } from "../calendar/index.ts";
import type { Dossier } from "../dossier/index.ts";
import { type NoticeData, renderNotice } from "../letters/notices/index.ts";
import { type BatchResult, processEach, type QueueRecord } from "./batch.ts";
import {
  type CitizenChannels,
  type CitizenNoticeData,
  carrierChannel,
  type StepResult,
} from "./citizen-channels.ts";
import type { Clock, Sleep } from "./clock.ts";
import { type DirectoryRepository, DirectorySession } from "./directory.ts";
import type {
  AgendaAlert,
  AppAgendaRepository,
  AppAlertLog,
  AppDossierRepository,
} from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { type AlertMessage, type DigestMessage, type NotifyMessage, parseNotifyMessage } from "./messages.ts";
import { type EmailSender, PermanentDeliveryError, type SmsSender } from "./messaging-ports.ts";
import type { DeliveryAttempt } from "./ports.ts";
import { retryOnThrottle } from "./retry.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface DeliverNoticesPorts {
  readonly alerts: AppAlertLog;
  /** To put an SMS held for the quiet hours back on the agenda for the morning. */
  readonly agenda: AppAgendaRepository;
  readonly dossiers: AppDossierRepository;
  readonly directories: DirectoryRepository;
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Ordered citizen channels (Zalo ZNS, SMS, e-mail); without it citizens get each planned alert. */
  readonly citizenChannels?: CitizenChannels;
}

export interface DeliverNoticesOptions {
  /** "Name <address>" on a domain verified with SES. */
  readonly emailFrom: string;
  /** Registered SMS brandname; the SNS adapter's default when unset. */
  readonly smsSenderId?: string;
  /** Attempts in one invocation when the provider throttles (default 3), then SQS retries later. */
  readonly throttleAttempts?: number;
  readonly throttleBaseDelayMs?: number;
  /** The alert policies: each agency's SMS window and citizen notices' age limit. Default: dunghan's. */
  readonly book?: AlertPolicyBook;
}

export type DeliveryOutcome = "sent" | "held" | "expired" | "failed" | "skipped" | "already-handled";

/** Statuses after which a message is not sent again (a redelivered SQS message, a requeued claim). */
const FINAL = new Set(["sent", "delivered", "failed", "skipped", "expired"]);

type Target =
  | { readonly ok: true; readonly to: string | undefined; readonly data: NoticeData }
  | {
      readonly ok: false;
      readonly status: "skipped" | "failed";
      readonly code: string;
      readonly reason: string;
    };

/**
 * The notify function: renders each queued alert or digest with the letters module and sends it
 * by SMS (SmsSender) or e-mail (EmailSender), then records the outcome on the alert record.
 *
 * - throttled: retried here a few times with jittered backoff, then the record fails and SQS
 *   delivers it again later — nothing is lost, and the status check below keeps it single;
 * - a bad contact (invalid phone, missing e-mail) or a refused message: recorded "failed" with
 *   the reason, not retried;
 * - no consent or no template for the rule: recorded "skipped" with the reason;
 * - judged on the clock when it sends: an SMS outside the policy's window is "held" for its start
 *   (back on the agenda; the sweep queues it again then), a notice no longer true or useful —
 *   notice-expiry.ts, a warning overtaken, an earlier day's digest — is "expired", not sent.
 * Contacts are read at send time: staff from the directory, the applicant from the dossier's
 * `received` event, each channel only with the applicant's consent (NĐ 13/2023/NĐ-CP).
 */
export class DeliverNotices {
  readonly #ports: DeliverNoticesPorts;
  readonly #options: DeliverNoticesOptions;
  readonly #book: AlertPolicyBook;

  constructor(ports: DeliverNoticesPorts, options: DeliverNoticesOptions) {
    this.#ports = ports;
    this.#options = options;
    this.#book = options.book ?? DEFAULT_POLICY_BOOK;
  }

  async deliverBatch(records: readonly QueueRecord[]): Promise<BatchResult> {
    const session = new DirectorySession(this.#ports.directories);
    const result = await processEach(records, (record) =>
      this.deliver(parseNotifyMessage(record.body), session),
    );
    for (const failure of result.failures) {
      this.#ports.logger.warn("notice left for SQS to retry", {
        messageId: failure.messageId,
        reason: failure.reason,
      });
    }
    return result;
  }

  async deliver(message: NotifyMessage, session: DirectorySession): Promise<DeliveryOutcome> {
    const { alerts, logger } = this.#ports;
    const record = await alerts.get(message.dedupeKey);
    if (record === undefined) {
      logger.warn("notice without an alert record, not sent", { dedupeKey: message.dedupeKey });
      return "skipped";
    }
    if (FINAL.has(record.status)) return "already-handled";

    // Everything below is judged at the moment of sending, on the injected clock: a message may
    // have waited in the queue, been retried, or been planned long before it came due.
    const now = this.#ports.clock.now();
    const dossier =
      message.type === "alert" && message.alert.recipientRole === "citizen"
        ? (await this.#ports.dossiers.load(message.alert.dossierCode))?.state
        : undefined;
    const expiry = this.#expiry(message, dossier, now);
    if (expiry !== undefined) {
      await this.#record(message.dedupeKey, "expired", { code: expiry.code, reason: expiry.reason });
      return "expired";
    }
    const channelOf = message.type === "digest" ? message.channel : message.alert.channel;
    if (channelOf === "sms") {
      const window = policyFor(
        this.#book,
        (message.type === "digest" ? message.agencyId : message.alert.agencyId) ?? "",
      ).smsWindow;
      const notBefore = smsSendableAt(now, window);
      if (notBefore > now) return this.#hold(message, record.status, notBefore, now);
    }

    const citizenChannels = this.#ports.citizenChannels;
    if (
      citizenChannels !== undefined &&
      message.type === "alert" &&
      message.alert.recipientRole === "citizen"
    ) {
      return this.#deliverCitizen(
        message,
        dossier,
        citizenChannels,
        record.deliveries.findLast((attempt) => attempt.status !== "queued"),
      );
    }

    const target =
      message.type === "digest"
        ? await this.#digestTarget(message, session)
        : await this.#alertTarget(message, session, dossier);
    if (!target.ok) {
      await this.#record(message.dedupeKey, target.status, { code: target.code, reason: target.reason });
      return target.status;
    }
    const channel = channelOf === "sms" ? "sms" : "email";
    const result = await this.#send(channel, target.to ?? "", target.data, message.dedupeKey);
    if (!result.ok) {
      await this.#record(message.dedupeKey, "failed", { code: result.code, reason: result.reason });
      return "failed";
    }
    await this.#record(message.dedupeKey, "sent", result.detail);
    return "sent";
  }

  /** Renders and sends one message; a refusal is returned, a throttle (after retries) thrown. */
  async #send(
    channel: "sms" | "email",
    to: string,
    data: NoticeData,
    dedupeKey: string,
  ): Promise<StepResult> {
    const rendered = renderNotice({ channel, to, data });
    if (!rendered.ok) return { ok: false, code: rendered.error.code, reason: rendered.error.reason };
    try {
      const notice = rendered.message;
      const sent = await this.#retry(() =>
        notice.channel === "sms"
          ? this.#ports.sms.send({
              to: notice.to,
              text: notice.text,
              dedupeId: dedupeKey,
              ...(this.#options.smsSenderId === undefined ? {} : { senderId: this.#options.smsSenderId }),
            })
          : this.#ports.email.send({
              to: notice.to,
              from: this.#options.emailFrom,
              subject: notice.subject,
              html: notice.html,
              text: notice.text,
            }),
      );
      return {
        ok: true,
        detail: {
          channel: notice.channel,
          providerMessageId: sent.providerMessageId,
          ...(notice.channel === "sms" ? { segments: notice.segments } : {}),
        },
      };
    } catch (error) {
      if (error instanceof PermanentDeliveryError) {
        const providerCode = error.details?.providerCode ?? error.details?.reason;
        return {
          ok: false,
          code: error.code,
          reason: typeof providerCode === "string" ? providerCode : error.message,
        };
      }
      throw error;
    }
  }

  #retry<T>(send: () => Promise<T>): Promise<T> {
    return retryOnThrottle(send, {
      attempts: this.#options.throttleAttempts ?? 3,
      baseDelayMs: this.#options.throttleBaseDelayMs ?? 200,
      sleep: this.#ports.sleep,
      random: this.#ports.random,
    });
  }

  /**
   * A citizen notice when the agency orders its channels (citizen-channels.ts): one of the
   * notice's planned alerts carries it through Zalo, SMS and e-mail in turn; the others are skipped.
   */
  async #deliverCitizen(
    message: AlertMessage,
    dossier: Dossier | null | undefined,
    channels: CitizenChannels,
    previous: DeliveryAttempt | undefined,
  ): Promise<DeliveryOutcome> {
    const { alert } = message;
    if (!dossier) return this.#skip(message.dedupeKey, "DOSSIER_NOT_FOUND", "the dossier is not stored");
    const applicant = dossier.received.applicant;
    const carrier = carrierChannel(policyFor(this.#book, alert.agencyId).citizen.channels, applicant);
    if (alert.channel !== carrier) {
      return this.#skip(
        message.dedupeKey,
        "ONE_CHANNEL_PER_NOTICE",
        `the notice goes once, in the agency's channel order, with its ${carrier ?? "other"} alert`,
      );
    }
    const target = this.#citizenTarget(alert, dossier);
    if (!target.ok) return this.#skip(message.dedupeKey, target.code, target.reason);
    const data = target.data as CitizenNoticeData;
    // A ZNS message accepted earlier and waiting for its delivery: held on the agenda until then,
    // queued again by the sweep ("held" → "queued"), so the last attempt before that says so.
    const awaiting =
      previous?.status === "held" && previous.detail?.code === "AWAITING_ZALO_DELIVERY"
        ? String(previous.detail.providerMessageId)
        : undefined;
    const outcome = await channels.deliver(
      { dedupeKey: message.dedupeKey, agencyId: alert.agencyId, data, applicant },
      {
        send: (channel) =>
          this.#send(
            channel,
            (channel === "sms" ? applicant.phone : applicant.email) ?? "",
            data,
            message.dedupeKey,
          ),
        retry: (send) => this.#retry(send),
      },
      awaiting,
    );
    if (outcome.status === "awaiting") {
      const now = this.#ports.clock.now();
      const until = formatInstant(now + outcome.waitMs);
      await this.#ports.agenda.hold(
        { dossierCode: alert.dossierCode, dedupeKey: alert.dedupeKey, at: alert.at },
        until,
        formatInstant(now),
      );
      await this.#record(message.dedupeKey, "held", { ...outcome.detail, notBefore: until });
      return "held";
    }
    if ("channel" in outcome) {
      await this.#record(message.dedupeKey, outcome.status, outcome.detail);
      return "sent";
    }
    await this.#record(message.dedupeKey, outcome.status, {
      ...outcome.detail,
      code: outcome.code,
      reason: outcome.reason,
    });
    return outcome.status;
  }

  async #skip(dedupeKey: string, code: string, reason: string): Promise<DeliveryOutcome> {
    await this.#record(dedupeKey, "skipped", { code, reason });
    return "skipped";
  }

  /** Why the notice is no longer worth sending at `now`, if it is not. */
  #expiry(
    message: NotifyMessage,
    dossier: Dossier | null | undefined,
    now: number,
  ): { readonly code: string; readonly reason: string } | undefined {
    if (message.type === "digest") {
      // A digest lists the overdue dossiers of its date; the next working day brings a new one.
      return message.date === isoDate(localEpochDay(now))
        ? undefined
        : { code: "STALE_DIGEST", reason: "the digest of an earlier day" };
    }
    const { alert } = message;
    if (alert.expiresAt !== undefined && parseInstant(alert.expiresAt) <= now) {
      return { code: "OVERTAKEN", reason: "the warning was overtaken before it could be sent" };
    }
    if (alert.recipientRole !== "citizen" || !dossier) return undefined;
    const policy = policyFor(this.#book, alert.agencyId);
    return citizenNoticeExpiry(
      { ...alert, at: parseInstant(alert.at) },
      dossier,
      now,
      policy.citizen.staleAfterHours,
    );
  }

  /**
   * An SMS outside the policy's window (`smsWindow`, 07:00–21:00 by default, every day:
   * docs/dossier-events.md) waits for its start, whenever it was planned. An alert goes
   * back on the agenda at `notBefore` and is recorded "held"; the sweep queues it again then, and
   * this check runs again (with the expiry rules) before it is sent. A digest has no agenda entry
   * and tomorrow's replaces it: it expires.
   */
  async #hold(
    message: NotifyMessage,
    status: string,
    notBefore: number,
    now: number,
  ): Promise<DeliveryOutcome> {
    const until = formatInstant(notBefore);
    if (message.type === "digest") {
      await this.#record(message.dedupeKey, "expired", {
        code: "QUIET_HOURS",
        reason: "an SMS digest outside the SMS window is replaced by the next one",
      });
      return "expired";
    }
    const { alert } = message;
    const held = await this.#ports.agenda.hold(
      { dossierCode: alert.dossierCode, dedupeKey: alert.dedupeKey, at: alert.at },
      until,
      formatInstant(now),
    );
    if (!held) {
      await this.#record(message.dedupeKey, "skipped", {
        code: "NOT_PLANNED",
        reason: "the alert is no longer on the dossier's agenda",
      });
      return "skipped";
    }
    if (status !== "held") {
      await this.#record(message.dedupeKey, "held", { code: "QUIET_HOURS", notBefore: until });
    }
    return "held";
  }

  async #alertTarget(
    message: AlertMessage,
    session: DirectorySession,
    dossier: Dossier | null | undefined,
  ): Promise<Target> {
    const { alert } = message;
    if (alert.recipientRole === "citizen") return this.#citizenTarget(alert, dossier);
    const person = await session.person(alert.agencyId, alert.recipientId);
    const to = alert.channel === "sms" ? person?.phone : person?.email;
    const data = await this.#staffNotice(alert);
    if (data === undefined) return skip("NO_TEMPLATE", `no notice template for rule ${alert.rule}`);
    return { ok: true, to, data };
  }

  async #staffNotice(alert: AgendaAlert): Promise<NoticeData | undefined> {
    const base = { dossierCode: alert.dossierCode, procedureName: alert.context.procedureName };
    if (alert.dueAt === undefined) return undefined;
    if (alert.rule === "apology-duty" || alert.rule === "apology-overdue") {
      return {
        kind: alert.rule,
        ...base,
        dueAt: alert.dueAt,
        responsibleUnit: alert.context.unitName,
        // The plan says by when (the duty now comes a working day before that); older entries: at.
        apologyDueBy: alert.actBy ?? alert.at,
      };
    }
    if (parseInstant(alert.at) < parseInstant(alert.dueAt)) {
      return {
        kind: "handler-due-soon",
        ...base,
        dueAt: alert.dueAt,
        ...(alert.context.receivedAt === undefined ? {} : { receivedAt: alert.context.receivedAt }),
        ...(alert.context.handlerName === undefined ? {} : { handlerName: alert.context.handlerName }),
      };
    }
    const { workingTime } = await this.#ports.workingTime.current();
    const late =
      workingTime.workingTimeBetween(parseInstant(alert.dueAt), this.#ports.clock.now()) / WORKING_DAY_MS;
    return {
      kind: "escalation",
      ...base,
      dueAt: alert.dueAt,
      // Sent at the due instant itself, the first level is a tenth of a day late, not zero.
      daysOverdue: Math.max(0.1, Math.round(late * 10) / 10),
      responsibleUnit: alert.context.unitName,
      ...(alert.context.handlerName === undefined ? {} : { handlerName: alert.context.handlerName }),
    };
  }

  #citizenTarget(alert: AgendaAlert, dossier: Dossier | null | undefined): Target {
    if (!dossier) return skip("DOSSIER_NOT_FOUND", "the dossier is not stored");
    const applicant = dossier.received.applicant;
    const consented = alert.channel === "sms" ? applicant.consent.sms : applicant.consent.email;
    if (!consented) return skip("NO_CONSENT", `the applicant has not agreed to ${alert.channel}`);
    const to = alert.channel === "sms" ? applicant.phone : applicant.email;
    const common = {
      agencyName: dossier.received.agency.name,
      dossierCode: dossier.code,
      procedureName: dossier.received.procedure.name,
      recipient: { honorific: applicant.honorific ?? "Ông/Bà", name: applicant.name },
    } as const;
    // The receipt (Mẫu 01) of the appointment version the alert was planned for: the first one,
    // or a restart's after a supplement.
    const receipt = dossier.appointments.find((version) => version.version === alert.appointmentVersion);
    if (alert.rule === "citizen-receipt" && receipt !== undefined) {
      return {
        ok: true,
        to,
        data: {
          kind: "citizen-receipt",
          ...common,
          receivedAt: formatInstant(receipt.givenAt),
          appointment: formatInstant(receipt.at),
        },
      };
    }
    if (alert.rule === "citizen-apology" && dossier.apology !== undefined) {
      return {
        ok: true,
        to,
        data: {
          kind: "citizen-apology",
          ...common,
          reason: dossier.apology.reason,
          newAppointment: formatInstant(dossier.apology.newAppointment),
        },
      };
    }
    if (alert.rule === "citizen-supplement-requested") {
      // The round the alert was planned for: its dedupe key names the request (alerts/plan.ts).
      // One already answered was expired before this (notice-expiry.ts).
      const round = supplementRoundOf({ ...alert, at: parseInstant(alert.at) }, dossier);
      if (round === undefined)
        return skip("SUPPLEMENT_NOT_FOUND", "the supplement request is not in the dossier");
      return {
        ok: true,
        to,
        data: {
          kind: "citizen-supplement-requested",
          ...common,
          requestedAt: formatInstant(round.requestedAt),
          reason: round.reason,
          ...(round.documents.length > 0 ? { documents: round.documents } : {}),
          clock: dossier.supplementPolicy,
        },
      };
    }
    if (alert.rule === "citizen-result-ready" && dossier.finishedAt !== undefined) {
      return {
        ok: true,
        to,
        data: { kind: "citizen-result-ready", ...common, readyAt: formatInstant(dossier.finishedAt) },
      };
    }
    return skip("NO_TEMPLATE", `no citizen notice template for rule ${alert.rule}`);
  }

  async #digestTarget(message: DigestMessage, session: DirectorySession): Promise<Target> {
    const person = await session.person(message.agencyId, message.recipientId);
    return {
      ok: true,
      to: message.channel === "sms" ? person?.phone : person?.email,
      data: {
        kind: "leader-digest",
        date: message.date,
        unitName: message.unitName,
        // Greeted by name, as the directory spells it.
        ...(person?.name === undefined ? {} : { recipientName: person.name }),
        rows: message.rows,
      },
    };
  }

  async #record(
    dedupeKey: string,
    status: DeliveryAttempt["status"],
    detail: DeliveryAttempt["detail"],
  ): Promise<void> {
    await this.#ports.alerts.recordDelivery(dedupeKey, {
      status,
      at: formatInstant(this.#ports.clock.now()),
      detail,
    });
  }
}

function skip(code: string, reason: string): Target {
  return { ok: false, status: "skipped", code, reason };
}
