import {
  formatClock,
  formatInstant,
  isoDate,
  localEpochDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  parseClock,
  parseIsoDate,
  tryParseInstant,
  VN_OFFSET_MS,
  type WorkingTime,
} from "../../calendar/index.ts";
import { InvalidInputError } from "../../errors.ts";
import { formatDateTimeVi } from "../render/index.ts";

/**
 * The one rule for an apology's new appointment (NĐ 61/2018 Art. 19(9) / NĐ 118/2025: the
 * applicant is given a new date and time to come back): used by the API's edits, the approval's
 * edits, the draft's own proposal and `dunghan letter`. A new appointment must be
 *
 * 1. an ISO instant, or a bare local date `YYYY-MM-DD`, which means **that working day's closing
 *    time** (the last office period's end, e.g. 17:00) — never midnight;
 * 2. on a working day of the civil-service calendar (`not-working-day`);
 * 3. inside the agency's office hours, period ends included (`outside-office-hours`);
 * 4. after now (`not-after-now`) and after the appointment it replaces
 *    (`not-after-current-appointment`).
 *
 * A refusal is an InvalidInputError with `details.field = "newAppointment"` and `details.rule`,
 * its message in Vietnamese: officials read it in the dashboard.
 */
export const NEW_APPOINTMENT_RULES = [
  "invalid-format",
  "not-working-day",
  "outside-office-hours",
  "not-after-now",
  "not-after-current-appointment",
] as const;
export type NewAppointmentRule = (typeof NEW_APPOINTMENT_RULES)[number];

export interface NewAppointmentContext {
  readonly workingTime: WorkingTime;
  /** Epoch milliseconds. */
  readonly now: number;
  /** The appointment the apology moves (epoch milliseconds). */
  readonly currentAppointment: number;
}

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

function refuse(rule: NewAppointmentRule, message: string): never {
  throw new InvalidInputError(message, { field: "newAppointment", rule });
}

/** The new appointment as an instant (epoch ms), or an InvalidInputError naming the rule broken. */
export function resolveNewAppointment(text: string, context: NewAppointmentContext): number {
  const { workingTime } = context;
  const value = text.trim();
  let instant: number;
  if (BARE_DATE.test(value)) {
    let day: number;
    try {
      day = parseIsoDate(value);
    } catch {
      return refuse("invalid-format", `Ngày hẹn mới "${value}" không phải là ngày hợp lệ (YYYY-MM-DD)`);
    }
    if (!workingTime.isWorkingDay(day)) {
      return refuse("not-working-day", `Ngày hẹn mới ${viDate(day)} không phải là ngày làm việc`);
    }
    instant = workingTime.closingOf(day);
  } else {
    const parsed = tryParseInstant(value);
    if (typeof parsed !== "number") {
      return refuse(
        "invalid-format",
        `Ngày hẹn mới "${value.slice(0, 40)}" không đúng định dạng: cần YYYY-MM-DD hoặc thời điểm ISO 8601 (ví dụ 2026-12-08T16:00:00+07:00)`,
      );
    }
    instant = parsed;
  }
  const day = localEpochDay(instant);
  if (!workingTime.isWorkingDay(day)) {
    return refuse("not-working-day", `Ngày hẹn mới ${viDate(day)} không phải là ngày làm việc`);
  }
  if (!workingTime.isOfficeInstant(instant)) {
    return refuse(
      "outside-office-hours",
      `Giờ hẹn mới ${formatClock(minuteOfDay(instant))} ngày ${viDate(day)} nằm ngoài giờ làm việc (${officeHoursText(workingTime)})`,
    );
  }
  if (instant <= context.now) {
    return refuse(
      "not-after-now",
      `Ngày hẹn mới ${formatDateTimeVi(formatInstant(instant))} phải sau thời điểm hiện tại`,
    );
  }
  if (instant <= context.currentAppointment) {
    return refuse(
      "not-after-current-appointment",
      `Ngày hẹn mới ${formatDateTimeVi(formatInstant(instant))} phải sau ngày hẹn hiện tại ${formatDateTimeVi(formatInstant(context.currentAppointment))}`,
    );
  }
  return instant;
}

/** The earliest instant a new appointment may take: the first office instant after now and the current appointment. */
export function earliestNewAppointment(context: NewAppointmentContext): number {
  const { workingTime } = context;
  // Strictly after both: one minute later is the first whole minute a person can be given.
  const after = Math.max(context.now, context.currentAppointment);
  let candidate = (Math.floor(after / MS_PER_MINUTE) + 1) * MS_PER_MINUTE;
  const periods = workingTime.hours.periods.map((p) => ({
    start: parseClock(p.start) * MS_PER_MINUTE,
    end: parseClock(p.end) * MS_PER_MINUTE,
  }));
  for (let guard = 0; guard < 400; guard++) {
    const day = workingTime.workingDayOnOrAfter(localEpochDay(candidate));
    const msOfDay = day === localEpochDay(candidate) ? candidate + VN_OFFSET_MS - day * MS_PER_DAY : 0;
    const period = periods.find((p) => msOfDay <= p.end);
    if (period !== undefined) {
      return day * MS_PER_DAY - VN_OFFSET_MS + Math.max(msOfDay, period.start);
    }
    candidate = (day + 1) * MS_PER_DAY - VN_OFFSET_MS;
  }
  throw new InvalidInputError("Không tìm được ngày làm việc cho ngày hẹn mới", { field: "newAppointment" });
}

export interface AppointmentDay {
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  /** Office opening and closing, HH:MM. */
  readonly opens: string;
  readonly closes: string;
  /** The office periods between them (a lunch break is not office hours): what a time picker offers. */
  readonly periods: readonly { readonly start: string; readonly end: string }[];
}

export interface AppointmentOptions {
  readonly proposed: string;
  readonly earliest: string;
  readonly days: readonly AppointmentDay[];
}

/** What a date picker offers: the next `count` working days from the earliest allowed one, with office hours. */
export function appointmentOptions(
  context: NewAppointmentContext,
  proposed: string,
  count = 30,
): AppointmentOptions {
  const { workingTime } = context;
  const earliest = earliestNewAppointment(context);
  const periods = workingTime.hours.periods;
  const opens = periods[0]!.start;
  const closes = periods[periods.length - 1]!.end;
  const days: AppointmentDay[] = [];
  let day = localEpochDay(earliest);
  while (days.length < count) {
    day = workingTime.workingDayOnOrAfter(day);
    days.push({
      date: isoDate(day),
      opens,
      closes,
      periods: periods.map((p) => ({ start: p.start, end: p.end })),
    });
    day += 1;
  }
  return { proposed, earliest: formatInstant(earliest), days };
}

function minuteOfDay(instant: number): number {
  return Math.floor((instant + VN_OFFSET_MS - localEpochDay(instant) * MS_PER_DAY) / MS_PER_MINUTE);
}

function viDate(day: number): string {
  const [y, m, d] = isoDate(day).split("-");
  return `${d}/${m}/${y}`;
}

function officeHoursText(workingTime: WorkingTime): string {
  return workingTime.hours.periods.map((p) => `${p.start}–${p.end}`).join(", ");
}
