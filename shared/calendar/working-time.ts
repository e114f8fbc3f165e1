import { InvalidInputError, UnsupportedDateError } from "../errors.ts";
import type { CivilCalendar } from "./civil-calendar.ts";
import {
  type EpochDay,
  formatClock,
  formatInstant,
  instantOfLocal,
  localEpochDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  parseClock,
  VN_OFFSET_MS,
} from "./local-date.ts";

/** One office period of a working day, as local "HH:MM" times. */
export interface WorkPeriod {
  start: string;
  end: string;
}

/** An agency's office hours: the same periods on every working day (make-up Saturdays included). */
export interface OfficeHours {
  periods: readonly WorkPeriod[];
}

/** The most common provincial office hours (seen: 07:30–11:30 and 13:00–17:00). */
export const DEFAULT_OFFICE_HOURS: OfficeHours = {
  periods: [
    { start: "07:30", end: "11:30" },
    { start: "13:00", end: "17:00" },
  ],
};

/** E-one-stop systems count 8 office hours as one working day (docs/law.md, "Time limits"). */
export const WORKING_DAY_MS = 8 * 3_600_000;
export const WORKING_HOUR_MS = 3_600_000;

export const TIME_LIMIT_UNITS = ["working-days", "working-hours", "calendar-days"] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];

export interface TimeLimit {
  amount: number;
  unit: TimeLimitUnit;
}

/** A stretch during which the clock is stopped; `end` absent while the pause goes on. */
export interface Pause {
  start: number;
  end?: number;
}

export interface DueOptions {
  /**
   * Per-procedure cut-off ("15:00"): a reception after it counts from the next working day's
   * opening (NĐ 61/2018 Art. 18(2),(3)).
   */
  cutoff?: string;
  pauses?: readonly Pause[];
}

interface Period {
  startMs: number;
  endMs: number;
  lengthMs: number;
}

/**
 * Working-time arithmetic on one civil calendar and one agency's office hours.
 *
 * Every instant maps to an "office time": the office milliseconds elapsed since the calendar's
 * first day. Two arrays make the mapping O(1) both ways — `cumulative[i]`, the working days before
 * day i, and `workingDays[k]`, the k-th working day — so a due date is two array look-ups and a
 * little arithmetic, never a day-by-day loop.
 */
export class WorkingTime {
  readonly calendar: CivilCalendar;
  readonly hours: OfficeHours;
  /** Office milliseconds in one working day under these hours. */
  readonly dayMs: number;
  private readonly periods: readonly Period[];
  private readonly cumulative: Int32Array;
  private readonly workingDays: Int32Array;
  private readonly flags: Readonly<Uint8Array>;
  private readonly firstDay: EpochDay;

  constructor(calendar: CivilCalendar, hours: OfficeHours = DEFAULT_OFFICE_HOURS) {
    this.calendar = calendar;
    this.hours = hours;
    this.periods = parsePeriods(hours);
    this.dayMs = this.periods.reduce((sum, period) => sum + period.lengthMs, 0);
    this.firstDay = calendar.firstDay;
    this.flags = calendar.workingFlags();
    const length = this.flags.length;
    this.cumulative = new Int32Array(length + 1);
    let count = 0;
    for (let i = 0; i < length; i++) {
      this.cumulative[i] = count;
      count += this.flags[i]!;
    }
    this.cumulative[length] = count;
    this.workingDays = new Int32Array(count);
    for (let i = 0, k = 0; i < length; i++) if (this.flags[i] === 1) this.workingDays[k++] = i;
  }

  /** Office time at an instant: office milliseconds from the calendar's start up to it. */
  officeTimeAt(instantMs: number): number {
    const local = instantMs + VN_OFFSET_MS;
    const day = Math.floor(local / MS_PER_DAY);
    const index = day - this.firstDay;
    if (!(index >= 0 && index < this.flags.length)) throw this.outOfRange(instantMs);
    let office = this.cumulative[index]! * this.dayMs;
    if (this.flags[index] === 1) {
      const msOfDay = local - day * MS_PER_DAY;
      for (const period of this.periods) {
        if (msOfDay <= period.startMs) break;
        office += msOfDay >= period.endMs ? period.lengthMs : msOfDay - period.startMs;
      }
    }
    return office;
  }

  /**
   * The earliest instant with this office time. When it falls exactly on the end of a period,
   * that end (11:30, 17:00) is returned, not the next opening: a due instant is the moment the
   * allotment runs out.
   */
  instantAtOfficeTime(officeMs: number): number {
    let k = Math.floor(officeMs / this.dayMs);
    let rest = officeMs - k * this.dayMs;
    if (rest === 0 && k > 0) {
      k -= 1;
      rest = this.dayMs;
    }
    const index = this.workingDays[k];
    if (index === undefined || officeMs < 0) {
      throw new UnsupportedDateError(
        `the result falls outside the supported calendar (office time ${officeMs})`,
      );
    }
    const day = this.firstDay + index;
    let msOfDay = this.periods[0]!.startMs;
    for (const period of this.periods) {
      if (rest <= period.lengthMs) {
        msOfDay = period.startMs + rest;
        break;
      }
      rest -= period.lengthMs;
    }
    return day * MS_PER_DAY + msOfDay - VN_OFFSET_MS;
  }

  /** Adds office time to an instant (a start outside office hours begins at the next opening). */
  addOfficeTime(instantMs: number, officeMs: number): number {
    return this.instantAtOfficeTime(this.officeTimeAt(instantMs) + officeMs);
  }

  addWorkingDays(instantMs: number, days: number): number {
    return this.addOfficeTime(instantMs, days * WORKING_DAY_MS);
  }

  addWorkingHours(instantMs: number, hours: number): number {
    return this.addOfficeTime(instantMs, hours * WORKING_HOUR_MS);
  }

  /** "N working days before" an instant (e.g. the apology duty, 1 working day before the due instant). */
  workingDaysBefore(instantMs: number, days: number): number {
    return this.instantAtOfficeTime(Math.max(0, this.officeTimeAt(instantMs) - days * WORKING_DAY_MS));
  }

  /** Office time between two instants (negative when `to` is earlier). */
  workingTimeBetween(fromMs: number, toMs: number): number {
    return this.officeTimeAt(toMs) - this.officeTimeAt(fromMs);
  }

  isWorkingDay(day: EpochDay): boolean {
    return this.calendar.isWorkingDay(day);
  }

  /** The first working day on or after `day`. */
  workingDayOnOrAfter(day: EpochDay): EpochDay {
    const index = day - this.firstDay;
    const k = this.cumulative[index];
    const found = k === undefined ? undefined : this.workingDays[k];
    if (found === undefined) throw this.outOfRange(instantOfLocal(day, 0));
    return this.firstDay + found;
  }

  /** Opening instant (first period's start) of a local day. */
  openingOf(day: EpochDay): number {
    return day * MS_PER_DAY + this.periods[0]!.startMs - VN_OFFSET_MS;
  }

  /** Closing instant (last period's end) of a local day. */
  closingOf(day: EpochDay): number {
    return day * MS_PER_DAY + this.periods[this.periods.length - 1]!.endMs - VN_OFFSET_MS;
  }

  /** Whether an instant lies inside office hours of a working day (period ends included). */
  isOfficeInstant(instantMs: number): boolean {
    const day = localEpochDay(instantMs);
    if (!this.isWorkingDay(day)) return false;
    const msOfDay = instantMs + VN_OFFSET_MS - day * MS_PER_DAY;
    return this.periods.some((period) => msOfDay >= period.startMs && msOfDay <= period.endMs);
  }

  /**
   * The instant the clock starts for a reception: the reception itself, or — after the
   * procedure's cut-off on a working day — the next working day's opening. A reception outside
   * office hours needs no special case: its office time is that of the next opening.
   */
  countingStart(receivedMs: number, cutoff?: string): number {
    if (cutoff === undefined) return receivedMs;
    const cutoffMs = parseClock(cutoff) * MS_PER_MINUTE;
    const day = localEpochDay(receivedMs);
    const msOfDay = receivedMs + VN_OFFSET_MS - day * MS_PER_DAY;
    if (!this.isWorkingDay(day) || msOfDay <= cutoffMs) return receivedMs;
    return this.openingOf(this.workingDayOnOrAfter(day + 1));
  }

  /**
   * The due instant of a time limit counted from a reception. Returns `undefined` while an open
   * pause has stopped the clock before the allotment ran out.
   */
  due(receivedMs: number, limit: TimeLimit, options: DueOptions = {}): number | undefined {
    assertTimeLimit(limit);
    const start = this.countingStart(receivedMs, options.cutoff);
    if (limit.unit === "calendar-days") {
      const due = this.calendarDaysDue(start, limit.amount);
      return options.pauses?.length ? this.extendByPauses(due, start, options.pauses) : due;
    }
    const budget = limit.amount * (limit.unit === "working-days" ? WORKING_DAY_MS : WORKING_HOUR_MS);
    const startOffice = this.officeTimeAt(start);
    if (!options.pauses?.length) return this.instantAtOfficeTime(startOffice + budget);
    let target = startOffice + budget;
    for (const pause of mergePauses(options.pauses)) {
      const pauseStart = Math.max(this.officeTimeAt(pause.start), startOffice);
      if (pauseStart >= target) break;
      if (pause.end === undefined) return undefined;
      const pauseEnd = this.officeTimeAt(pause.end);
      if (pauseEnd > pauseStart) target += pauseEnd - pauseStart;
    }
    return this.instantAtOfficeTime(target);
  }

  /**
   * Civil Code 2015 Art. 147–148: the day of reception is not counted; the period ends at the
   * close of office on day N, or — when that is not a working day — of the next working day.
   */
  private calendarDaysDue(startMs: number, days: number): number {
    const lastDay = localEpochDay(startMs) + days;
    this.calendar.assertContains(lastDay);
    return this.closingOf(this.workingDayOnOrAfter(lastDay));
  }

  /** For a calendar-day limit, pauses move the due instant by the office time inside them. */
  private extendByPauses(dueMs: number, startMs: number, pauses: readonly Pause[]): number | undefined {
    let extra = 0;
    for (const pause of mergePauses(pauses)) {
      if (pause.start >= dueMs + extra) break;
      if (pause.end === undefined) return undefined;
      extra += Math.max(0, this.workingTimeBetween(Math.max(pause.start, startMs), pause.end));
    }
    return extra === 0 ? dueMs : this.addOfficeTime(dueMs, extra);
  }

  private outOfRange(instantMs: number): UnsupportedDateError {
    const text = Number.isFinite(instantMs) ? formatInstant(instantMs) : String(instantMs);
    return new UnsupportedDateError(`instant ${text} is outside the supported calendar`);
  }
}

export function assertTimeLimit(limit: TimeLimit): void {
  if (!TIME_LIMIT_UNITS.includes(limit.unit)) {
    throw new InvalidInputError(`unknown unit "${limit.unit}": expected ${TIME_LIMIT_UNITS.join(", ")}`);
  }
  if (!Number.isFinite(limit.amount) || limit.amount < 0) {
    throw new InvalidInputError(`invalid amount ${limit.amount}: expected a number ≥ 0`);
  }
  if (limit.unit === "calendar-days" && !Number.isInteger(limit.amount)) {
    throw new InvalidInputError(`invalid amount ${limit.amount}: calendar days must be a whole number`);
  }
}

function parsePeriods(hours: OfficeHours): Period[] {
  if (hours.periods.length === 0) throw new InvalidInputError("office hours need at least one period");
  const periods = hours.periods.map((period) => {
    const startMs = parseClock(period.start) * MS_PER_MINUTE;
    const endMs = parseClock(period.end) * MS_PER_MINUTE;
    if (endMs <= startMs) {
      throw new InvalidInputError(`office period ${period.start}–${period.end} ends before it starts`);
    }
    return { startMs, endMs, lengthMs: endMs - startMs };
  });
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]!.startMs < periods[i - 1]!.endMs) {
      throw new InvalidInputError(
        `office periods overlap or are out of order at ${formatClock(periods[i]!.startMs / MS_PER_MINUTE)}`,
      );
    }
  }
  return periods;
}

/** Sorts pauses and merges overlapping ones (an open pause swallows everything after it). */
export function mergePauses(pauses: readonly Pause[]): Pause[] {
  const sorted = [...pauses].sort((a, b) => a.start - b.start);
  const merged: Pause[] = [];
  for (const pause of sorted) {
    const last = merged[merged.length - 1];
    if (last && (last.end === undefined || pause.start <= last.end)) {
      if (last.end !== undefined)
        last.end = pause.end === undefined ? undefined : Math.max(last.end, pause.end);
      continue;
    }
    merged.push({ ...pause });
  }
  return merged;
}
