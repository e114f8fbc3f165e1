import {
  CALENDAR_MAX_YEAR,
  CALENDAR_MIN_YEAR,
  epochDayFromYmd,
  ISO_DATE_PATTERN,
  isoDate,
  parseIsoDate,
} from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";

/** A report period: local dates, both included. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** Checks a custom range: two valid dates, in order, inside the supported calendar. */
export function dateRange(from: string, to: string): DateRange {
  const first = parseIsoDate(from);
  const last = parseIsoDate(to);
  if (last < first) throw new InvalidInputError(`the period ends (${to}) before it starts (${from})`);
  assertYear(Number(from.slice(0, 4)));
  assertYear(Number(to.slice(0, 4)));
  return { from, to };
}

/**
 * A named period: a day "2026-11-05", a month "2026-11", a quarter "2026-Q4" or a year "2026".
 */
export function parsePeriod(text: string): DateRange {
  const trimmed = text.trim();
  if (ISO_DATE_PATTERN.test(trimmed)) return dateRange(trimmed, trimmed);
  let match = /^(\d{4})-(\d{2})$/.exec(trimmed);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    if (month < 1 || month > 12) throw new InvalidInputError(`invalid period "${text}": no month ${month}`);
    return monthsRange(year, month, month);
  }
  match = /^(\d{4})-[Qq]([1-4])$/.exec(trimmed);
  if (match) {
    const quarter = Number(match[2]);
    return monthsRange(Number(match[1]), quarter * 3 - 2, quarter * 3);
  }
  if (/^\d{4}$/.test(trimmed)) return monthsRange(Number(trimmed), 1, 12);
  throw new InvalidInputError(
    `invalid period "${text}": expected YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY (e.g. 2026-11, 2026-Q4)`,
  );
}

function monthsRange(year: number, firstMonth: number, lastMonth: number): DateRange {
  assertYear(year);
  const from = isoDate(epochDayFromYmd(year, firstMonth, 1));
  const to = isoDate(
    lastMonth === 12 ? epochDayFromYmd(year + 1, 1, 1) - 1 : epochDayFromYmd(year, lastMonth + 1, 1) - 1,
  );
  return { from, to };
}

function assertYear(year: number): void {
  if (year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) {
    throw new InvalidInputError(
      `year ${year} is outside the supported calendar (${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR})`,
    );
  }
}
