import fc from "fast-check";
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

  it("parses the common ISO forms exactly as luxon does", () => {
    const offsets = fc.constantFrom("", "Z", "+07:00", "+00:00", "-05:30", "+14:00");
    const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2199, 0, 1) });
    fc.assert(
      fc.property(instant, offsets, fc.constantFrom(0, 1, 3), (ms, offset, fraction) => {
        const zone = offset === "" ? VN_ZONE : offset === "Z" ? "UTC" : `UTC${offset}`;
        const format =
          fraction === 0
            ? "yyyy-MM-dd'T'HH:mm:ss"
            : fraction === 1
              ? "yyyy-MM-dd'T'HH:mm"
              : "yyyy-MM-dd'T'HH:mm:ss.SSS";
        const text = DateTime.fromMillis(ms, { zone }).toFormat(format) + offset;
        expect(parseInstant(text)).toBe(DateTime.fromISO(text, { zone: VN_ZONE }).toMillis());
      }),
      { numRuns: 3000 },
    );
    expect(() => parseInstant("2026-02-30T09:00:00+07:00")).toThrow(InvalidInputError);
    expect(() => parseInstant("2026-11-20T25:00:00+07:00")).toThrow(InvalidInputError);
  });

  it("reads the rarer ISO forms as luxon does: short offsets, fine fractions, a decimal comma", () => {
    for (const text of [
      "2026-11-20T09:00:00+0700",
      "2026-11-20T09:00:00+07",
      "2026-11-20T02:00:00-0530",
      "2026-11-20T09:00:00.123456+07:00",
      "2026-11-20T09:00:00.9999Z",
      "2026-11-20T09:00:00,5+07:00",
      "1960-06-01T09:00:00+08:00",
    ]) {
      expect(parseInstant(text), text).toBe(DateTime.fromISO(text, { zone: VN_ZONE }).toMillis());
    }
  });

  it("refuses a local time where +07:00 was not the law, and says why", () => {
    // Saigon kept +08:00 until 13/06/1975: without an offset the instant is ambiguous, not +07:00.
    expect(() => parseInstant("1970-01-01T09:00:00")).toThrow(/outside 1976–2199 needs an offset/);
    expect(() => parseInstant("2026-11-20T09:00:00+24:00")).toThrow(/no such offset/);
    expect(() => parseInstant("2026-11-20T09:60")).toThrow(/no such time of day/);
  });
});
