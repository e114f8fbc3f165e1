import { InvalidInputError, UnsupportedDateError } from "../errors.ts";
import { parseWith } from "../parse.ts";
import {
  ANNOUNCEMENTS,
  type Announcement,
  AnnouncementFileSchema,
  AnnouncementSchema,
} from "./announcements.ts";
import { COMPENSATORY_RULES, type HolidayRule, rulesInForce, WEEKLY_REST } from "./holiday-rules.ts";
import {
  type EpochDay,
  epochDayFromYmd,
  isoDate,
  isoWeekday,
  parseIsoDate,
  ymdFromEpochDay,
} from "./local-date.ts";
import { lunarNewYear, lunarToSolar } from "./lunar.ts";

/** The years the working calendar covers: from the first full year of Bộ luật Lao động 2012. */
export const CALENDAR_MIN_YEAR = 2014;
export const CALENDAR_MAX_YEAR = 2199;

export type DayKind = "workday" | "weekend" | "holiday" | "compensatory" | "swap" | "make-up";

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  /** Present when the day has a name: a holiday, a compensatory day, a swap, a làm bù Saturday. */
  name?: string;
  /** True when the day's year has no announcement and was built from the statutory rules. */
  provisional: boolean;
  source?: string;
}

interface NamedDay {
  name: string;
  kind: Exclude<DayKind, "workday" | "weekend">;
  source: string;
}

export interface CivilCalendarOptions {
  /** Announcements that add or replace built-in years (a deployment's JSON file, the admin API). */
  announcements?: readonly Announcement[];
}

/**
 * Which days are working days for state agencies, 2014–2199: Monday–Friday, minus holidays,
 * compensatory and swapped days off, plus make-up Saturdays. Immutable once built; one instance
 * serves every agency (office hours are per agency, in working-time.ts).
 */
export class CivilCalendar {
  readonly firstDay: EpochDay = epochDayFromYmd(CALENDAR_MIN_YEAR, 1, 1);
  readonly lastDay: EpochDay = epochDayFromYmd(CALENDAR_MAX_YEAR, 12, 31);
  readonly announcements: ReadonlyMap<number, Announcement>;
  private readonly working: Uint8Array;
  private readonly named = new Map<EpochDay, NamedDay>();
  private readonly announcedDays = new Set<EpochDay>();

  constructor(options: CivilCalendarOptions = {}) {
    const byYear = new Map<number, Announcement>();
    for (const announcement of ANNOUNCEMENTS) byYear.set(announcement.year, announcement);
    for (const announcement of options.announcements ?? []) {
      byYear.set(announcement.year, validateAnnouncement(announcement));
    }
    this.announcements = byYear;
    this.working = new Uint8Array(this.lastDay - this.firstDay + 1);
    for (let day = this.firstDay; day <= this.lastDay; day++) {
      this.working[day - this.firstDay] = WEEKLY_REST.isoWeekdays.includes(isoWeekday(day)) ? 0 : 1;
    }
    for (let year = CALENDAR_MIN_YEAR; year <= CALENDAR_MAX_YEAR; year++) {
      const announcement = byYear.get(year);
      if (announcement) this.applyAnnouncement(announcement);
      else this.applyStatutoryRules(year);
    }
  }

  /** The calendar with only the built-in announcements, built once per process. */
  static default(): CivilCalendar {
    defaultCalendar ??= new CivilCalendar();
    return defaultCalendar;
  }

  contains(day: EpochDay): boolean {
    return day >= this.firstDay && day <= this.lastDay;
  }

  assertContains(day: EpochDay): void {
    if (!this.contains(day)) {
      throw new UnsupportedDateError(
        `date ${isoDate(day)} is outside the supported calendar (${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR})`,
      );
    }
  }

  isWorkingDay(day: EpochDay): boolean {
    this.assertContains(day);
    return this.working[day - this.firstDay] === 1;
  }

  /** The raw working-day flags, index 0 = `firstDay` (read by the working-time index). */
  workingFlags(): Readonly<Uint8Array> {
    return this.working;
  }

  isProvisionalYear(year: number): boolean {
    return !this.announcements.has(year);
  }

  dayInfo(day: EpochDay): DayInfo {
    const working = this.isWorkingDay(day);
    const named = this.named.get(day);
    const year = ymdFromEpochDay(day).year;
    const provisional = this.isProvisionalYear(year) && !this.announcedDays.has(day);
    const weekend = WEEKLY_REST.isoWeekdays.includes(isoWeekday(day));
    const info: DayInfo = {
      date: isoDate(day),
      working,
      kind: named?.kind ?? (weekend ? "weekend" : "workday"),
      provisional,
    };
    if (named) {
      info.name = named.name;
      info.source = named.source;
    }
    return info;
  }

  /** Every day from `from` to `to` inclusive. */
  days(from: EpochDay, to: EpochDay): DayInfo[] {
    this.assertContains(from);
    this.assertContains(to);
    if (to < from)
      throw new InvalidInputError(`range ends (${isoDate(to)}) before it starts (${isoDate(from)})`);
    const out: DayInfo[] = [];
    for (let day = from; day <= to; day++) out.push(this.dayInfo(day));
    return out;
  }

  private setDay(day: EpochDay, working: boolean, named: NamedDay): void {
    if (!this.contains(day)) return;
    this.working[day - this.firstDay] = working ? 1 : 0;
    this.named.set(day, named);
  }

  private applyAnnouncement(announcement: Announcement): void {
    const source = announcement.sources.join("; ");
    for (const entry of announcement.daysOff) {
      const day = parseIsoDate(entry.date);
      this.setDay(day, false, { name: entry.name, kind: entry.kind, source: entry.source ?? source });
      this.announcedDays.add(day);
    }
    for (const entry of announcement.workingDays) {
      const day = parseIsoDate(entry.date);
      this.setDay(day, true, { name: entry.name, kind: "make-up", source: entry.source ?? source });
      this.announcedDays.add(day);
    }
  }

  /** A year without an announcement: the holidays the law fixes, the Prime Minister's usual choices. */
  private applyStatutoryRules(year: number): void {
    const holidays = statutoryHolidays(year);
    for (const [day, holiday] of holidays) this.setDay(day, false, holiday);
    const compensatory = COMPENSATORY_RULES.find(
      (rule) => rule.since <= `${year}-01-01` && (!("until" in rule) || `${year}-12-31` <= rule.until),
    );
    if (!compensatory) return;
    const taken = new Set(holidays.keys());
    for (const [day, holiday] of [...holidays].sort(([a], [b]) => a - b)) {
      if (!WEEKLY_REST.isoWeekdays.includes(isoWeekday(day))) continue;
      let next = day + 1;
      while (WEEKLY_REST.isoWeekdays.includes(isoWeekday(next)) || taken.has(next)) next++;
      taken.add(next);
      this.setDay(next, false, {
        name: `Nghỉ bù ${holiday.name}`,
        kind: "compensatory",
        source: compensatory.source,
      });
    }
  }
}

let defaultCalendar: CivilCalendar | undefined;

/** The holidays the statutory rules give a year, by local date. */
export function statutoryHolidays(year: number): Map<EpochDay, NamedDay> {
  const out = new Map<EpochDay, NamedDay>();
  const add = (day: EpochDay, rule: HolidayRule) => {
    // A rule applies to the days it is in force on (BLLĐ 2012 took effect mid-2013, 24/11 mid-2026).
    if (rulesInForce(isoDate(day)).includes(rule)) {
      out.set(day, { name: rule.name, kind: "holiday", source: rule.source });
    }
  };
  const candidates = new Set([...rulesInForce(`${year}-01-01`), ...rulesInForce(`${year}-12-31`)]);
  for (const rule of candidates) {
    switch (rule.kind) {
      case "fixed-solar":
        add(epochDayFromYmd(year, rule.month, rule.day), rule);
        break;
      case "fixed-lunar": {
        const solar = lunarToSolar({ year, month: rule.month, day: rule.day, leap: false });
        add(epochDayFromYmd(solar.year, solar.month, solar.day), rule);
        break;
      }
      case "lunar-new-year": {
        const tet = lunarNewYear(year);
        const first = epochDayFromYmd(tet.year, tet.month, tet.day);
        for (const offset of rule.defaultOffsets) add(first + offset, rule);
        break;
      }
      case "adjacent-day": {
        const anchor = epochDayFromYmd(year, rule.month, rule.day);
        add(rule.defaultAfterOnWeekdays.includes(isoWeekday(anchor)) ? anchor + 1 : anchor - 1, rule);
        break;
      }
    }
  }
  return out;
}

function validateAnnouncement(announcement: Announcement): Announcement {
  const checked = parseWith(AnnouncementSchema, announcement, "invalid announcement");
  for (const entry of [...checked.daysOff, ...checked.workingDays]) {
    const day = parseIsoDate(entry.date);
    const entryYear = ymdFromEpochDay(day).year;
    // A year's announcement may reach back into late December (Tết Dương lịch swaps, 2019).
    if (entryYear !== checked.year && entryYear !== checked.year - 1) {
      throw new InvalidInputError(`announcement ${checked.year}: date ${entry.date} is not in that year`);
    }
  }
  return checked;
}

/** Parses a deployment's announcement file (one announcement or an array) with clear errors. */
export function parseAnnouncementFile(text: string, fileName = "announcement file"): Announcement[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`${fileName}: not valid JSON (${(error as Error).message})`);
  }
  const file = parseWith(AnnouncementFileSchema, json, fileName);
  const list = Array.isArray(file) ? file : [file];
  return list.map(validateAnnouncement);
}
