import {
  instantOfLocal,
  localEpochDay,
  MS_PER_DAY,
  MS_PER_MINUTE,
  parseClock,
  VN_OFFSET_MS,
} from "../calendar/index.ts";

export interface SmsWindow {
  /** Local "HH:MM" from which SMS may be sent (07:00). */
  start: string;
  /** Local "HH:MM" from which SMS wait for the next morning (21:00). */
  end: string;
}

/**
 * The first instant at or after `at` when an SMS may be sent: inside the window it is `at`;
 * before the window, the window's start that day; after it, the start the next morning. Any day
 * of the week — quiet hours protect the recipient's night, they are not about working days.
 */
export function smsSendableAt(at: number, window: SmsWindow): number {
  const day = localEpochDay(at);
  const minute = (at + VN_OFFSET_MS - day * MS_PER_DAY) / MS_PER_MINUTE;
  const { start, end } = windowMinutes(window);
  if (minute < start) return instantOfLocal(day, start);
  if (minute >= end) return instantOfLocal(day + 1, start);
  return at;
}

const parsedWindows = new WeakMap<SmsWindow, { start: number; end: number }>();

/** The window in minutes after midnight, parsed once per policy object. */
function windowMinutes(window: SmsWindow): { start: number; end: number } {
  let parsed = parsedWindows.get(window);
  if (!parsed) {
    parsed = { start: parseClock(window.start), end: parseClock(window.end) };
    parsedWindows.set(window, parsed);
  }
  return parsed;
}
