import { DateTime } from "luxon";
import { InvalidInputError } from "../errors.ts";

/** Every instant a person reads is shown in Vietnam's zone, never the host's (STYLE.md §3). */
export const VN_ZONE = "Asia/Ho_Chi_Minh";

/**
 * Canonical composition (NFC). Vietnamese typed on some keyboards or pasted from PDFs arrives
 * decomposed (NFD): it then counts double in SMS and breaks search; everything we emit is NFC.
 */
export function nfc(text: string): string {
  return text.normalize("NFC");
}

/**
 * Parses an ISO 8601 instant or local date and puts it in Vietnam's zone. A string with an
 * offset keeps its instant; a string without one is read as Vietnamese local time.
 */
export function toVietnamTime(iso: string, what = "thời điểm"): DateTime {
  const dt = DateTime.fromISO(iso, { zone: VN_ZONE });
  if (!dt.isValid) {
    throw new InvalidInputError(`${what} không hợp lệ (cần ISO 8601): ${JSON.stringify(iso)}`, {
      reason: dt.invalidReason,
    });
  }
  return dt;
}

/** The instant as an ISO string with the +07:00 offset, e.g. "2026-11-26T08:30:00+07:00". */
export function toVietnamIso(iso: string, what?: string): string {
  const text = toVietnamTime(iso, what).toISO({ suppressMilliseconds: true });
  // toISO() is only null for invalid DateTimes, which toVietnamTime has already refused.
  return text!;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/**
 * How months are padded in long dates. "jan-feb" (default) follows NĐ 30/2020/NĐ-CP Phụ lục I on
 * the form of administrative documents: days below 10 and months 1 and 2 get a leading zero
 * ("ngày 05 tháng 02", "ngày 08 tháng 3"). "always" writes "tháng 03", as some local systems do.
 */
export type MonthPadding = "always" | "jan-feb";

export interface LongDateOptions {
  readonly monthPadding?: MonthPadding;
}

function monthText(month: number, padding: MonthPadding): string {
  return padding === "always" || month <= 2 ? pad2(month) : String(month);
}

/** "26/11/2026" */
export function formatDateVi(iso: string): string {
  return toVietnamTime(iso).toFormat("dd/MM/yyyy");
}

/** "ngày 05 tháng 02 năm 2026" */
export function formatDateLongVi(iso: string, options: LongDateOptions = {}): string {
  const dt = toVietnamTime(iso);
  return `ngày ${pad2(dt.day)} tháng ${monthText(dt.month, options.monthPadding ?? "jan-feb")} năm ${dt.year}`;
}

/** "08 giờ 30 phút, ngày 26 tháng 11 năm 2026" — the form used on the receipt (Mẫu 01). */
export function formatDateTimeVi(iso: string, options: LongDateOptions = {}): string {
  const dt = toVietnamTime(iso);
  return `${pad2(dt.hour)} giờ ${pad2(dt.minute)} phút, ${formatDateLongVi(iso, options)}`;
}

/** "08h30 26/11/2026" — compact form for SMS. */
export function formatDateTimeShortVi(iso: string): string {
  return toVietnamTime(iso).toFormat("HH'h'mm dd/MM/yyyy");
}

/** "Tân An, ngày 05 tháng 02 năm 2026" — the place and date line of an administrative document. */
export function formatPlaceDate(placeName: string, iso: string, options: LongDateOptions = {}): string {
  return nfc(`${placeName.trim()}, ${formatDateLongVi(iso, options)}`);
}

/**
 * Vietnamese number style: "." groups thousands, "," marks decimals ("1.234,5"). Trailing zeros in
 * the fraction are dropped. Written by hand so output never depends on the host's ICU data.
 */
export function formatNumberVi(value: number, maxFractionDigits = 2): string {
  if (!Number.isFinite(value)) {
    throw new InvalidInputError(`Không định dạng được số: ${value}`);
  }
  const fixed = Math.abs(value).toFixed(maxFractionDigits);
  const [intPart = "0", fracPart = ""] = fixed.split(".");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = fracPart.replace(/0+$/, "");
  const sign = value < 0 && (Number(intPart) > 0 || frac !== "") ? "-" : "";
  return `${sign}${grouped}${frac ? `,${frac}` : ""}`;
}
