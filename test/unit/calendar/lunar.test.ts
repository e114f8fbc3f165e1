import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  LUNAR_MAX_YEAR,
  LUNAR_MIN_YEAR,
  type LunarDate,
  leapMonthOf,
  lunarMonthLength,
  lunarNewYear,
  lunarToSolar,
  type SolarDate,
  solarToLunar,
} from "../../../shared/calendar/lunar.ts";
import { InvalidInputError, UnsupportedDateError } from "../../../shared/errors.ts";
import pythonHolidays from "../../fixtures/python-holidays-vietnamese-lunar.json" with { type: "json" };

// ---- helpers (UTC-only Date arithmetic, so they cannot depend on the host zone) -------------

const DAY_MS = 86_400_000;
const iso = (d: SolarDate): string =>
  `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const epochDay = (d: SolarDate): number => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
const fromEpochDay = (n: number): SolarDate => {
  const date = new Date(n * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const solar = (text: string): SolarDate => {
  const [year, month, day] = text.split("-").map(Number);
  return { year: year!, month: month!, day: day! };
};
const gioTo = (year: number): SolarDate => lunarToSolar({ year, month: 3, day: 10, leap: false });

/** The months of a lunar year in order, as [month, leap] pairs. */
const monthsOf = (year: number): [number, boolean][] => {
  const leap = leapMonthOf(year);
  const months: [number, boolean][] = [];
  for (let m = 1; m <= 12; m++) {
    months.push([m, false]);
    if (m === leap) months.push([m, true]);
  }
  return months;
};

const FIRST_SUPPORTED = epochDay({ year: 1900, month: 1, day: 31 });
const LAST_SUPPORTED = epochDay({ year: 2200, month: 2, day: 14 });
const supportedDay = fc.integer({ min: FIRST_SUPPORTED, max: LAST_SUPPORTED });
const supportedYear = fc.integer({ min: LUNAR_MIN_YEAR, max: LUNAR_MAX_YEAR });

// ---- 1. pinned years --------------------------------------------------------------------------

describe("pinned years", () => {
  it.each([
    // Vietnam (UTC+7) differs from China (UTC+8) in these years.
    [1985, "1985-01-21"],
    [2007, "2007-02-17"],
    [2030, "2030-02-02"],
    [2053, "2053-02-18"],
    [2024, "2024-02-10"],
    [2025, "2025-01-29"],
    [2026, "2026-02-17"],
    [2027, "2027-02-06"],
  ])("Tết %i is %s", (year, expected) => {
    expect(iso(lunarNewYear(year))).toBe(expected);
    expect(solarToLunar(solar(expected))).toEqual({ year, month: 1, day: 1, leap: false });
  });

  it.each([
    [2009, "2009-04-04"],
    [2037, "2037-04-24"],
    [2038, "2038-04-13"],
    [2024, "2024-04-18"],
    [2025, "2025-04-07"],
    [2026, "2026-04-26"],
    [2027, "2027-04-16"],
  ])("Giỗ Tổ Hùng Vương (10/3 âm lịch) %i is %s", (year, expected) => {
    expect(iso(gioTo(year))).toBe(expected);
    expect(solarToLunar(solar(expected))).toEqual({ year, month: 3, day: 10, leap: false });
  });

  it.each([
    [2020, 4],
    [2023, 2],
    [2025, 6],
    [2028, 5],
    [2033, 11], // the "2033 problem": a leap 11th month, after the solstice
    [2024, undefined],
    [2026, undefined],
    [2027, undefined],
  ])("lunar year %i has leap month %s", (year, leap) => {
    expect(leapMonthOf(year)).toBe(leap);
  });

  it("places the 2025 leap month 6 between month 6 and month 7", () => {
    // 2025: tháng 6 starts 25/06, tháng 6 nhuận 25/07, tháng 7 23/08.
    expect(lunarToSolar({ year: 2025, month: 6, day: 1, leap: false })).toEqual(solar("2025-06-25"));
    expect(lunarToSolar({ year: 2025, month: 6, day: 1, leap: true })).toEqual(solar("2025-07-25"));
    expect(lunarToSolar({ year: 2025, month: 7, day: 1, leap: false })).toEqual(solar("2025-08-23"));
    expect(solarToLunar(solar("2025-08-01"))).toEqual({ year: 2025, month: 6, day: 8, leap: true });
  });

  it("assigns January days before Tết to the previous lunar year", () => {
    expect(solarToLunar(solar("2024-02-09"))).toEqual({ year: 2023, month: 12, day: 30, leap: false });
    expect(solarToLunar(solar("2026-01-01"))).toEqual({ year: 2025, month: 11, day: 13, leap: false });
  });

  it("supports exactly 1900-01-31 .. 2200-02-14", () => {
    expect(iso(lunarNewYear(LUNAR_MIN_YEAR))).toBe("1900-01-31");
    expect(solarToLunar(solar("1900-01-31"))).toEqual({ year: 1900, month: 1, day: 1, leap: false });
    const last = solarToLunar(solar("2200-02-14"));
    expect(last).toMatchObject({ year: 2199, month: 12, leap: false });
    expect(last.day).toBe(lunarMonthLength(2199, 12, false));
    expect(() => solarToLunar(solar("1900-01-30"))).toThrow(UnsupportedDateError);
    expect(() => solarToLunar(solar("2200-02-15"))).toThrow(UnsupportedDateError);
  });
});

// ---- 2. independent table: python-holidays ----------------------------------------------------

describe("cross-check against python-holidays (vacanza/holidays, MIT)", () => {
  const table = pythonHolidays as {
    source: { repo: string; path: string; licence: string };
    lunarNewYear: Record<string, string>;
    hungKings: Record<string, string>;
  };
  const years = Array.from({ length: 200 }, (_, i) => 1901 + i);

  it("has the full 1901–2100 tables, with their source", () => {
    expect(table.source).toMatchObject({
      repo: "vacanza/holidays",
      path: "holidays/calendars/chinese.py",
      licence: "MIT",
    });
    expect(Object.keys(table.lunarNewYear)).toEqual(years.map(String));
    expect(Object.keys(table.hungKings)).toEqual(years.map(String));
  });

  it("agrees on Tết for every year 1901–2100", () => {
    const computed = Object.fromEntries(years.map((y) => [String(y), iso(lunarNewYear(y))]));
    expect(computed).toEqual(table.lunarNewYear);
  });

  it("agrees on Giỗ Tổ (10/3 âm lịch) for every year 1901–2100", () => {
    const computed = Object.fromEntries(years.map((y) => [String(y), iso(gioTo(y))]));
    expect(computed).toEqual(table.hungKings);
  });

  it("maps each Tết back to 1/1 and the day before it to the last day of month 12", () => {
    for (const year of years) {
      const tet = solar(table.lunarNewYear[String(year)]!);
      expect(solarToLunar(tet)).toEqual({ year, month: 1, day: 1, leap: false });
      const eve = solarToLunar(fromEpochDay(epochDay(tet) - 1));
      expect(eve).toMatchObject({ year: year - 1, month: 12 });
      expect(eve.day).toBe(lunarMonthLength(year - 1, 12, eve.leap));
    }
  });
});

// ---- 3. properties ----------------------------------------------------------------------------

describe("properties", () => {
  it("lunarToSolar ∘ solarToLunar is the identity on the supported range", () => {
    fc.assert(
      fc.property(supportedDay, (n) => {
        const date = fromEpochDay(n);
        expect(lunarToSolar(solarToLunar(date))).toEqual(date);
      }),
      { numRuns: 2000 },
    );
  });

  it("consecutive solar days are consecutive lunar days", () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_SUPPORTED, max: LAST_SUPPORTED - 1 }), (n) => {
        const today = solarToLunar(fromEpochDay(n));
        const tomorrow = solarToLunar(fromEpochDay(n + 1));
        if (tomorrow.day !== 1) {
          expect(tomorrow).toEqual({ ...today, day: today.day + 1 });
          return;
        }
        expect(today.day).toBe(lunarMonthLength(today.year, today.month, today.leap));
        const months = monthsOf(today.year);
        const index = months.findIndex(([m, leap]) => m === today.month && leap === today.leap);
        const next = months[index + 1];
        const expected: Omit<LunarDate, "day"> =
          next === undefined
            ? { year: today.year + 1, month: 1, leap: false }
            : { year: today.year, month: next[0], leap: next[1] };
        expect(tomorrow).toEqual({ ...expected, day: 1 });
      }),
      { numRuns: 2000 },
    );
  });

  it("every month has 29 or 30 days and every year 12 or 13 months that fill it exactly", () => {
    fc.assert(
      fc.property(supportedYear, (year) => {
        const months = monthsOf(year);
        expect(months.length === 12 || months.length === 13).toBe(true);
        const lengths = months.map(([m, leap]) => lunarMonthLength(year, m, leap));
        for (const length of lengths) expect([29, 30]).toContain(length);
        if (year < LUNAR_MAX_YEAR) {
          const days = epochDay(lunarNewYear(year + 1)) - epochDay(lunarNewYear(year));
          expect(lengths.reduce((a, b) => a + b, 0)).toBe(days);
          expect(months.length === 12 ? [353, 354, 355] : [383, 384, 385]).toContain(days);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("every month's last day round-trips and the day after it does not exist", () => {
    fc.assert(
      fc.property(supportedYear, fc.integer({ min: 1, max: 12 }), (year, month) => {
        const length = lunarMonthLength(year, month, false);
        const last = lunarToSolar({ year, month, day: length, leap: false });
        expect(solarToLunar(last)).toEqual({ year, month, day: length, leap: false });
        if (length === 29) {
          expect(() => lunarToSolar({ year, month, day: 30, leap: false })).toThrow(InvalidInputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("host time zone", () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
    vi.resetModules();
  });

  it.each(["Asia/Ho_Chi_Minh", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kathmandu"])(
    "gives the python-holidays dates with TZ=%s and a fresh (uncached) module",
    async (zone) => {
      process.env.TZ = zone;
      // Node re-reads TZ on assignment: prove the zone really changed, so this test can fail.
      expect(new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset()).not.toBe(0);
      vi.resetModules();
      const fresh = await import("../../../shared/calendar/lunar.ts");
      for (const year of [1903, 1916, 1935, 1965, 1968, 1969, 1985, 2007, 2030, 2053, 2100]) {
        expect(iso(fresh.lunarNewYear(year))).toBe(pythonHolidays.lunarNewYear[String(year) as "1901"]);
      }
      for (const year of [1916, 1917, 1939, 1975, 2009, 2037, 2038, 2085, 2086, 2095, 2100]) {
        const date = fresh.lunarToSolar({ year, month: 3, day: 10, leap: false });
        expect(iso(date)).toBe(pythonHolidays.hungKings[String(year) as "1901"]);
      }
      expect(fresh.solarToLunar(solar("2025-08-01"))).toEqual({ year: 2025, month: 6, day: 8, leap: true });
    },
  );
});

// ---- 4. errors --------------------------------------------------------------------------------

describe("errors", () => {
  it.each([
    [{ year: 2023, month: 2, day: 29 }, /2023-02-29/],
    [{ year: 2100, month: 2, day: 29 }, /2100-02-29/],
    [{ year: 2024, month: 13, day: 1 }, /2024-13-01/],
    [{ year: 2024, month: 4, day: 31 }, /2024-04-31/],
    [{ year: 2024, month: 1, day: 0 }, /2024-01-00/],
    [{ year: 2024, month: 1.5, day: 1 }, /month: 1\.5/],
    [{ year: Number.NaN, month: 1, day: 1 }, /year: NaN/],
  ])("solarToLunar(%o) throws InvalidInputError naming the date", (date, message) => {
    expect(() => solarToLunar(date)).toThrow(InvalidInputError);
    expect(() => solarToLunar(date)).toThrow(message);
  });

  it("accepts 29 February in a leap year", () => {
    expect(solarToLunar(solar("2024-02-29"))).toEqual({ year: 2024, month: 1, day: 20, leap: false });
  });

  it.each([
    [{ year: 1899, month: 12, day: 31 }, /1899-12-31/],
    [{ year: 1900, month: 1, day: 1 }, /1900-01-01/],
    [{ year: 2200, month: 3, day: 1 }, /2200-03-01/],
    [{ year: 3000, month: 1, day: 1 }, /3000-01-01/],
  ])("solarToLunar(%o) throws UnsupportedDateError", (date, message) => {
    expect(() => solarToLunar(date)).toThrow(UnsupportedDateError);
    expect(() => solarToLunar(date)).toThrow(message);
  });

  it("rejects a leap month the year does not have, naming it", () => {
    const call = () => lunarToSolar({ year: 2024, month: 3, day: 1, leap: true });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(/2024 has no leap month 3 \(its leap month: none\)/);
    expect(() => lunarToSolar({ year: 2025, month: 5, day: 1, leap: true })).toThrow(
      /2025 has no leap month 5 \(its leap month: month 6\)/,
    );
    expect(() => lunarMonthLength(2023, 3, true)).toThrow(InvalidInputError);
  });

  it("rejects day 30 of a 29-day month, naming the date", () => {
    expect(lunarMonthLength(2025, 2, false)).toBe(29); // tháng 2 Ất Tỵ: 28/02 – 28/03/2025
    const call = () => lunarToSolar({ year: 2025, month: 2, day: 30, leap: false });
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(/30\/2\/2025 âm lịch does not exist: that month has 29 days/);
    expect(lunarMonthLength(2025, 6, true)).toBe(29); // tháng 6 nhuận: 25/07 – 22/08/2025
    expect(() => lunarToSolar({ year: 2025, month: 6, day: 30, leap: true })).toThrow(
      /30\/6 \(nhuận\)\/2025/,
    );
    expect(lunarToSolar({ year: 2025, month: 1, day: 30, leap: false })).toEqual(solar("2025-02-27"));
  });

  it.each([
    [{ year: 2024, month: 0, day: 1, leap: false }, /Lunar month 0/],
    [{ year: 2024, month: 13, day: 1, leap: false }, /Lunar month 13/],
    [{ year: 2024, month: 2, day: 0, leap: false }, /0\/2\/2024/],
    [{ year: 2024, month: 2, day: 1.5, leap: false }, /1\.5\/2\/2024/],
    [{ year: 2024.5, month: 2, day: 1, leap: false }, /Lunar year 2024\.5/],
  ])("lunarToSolar(%o) throws InvalidInputError", (date, message) => {
    expect(() => lunarToSolar(date)).toThrow(InvalidInputError);
    expect(() => lunarToSolar(date)).toThrow(message);
  });

  it("throws UnsupportedDateError for lunar years outside 1900–2199, naming the year", () => {
    expect(() => lunarToSolar({ year: 1899, month: 1, day: 1, leap: false })).toThrow(UnsupportedDateError);
    expect(() => lunarToSolar({ year: 2200, month: 1, day: 1, leap: false })).toThrow(/Lunar year 2200/);
    expect(() => lunarNewYear(1899)).toThrow(UnsupportedDateError);
    expect(() => lunarNewYear(2200)).toThrow(UnsupportedDateError);
    expect(() => leapMonthOf(2200)).toThrow(UnsupportedDateError);
    expect(() => lunarMonthLength(1899, 1, false)).toThrow(UnsupportedDateError);
    expect(() => leapMonthOf(2024.5)).toThrow(InvalidInputError);
  });
});
