/**
 * The leader's approval form (docs/law.md), the parts that need no DOM: which appointment times the
 * picker offers, how it preselects one, how instants read in Vietnamese, and what an API refusal
 * says next to which field. The API's instants are written in Vietnam's time (`+07:00`), so dates
 * and clock times are read from the text, never through the browser's time zone.
 */

/** A working day the new appointment may fall on (`GET …/appointment-options`). */
export interface AppointmentDay {
  /** YYYY-MM-DD, Vietnam. */
  readonly date: string;
  /** HH:MM: the office opens and closes (the closing time itself is a valid appointment). */
  readonly opens: string;
  readonly closes: string;
  /** The office periods (ends included); a lunch break between them is not office hours. */
  readonly periods?: readonly { readonly start: string; readonly end: string }[];
}

export interface AppointmentOptions {
  /** The draft's proposal (ISO instant, +07:00). */
  readonly proposed: string;
  /** The earliest instant the API accepts (ISO, +07:00). */
  readonly earliest: string;
  /** The next working days, in order. */
  readonly days: readonly AppointmentDay[];
}

export interface AppointmentChoice {
  readonly date: string;
  readonly time: string;
}

/** The picker offers the hours and half hours of the office day. */
export const SLOT_MINUTES = 30;

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const clockOf = (total: number) =>
  `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;

/**
 * The times offered on a day: every half hour of each office period, the period's start and end
 * (both office time), and `extra` (the draft's own time, which need not fall on a half hour) when
 * it lies in a period; on the earliest day only those at or after the earliest instant. Without
 * periods the day is one period, opening to closing.
 */
export function timeSlots(day: AppointmentDay, earliest?: string, extra?: string): string[] {
  const periods = (day.periods?.length ? day.periods : [{ start: day.opens, end: day.closes }]).map((p) => ({
    start: minutes(p.start),
    end: minutes(p.end),
  }));
  const slots = new Set<number>();
  for (const { start, end } of periods) {
    slots.add(start);
    for (let t = Math.ceil(start / SLOT_MINUTES) * SLOT_MINUTES; t <= end; t += SLOT_MINUTES) slots.add(t);
    slots.add(end);
  }
  if (extra !== undefined && periods.some((p) => minutes(extra) >= p.start && minutes(extra) <= p.end)) {
    slots.add(minutes(extra));
  }
  const floor =
    earliest !== undefined && earliest.slice(0, 10) === day.date ? minutes(earliest.slice(11, 16)) : -1;
  return [...slots]
    .filter((t) => t >= floor)
    .sort((a, b) => a - b)
    .map(clockOf);
}

/** The days that still have a time to offer. */
export function offeredDays(options: AppointmentOptions): AppointmentDay[] {
  return options.days.filter((day) => timeSlots(day, options.earliest).length > 0);
}

/**
 * What the picker shows first: the draft's current new appointment when it is on an offered day
 * and time, else the API's proposal, else the first time offered.
 */
export function initialChoice(
  options: AppointmentOptions,
  current?: string | null,
): AppointmentChoice | undefined {
  const days = offeredDays(options);
  for (const candidate of [current, options.proposed]) {
    if (candidate === undefined || candidate === null) continue;
    const date = candidate.slice(0, 10);
    const time = candidate.slice(11, 16);
    const day = days.find((d) => d.date === date);
    if (day && timeSlots(day, options.earliest, time).includes(time)) return { date, time };
  }
  const first = days[0];
  if (first === undefined) return undefined;
  return { date: first.date, time: timeSlots(first, options.earliest)[0]! };
}

/**
 * The time kept when the leader picks another day: the same clock time when the day offers it,
 * else the day's closing time (a bare date means closing time to the API too).
 */
export function timeOnDay(day: AppointmentDay, wanted: string, earliest?: string): string {
  const slots = timeSlots(day, earliest);
  return slots.includes(wanted) ? wanted : (slots.at(-1) ?? day.closes);
}

/** The instant the API is sent: Vietnam's time, written as it writes its own. */
export function instantOf(choice: AppointmentChoice): string {
  return `${choice.date}T${choice.time}:00+07:00`;
}

const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"] as const;

/** "2026-11-26" → "Thứ Năm". */
export function weekdayOf(date: string): string {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

/** "2026-11-26" → "26/11/2026". */
export function formatDay(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** "2026-11-26" → "Thứ Năm, 26/11/2026". */
export function formatDayLong(date: string): string {
  return `${weekdayOf(date)}, ${formatDay(date)}`;
}

/** "2026-11-26T08:00:00+07:00" → "08:00 Thứ Năm, 26/11/2026". */
export function formatAppointment(iso: string): string {
  return `${iso.slice(11, 16)} ${formatDayLong(iso.slice(0, 10))}`;
}

/** The form's fields an API refusal may point at (`details.field`). */
export type FormField = "reason" | "newAppointment";

/** Plain Vietnamese for each rule the API names (`details.rule`), when its own message is missing. */
export const RULE_MESSAGES: Readonly<Record<string, string>> = {
  "reason-required": "Chưa có lý do chậm trễ: vui lòng ghi lý do trước khi duyệt.",
  "not-working-day": "Ngày hẹn mới phải là ngày làm việc (không phải thứ Bảy, Chủ nhật hay ngày nghỉ lễ).",
  "outside-office-hours": "Giờ hẹn mới phải trong giờ làm việc của cơ quan.",
  "not-after-now": "Ngày hẹn mới phải sau thời điểm hiện tại.",
  "not-after-current-appointment": "Ngày hẹn mới phải sau ngày hẹn hiện tại của hồ sơ.",
  "invalid-format": "Ngày giờ hẹn mới không hợp lệ.",
};

export interface FieldError {
  readonly field: FormField;
  readonly message: string;
}

/**
 * Which field an API refusal belongs to, and what to say there: the API's own Vietnamese message,
 * or the rule's plain wording when it sent none. Undefined when it names no field of the form.
 */
export function fieldError(error: {
  readonly code?: string;
  readonly message?: string;
  readonly details?: unknown;
}): FieldError | undefined {
  if (error.code !== "INVALID_INPUT" || typeof error.details !== "object" || error.details === null) {
    return undefined;
  }
  const { field, rule } = error.details as { field?: unknown; rule?: unknown };
  if (field !== "reason" && field !== "newAppointment") return undefined;
  const known = typeof rule === "string" ? RULE_MESSAGES[rule] : undefined;
  const message = error.message?.trim() ? error.message : (known ?? RULE_MESSAGES["invalid-format"]!);
  return { field, message };
}
