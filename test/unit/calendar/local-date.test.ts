import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  epochDayFromYmd,
  formatInstant,
  isoDate,
  isoWeekday,
  parseInstant,
  parseIsoDate,
  VN_OFFSET_MS,
  VN_ZONE,
  ymdFromEpochDay,
} from "../../../shared/calendar/local-date.ts";
import { InvalidInputError } from "../../../shared/errors.ts";

describe("local dates", () => {
  it("converts civil dates to epoch days and back", () => {
    expect(epochDayFromYmd(1970, 1, 1)).toBe(0);
    expect(epochDayFromYmd(2026, 11, 24)).toBe(Date.UTC(2026, 10, 24) / 86_400_000);
    expect(ymdFromEpochDay(epochDayFromYmd(2024, 2, 29))).toEqual({ year: 2024, month: 2, day: 29 });
    expect(isoDate(epochDayFromYmd(2199, 12, 31))).toBe("2199-12-31");
  });

  it("knows the weekday (24/11/2026 is a Tuesday)", () => {
    expect(isoWeekday(parseIsoDate("2026-11-24"))).toBe(2);
    expect(isoWeekday(parseIsoDate("2026-11-22"))).toBe(7);
  });

  it("rejects malformed and impossible dates, naming them", () => {
    expect(() => parseIsoDate("2026-02-30")).toThrow(/2026-02-30/);
    expect(() => parseIsoDate("26-1-1")).toThrow(InvalidInputError);
  });

  it("reads instants with any offset and writes them at +07:00", () => {
    expect(formatInstant(parseInstant("2026-11-20T02:00:00Z"))).toBe("2026-11-20T09:00:00+07:00");
    expect(formatInstant(parseInstant("2026-11-20T09:00:00+07:00"))).toBe("2026-11-20T09:00:00+07:00");
    // A local time without an offset is Vietnam time, whatever the host's zone.
    expect(formatInstant(parseInstant("2026-11-20T09:00"))).toBe("2026-11-20T09:00:00+07:00");
    expect(() => parseInstant("2026-11-20")).toThrow(InvalidInputError);
    expect(() => parseInstant("yesterday")).toThrow(/yesterday/);
  });

  it("uses a fixed +07:00 offset that matches tzdata for every supported year", () => {
    for (let year = 2014; year <= 2199; year += 1) {
      for (const month of [1, 7]) {
        const offset = DateTime.fromObject({ year, month, day: 1 }, { zone: VN_ZONE }).offset;
        expect(offset * 60_000).toBe(VN_OFFSET_MS);
      }
    }
  });
});
