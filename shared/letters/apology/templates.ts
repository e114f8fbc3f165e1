import { MS_PER_DAY } from "../../calendar/local-date.ts";
import { InvalidInputError, UnsupportedDateError } from "../../errors.ts";
import { parseTemplate, type Template, toVietnamTime, VietnamTime } from "../render/index.ts";

/**
 * Apology letter templates as data (docs/law.md). Code picks one by date or by the unit's
 * configuration and fills its {placeholders}; a province edits wording with an override, not code.
 *
 * Placeholders available in title/salutation/paragraphs/closing:
 *   {honorific} {recipientName} {unitName} {receiptDate} {dossierCode} {procedureName}
 *   {procedureField} {originalAppointment} {responsibleUnit} {reason} {newAppointment}
 * A paragraph that uses an OPTIONAL placeholder ({procedureField}) is left out when it has no value.
 */
export const APOLOGY_PLACEHOLDERS = [
  "honorific",
  "recipientName",
  "unitName",
  "receiptDate",
  "dossierCode",
  "procedureName",
  "procedureField",
  "originalAppointment",
  "responsibleUnit",
  "reason",
  "newAppointment",
] as const;
export type ApologyPlaceholder = (typeof APOLOGY_PLACEHOLDERS)[number];
export const OPTIONAL_APOLOGY_PLACEHOLDERS: readonly ApologyPlaceholder[] = ["procedureField"];

export type ApologyTemplateId = "tt01-2018" | "tt03-2025";

export interface ApologyTemplate {
  readonly id: ApologyTemplateId;
  /** First issue date (local, inclusive) the template applies to. */
  readonly since: string;
  /** Last issue date (local, inclusive), or null while in force. */
  readonly until: string | null;
  readonly source: string;
  /**
   * Form number printed top right ("Mẫu số 04"). Only printed when `verified` is true: the layout
   * must have been checked against the official text before output claims to be that form.
   */
  readonly formLabel: string | null;
  readonly verified: boolean;
  readonly note: string;
  readonly title: string;
  readonly salutation: string;
  readonly paragraphs: readonly string[];
  readonly closing: string;
  /** Italic hint under the signer's title. */
  readonly signatureNote: string;
  readonly recipientsHeading: string;
}

/** Wording a province or unit may change; anything not given keeps the default. */
export type ApologyTemplateOverride = Partial<
  Pick<
    ApologyTemplate,
    | "source"
    | "formLabel"
    | "verified"
    | "note"
    | "title"
    | "salutation"
    | "paragraphs"
    | "closing"
    | "signatureNote"
    | "recipientsHeading"
  >
>;

/**
 * First day the TT 03/2025 template is used when a unit does not say otherwise. TT 03/2025/TT-VPCP
 * was issued 15/09/2025; its effective date was only reported second-hand (docs/law.md), so this
 * is a configurable default (`ApologyUnitConfig.tt03EffectiveFrom`), not a legal fact.
 */
export const DEFAULT_TT03_EFFECTIVE_FROM = "2025-11-01";

/** TT 01/2018/TT-VPCP in force from 06/01/2019 (docs/law.md); earlier dates are not supported. */
const TT01_SINCE = "2019-01-06";

export const TT01_2018_APOLOGY: ApologyTemplate = {
  id: "tt01-2018",
  since: TT01_SINCE,
  until: "2025-10-31",
  source:
    "Thông tư 01/2018/TT-VPCP, Mẫu số 04 (Phiếu xin lỗi và hẹn lại ngày trả kết quả); " +
    "Nghị định 61/2018/NĐ-CP, Điều 19 khoản 9",
  formLabel: "Mẫu số 04",
  verified: true,
  note:
    "Title and fields follow Mẫu 04 of TT 01/2018; sentences are written from those fields — " +
    "compare with the province's printed form before first use.",
  title: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
  salutation: "Kính gửi: {honorific} {recipientName}",
  paragraphs: [
    "Ngày {receiptDate}, hồ sơ đề nghị giải quyết thủ tục hành chính của {honorific} đã được tiếp nhận.",
    "Mã hồ sơ: {dossierCode}.",
    "Thủ tục hành chính: {procedureName}.",
    "Lĩnh vực: {procedureField}.",
    "Thời gian hẹn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả: {originalAppointment}.",
    "Tuy nhiên, đến nay hồ sơ của {honorific} chưa được giải quyết xong theo đúng thời gian đã hẹn. " +
      "Đơn vị chịu trách nhiệm về sự chậm trễ: {responsibleUnit}.",
    "Lý do: {reason}.",
    "Sự chậm trễ này đã gây phiền hà cho {honorific}. {unitName} trân trọng xin lỗi {honorific} " +
      "và hẹn lại thời gian trả kết quả vào {newAppointment}.",
  ],
  closing: "Rất mong nhận được sự thông cảm của {honorific}./.",
  signatureNote: "(Ký, ghi rõ họ tên và đóng dấu)",
  recipientsHeading: "Nơi nhận:",
};

export const TT03_2025_APOLOGY: ApologyTemplate = {
  id: "tt03-2025",
  since: DEFAULT_TT03_EFFECTIVE_FROM,
  until: null,
  source:
    "Thông tư 03/2025/TT-VPCP (ban hành 15/09/2025), Văn bản xin lỗi và đề nghị gia hạn thời gian " +
    "giải quyết; Nghị định 118/2025/NĐ-CP",
  // Not "Mẫu số 04": the official layout of the TT 03/2025 form was not obtained (docs/law.md).
  formLabel: null,
  verified: false,
  note:
    "verified: false — official layout of the TT 03/2025 form not obtained; wording built from the " +
    "fields the law requires (reason, responsible unit, new date). Do not label it Mẫu 04 until checked.",
  title: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
  salutation: "Kính gửi: {honorific} {recipientName}",
  paragraphs: [
    "Ngày {receiptDate}, hồ sơ đề nghị giải quyết thủ tục hành chính của {honorific} đã được tiếp nhận " +
      "với mã hồ sơ {dossierCode}.",
    "Thủ tục hành chính: {procedureName}.",
    "Lĩnh vực: {procedureField}.",
    "Thời hạn trả kết quả theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả: {originalAppointment}.",
    "Đến nay, hồ sơ chưa được giải quyết xong đúng thời hạn. Đơn vị để xảy ra chậm trễ: {responsibleUnit}.",
    "Lý do: {reason}.",
    "{unitName} trân trọng xin lỗi {honorific} vì sự chậm trễ này và đề nghị gia hạn thời gian giải " +
      "quyết hồ sơ đến {newAppointment}.",
  ],
  closing: "Rất mong {honorific} thông cảm./.",
  signatureNote: "(Ký, ghi rõ họ tên và đóng dấu hoặc ký số)",
  recipientsHeading: "Nơi nhận:",
};

export const APOLOGY_TEMPLATES: Readonly<Record<ApologyTemplateId, ApologyTemplate>> = {
  "tt01-2018": TT01_2018_APOLOGY,
  "tt03-2025": TT03_2025_APOLOGY,
};

/** A unit's letter settings, from its configuration record. */
export interface ApologyUnitConfig {
  /** Force one template whatever the date (some provinces kept the old forms in late 2025). */
  readonly template?: ApologyTemplateId;
  /** First local date (YYYY-MM-DD) of the TT 03/2025 template; default DEFAULT_TT03_EFFECTIVE_FROM. */
  readonly tt03EffectiveFrom?: string;
  /** Province or unit wording, merged onto the default template of that id. */
  readonly overrides?: { readonly [K in ApologyTemplateId]?: ApologyTemplateOverride };
}

/** Reads every wording of a template: an unknown or malformed placeholder throws InvalidInputError. */
export function parseApologyTexts(template: ApologyTemplate): {
  readonly title: Template<ApologyPlaceholder>;
  readonly salutation: Template<ApologyPlaceholder>;
  readonly paragraphs: readonly Template<ApologyPlaceholder>[];
  readonly closing: Template<ApologyPlaceholder>;
} {
  const parse = (text: string) => parseTemplate(text, APOLOGY_PLACEHOLDERS, template.id);
  return {
    title: parse(template.title),
    salutation: parse(template.salutation),
    paragraphs: template.paragraphs.map(parse),
    closing: parse(template.closing),
  };
}

// The law's wordings are read when this module loads: a typo in them fails every test, not a letter.
for (const template of Object.values(APOLOGY_TEMPLATES)) parseApologyTexts(template);

/**
 * Merges a province's partial wording onto a default template. Arrays (paragraphs) are replaced,
 * not concatenated. Refuses unknown placeholders and a form label on an unverified layout.
 */
export function mergeApologyTemplate(
  base: ApologyTemplate,
  override: ApologyTemplateOverride,
): ApologyTemplate {
  const merged: ApologyTemplate = { ...base, ...override };
  if (merged.formLabel !== null && !merged.verified) {
    throw new InvalidInputError(
      `Mẫu ${base.id}: không ghi "${merged.formLabel}" khi bố cục chưa được đối chiếu (verified: false)`,
      { template: base.id },
    );
  }
  if (merged.paragraphs.length === 0) {
    throw new InvalidInputError(`Mẫu ${base.id}: cần ít nhất một đoạn nội dung`, { template: base.id });
  }
  parseApologyTexts(merged);
  return merged;
}

function localDate(iso: string, what: string): string {
  return toVietnamTime(iso, what).toISODate();
}

function previousDay(isoDate: string): string {
  // Fixed +07:00: the local date a day earlier is the instant a day earlier.
  return new VietnamTime(toVietnamTime(isoDate).millis - MS_PER_DAY).toISODate();
}

/**
 * Picks the apology template for a letter issued on `issueDate` (ISO date or instant, read in
 * Asia/Ho_Chi_Minh). A unit's `template` wins; otherwise TT 03/2025 from `tt03EffectiveFrom`
 * (default 2025-11-01) and TT 01/2018 before. The returned template's since/until show the range
 * that applied, and the unit's wording override is already merged in.
 */
export function chooseApologyTemplate(
  issueDate: string,
  unitConfig: ApologyUnitConfig = {},
): ApologyTemplate {
  const day = localDate(issueDate, "Ngày ban hành");
  if (day < TT01_SINCE) {
    throw new UnsupportedDateError(`Không có mẫu văn bản xin lỗi cho ngày ${day} (trước ${TT01_SINCE})`, {
      issueDate: day,
    });
  }
  const switchDay = localDate(
    unitConfig.tt03EffectiveFrom ?? DEFAULT_TT03_EFFECTIVE_FROM,
    "Ngày áp dụng TT 03/2025",
  );
  const id: ApologyTemplateId = unitConfig.template ?? (day >= switchDay ? "tt03-2025" : "tt01-2018");
  const dated: ApologyTemplate =
    id === "tt03-2025"
      ? { ...APOLOGY_TEMPLATES[id], since: switchDay }
      : { ...APOLOGY_TEMPLATES[id], until: previousDay(switchDay) };
  const override = unitConfig.overrides?.[id];
  return override ? mergeApologyTemplate(dated, override) : dated;
}
