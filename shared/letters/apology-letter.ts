import * as z from "zod";
import { InvalidInputError } from "../errors.ts";
import {
  type ApologyPlaceholder,
  type ApologyTemplate,
  type ApologyTemplateId,
  type ApologyUnitConfig,
  chooseApologyTemplate,
  OPTIONAL_APOLOGY_PLACEHOLDERS,
  placeholdersIn,
} from "./apology-templates.ts";
import { escapeHtml } from "./html.ts";
import { apologyReason, dossierCode, isoInstant, nonEmptyText, parseOrThrow } from "./validation.ts";
import {
  formatDateTimeVi,
  formatDateVi,
  formatPlaceDate,
  type LongDateOptions,
  nfc,
  toVietnamTime,
} from "./vietnamese-format.ts";

export type Honorific = "Ông" | "Bà" | "Ông/Bà";

/** Everything the apology letter prints. Instants are ISO 8601; they are shown in Asia/Ho_Chi_Minh. */
export interface ApologyLetterInput {
  readonly agency: {
    /** Cơ quan chủ quản, e.g. "UBND tỉnh Tây Ninh" (printed upper case). */
    readonly parentName?: string;
    /** Issuing unit, e.g. "Sở Nông nghiệp và Môi trường" (printed upper case, bold). */
    readonly unitName: string;
  };
  /** Printed after "Số: ", e.g. "125/XL-SNNMT". */
  readonly letterNumber: string;
  /** Place of issue for the date line, e.g. "Tân An". */
  readonly placeName: string;
  /** Issue date (ISO date or instant); also selects the template. */
  readonly issueDate: string;
  readonly recipient: {
    readonly honorific: Honorific;
    readonly name: string;
    readonly address?: string;
    readonly phone?: string;
  };
  /** When the complete dossier was received. */
  readonly receivedAt: string;
  readonly dossierCode: string;
  readonly procedure: { readonly name: string; readonly field?: string };
  /** Appointment on the receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
  readonly originalAppointment: string;
  /** Unit that caused the delay (NĐ 61/2018 Art. 19(7)). */
  readonly responsibleUnit: string;
  /** null on a draft nobody has written the reason of: the letter shows a blank to fill (REASON_BLANK). */
  readonly reason: string | null;
  readonly newAppointment: string;
  readonly signer: {
    /** Signing on behalf, e.g. "KT. GIÁM ĐỐC"; omitted when the head signs. */
    readonly authority?: string;
    /** e.g. "PHÓ GIÁM ĐỐC" */
    readonly title: string;
    readonly name: string;
  };
  /** "Nơi nhận" entries, e.g. ["Như trên", "Bộ phận Một cửa", "Lưu: VT"]. */
  readonly recipients: readonly string[];
}

const inputSchema = z.object({
  agency: z.object({ parentName: nonEmptyText.optional(), unitName: nonEmptyText }),
  letterNumber: nonEmptyText,
  placeName: nonEmptyText,
  issueDate: isoInstant,
  recipient: z.object({
    honorific: z.enum(["Ông", "Bà", "Ông/Bà"]),
    name: nonEmptyText,
    address: nonEmptyText.optional(),
    phone: nonEmptyText.optional(),
  }),
  receivedAt: isoInstant,
  dossierCode,
  procedure: z.object({ name: nonEmptyText, field: nonEmptyText.optional() }),
  originalAppointment: isoInstant,
  responsibleUnit: nonEmptyText,
  reason: apologyReason.nullable(),
  newAppointment: isoInstant,
  signer: z.object({ authority: nonEmptyText.optional(), title: nonEmptyText, name: nonEmptyText }),
  recipients: z.array(nonEmptyText).min(1, "cần ít nhất một nơi nhận"),
});

/** The letter laid out, every string NFC; the HTML, text and DOCX renderers only arrange it. */
export interface ApologyLetter {
  readonly templateId: ApologyTemplateId;
  readonly verified: boolean;
  readonly formLabel: string | null;
  readonly source: string;
  readonly dossierCode: string;
  readonly header: {
    readonly parentAgency: string | null;
    readonly unitName: string;
    readonly number: string;
    readonly motto: readonly [string, string];
    readonly placeDate: string;
  };
  readonly title: string;
  readonly salutation: string;
  readonly recipientDetails: readonly string[];
  readonly paragraphs: readonly string[];
  readonly closing: string;
  readonly signature: {
    readonly authority: string | null;
    readonly title: string;
    readonly note: string;
    readonly name: string;
  };
  readonly recipientsHeading: string;
  readonly recipients: readonly string[];
}

export const NATIONAL_MOTTO: readonly [string, string] = [
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  "Độc lập - Tự do - Hạnh phúc",
];

export interface BuildApologyLetterOptions {
  /** Use this template; otherwise chosen by `issueDate` and `unitConfig`. */
  readonly template?: ApologyTemplate;
  readonly unitConfig?: ApologyUnitConfig;
  readonly dates?: LongDateOptions;
}

/** The blank a draft without a reason shows (dotted, as on paper forms): never the guidance as text. */
export const REASON_BLANK = "……………………………………";

const clean = (text: string): string => nfc(text.trim().replace(/\s+/g, " "));
const upper = (text: string): string => clean(text).toUpperCase();
const withoutFinalStop = (text: string): string => clean(text).replace(/[.;,\s]+$/u, "");

/** Fills {placeholders}; a missing required value is a programming error, not a blank in the letter. */
export function fillApologyText(
  text: string,
  values: Readonly<Record<ApologyPlaceholder, string | undefined>>,
): string {
  return nfc(
    text.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
      const value = values[name as ApologyPlaceholder];
      if (value === undefined || value === "") {
        throw new InvalidInputError(`Thiếu giá trị cho {${name}}`, { placeholder: name });
      }
      return value;
    }),
  );
}

function formatRecipients(items: readonly string[]): string[] {
  const bare = items.map((item) =>
    clean(item)
      .replace(/^[-–•]\s*/u, "")
      .replace(/[;.]+$/u, ""),
  );
  return bare.map((item, i) => `- ${item}${i === bare.length - 1 ? "." : ";"}`);
}

/** Validates the view model, picks the template and lays the letter out. */
export function buildApologyLetter(
  input: ApologyLetterInput,
  options: BuildApologyLetterOptions = {},
): ApologyLetter {
  parseOrThrow(inputSchema, input, "Văn bản xin lỗi");
  const received = toVietnamTime(input.receivedAt);
  if (received > toVietnamTime(input.originalAppointment)) {
    throw new InvalidInputError("Ngày hẹn ban đầu phải sau ngày tiếp nhận hồ sơ", {
      field: "originalAppointment",
    });
  }
  if (toVietnamTime(input.issueDate).toISODate() < received.toISODate()) {
    throw new InvalidInputError("Ngày ban hành không thể trước ngày tiếp nhận hồ sơ", { field: "issueDate" });
  }
  if (toVietnamTime(input.newAppointment) <= toVietnamTime(input.originalAppointment)) {
    throw new InvalidInputError("Ngày hẹn trả kết quả mới phải sau ngày hẹn ban đầu", {
      field: "newAppointment",
    });
  }
  const template = options.template ?? chooseApologyTemplate(input.issueDate, options.unitConfig);
  const dates = options.dates ?? {};
  const values: Record<ApologyPlaceholder, string | undefined> = {
    honorific: input.recipient.honorific,
    recipientName: clean(input.recipient.name),
    unitName: clean(input.agency.unitName),
    receiptDate: formatDateVi(input.receivedAt),
    dossierCode: input.dossierCode.trim(),
    procedureName: withoutFinalStop(input.procedure.name),
    procedureField: input.procedure.field ? withoutFinalStop(input.procedure.field) : undefined,
    originalAppointment: formatDateTimeVi(input.originalAppointment, dates),
    responsibleUnit: withoutFinalStop(input.responsibleUnit),
    reason: input.reason === null ? REASON_BLANK : withoutFinalStop(input.reason),
    newAppointment: formatDateTimeVi(input.newAppointment, dates),
  };
  const isBlankOptional = (name: string): boolean =>
    (OPTIONAL_APOLOGY_PLACEHOLDERS as readonly string[]).includes(name) &&
    !values[name as ApologyPlaceholder];
  const paragraphs = template.paragraphs
    .filter((p) => !placeholdersIn(p).some(isBlankOptional))
    .map((p) => fillApologyText(p, values));

  const recipientDetails: string[] = [];
  if (input.recipient.address) recipientDetails.push(`Địa chỉ: ${clean(input.recipient.address)}`);
  if (input.recipient.phone) recipientDetails.push(`Điện thoại: ${clean(input.recipient.phone)}`);

  return {
    templateId: template.id,
    verified: template.verified,
    formLabel: template.verified ? template.formLabel : null,
    source: nfc(template.source),
    dossierCode: values.dossierCode!,
    header: {
      parentAgency: input.agency.parentName ? upper(input.agency.parentName) : null,
      unitName: upper(input.agency.unitName),
      number: `Số: ${clean(input.letterNumber)}`,
      motto: NATIONAL_MOTTO,
      placeDate: formatPlaceDate(clean(input.placeName), input.issueDate, dates),
    },
    title: fillApologyText(template.title, values),
    salutation: fillApologyText(template.salutation, values),
    recipientDetails,
    paragraphs,
    closing: fillApologyText(template.closing, values),
    signature: {
      authority: input.signer.authority ? upper(input.signer.authority) : null,
      title: upper(input.signer.title),
      note: nfc(template.signatureNote),
      name: clean(input.signer.name),
    },
    recipientsHeading: nfc(template.recipientsHeading),
    recipients: formatRecipients(input.recipients),
  };
}

/**
 * Print styles follow the layout conventions of NĐ 30/2020/NĐ-CP Phụ lục I (agency block left,
 * motto right, Times New Roman), scaled for A5 paper (docs/law.md, "The apology letter").
 */
export const LETTER_CSS = `@page { size: A5 portrait; margin: 12mm 10mm 12mm 18mm; }
@media screen { body { width: 120mm; margin: 12mm auto; padding: 12mm 10mm 12mm 18mm; background: #fff; box-shadow: 0 0 4mm #bbb; } html { background: #eee; } }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Times New Roman", Times, serif; font-size: 11pt; line-height: 1.22; color: #000; }
.form-label { text-align: right; font-style: italic; font-size: 10pt; margin: 0 0 2pt; }
table.doc-header, table.doc-footer { width: 100%; border-collapse: collapse; }
table.doc-header td, table.doc-footer td { vertical-align: top; padding: 0; }
td.agency { width: 42%; text-align: center; font-size: 11pt; }
td.motto { width: 58%; text-align: center; }
.parent-agency { text-transform: uppercase; }
.unit-name { font-weight: bold; text-transform: uppercase; }
.motto-1 { font-weight: bold; font-size: 11pt; }
.motto-2 { font-weight: bold; font-size: 12pt; }
hr.rule { border: 0; border-top: 1px solid #000; margin: 1pt auto 4pt; }
td.agency hr.rule { width: 30%; }
td.motto hr.rule { width: 62%; }
.number { font-size: 11pt; }
.place-date { font-style: italic; }
h1.title { text-align: center; font-size: 12pt; font-weight: bold; margin: 10pt 0 4pt; }
p.salutation { text-align: center; margin: 0 0 2pt; }
p.recipient-detail { text-align: center; margin: 0; }
.body { margin-top: 8pt; }
.body p { text-align: justify; text-indent: 8mm; margin: 0 0 3pt; }
td.recipients { width: 45%; font-size: 10pt; }
td.recipients .heading { font-weight: bold; font-style: italic; font-size: 11pt; }
td.recipients p { margin: 0; }
td.signature { width: 55%; text-align: center; }
td.signature .authority, td.signature .signer-title, td.signature .signer-name { font-weight: bold; }
td.signature .note { font-style: italic; font-size: 10pt; }
td.signature .space { height: 20mm; }`;

/** HTML for A5 printing; every value escaped. */
export function renderApologyLetterHtml(letter: ApologyLetter): string {
  const e = escapeHtml;
  const h = letter.header;
  const lines: string[] = [
    "<!DOCTYPE html>",
    '<html lang="vi">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${e(letter.title)} - ${e(letter.dossierCode)}</title>`,
    `<style>\n${LETTER_CSS}\n</style>`,
    "</head>",
    "<body>",
    `<article class="apology-letter" data-template="${e(letter.templateId)}" data-verified="${letter.verified}">`,
  ];
  if (letter.formLabel) lines.push(`<p class="form-label">${e(letter.formLabel)}</p>`);
  lines.push(
    '<table class="doc-header" role="presentation">',
    "<tr>",
    '<td class="agency">',
    ...(h.parentAgency ? [`<div class="parent-agency">${e(h.parentAgency)}</div>`] : []),
    `<div class="unit-name">${e(h.unitName)}</div>`,
    '<hr class="rule">',
    `<div class="number">${e(h.number)}</div>`,
    "</td>",
    '<td class="motto">',
    `<div class="motto-1">${e(h.motto[0])}</div>`,
    `<div class="motto-2">${e(h.motto[1])}</div>`,
    '<hr class="rule">',
    `<div class="place-date">${e(h.placeDate)}</div>`,
    "</td>",
    "</tr>",
    "</table>",
    `<h1 class="title">${e(letter.title)}</h1>`,
    `<p class="salutation">${e(letter.salutation)}</p>`,
    ...letter.recipientDetails.map((d) => `<p class="recipient-detail">${e(d)}</p>`),
    '<section class="body">',
    ...letter.paragraphs.map((p) => `<p>${e(p)}</p>`),
    `<p>${e(letter.closing)}</p>`,
    "</section>",
    '<table class="doc-footer" role="presentation">',
    "<tr>",
    '<td class="recipients">',
    `<p class="heading">${e(letter.recipientsHeading)}</p>`,
    ...letter.recipients.map((r) => `<p>${e(r)}</p>`),
    "</td>",
    '<td class="signature">',
    ...(letter.signature.authority ? [`<div class="authority">${e(letter.signature.authority)}</div>`] : []),
    `<div class="signer-title">${e(letter.signature.title)}</div>`,
    `<div class="note">${e(letter.signature.note)}</div>`,
    '<div class="space"></div>',
    `<div class="signer-name">${e(letter.signature.name)}</div>`,
    "</td>",
    "</tr>",
    "</table>",
    "</article>",
    "</body>",
    "</html>",
  );
  return nfc(`${lines.join("\n")}\n`);
}

/** Plain text, e.g. for an e-mail body or a system log of what was sent to the applicant. */
export function renderApologyLetterText(letter: ApologyLetter): string {
  const h = letter.header;
  const lines: string[] = [];
  if (letter.formLabel) lines.push(letter.formLabel, "");
  if (h.parentAgency) lines.push(h.parentAgency);
  lines.push(h.unitName, h.number, "", h.motto[0], h.motto[1], "", h.placeDate, "", letter.title, "");
  lines.push(letter.salutation, ...letter.recipientDetails, "");
  for (const p of letter.paragraphs) lines.push(p);
  lines.push(letter.closing, "");
  if (letter.signature.authority) lines.push(letter.signature.authority);
  lines.push(letter.signature.title, letter.signature.note, "", "", letter.signature.name, "");
  lines.push(letter.recipientsHeading, ...letter.recipients);
  return nfc(`${lines.join("\n")}\n`);
}
