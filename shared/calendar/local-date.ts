import * as z from "zod";
import { InvalidInputError, UnsupportedDateError } from "../errors.ts";

/** Every local date and time in dunghan is in this zone (docs/calendar.md). */
export const VN_ZONE = "Asia/Ho_Chi_Minh";

/**
 * Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 13/06/1975 (IANA tzdata), so
 * for the supported range (2014–2199) dunghan adds a constant instead of consulting tzdata (no
 * time-zone library ships in the Lambda bundles). A unit test checks this constant against luxon's
 * tzdata for every year of the range.
 */
export const VN_OFFSET_MS = 7 * 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MS_PER_MINUTE = 60_000;

/** Days since 1970-01-01 (a local calendar date, no time zone). */
export type EpochDay = number;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** Days from civil date (H. Hinnant's algorithm; exact for the proleptic Gregorian calendar). */
export function epochDayFromYmd(year: number, month: number, day: number): EpochDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function ymdFromEpochDay(epochDay: EpochDay): Ymd {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday: Monday = 1 … Sunday = 7. 1970-01-01 was a Thursday. */
export function isoWeekday(epochDay: EpochDay): number {
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function isoDate(epochDay: EpochDay): string {
  const { year, month, day } = ymdFromEpochDay(epochDay);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * The one `YYYY-MM-DD` outline (a local calendar date). Schemas and parsers import it; whether the
 * day exists is `parseIsoDate`'s to say (`IsoDateSchema` checks both).
 */
export const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD`; anything else, or an impossible date, is an InvalidInputError. */
export function parseIsoDate(text: string): EpochDay {
  const epochDay = tryParseIsoDate(text);
  if (typeof epochDay === "number") return epochDay;
  throw new InvalidInputError(`invalid date "${text}": ${epochDay.reason}`);
}

/** A `YYYY-MM-DD` field of a schema: the outline and a day that exists, as `parseIsoDate` reads it. */
export const IsoDateSchema = z.string().superRefine((text, ctx) => {
  const epochDay = tryParseIsoDate(text);
  if (typeof epochDay !== "number") ctx.addIssue({ code: "custom", message: epochDay.reason });
});

/** The local date, or why the text is not one. */
export function tryParseIsoDate(text: string): EpochDay | { readonly reason: string } {
  const match = ISO_DATE_PATTERN.exec(text);
  if (!match) return { reason: "expected YYYY-MM-DD" };
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return { reason: "no such day" };
  const epochDay = epochDayFromYmd(year, month, day);
  const back = ymdFromEpochDay(epochDay);
  if (back.month !== month || back.day !== day) return { reason: "no such day" };
  return epochDay;
}

/** The local (Vietnam) date of an instant. */
export function localEpochDay(instantMs: number): EpochDay {
  return Math.floor((instantMs + VN_OFFSET_MS) / MS_PER_DAY);
}

/** The instant of a local wall-clock time (minutes after midnight) on a local date. */
export function instantOfLocal(epochDay: EpochDay, minuteOfDay: number): number {
  return epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE - VN_OFFSET_MS;
}

/**
 * The one grammar for instants, ISO 8601 extended format, calendar date and time:
 * `YYYY-MM-DDTHH:MM[:SS[(.|,)fraction]][offset]`, the fraction 1–9 digits (truncated to
 * milliseconds, as luxon and Date do), the offset `Z`, `±HH:MM`, `±HHMM` or `±HH`, at most 14 hours
 * (the widest offset in use, UTC+14). Every entry point reads instants with it; what differs
 * between them is an `InstantOptions`, never the grammar (docs/architecture.md, "Dates and instants").
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Local times without an offset are read at +07:00 only where that is the law (since 13/06/1975). */
const FIXED_OFFSET_YEARS = { from: 1976, to: 2199 } as const;

export interface InstantOptions {
  /**
   * What a time without an offset means. "vietnam" (default): local time in Asia/Ho_Chi_Minh, for
   * what a person types (CLI options, API queries, letters). "required": refused, for what another
   * system sends (dossier events, the local clock's start): a guess there would hide its zone bug.
   */
  readonly offset?: "vietnam" | "required";
  /** Also read a bare `YYYY-MM-DD` as the start of that local day (letters' dates). Default false. */
  readonly dateOnly?: boolean;
}

/**
 * Parses an ISO-8601 instant (the grammar above). An explicit offset or `Z` is honoured; a local
 * time without one is read in Asia/Ho_Chi_Minh (never in the host's zone) unless
 * `options.offset` is "required". Anything else is an InvalidInputError naming the text. A
 * property test checks this against luxon.
 */
export function parseInstant(text: string, options: InstantOptions = {}): number {
  const instant = tryParseInstant(text, options);
  if (typeof instant === "number") return instant;
  throw new InvalidInputError(`invalid instant "${text}": ${instant.reason}`);
}

/** The instant, or why the text is not one (for callers that word their own errors). */
export function tryParseInstant(
  text: string,
  options: InstantOptions = {},
): number | { readonly reason: string } {
  if (typeof text !== "string") return { reason: "not a string" };
  if (options.dateOnly === true && ISO_DATE_PATTERN.test(text)) {
    const epochDay = tryParseIsoDate(text);
    return typeof epochDay === "number" ? instantOfLocal(epochDay, 0) : epochDay;
  }
  const match = ISO_INSTANT.exec(text);
  if (!match) {
    return {
      reason:
        options.offset === "required"
          ? "expected an ISO-8601 instant with an offset, e.g. 2026-11-20T09:00:00+07:00"
          : "expected ISO-8601 such as 2026-11-20T09:00:00+07:00",
    };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31) return { reason: "no such day" };
  const epochDay = epochDayFromYmd(year, month, day);
  if (ymdFromEpochDay(epochDay).day !== day) return { reason: "no such day" };
  if (hour > 23 || minute > 59 || second > 59) return { reason: "no such time of day" };
  let offsetMs: number;
  if (zone === undefined) {
    if (options.offset === "required") {
      return { reason: "expected an ISO-8601 instant with an offset, e.g. 2026-11-20T09:00:00+07:00" };
    }
    if (year < FIXED_OFFSET_YEARS.from || year > FIXED_OFFSET_YEARS.to) {
      return {
        reason: `a local time outside ${FIXED_OFFSET_YEARS.from}–${FIXED_OFFSET_YEARS.to} needs an offset`,
      };
    }
    offsetMs = VN_OFFSET_MS;
  } else if (zone === "Z") offsetMs = 0;
  else {
    const sign = zone.startsWith("-") ? -1 : 1;
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutes = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60) return { reason: "no such offset" };
    offsetMs = sign * (offsetHours * 3_600_000 + offsetMinutes * MS_PER_MINUTE);
  }
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, "0"));
  return epochDay * MS_PER_DAY + hour * 3_600_000 + minute * MS_PER_MINUTE + second * 1000 + ms - offsetMs;
}

/** Formats an instant as ISO-8601 with the +07:00 offset, e.g. 2026-11-26T09:00:00+07:00. */
export function formatInstant(instantMs: number): string {
  if (!Number.isFinite(instantMs)) throw new UnsupportedDateError(`not a finite instant: ${instantMs}`);
  const local = instantMs + VN_OFFSET_MS;
  const epochDay = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - epochDay * MS_PER_DAY;
  const seconds = Math.floor(msOfDay / 1000);
  const ms = msOfDay % 1000;
  const hh = pad2(Math.floor(seconds / 3600));
  const mm = pad2(Math.floor((seconds % 3600) / 60));
  const ss = pad2(seconds % 60);
  const frac = ms === 0 ? "" : `.${String(ms).padStart(3, "0")}`;
  return `${isoDate(epochDay)}T${hh}:${mm}:${ss}${frac}+07:00`;
}

/** Parses "HH:MM" into minutes after midnight. */
export function parseClock(text: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) {
    throw new InvalidInputError(`invalid clock time "${text}": expected HH:MM`);
  }
  return hours * 60 + minutes;
}

export function formatClock(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`;
}
