import { LEGAL_BASES, legalBasisFor } from "../../dossier/legal-basis.ts";
import { DomainError, InvalidInputError } from "../../errors.ts";
import { parseOrThrow } from "../fields/index.ts";
import {
  escapeHtml,
  fillTemplate,
  formatDateTimeShortVi,
  formatDateTimeVi,
  formatDateVi,
  formatNumberVi,
  nfc,
  oneLine,
  phrase,
  type Template,
  toVietnamTime,
} from "../render/index.ts";
import { normalizeVietnamesePhone, validateEmail } from "./contacts.ts";
import { renderDigestBlocksHtml, renderDigestTableText, summarizeDigest } from "./leader-digest.ts";
import { type NoticeData, noticeSchema } from "./notice-data.ts";
import { countSegments, type SmsEncoding, unaccent } from "./sms-encoding.ts";
import {
  type Audience,
  EMAIL_TEMPLATES,
  MAX_SMS_SEGMENTS,
  NOTICE_WORDING,
  type NoticeKind,
  type NoticePlaceholder,
  type NoticeWording,
  OPTIONAL_NOTICE_PLACEHOLDERS,
  SMS_TEMPLATES,
  SUPPLEMENT_CLOCK_WORDING,
} from "./templates.ts";

/** The decree a notice cites: the one the dossier was received under; the one in force when unknown. */
const decreeFor = (receivedAt: string | undefined): string =>
  (receivedAt === undefined
    ? LEGAL_BASES[LEGAL_BASES.length - 1]!
    : legalBasisFor(toVietnamTime(receivedAt).millis)
  ).decree;

// ---------------------------------------------------------------------------------------------
// Values for the placeholders.

type Values = Readonly<Record<string, string | undefined>>;

const optional = (text: string | undefined): string | undefined => (text ? phrase(text) : undefined);

/** A kind's values: exactly the placeholders its wording may use (NOTICE_PLACEHOLDERS). */
type Slots<K extends NoticeKind> = Record<NoticePlaceholder<K>, string | undefined>;

function noticeValues(data: NoticeData, channel: "sms" | "email"): Values {
  switch (data.kind) {
    case "handler-due-soon":
      return {
        dossierCode: data.dossierCode.trim(),
        procedureName: phrase(data.procedureName),
        dueAt: formatDateTimeShortVi(data.dueAt),
        dueAtLong: formatDateTimeVi(data.dueAt),
        handlerName: optional(data.handlerName),
        legalBasis: decreeFor(data.receivedAt),
      } satisfies Slots<"handler-due-soon">;
    case "apology-duty":
    case "apology-overdue":
      return {
        dossierCode: data.dossierCode.trim(),
        procedureName: phrase(data.procedureName),
        dueAt: formatDateTimeShortVi(data.dueAt),
        dueAtLong: formatDateTimeVi(data.dueAt),
        responsibleUnit: phrase(data.responsibleUnit),
        apologyDueBy: formatDateTimeShortVi(data.apologyDueBy),
        apologyDueByLong: formatDateTimeVi(data.apologyDueBy),
      } satisfies Slots<"apology-duty">;
    case "escalation":
      return {
        dossierCode: data.dossierCode.trim(),
        procedureName: phrase(data.procedureName),
        dueAt: formatDateTimeShortVi(data.dueAt),
        dueAtLong: formatDateTimeVi(data.dueAt),
        daysOverdue: formatNumberVi(data.daysOverdue, 1),
        responsibleUnit: phrase(data.responsibleUnit),
        handlerName: optional(data.handlerName),
      } satisfies Slots<"escalation">;
    case "leader-digest": {
      const summary = summarizeDigest(data.rows);
      return {
        // The directory holds no honorific for staff: both, as official letters do.
        addressee:
          data.recipientName === undefined ? "lãnh đạo đơn vị" : `ông/bà ${phrase(data.recipientName)}`,
        date: formatDateVi(data.date),
        unitName: phrase(data.unitName),
        overdueCount: formatNumberVi(summary.overdueCount),
        dueSoonCount: formatNumberVi(summary.dueSoonCount),
        pendingApprovalCount: formatNumberVi(summary.pendingApprovalCount),
        worstDossierCode: summary.worst?.dossierCode,
        worstDaysOverdue: summary.worst ? formatNumberVi(summary.worst.daysOverdue, 1) : undefined,
        link: data.link?.trim(),
      } satisfies Slots<"leader-digest">;
    }
    case "citizen-receipt":
    case "citizen-apology":
    case "citizen-supplement-requested":
    case "citizen-result-ready": {
      const honorific = data.recipient?.honorific ?? "Ông/Bà";
      const common = {
        agencyName: phrase(channel === "sms" ? (data.agencyShortName ?? data.agencyName) : data.agencyName),
        dossierCode: data.dossierCode.trim(),
        procedureName: phrase(data.procedureName),
        honorific,
        addressee: data.recipient ? `${honorific} ${oneLine(data.recipient.name)}` : honorific,
      };
      if (data.kind === "citizen-receipt") {
        return {
          ...common,
          receivedAt: formatDateTimeShortVi(data.receivedAt),
          appointment: formatDateTimeShortVi(data.appointment),
          appointmentLong: formatDateTimeVi(data.appointment),
        } satisfies Slots<"citizen-receipt">;
      }
      if (data.kind === "citizen-supplement-requested") {
        const documents = (data.documents ?? []).map(phrase).filter((document) => document !== "");
        return {
          ...common,
          requestedAtLong: formatDateTimeVi(data.requestedAt),
          reason: phrase(data.reason),
          // The SMS names what to bring when the request lists it, else why the dossier is short.
          details: documents.length > 0 ? documents.join("; ") : phrase(data.reason),
          documents:
            documents.length > 0
              ? documents.map((document, i) => `(${i + 1}) ${document}`).join("; ")
              : undefined,
          clockNote: fillTemplate(SUPPLEMENT_CLOCK_WORDING[data.clock][channel], { honorific }),
        } satisfies Slots<"citizen-supplement-requested">;
      }
      if (data.kind === "citizen-apology") {
        return {
          ...common,
          reason: phrase(data.reason),
          newAppointment: formatDateTimeShortVi(data.newAppointment),
          newAppointmentLong: formatDateTimeVi(data.newAppointment),
        } satisfies Slots<"citizen-apology">;
      }
      const pickupPlace = optional(data.pickupPlace);
      return {
        ...common,
        readyAt: formatDateTimeShortVi(data.readyAt),
        readyAtLong: formatDateTimeVi(data.readyAt),
        pickupPlace,
        pickupInstruction: pickupPlace ? `tại ${pickupPlace}` : "theo hình thức đã đăng ký",
      } satisfies Slots<"citizen-result-ready">;
    }
  }
}

/** Fills a part or paragraph; undefined when an optional value is absent (the caller leaves it out). */
const fill = (template: Template, values: Values): string | undefined =>
  fillTemplate(template, values, OPTIONAL_NOTICE_PLACEHOLDERS);

/** Fills a text that must be whole: an absent value, even an optional one, is a defect and throws. */
function fillRequired(template: Template, values: Values): string {
  const out = fill(template, values);
  if (out === undefined) throw new InvalidInputError("Thiếu giá trị bắt buộc trong mẫu tin nhắn");
  return out;
}

// ---------------------------------------------------------------------------------------------
// SMS

/** Cuts at a word boundary and adds "…" (unaccent turns it into "..." for GSM-7). */
export function truncateAtWord(text: string, maxChars: number, ellipsis = "…"): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(0, maxChars - ellipsis.length);
  const window = text.slice(0, room + 1);
  const lastSpace = window.lastIndexOf(" ");
  const head = (lastSpace > 0 ? text.slice(0, lastSpace) : text.slice(0, room)).replace(/[\s,;:.(–-]+$/u, "");
  return `${head}${ellipsis}`;
}

export interface SmsRendering {
  readonly kind: NoticeKind;
  readonly audience: Audience;
  readonly text: string;
  /** The encoding the text needs (a "ucs2" request without diacritics still goes out as gsm7). */
  readonly encoding: SmsEncoding;
  readonly segments: number;
  readonly units: number;
  /** Values shortened to fit, by name. */
  readonly shortened: readonly string[];
  /** Optional parts left out to fit, by id. */
  readonly dropped: readonly string[];
}

export interface SmsOptions {
  /** "gsm7" (default): unaccented, 160/153 per part, cheaper. "ucs2": with diacritics, 70/67. */
  readonly encoding?: SmsEncoding;
}

interface FitState {
  readonly limits: Map<string, number>;
  readonly dropped: Set<string>;
}

function composeSms(wording: NoticeWording, values: Values, encoding: SmsEncoding, state: FitState): string {
  const shortened: Record<string, string | undefined> = { ...values };
  for (const [name, limit] of state.limits) {
    const value = values[name];
    if (value) shortened[name] = truncateAtWord(value, limit);
  }
  const parts: string[] = [];
  for (const part of wording.sms.parts) {
    if (part.id && state.dropped.has(part.id)) continue;
    const text = part.id ? fill(part.text, shortened) : fillRequired(part.text, shortened);
    if (text !== undefined) parts.push(text);
  }
  // A shortened value ends in "…"; a full stop right after it would read as "…." — keep one.
  const text = nfc(parts.join("")).replace(/…\./g, "…");
  return encoding === "gsm7" ? unaccent(text) : text;
}

const fits = (text: string): boolean => countSegments(text).segments <= MAX_SMS_SEGMENTS;

/** Largest limit in [min, full length] that fits, or undefined. */
function bestLimit(
  name: string,
  min: number,
  attempt: (limit: number) => string,
  values: Values,
): number | undefined {
  const full = values[name]?.length ?? 0;
  for (let limit = full; limit >= min; limit -= 1) {
    if (fits(attempt(limit))) return limit;
  }
  return undefined;
}

/**
 * Renders one SMS within MAX_SMS_SEGMENTS parts, following the template's shrink steps, then
 * lengthens shortened values again as far as the room left allows. Throws InvalidInputError
 * (reason MESSAGE_TOO_LONG) when even the shortest form does not fit.
 */
export function renderSms(data: NoticeData, options: SmsOptions = {}): SmsRendering {
  const valid = parseOrThrow(noticeSchema, data, "Nội dung tin nhắn");
  const encoding = options.encoding ?? "gsm7";
  const template = SMS_TEMPLATES[valid.kind];
  const values = noticeValues(valid, "sms");
  const state: FitState = { limits: new Map(), dropped: new Set() };
  const compose = (): string => composeSms(NOTICE_WORDING[valid.kind], values, encoding, state);
  const withLimit = (name: string, limit: number): string => {
    const previous = state.limits.get(name);
    state.limits.set(name, limit);
    const text = compose();
    if (previous === undefined) state.limits.delete(name);
    else state.limits.set(name, previous);
    return text;
  };

  let text = compose();
  for (const step of template.shrink) {
    if (fits(text)) break;
    if ("drop" in step) {
      state.dropped.add(step.drop);
    } else if (values[step.truncate]) {
      const limit =
        bestLimit(step.truncate, step.min, (l) => withLimit(step.truncate, l), values) ?? step.min;
      state.limits.set(step.truncate, Math.min(limit, state.limits.get(step.truncate) ?? limit));
    }
    text = compose();
  }
  if (!fits(text)) {
    throw new InvalidInputError(
      `Tin nhắn ${valid.kind} vượt quá ${MAX_SMS_SEGMENTS} phần tin dù đã rút gọn`,
      {
        reason: "MESSAGE_TOO_LONG",
        kind: valid.kind,
        segments: countSegments(text).segments,
      },
    );
  }
  // Give back room: a value shortened before a later drop may now fit longer.
  for (const [name, current] of [...state.limits]) {
    const limit = bestLimit(name, current, (l) => withLimit(name, l), values);
    if (limit !== undefined) state.limits.set(name, limit);
  }
  text = compose();
  const shortened = [...state.limits]
    .filter(([name, limit]) => (values[name]?.length ?? 0) > limit)
    .map(([name]) => name);
  const count = countSegments(text);
  return {
    kind: valid.kind,
    audience: template.audience,
    text,
    encoding: count.encoding,
    segments: count.segments,
    units: count.units,
    shortened,
    dropped: [...state.dropped],
  };
}

// ---------------------------------------------------------------------------------------------
// E-mail

export interface EmailRendering {
  readonly kind: NoticeKind;
  readonly audience: Audience;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Subject, HTML and plain-text bodies; values are HTML-escaped, nothing is shortened. */
export function renderEmail(data: NoticeData): EmailRendering {
  const valid = parseOrThrow(noticeSchema, data, "Nội dung e-mail");
  const template = EMAIL_TEMPLATES[valid.kind];
  const wording = NOTICE_WORDING[valid.kind].email;
  const values = noticeValues(valid, "email");
  // A subject is one header line: a CR/LF from a directory name or an event would start another
  // header (e-mail header injection), so every control character becomes a space.
  const subject = fillRequired(wording.subject, values)
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .trim();
  const paragraphs = wording.paragraphs
    .map((p) => fill(p, values))
    .filter((p): p is string => p !== undefined);
  const signOff = fillRequired(wording.signOff, values);
  const rows = valid.kind === "leader-digest" ? valid.rows : undefined;
  const e = escapeHtml;

  const html = [
    "<!DOCTYPE html>",
    '<html lang="vi">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title>`,
    "</head>",
    "<body style=\"font-family:'Times New Roman',Times,serif;font-size:15px;line-height:1.5;color:#111\">",
    ...paragraphs.map((p) => `<p>${e(p)}</p>`),
    ...(rows && rows.length > 0 ? [renderDigestBlocksHtml(rows)] : []),
    `<p>Trân trọng,<br>${e(signOff)}</p>`,
    "</body>",
    "</html>",
  ].join("\n");
  const text = [
    ...paragraphs,
    ...(rows && rows.length > 0 ? [renderDigestTableText(rows)] : []),
    `Trân trọng,\n${signOff}`,
  ].join("\n\n");
  return {
    kind: valid.kind,
    audience: template.audience,
    subject,
    html: nfc(`${html}\n`),
    text: nfc(`${text}\n`),
  };
}

// ---------------------------------------------------------------------------------------------
// One notice to one recipient: a bad contact is a clear failure of that notice, not a crash.

export type NoticeRequest =
  | {
      readonly channel: "sms";
      readonly to: string;
      readonly data: NoticeData;
      readonly encoding?: SmsEncoding;
    }
  | { readonly channel: "email"; readonly to: string; readonly data: NoticeData };

export interface SmsMessage extends SmsRendering {
  readonly channel: "sms";
  /** E.164, "+84…". */
  readonly to: string;
}

export interface EmailMessage extends EmailRendering {
  readonly channel: "email";
  readonly to: string;
}

export type NoticeFailureCode =
  | "MISSING_CONTACT"
  | "INVALID_PHONE"
  | "INVALID_EMAIL"
  | "MESSAGE_TOO_LONG"
  | "INVALID_INPUT";

/** `reason` is safe to log: contacts in it are masked. */
export type NoticeResult =
  | { readonly ok: true; readonly message: SmsMessage | EmailMessage }
  | { readonly ok: false; readonly error: { readonly code: NoticeFailureCode; readonly reason: string } };

const FAILURE_CODES: readonly NoticeFailureCode[] = ["INVALID_PHONE", "INVALID_EMAIL", "MESSAGE_TOO_LONG"];

function failureCode(error: DomainError): NoticeFailureCode {
  const reason = error.details?.reason;
  return FAILURE_CODES.find((code) => code === reason) ?? "INVALID_INPUT";
}

/**
 * Validates the contact and renders the notice. Domain errors (bad contact, bad data, too long)
 * come back as `{ ok: false }` for that notice only; anything else is a defect and is thrown.
 */
export function renderNotice(request: NoticeRequest): NoticeResult {
  if (!request.to?.trim()) {
    return {
      ok: false,
      error: {
        code: "MISSING_CONTACT",
        reason: request.channel === "sms" ? "Chưa có số điện thoại di động" : "Chưa có địa chỉ e-mail",
      },
    };
  }
  try {
    if (request.channel === "sms") {
      const to = normalizeVietnamesePhone(request.to);
      const sms = renderSms(request.data, request.encoding ? { encoding: request.encoding } : {});
      return { ok: true, message: { channel: "sms", to, ...sms } };
    }
    const to = validateEmail(request.to);
    return { ok: true, message: { channel: "email", to, ...renderEmail(request.data) } };
  } catch (error) {
    if (error instanceof DomainError) {
      return { ok: false, error: { code: failureCode(error), reason: error.message } };
    }
    throw error;
  }
}
