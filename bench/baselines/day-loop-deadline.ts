import type { CivilCalendar } from "../../shared/calendar/civil-calendar.ts";
import {
  localEpochDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  parseClock,
  VN_OFFSET_MS,
} from "../../shared/calendar/local-date.ts";
import { DEFAULT_OFFICE_HOURS, type OfficeHours } from "../../shared/calendar/working-time.ts";

/**
 * The straightforward way to compute a due instant: walk day by day, period by period, consuming
 * office time. It is the benchmark's baseline and the unit tests' oracle for the indexed engine
 * (same semantics: an allotment ending exactly at a period's end is due at that end).
 */
export function dayLoopDue(
  calendar: CivilCalendar,
  receivedMs: number,
  officeMs: number,
  hours: OfficeHours = DEFAULT_OFFICE_HOURS,
): number {
  const periods = hours.periods.map((period) => ({
    start: parseClock(period.start) * MS_PER_MINUTE,
    end: parseClock(period.end) * MS_PER_MINUTE,
  }));
  let day = localEpochDay(receivedMs);
  let msOfDay = receivedMs + VN_OFFSET_MS - day * MS_PER_DAY;
  let remaining = officeMs;
  for (;;) {
    if (calendar.isWorkingDay(day)) {
      for (const period of periods) {
        const from = Math.max(period.start, msOfDay);
        if (from >= period.end) continue;
        const available = period.end - from;
        if (remaining <= available) return day * MS_PER_DAY + from + remaining - VN_OFFSET_MS;
        remaining -= available;
      }
    }
    day += 1;
    msOfDay = 0;
  }
}
