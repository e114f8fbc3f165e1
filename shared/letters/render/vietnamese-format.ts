import {
  formatInstant,
  type InstantOptions,
  isoDate,
  MS_PER_DAY,
  tryParseInstant,
  VN_OFFSET_MS,
  ymdFromEpochDay,
} from "../../calendar/local-date.ts";
import { InvalidInputError } from "../../errors.ts";

/** Every instant a person reads is shown in Vietnam's zone, never the host's (docs/calendar.md). */
export { VN_ZONE } from "../../calendar/local-date.ts";

/**
 * Canonical composition (NFC). Vietnamese typed on some keyboards or pasted from PDFs arrives
 * decomposed (NFD): it then counts double in SMS and breaks search; everything we emit is NFC.
 */
export function nfc(text: string): string {
  return text.normalize("NFC");
}

/**
 * An instant as people in Vietnam read it: its local date and wall-clock time at +07:00 (fixed
 * since 1975, see calendar/local-date.ts). Compares by instant (`<`, `<=` use valueOf).
 */
export class VietnamTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  private readonly epochDay: number;

  constructor(readonly millis: number) {
    const local = millis + VN_OFFSET_MS;
    this.epochDay = Math.floor(local / MS_PER_DAY);
    const minuteOfDay = Math.floor((local - this.epochDay * MS_PER_DAY) / 60_000);
    ({ year: this.year, month: this.month, day: this.day } = ymdFromEpochDay(this.epochDay));
    this.hour = Math.floor(minuteOfDay / 60);
    this.minute = minuteOfDay % 60;
  }

  valueOf(): number {
    return this.millis;
  }

  toMillis(): number {
    return this.millis;
  }

  /** The local date, "2026-11-26". */
  toISODate(): string {
    return isoDate(this.epochDay);
  }

  /** "2026-11-26T08:30:00+07:00" (milliseconds only when there are some). */
  toISO(): string {
    return formatInstant(this.millis);
  }
}

/** Letters also take a bare local date (its midnight) where they print only the day. */
const LETTER_TIME: InstantOptions = { dateOnly: true };

/**
 * Parses an ISO 8601 instant or local date (the one instant grammar, calendar/local-date.ts) and
 * puts it in Vietnam's zone. A string with an offset keeps its instant; a string without one is read
 * as Vietnamese local time (a date alone as its midnight). The error is worded for the official
 * who typed the value.
 */
export function toVietnamTime(iso: string, what = "thời điểm"): VietnamTime {
  const instant = tryParseInstant(iso, LETTER_TIME);
  if (typeof instant !== "number") {
    throw new InvalidInputError(`${what} không hợp lệ (cần ISO 8601): ${JSON.stringify(iso)}`, {
      reason: instant.reason,
    });
  }
  return new VietnamTime(instant);
}

/** Whether `iso` is an instant or local date toVietnamTime accepts. */
export function isVietnamTime(iso: string): boolean {
  try {
    toVietnamTime(iso);
    return true;
  } catch {
    return false;
  }
}

/** The instant as an ISO string with the +07:00 offset, e.g. "2026-11-26T08:30:00+07:00". */
export function toVietnamIso(iso: string, what?: string): string {
  return toVietnamTime(iso, what).toISO();
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
  const t = toVietnamTime(iso);
  return `${pad2(t.day)}/${pad2(t.month)}/${t.year}`;
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
  const t = toVietnamTime(iso);
  return `${pad2(t.hour)}h${pad2(t.minute)} ${formatDateVi(iso)}`;
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
