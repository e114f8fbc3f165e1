/**
 * The applicant's appointment as an iCalendar file (RFC 5545), so a citizen who looks their
 * dossier up can put the day they collect the result in their phone's calendar.
 *
 * RFC 5545 rules followed: CRLF line ends (§3.1), lines folded at 75 octets without splitting a
 * UTF-8 character (§3.1), TEXT values escaped (§3.3.11: backslash, semicolon, comma, newline),
 * DTSTART/DTEND/DTSTAMP as UTC date-times with "Z" (§3.3.5, form #2) so no VTIMEZONE is needed.
 * The UID is stable per dossier and appointment version: importing a moved appointment (after a
 * supplement restart or an apology) is a new event with its own UID, never a silent edit.
 */

export interface AppointmentIcsInput {
  readonly dossierCode: string;
  /** Appointment version (1 = the receipt's). */
  readonly version: number;
  /** The appointment instant, epoch ms. */
  readonly at: number;
  /** When the file is made, epoch ms (DTSTAMP). */
  readonly now: number;
  readonly procedureName: string;
  readonly agencyName: string;
  /** How long the calendar entry lasts; 30 minutes unless said. */
  readonly durationMinutes?: number;
}

export const ICS_CONTENT_TYPE = "text/calendar; charset=utf-8";

/** "20261126T020000Z". */
function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** RFC 5545 §3.3.11 TEXT. */
export function escapeIcsText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/** RFC 5545 §3.1: at most 75 octets per line; continuation lines start with one space. */
export function foldIcsLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; a continuation holds 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function appointmentIcs(input: AppointmentIcsInput): string {
  const minutes = input.durationMinutes ?? 30;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//dunghan//tra-cuu-ho-so//VI",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${escapeIcsText(`${input.dossierCode}-v${input.version}`)}@dunghan`,
    `DTSTAMP:${utc(input.now)}`,
    `DTSTART:${utc(input.at)}`,
    `DTEND:${utc(input.at + minutes * 60_000)}`,
    `SUMMARY:${escapeIcsText(`Nhận kết quả hồ sơ ${input.dossierCode}`)}`,
    `DESCRIPTION:${escapeIcsText(`${input.procedureName}\nMã hồ sơ: ${input.dossierCode}`)}`,
    `LOCATION:${escapeIcsText(input.agencyName)}`,
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    `DESCRIPTION:${escapeIcsText(`Ngày mai nhận kết quả hồ sơ ${input.dossierCode}`)}`,
    "TRIGGER:-P1D",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(foldIcsLine).join("\r\n")}\r\n`;
}
