/**
 * Citizens' channels: each citizen notice goes by ONE channel, tried in the agency's order
 * (default Zalo ZNS, then SMS, then e-mail), each only with the applicant's consent and contact.
 * A number without a Zalo account, Zalo's quota, a missing or refused template → the next channel;
 * the alert record says which channel delivered and why each earlier one did not (docs/zalo.md).
 *
 * Pure: no clock, no environment. The ZNS client (shared/adapters/zalo/) implements `ZnsSender`;
 * SMS and e-mail are sent by the caller (deliver-notices.ts), which already renders and sends them.
 */
import * as z from "zod";
import { InvalidInputError } from "../errors.ts";
import type { NoticeData } from "../letters/notices/index.ts";
import { formatDateTimeShortVi } from "../letters/render/index.ts";
import { DeliveryError, type SentMessage } from "./messaging-ports.ts";

export const CITIZEN_CHANNELS = ["zalo", "sms", "email"] as const;
export type CitizenChannel = (typeof CITIZEN_CHANNELS)[number];

export const CITIZEN_NOTICE_KINDS = [
  "citizen-receipt",
  "citizen-supplement-requested",
  "citizen-apology",
  "citizen-result-ready",
] as const;
export type CitizenNoticeKind = (typeof CITIZEN_NOTICE_KINDS)[number];
export type CitizenNoticeData = Extract<NoticeData, { kind: CitizenNoticeKind }>;

// ---------------------------------------------------------------------------------------------
// The ZNS port

/**
 * One ZNS template message (Zalo ZNS "Gửi ZNS" API: `phone`, `template_id`, `template_data`,
 * `tracking_id`; the client sends it with the OA's `access_token` header).
 */
export interface ZnsMessage {
  /** As the applicant gave it ("+84912345678" or "0912345678"); the client writes it as ZNS wants ("84912345678"). */
  readonly phone: string;
  readonly templateId: string;
  /** Parameter name → value, exactly the template's parameters. */
  readonly templateData: Readonly<Record<string, string>>;
  /** Our id for the message, echoed in Zalo's delivery reports: the alert's dedupe key. */
  readonly trackingId: string;
}

export interface ZnsSender {
  /**
   * @throws ZaloRefusalError when Zalo will not deliver this message to this number (the next
   *   channel takes it); ThrottledError when a later attempt may succeed.
   */
  send(message: ZnsMessage): Promise<SentMessage>;
  /** Whether Zalo has delivered a message it accepted (its status API); absent: not asked. */
  delivered?(providerMessageId: string, phone: string): Promise<boolean>;
}

/** Why Zalo did not take a message: each sends the notice to the next channel. */
export type ZaloRefusal =
  | "NO_ZALO_ACCOUNT"
  | "CANNOT_RECEIVE"
  | "QUOTA_EXCEEDED"
  | "TEMPLATE_REJECTED"
  | "PHONE_INVALID"
  | "TOKEN_UNAVAILABLE"
  | "REFUSED";

/** Zalo refused the message for good (for this number, template or today's quota). */
export class ZaloRefusalError extends DeliveryError {
  override readonly name: string = "ZaloRefusalError";
  readonly code = "ZALO_REFUSED";
  readonly retryable = false;

  constructor(
    readonly refusal: ZaloRefusal,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, { refusal, ...details });
  }
}

// ---------------------------------------------------------------------------------------------
// Configuration: channel order per agency, ZNS templates per province

/** The notice fields a template parameter can take; instants are written "08h30 26/11/2026". */
export const TEMPLATE_FIELDS = [
  "recipientName",
  "dossierCode",
  "procedureName",
  "agencyName",
  "receivedAt",
  "appointment",
  "newAppointment",
  "requestedAt",
  "readyAt",
  "reason",
  "documents",
  "pickupPlace",
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

const channel = z.enum(CITIZEN_CHANNELS);
const order = z
  .array(channel)
  .min(1)
  .refine((list) => new Set(list).size === list.length, "a channel appears twice");
const param = z.union([
  z.enum(TEMPLATE_FIELDS),
  // ZNS caps each parameter by its type (e.g. 30 characters for a name or a code): a longer value
  // is refused by Zalo, so it is caught here and the notice goes by the next channel.
  z.strictObject({ field: z.enum(TEMPLATE_FIELDS), maxLength: z.number().int().positive().optional() }),
]);
const template = z.strictObject({
  templateId: z.string().regex(/^\d+$/, "a ZNS template id is a number"),
  params: z.record(z.string().min(1), param),
});
const templates = z.strictObject({
  "citizen-receipt": template.optional(),
  "citizen-supplement-requested": template.optional(),
  "citizen-apology": template.optional(),
  "citizen-result-ready": template.optional(),
});

export const CitizenChannelsConfigSchema = z
  .strictObject({
    /** The province whose templates an agency without its own `province` uses. */
    defaultProvince: z.string().min(1),
    /** Templates approved by Zalo for each province's OA, per notice kind. */
    provinces: z.record(
      z.string().min(1),
      z.strictObject({ name: z.string().optional(), source: z.string().optional(), templates }),
    ),
    /** The order for agencies that do not set their own. */
    order: order.default(["zalo", "sms", "email"]),
    agencies: z
      .record(
        z.string().min(1),
        z.strictObject({ province: z.string().min(1).optional(), order: order.optional() }),
      )
      .default({}),
    /**
     * A ZNS message not delivered to the phone this many minutes after Zalo accepted it goes by
     * the next channel (the alert waits on the agenda meanwhile); unset: accepted is enough.
     */
    deliveryTimeoutMinutes: z.number().positive().optional(),
    /** Price of one message (VND) per channel, for the cost per notice (an SMS: per segment). */
    costVnd: z
      .strictObject({
        zalo: z.number().nonnegative(),
        sms: z.number().nonnegative(),
        email: z.number().nonnegative(),
      })
      .partial()
      .default({}),
  })
  .superRefine((config, ctx) => {
    const known = (province: string | undefined, path: (string | number)[]) => {
      if (province !== undefined && config.provinces[province] === undefined) {
        ctx.addIssue({ code: "custom", path, message: `unknown province "${province}"` });
      }
    };
    known(config.defaultProvince, ["defaultProvince"]);
    for (const [id, agency] of Object.entries(config.agencies))
      known(agency.province, ["agencies", id, "province"]);
  });
export type CitizenChannelsConfig = z.infer<typeof CitizenChannelsConfigSchema>;
export type ZnsTemplate = z.infer<typeof template>;

export function parseCitizenChannelsConfig(input: unknown): CitizenChannelsConfig {
  const result = CitizenChannelsConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(config)"}: ${issue.message}`,
  );
  throw new InvalidInputError(`invalid citizen channels configuration — ${problems.join("; ")}`);
}

/** The agency's channel order. */
export function channelOrder(config: CitizenChannelsConfig, agencyId: string): readonly CitizenChannel[] {
  return config.agencies[agencyId]?.order ?? config.order;
}

export type ZnsBuild =
  | { readonly ok: true; readonly templateId: string; readonly templateData: Record<string, string> }
  | { readonly ok: false; readonly code: string; readonly reason: string };

/** The ZNS template and its parameters for a notice, or why there is none (→ the next channel). */
export function znsTemplateData(
  config: CitizenChannelsConfig,
  agencyId: string,
  data: CitizenNoticeData,
): ZnsBuild {
  const province = config.agencies[agencyId]?.province ?? config.defaultProvince;
  const spec = config.provinces[province]?.templates[data.kind];
  if (spec === undefined) {
    return { ok: false, code: "NO_ZALO_TEMPLATE", reason: `no ZNS template for ${data.kind} in ${province}` };
  }
  const templateData: Record<string, string> = {};
  for (const [name, p] of Object.entries(spec.params)) {
    const field = typeof p === "string" ? p : p.field;
    const value = fieldValue(data, field);
    if (value === undefined || value === "") {
      return {
        ok: false,
        code: "TEMPLATE_PARAM_MISSING",
        reason: `${data.kind} has no ${field} for "${name}"`,
      };
    }
    const max = typeof p === "string" ? undefined : p.maxLength;
    if (max !== undefined && [...value].length > max) {
      return {
        ok: false,
        code: "TEMPLATE_PARAM_TOO_LONG",
        reason: `"${name}" (${field}) is longer than ${max} characters`,
      };
    }
    templateData[name] = value;
  }
  return { ok: true, templateId: spec.templateId, templateData };
}

function fieldValue(data: CitizenNoticeData, field: TemplateField): string | undefined {
  const instant = (iso: string | undefined) => (iso === undefined ? undefined : formatDateTimeShortVi(iso));
  switch (field) {
    case "recipientName":
      return data.recipient?.name;
    case "dossierCode":
      return data.dossierCode;
    case "procedureName":
      return data.procedureName;
    case "agencyName":
      return data.agencyShortName ?? data.agencyName;
    case "receivedAt":
      return data.kind === "citizen-receipt" ? instant(data.receivedAt) : undefined;
    case "appointment":
      return data.kind === "citizen-receipt" ? instant(data.appointment) : undefined;
    case "newAppointment":
      return data.kind === "citizen-apology" ? instant(data.newAppointment) : undefined;
    case "requestedAt":
      return data.kind === "citizen-supplement-requested" ? instant(data.requestedAt) : undefined;
    case "readyAt":
      return data.kind === "citizen-result-ready" ? instant(data.readyAt) : undefined;
    case "reason":
      return data.kind === "citizen-apology" || data.kind === "citizen-supplement-requested"
        ? data.reason
        : undefined;
    case "documents":
      return data.kind === "citizen-supplement-requested" ? data.documents?.join("; ") : undefined;
    case "pickupPlace":
      return data.kind === "citizen-result-ready" ? data.pickupPlace : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Which planned alert carries the notice

export interface ApplicantContact {
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly consent: { readonly sms: boolean; readonly email: boolean };
}

/**
 * The alert policy plans one citizen alert per channel it names (alerts/plan.ts: "sms", "email",
 * each with consent and contact). With ordered channels one notice must go once, so exactly one of
 * those alerts carries it: the first the plan made — decided from the dossier alone, so two
 * workers handling the sms and the e-mail alert of a notice agree without talking.
 */
export function carrierChannel(
  planned: readonly ("sms" | "email")[],
  applicant: ApplicantContact,
): "sms" | "email" | undefined {
  return planned.find((channel) =>
    channel === "sms"
      ? applicant.phone !== undefined && applicant.consent.sms
      : applicant.email !== undefined && applicant.consent.email,
  );
}

// ---------------------------------------------------------------------------------------------
// The fallback

export type StepResult =
  | { readonly ok: true; readonly detail: Readonly<Record<string, string | number | boolean>> }
  | { readonly ok: false; readonly code: string; readonly reason: string };

export interface CitizenNoticeInput {
  readonly dedupeKey: string;
  readonly agencyId: string;
  readonly data: CitizenNoticeData;
  readonly applicant: ApplicantContact;
}

export interface FallbackSteps {
  /** Renders and sends by SMS or e-mail; a refusal is returned, a throttle thrown. */
  readonly send: (channel: "sms" | "email") => Promise<StepResult>;
  /** Wraps the ZNS call with the caller's throttle retries. */
  readonly retry: <T>(send: () => Promise<T>) => Promise<T>;
}

export type CitizenDelivery =
  | {
      /** Zalo accepted it; ask again at now + `waitMs` whether it reached the phone. */
      readonly status: "awaiting";
      readonly waitMs: number;
      readonly detail: Readonly<Record<string, string | number | boolean>>;
    }
  | {
      readonly status: "sent" | "delivered";
      readonly channel: CitizenChannel;
      readonly detail: Readonly<Record<string, string | number | boolean>>;
    }
  | {
      readonly status: "failed" | "skipped";
      readonly code: string;
      readonly reason: string;
      readonly detail: Readonly<Record<string, string | number | boolean>>;
    };

/**
 * Sends a citizen notice by the first channel of the agency's order that takes it. A throttle (or
 * any unexpected error) is thrown before a later channel is tried, so SQS retries the whole notice
 * and a channel that may have delivered is never followed by another.
 */
export class CitizenChannels {
  readonly #config: CitizenChannelsConfig;
  readonly #zns: ZnsSender | undefined;

  constructor(config: CitizenChannelsConfig, zns: ZnsSender | undefined) {
    this.#config = config;
    this.#zns = zns;
  }

  get config(): CitizenChannelsConfig {
    return this.#config;
  }

  /**
   * @param awaiting the ZNS message id when a previous call answered "awaiting": its delivery is
   *   checked, and if it has not reached the phone the channels after Zalo are tried.
   */
  async deliver(
    input: CitizenNoticeInput,
    steps: FallbackSteps,
    awaiting?: string,
  ): Promise<CitizenDelivery> {
    const order = channelOrder(this.#config, input.agencyId);
    const why: Record<string, string> = {};
    let attempted = false;
    let start = 0;
    if (awaiting !== undefined) {
      const delivered = await this.#zns?.delivered?.(awaiting, input.applicant.phone ?? "");
      if (delivered === true) {
        return {
          status: "delivered",
          channel: "zalo",
          detail: {
            channel: "zalo",
            providerMessageId: awaiting,
            order: order.join(">"),
            ...this.#costOf("zalo", {}),
          },
        };
      }
      why.zalo = "NOT_DELIVERED_IN_TIME";
      attempted = true;
      start = order.indexOf("zalo") + 1;
    }
    for (const channel of order.slice(start)) {
      const result =
        channel === "zalo" ? await this.#zalo(input, steps) : await this.#other(channel, input, steps);
      if (result.ok) {
        const timeout = this.#config.deliveryTimeoutMinutes;
        if (channel === "zalo" && timeout !== undefined && this.#zns?.delivered !== undefined) {
          return {
            status: "awaiting",
            waitMs: timeout * 60_000,
            detail: { ...result.detail, channel, code: "AWAITING_ZALO_DELIVERY", ...prefixed(why) },
          };
        }
        const cost = this.#cost(channel, result.detail);
        return {
          status: "sent",
          channel,
          detail: {
            ...result.detail,
            channel,
            order: order.join(">"),
            ...prefixed(why),
            ...(cost === undefined ? {} : { costVnd: cost }),
          },
        };
      }
      if (!NOT_TRIED.has(result.code)) attempted = true;
      why[channel] = result.code;
    }
    const reason = Object.entries(why)
      .map(([c, code]) => `${c}: ${code}`)
      .join("; ");
    return {
      status: attempted ? "failed" : "skipped",
      code: "NO_CHANNEL_DELIVERED",
      reason: `no channel took the notice (${reason})`,
      detail: { order: order.join(">"), ...prefixed(why) },
    };
  }

  async #zalo(input: CitizenNoticeInput, steps: FallbackSteps): Promise<StepResult> {
    const { applicant } = input;
    if (this.#zns === undefined) return refused("ZALO_NOT_CONFIGURED", "no ZNS client");
    // Zalo reaches the applicant on the phone number they gave for notices: the same consent as SMS.
    if (!applicant.consent.sms) return refused("NO_CONSENT", "the applicant has not agreed to phone notices");
    if (applicant.phone === undefined) return refused("NO_CONTACT", "no phone number");
    const built = znsTemplateData(this.#config, input.agencyId, input.data);
    if (!built.ok) return refused(built.code, built.reason);
    const zns = this.#zns;
    const phone = applicant.phone;
    try {
      const sent = await steps.retry(() =>
        zns.send({
          phone,
          templateId: built.templateId,
          templateData: built.templateData,
          trackingId: input.dedupeKey,
        }),
      );
      return {
        ok: true,
        detail: { providerMessageId: sent.providerMessageId, templateId: built.templateId },
      };
    } catch (error) {
      if (error instanceof ZaloRefusalError) return refused(error.refusal, error.message);
      throw error;
    }
  }

  async #other(
    channel: "sms" | "email",
    input: CitizenNoticeInput,
    steps: FallbackSteps,
  ): Promise<StepResult> {
    const { applicant } = input;
    const consented = channel === "sms" ? applicant.consent.sms : applicant.consent.email;
    if (!consented) return refused("NO_CONSENT", `the applicant has not agreed to ${channel}`);
    const to = channel === "sms" ? applicant.phone : applicant.email;
    if (to === undefined)
      return refused("NO_CONTACT", `no ${channel === "sms" ? "phone number" : "e-mail address"}`);
    return steps.send(channel);
  }

  #costOf(
    channel: CitizenChannel,
    detail: Readonly<Record<string, string | number | boolean>>,
  ): Record<string, number> {
    const cost = this.#cost(channel, detail);
    return cost === undefined ? {} : { costVnd: cost };
  }

  #cost(
    channel: CitizenChannel,
    detail: Readonly<Record<string, string | number | boolean>>,
  ): number | undefined {
    const price = this.#config.costVnd[channel];
    if (price === undefined) return undefined;
    const segments = typeof detail.segments === "number" ? detail.segments : 1;
    return channel === "sms" ? price * segments : price;
  }
}

/** Codes that mean a channel was not tried at all (nothing was sent or refused by a provider). */
const NOT_TRIED = new Set(["NO_CONSENT", "NO_CONTACT", "ZALO_NOT_CONFIGURED", "NO_ZALO_TEMPLATE"]);

function refused(code: string, reason: string): StepResult {
  return { ok: false, code, reason };
}

function prefixed(why: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(why).map(([c, code]) => [`notBy.${c}`, code]));
}
