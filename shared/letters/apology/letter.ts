import * as z from "zod";
import { InvalidInputError } from "../../errors.ts";
import { apologyReason, dossierCode, isoInstant, nonEmptyText, parseOrThrow } from "../fields/index.ts";
import {
  type ApologyLetterLayout,
  fillTemplate,
  formatDateTimeVi,
  formatDateVi,
  formatPlaceDate,
  type LongDateOptions,
  NATIONAL_MOTTO,
  nfc,
  oneLine,
  phrase,
  toVietnamTime,
} from "../render/index.ts";
import {
  type ApologyPlaceholder,
  type ApologyTemplate,
  type ApologyTemplateId,
  type ApologyUnitConfig,
  chooseApologyTemplate,
  OPTIONAL_APOLOGY_PLACEHOLDERS,
  parseApologyTexts,
} from "./templates.ts";

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

/** The letter laid out from one of the apology templates. */
export interface ApologyLetter extends ApologyLetterLayout {
  readonly templateId: ApologyTemplateId;
}

export interface BuildApologyLetterOptions {
  /** Use this template; otherwise chosen by `issueDate` and `unitConfig`. */
  readonly template?: ApologyTemplate;
  readonly unitConfig?: ApologyUnitConfig;
  readonly dates?: LongDateOptions;
}

/** The blank a draft without a reason shows (dotted, as on paper forms): never the guidance as text. */
export const REASON_BLANK = "……………………………………";

const upper = (text: string): string => oneLine(text).toUpperCase();

function formatRecipients(items: readonly string[]): string[] {
  const bare = items.map((item) =>
    oneLine(item)
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
    recipientName: oneLine(input.recipient.name),
    unitName: oneLine(input.agency.unitName),
    receiptDate: formatDateVi(input.receivedAt),
    dossierCode: input.dossierCode.trim(),
    procedureName: phrase(input.procedure.name),
    procedureField: input.procedure.field ? phrase(input.procedure.field) : undefined,
    originalAppointment: formatDateTimeVi(input.originalAppointment, dates),
    responsibleUnit: phrase(input.responsibleUnit),
    reason: input.reason === null ? REASON_BLANK : phrase(input.reason),
    newAppointment: formatDateTimeVi(input.newAppointment, dates),
  };
  const texts = parseApologyTexts(template);
  // A paragraph using an optional value that is absent ({procedureField}) is left out.
  const paragraphs = texts.paragraphs
    .map((paragraph) => fillTemplate(paragraph, values, OPTIONAL_APOLOGY_PLACEHOLDERS))
    .filter((paragraph) => paragraph !== undefined);

  const recipientDetails: string[] = [];
  if (input.recipient.address) recipientDetails.push(`Địa chỉ: ${oneLine(input.recipient.address)}`);
  if (input.recipient.phone) recipientDetails.push(`Điện thoại: ${oneLine(input.recipient.phone)}`);

  return {
    templateId: template.id,
    verified: template.verified,
    formLabel: template.verified ? template.formLabel : null,
    source: nfc(template.source),
    dossierCode: values.dossierCode!,
    header: {
      parentAgency: input.agency.parentName ? upper(input.agency.parentName) : null,
      unitName: upper(input.agency.unitName),
      number: `Số: ${oneLine(input.letterNumber)}`,
      motto: NATIONAL_MOTTO,
      placeDate: formatPlaceDate(oneLine(input.placeName), input.issueDate, dates),
    },
    title: fillTemplate(texts.title, values),
    salutation: fillTemplate(texts.salutation, values),
    recipientDetails,
    paragraphs,
    closing: fillTemplate(texts.closing, values),
    signature: {
      authority: input.signer.authority ? upper(input.signer.authority) : null,
      title: upper(input.signer.title),
      note: nfc(template.signatureNote),
      name: oneLine(input.signer.name),
    },
    recipientsHeading: nfc(template.recipientsHeading),
    recipients: formatRecipients(input.recipients),
  };
}
