import { WORKING_DAY_MS, WORKING_HOUR_MS } from "../calendar/index.ts";

/**
 * Office time left before a due instant, as staff read it: "còn 2 ngày 3 giờ", "quá hạn 1 ngày
 * 4 giờ" — working days of 8 office hours and whole office hours (docs/law.md, "Time limits"),
 * never a decimal like "2,44 ngày làm việc".
 *
 * Both directions round down to the whole hour: "còn 2 giờ" promises at least two hours, "quá hạn
 * 2 giờ" states at least two hours late. Under an hour reads "dưới 1 giờ". `overdue` comes from
 * the timeliness class, not the sign: office time stands still outside office hours, so a dossier
 * due at 17:00 is already late at 18:00 with no office time past its due instant.
 */
export function timeLeftText(remainingOfficeMs: number, overdue = remainingOfficeMs < 0): string {
  const span = daysAndHours(Math.abs(remainingOfficeMs));
  return overdue ? `quá hạn ${span}` : `còn ${span}`;
}

function daysAndHours(officeMs: number): string {
  const days = Math.floor(officeMs / WORKING_DAY_MS);
  const hours = Math.floor((officeMs - days * WORKING_DAY_MS) / WORKING_HOUR_MS);
  if (days === 0 && hours === 0) return "dưới 1 giờ";
  return [days > 0 ? `${days} ngày` : "", hours > 0 ? `${hours} giờ` : ""].filter(Boolean).join(" ");
}
