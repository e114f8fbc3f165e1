import { describe, expect, it } from "vitest";
import { parseInstant } from "../../../shared/calendar/index.ts";
import { appointmentIcs, escapeIcsText, foldIcsLine } from "../../../shared/letters/render/index.ts";

const input = {
  dossierCode: "000.00.12.H42-261120-0001",
  version: 1,
  at: parseInstant("2026-11-26T14:00:00+07:00"),
  now: parseInstant("2026-11-24T10:15:30+07:00"),
  procedureName:
    "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
  agencyName: "Trung tâm Phục vụ hành chính công tỉnh, 12 Nguyễn Huệ",
};

/** RFC 5545 §3.1 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");

describe("appointment .ics", () => {
  it("holds one event at the appointment, in UTC, with a reminder the day before", () => {
    const lines = unfold(appointmentIcs(input)).split("\r\n");
    expect(lines).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//dunghan//tra-cuu-ho-so//VI",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "BEGIN:VEVENT",
      "UID:000.00.12.H42-261120-0001-v1@dunghan",
      "DTSTAMP:20261124T031530Z",
      "DTSTART:20261126T070000Z",
      "DTEND:20261126T073000Z",
      "SUMMARY:Nhận kết quả hồ sơ 000.00.12.H42-261120-0001",
      `DESCRIPTION:${escapeIcsText(input.procedureName)}\\nMã hồ sơ: 000.00.12.H42-261120-0001`,
      "LOCATION:Trung tâm Phục vụ hành chính công tỉnh\\, 12 Nguyễn Huệ",
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      "DESCRIPTION:Ngày mai nhận kết quả hồ sơ 000.00.12.H42-261120-0001",
      "TRIGGER:-P1D",
      "END:VALARM",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ]);
  });

  it("folds every line to at most 75 octets without splitting a Vietnamese character", () => {
    const ics = appointmentIcs(input);
    const encoder = new TextEncoder();
    for (const line of ics.split("\r\n")) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    // Every physical line is valid UTF-8 on its own (a split character would decode to U+FFFD).
    for (const line of ics.split("\r\n"))
      expect(new TextDecoder().decode(encoder.encode(line))).not.toContain("\uFFFD");
    expect(ics.split("\r\n").length).toBeGreaterThan(22);
  });

  it("escapes backslash, semicolon, comma and newlines in text", () => {
    expect(escapeIcsText("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
  });

  it("leaves a short line alone and folds a long one with a leading space", () => {
    expect(foldIcsLine("SUMMARY:ngắn")).toBe("SUMMARY:ngắn");
    const long = `DESCRIPTION:${"ệ".repeat(40)}`;
    const folded = foldIcsLine(long);
    expect(folded.split("\r\n ").join("")).toBe(long);
    expect(folded.split("\r\n ").map((part) => new TextEncoder().encode(part).length)).toEqual([75, 57]);
  });
});
