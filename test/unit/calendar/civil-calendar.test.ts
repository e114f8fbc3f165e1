import { describe, expect, it } from "vitest";
import { ANNOUNCEMENTS } from "../../../shared/calendar/announcements.ts";
import {
  CivilCalendar,
  parseAnnouncementFile,
  statutoryHolidays,
} from "../../../shared/calendar/civil-calendar.ts";
import { HOLIDAY_RULES } from "../../../shared/calendar/holiday-rules.ts";
import { isoDate, parseIsoDate } from "../../../shared/calendar/local-date.ts";
import { InvalidInputError, UnsupportedDateError } from "../../../shared/errors.ts";

const calendar = CivilCalendar.default();
const info = (date: string) => calendar.dayInfo(parseIsoDate(date));
const working = (date: string) => calendar.isWorkingDay(parseIsoDate(date));

describe("the announced years, 2019–2026", () => {
  it.each([
    // [date, working?] — the hard dates of each announcement.
    ["2018-12-31", false], // swapped for Sat 05/01/2019
    ["2019-01-05", true],
    ["2019-04-15", false], // Giỗ Tổ on Sunday → Monday off
    ["2019-04-29", false],
    ["2019-05-04", true],
    ["2020-01-23", false],
    ["2020-01-29", false],
    ["2020-01-30", true],
    ["2021-05-03", false], // 01/05 on Saturday → Monday off
    ["2021-09-03", false], // first year of two Quốc khánh days
    ["2022-01-03", false],
    ["2022-05-03", false],
    ["2023-01-02", false],
    ["2023-05-02", false],
    ["2023-05-03", false],
    ["2023-09-04", false],
    ["2024-02-14", false],
    ["2024-02-15", true],
    ["2024-04-29", false],
    ["2024-05-04", true], // làm bù
    ["2024-09-03", false],
    ["2025-01-27", false],
    ["2025-04-26", true], // làm bù for Fri 02/05/2025
    ["2025-05-02", false],
    ["2025-09-01", false],
    ["2026-01-02", false],
    ["2026-01-10", true], // làm bù for Fri 02/01/2026
    ["2026-02-16", false],
    ["2026-02-20", false],
    ["2026-02-23", true],
    ["2026-04-27", false], // Giỗ Tổ on Sunday 26/04 → Monday off
    ["2026-08-22", true], // làm bù for Mon 31/08/2026
    ["2026-08-31", false],
    ["2026-09-01", false],
    ["2026-09-03", true],
    ["2026-11-24", false], // Ngày Văn hóa Việt Nam
    ["2026-11-25", true],
  ])("%s working = %s", (date, expected) => {
    expect(working(date)).toBe(expected);
    expect(info(date).provisional).toBe(false);
  });

  it("names the days and keeps their sources", () => {
    expect(info("2026-11-24")).toMatchObject({
      working: false,
      name: "Ngày Văn hóa Việt Nam",
      kind: "holiday",
      provisional: false,
    });
    expect(info("2026-01-10")).toMatchObject({
      working: true,
      kind: "make-up",
      name: "Làm bù cho ngày 02/01/2026",
    });
    expect(info("2026-01-10").source).toContain("12729/VPCP-KGVX");
    expect(info("2026-08-31")).toMatchObject({ kind: "swap" });
    expect(info("2026-11-23")).toEqual({
      date: "2026-11-23",
      working: true,
      kind: "workday",
      provisional: false,
    });
  });

  it("includes every statutory holiday in force in each announced year (data cross-check)", () => {
    for (const announcement of ANNOUNCEMENTS) {
      const announcedOff = new Set(announcement.daysOff.map((entry) => entry.date));
      for (const [day, holiday] of statutoryHolidays(announcement.year)) {
        // Tết and Quốc khánh's second day are the Prime Minister's choice: check only mùng 1.
        const rule = HOLIDAY_RULES.find(
          (candidate) => candidate.source === holiday.source && candidate.name === holiday.name,
        );
        if (rule?.kind === "lunar-new-year" || rule?.kind === "adjacent-day") continue;
        expect(announcedOff.has(isoDate(day)), `${announcement.year}: ${isoDate(day)} ${holiday.name}`).toBe(
          true,
        );
      }
    }
  });

  it("has Tết's mùng 1 off in every announced year", () => {
    for (const date of [
      "2019-02-05",
      "2020-01-25",
      "2021-02-12",
      "2022-02-01",
      "2023-01-22",
      "2024-02-10",
      "2025-01-29",
      "2026-02-17",
    ]) {
      expect(info(date)).toMatchObject({ working: false, name: "Tết Nguyên đán" });
    }
  });
});

describe("years without an announcement", () => {
  it("builds 2027 from the statutory rules and marks it provisional", () => {
    // Tết 2027: mùng 1 = Saturday 06/02. Default: 30 Tết + mùng 1–4, then nghỉ bù for Sat and Sun.
    for (const date of ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]) {
      expect(info(date)).toMatchObject({ working: false, provisional: true });
    }
    expect(info("2027-02-10").name).toBe("Nghỉ bù Tết Nguyên đán");
    expect(working("2027-02-12")).toBe(true);
    expect(info("2027-04-16")).toMatchObject({
      working: false,
      name: "Giỗ Tổ Hùng Vương",
      provisional: true,
    });
    // 02/09/2027 is a Thursday → the second day is Friday 03/09.
    expect(working("2027-09-03")).toBe(false);
    expect(working("2027-09-01")).toBe(true);
    expect(info("2027-11-24")).toMatchObject({ working: false, name: "Ngày Văn hóa Việt Nam" });
    expect(calendar.isProvisionalYear(2027)).toBe(true);
    expect(calendar.isProvisionalYear(2026)).toBe(false);
  });

  it("applies Bộ luật Lao động 2012 before 2019: one Quốc khánh day, no 24/11", () => {
    // 02/09/2018 was a Sunday → Monday 03/09 compensatory; 24/11/2018 not a holiday (Saturday anyway).
    expect(info("2018-09-03")).toMatchObject({
      working: false,
      name: "Nghỉ bù Quốc khánh",
      provisional: true,
    });
    expect(working("2018-09-04")).toBe(true);
    expect(working("2016-11-24")).toBe(true);
  });

  it("chains compensatory days past other holidays", () => {
    // 2028: 30/04 Sunday and 01/05 Monday → nghỉ bù on Tuesday 02/05.
    expect(info("2028-05-02")).toMatchObject({ working: false, kind: "compensatory" });
    expect(working("2028-05-03")).toBe(true);
  });
});

describe("announcements loaded by a deployment", () => {
  const file2027 = JSON.stringify({
    year: 2027,
    sources: ["Công văn 9999/VPCP-KGVX (test)"],
    daysOff: [
      { date: "2027-01-01", name: "Tết Dương lịch", kind: "holiday" },
      { date: "2027-02-04", name: "Tết Nguyên đán", kind: "holiday" },
      { date: "2027-02-05", name: "Tết Nguyên đán", kind: "holiday" },
      { date: "2027-02-08", name: "Tết Nguyên đán", kind: "holiday" },
      { date: "2027-02-09", name: "Tết Nguyên đán", kind: "holiday" },
      { date: "2027-02-10", name: "Tết Nguyên đán", kind: "holiday" },
    ],
    workingDays: [{ date: "2027-02-20", name: "Làm bù cho ngày 04/02/2027" }],
  });

  it("replaces the provisional year without a code change", () => {
    const custom = new CivilCalendar({ announcements: parseAnnouncementFile(file2027) });
    const day = (date: string) => custom.dayInfo(parseIsoDate(date));
    expect(day("2027-02-04")).toMatchObject({ working: false, provisional: false });
    expect(day("2027-02-11")).toMatchObject({ working: true });
    expect(day("2027-02-20")).toMatchObject({ working: true, kind: "make-up" });
    expect(custom.isProvisionalYear(2027)).toBe(false);
    // The built-in calendar is untouched.
    expect(working("2027-02-11")).toBe(false);
  });

  it("rejects a malformed file with the path of the problem", () => {
    expect(() => parseAnnouncementFile("{", "cal.json")).toThrow(/cal\.json: not valid JSON/);
    expect(() =>
      parseAnnouncementFile(
        JSON.stringify({
          year: 2027,
          sources: ["x"],
          daysOff: [{ date: "2027-2-1", name: "x", kind: "holiday" }],
          workingDays: [],
        }),
      ),
    ).toThrow(/daysOff\.0\.date/);
    expect(() =>
      parseAnnouncementFile(
        JSON.stringify({
          year: 2027,
          sources: ["x"],
          daysOff: [{ date: "2025-02-01", name: "x", kind: "holiday" }],
          workingDays: [],
        }),
      ),
    ).toThrow(InvalidInputError);
  });
});

describe("links to the dispatches", () => {
  const withLinks = (links: unknown) =>
    JSON.stringify({
      year: 2027,
      sources: ["Công văn 9999/VPCP-KGVX (test)"],
      daysOff: [],
      workingDays: [],
      links,
    });

  it("keeps a dispatch's url", () => {
    const link = { source: "Công văn 9999/VPCP-KGVX (test)", url: "https://example.gov.vn/cv-9999" };

    const [announcement] = parseAnnouncementFile(withLinks([link]));

    expect(announcement!.links).toEqual([link]);
  });

  it("refuses a link to a dispatch the announcement does not cite", () => {
    const link = { source: "Công văn 1/VPCP-KGVX", url: "https://example.gov.vn/cv-1" };

    expect(() => parseAnnouncementFile(withLinks([link]))).toThrow(
      /links\.0\.source: "Công văn 1\/VPCP-KGVX" is not one of this announcement's sources/,
    );
  });

  it("refuses a second link for the same dispatch", () => {
    const source = "Công văn 9999/VPCP-KGVX (test)";
    const links = [
      { source, url: "https://example.gov.vn/a" },
      { source, url: "https://example.gov.vn/b" },
    ];

    expect(() => parseAnnouncementFile(withLinks(links))).toThrow(
      /links\.1\.source: .* has more than one link/,
    );
  });

  it("refuses a url that is not https", () => {
    const link = { source: "Công văn 9999/VPCP-KGVX (test)", url: "http://example.gov.vn/cv-9999" };

    expect(() => parseAnnouncementFile(withLinks([link]))).toThrow(/links\.0\.url/);
  });
});

describe("range", () => {
  it("refuses dates outside 2014–2199", () => {
    expect(() => calendar.isWorkingDay(parseIsoDate("2013-12-31"))).toThrow(UnsupportedDateError);
    expect(() => calendar.isWorkingDay(parseIsoDate("2200-01-01"))).toThrow(/2200-01-01/);
  });
});
