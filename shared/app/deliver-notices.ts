import { dedupeKey, recipientKey } from "../alerts/index.ts";
import { formatInstant, parseInstant, WORKING_DAY_MS } from "../calendar/index.ts";
import type { Dossier } from "../dossier/index.ts";
import { type NoticeData, renderNotice } from "../letters/index.ts";
import { type BatchResult, processEach, type QueueRecord } from "./batch.ts";
import type { Clock, Sleep } from "./clock.ts";
import { type DirectoryRepository, DirectorySession } from "./directory.ts";
import type { AgendaAlert, AppAlertLog, AppDossierRepository } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { type AlertMessage, type DigestMessage, type NotifyMessage, parseNotifyMessage } from "./messages.ts";
import { type EmailSender, PermanentDeliveryError, type SmsSender } from "./messaging-ports.ts";
import type { DeliveryAttempt } from "./ports.ts";
import { retryOnThrottle } from "./retry.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface DeliverNoticesPorts {
  readonly alerts: AppAlertLog;
  readonly dossiers: AppDossierRepository;
  readonly directories: DirectoryRepository;
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly sleep: Sleep;
  readonly random: () => number;
}

export interface DeliverNoticesOptions {
  /** "Name <address>" on a domain verified with SES. */
  readonly emailFrom: string;
  /** Registered SMS brandname; the SNS adapter's default when unset. */
  readonly smsSenderId?: string;
  /** Attempts in one invocation when the provider throttles (default 3), then SQS retries later. */
  readonly throttleAttempts?: number;
  readonly throttleBaseDelayMs?: number;
}

export type DeliveryOutcome = "sent" | "failed" | "skipped" | "already-handled";

/** Statuses after which a message is not sent again (a redelivered SQS message, a requeued claim). */
const FINAL = new Set(["sent", "delivered", "failed", "skipped"]);

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
 * - no consent, no template for the rule, or a supplement already received: recorded "skipped"
 *   with the reason.
 * Contacts are read at send time: staff from the directory, the applicant from the dossier's
 * `received` event, each channel only with the applicant's consent (NĐ 13/2023/NĐ-CP).
 */
export class DeliverNotices {
  readonly #ports: DeliverNoticesPorts;
  readonly #options: DeliverNoticesOptions;

  constructor(ports: DeliverNoticesPorts, options: DeliverNoticesOptions) {
    this.#ports = ports;
    this.#options = options;
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

    const target =
      message.type === "digest"
        ? await this.#digestTarget(message, session)
        : await this.#alertTarget(message, session);
    if (!target.ok) {
      await this.#record(message.dedupeKey, target.status, { code: target.code, reason: target.reason });
      return target.status;
    }
    const channel =
      (message.type === "digest" ? message.channel : message.alert.channel) === "sms" ? "sms" : "email";
    const rendered = renderNotice({ channel, to: target.to ?? "", data: target.data });
    if (!rendered.ok) {
      await this.#record(message.dedupeKey, "failed", {
        code: rendered.error.code,
        reason: rendered.error.reason,
      });
      return "failed";
    }
    try {
      const notice = rendered.message;
      const sent = await retryOnThrottle(
        () =>
          notice.channel === "sms"
            ? this.#ports.sms.send({
                to: notice.to,
                text: notice.text,
                dedupeId: message.dedupeKey,
                ...(this.#options.smsSenderId === undefined ? {} : { senderId: this.#options.smsSenderId }),
              })
            : this.#ports.email.send({
                to: notice.to,
                from: this.#options.emailFrom,
                subject: notice.subject,
                html: notice.html,
                text: notice.text,
              }),
        {
          attempts: this.#options.throttleAttempts ?? 3,
          baseDelayMs: this.#options.throttleBaseDelayMs ?? 200,
          sleep: this.#ports.sleep,
          random: this.#ports.random,
        },
      );
      await this.#record(message.dedupeKey, "sent", {
        channel: notice.channel,
        providerMessageId: sent.providerMessageId,
        ...(notice.channel === "sms" ? { segments: notice.segments } : {}),
      });
      return "sent";
    } catch (error) {
      if (error instanceof PermanentDeliveryError) {
        const providerCode = error.details?.providerCode ?? error.details?.reason;
        await this.#record(message.dedupeKey, "failed", {
          code: error.code,
          reason: typeof providerCode === "string" ? providerCode : error.message,
        });
        return "failed";
      }
      throw error;
    }
  }

  async #alertTarget(message: AlertMessage, session: DirectorySession): Promise<Target> {
    const { alert } = message;
    if (alert.recipientRole === "citizen") return this.#citizenTarget(alert);
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

  async #citizenTarget(alert: AgendaAlert): Promise<Target> {
    const dossier: Dossier | null | undefined = (await this.#ports.dossiers.load(alert.dossierCode))?.state;
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
      const round = dossier.supplements.find(
        (candidate) =>
          dedupeKey({
            dossier: dossier.code,
            rule: alert.rule,
            version: alert.appointmentVersion,
            subject: candidate.requestId,
            recipientKey: recipientKey({ role: "citizen" }),
            channel: alert.channel === "sms" ? "sms" : "email",
          }) === alert.dedupeKey,
      );
      if (round === undefined)
        return skip("SUPPLEMENT_NOT_FOUND", "the supplement request is not in the dossier");
      // A request answered before its notice went out (an SMS held for the morning): nothing to ask for.
      if (round.receivedAt !== undefined) {
        return skip("SUPPLEMENT_RECEIVED", "the supplement was received before the notice went out");
      }
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
      data: { kind: "leader-digest", date: message.date, unitName: message.unitName, rows: message.rows },
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
