import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayLoopDue } from "../../../bench/baselines/day-loop-deadline.ts";
import { CivilCalendar } from "../../../shared/calendar/civil-calendar.ts";
import {
  formatInstant,
  localEpochDay,
  parseInstant,
  parseIsoDate,
} from "../../../shared/calendar/local-date.ts";
import {
  mergePauses,
  WORKING_DAY_MS,
  WORKING_HOUR_MS,
  WorkingTime,
} from "../../../shared/calendar/working-time.ts";
import { InvalidInputError, UnsupportedDateError } from "../../../shared/errors.ts";

const calendar = CivilCalendar.default();
const working = new WorkingTime(calendar);
const at = parseInstant;
const due = (
  received: string,
  amount: number,
  unit: "working-days" | "working-hours" | "calendar-days",
  options = {},
) => {
  const result = working.due(at(received), { amount, unit }, options);
  return result === undefined ? undefined : formatInstant(result);
};

describe("working-days", () => {
  it.each([
    // received, N, due — each line a rule of the issue.
    ["2026-11-20T09:00:00+07:00", 3, "2026-11-26T09:00:00+07:00"], // skips the weekend and 24/11
    ["2026-11-20T06:00:00+07:00", 1, "2026-11-20T17:00:00+07:00"], // before opening → starts 07:30, ends at 17:00
    ["2026-11-20T07:30:00+07:00", 1, "2026-11-20T17:00:00+07:00"], // exactly one day: 17:00, not Monday 07:30
    ["2026-11-20T12:00:00+07:00", 1, "2026-11-23T11:30:00+07:00"], // lunch → from 13:00; ends exactly at 11:30
    ["2026-11-21T10:00:00+07:00", 1, "2026-11-23T17:00:00+07:00"], // Saturday reception → Monday's opening
    ["2026-11-20T18:00:00+07:00", 0.5, "2026-11-23T11:30:00+07:00"], // half a day ends at 11:30, not 13:00
    ["2026-02-13T09:00:00+07:00", 1, "2026-02-23T09:00:00+07:00"], // over Tết 2026 (off 16–20/02)
    ["2026-01-09T09:00:00+07:00", 1, "2026-01-10T09:00:00+07:00"], // make-up Saturday 10/01/2026 is worked
    ["2026-08-21T09:00:00+07:00", 1, "2026-08-22T09:00:00+07:00"], // make-up Saturday 22/08/2026 is worked
    ["2026-08-28T09:00:00+07:00", 2, "2026-09-04T09:00:00+07:00"], // 31/08 swapped, 01–02/09 Quốc khánh
    // Tết 2030 is Saturday 02/02 in Vietnam (03/02 in China): provisional 01–05/02 + nghỉ bù 06–07/02.
    ["2030-01-31T09:00:00+07:00", 2, "2030-02-11T09:00:00+07:00"],
  ])("%s + %d working days → %s", (received, amount, expected) => {
    expect(due(received, amount, "working-days")).toBe(expected);
  });

  it("adds working hours the same way", () => {
    expect(due("2026-11-20T10:30:00+07:00", 4, "working-hours")).toBe("2026-11-20T16:00:00+07:00");
    expect(due("2026-11-20T09:30:00+07:00", 2, "working-hours")).toBe("2026-11-20T11:30:00+07:00");
    expect(due("2026-11-20T16:00:00+07:00", 2, "working-hours")).toBe("2026-11-23T08:30:00+07:00");
  });

  it("counts from the next working day after a 15:00 cut-off", () => {
    expect(due("2026-11-20T15:30:00+07:00", 1, "working-days", { cutoff: "15:00" })).toBe(
      "2026-11-23T17:00:00+07:00",
    );
    expect(due("2026-11-20T15:00:00+07:00", 1, "working-days", { cutoff: "15:00" })).toBe(
      "2026-11-23T15:00:00+07:00",
    );
    expect(due("2026-11-23T16:00:00+07:00", 1, "working-days", { cutoff: "15:00" })).toBe(
      "2026-11-25T17:00:00+07:00",
    );
  });

  it("moves the due instant by the office time inside pauses", () => {
    const pauses = [{ start: at("2026-11-23T07:30:00+07:00"), end: at("2026-11-23T17:00:00+07:00") }];
    expect(due("2026-11-20T09:00:00+07:00", 3, "working-days", { pauses })).toBe("2026-11-27T09:00:00+07:00");
    // A pause over a weekend holds no office time.
    const weekend = [{ start: at("2026-11-21T08:00:00+07:00"), end: at("2026-11-22T20:00:00+07:00") }];
    expect(due("2026-11-20T09:00:00+07:00", 3, "working-days", { pauses: weekend })).toBe(
      "2026-11-26T09:00:00+07:00",
    );
    // A pause starting after the due instant changes nothing; an open pause stops the clock.
    const late = [{ start: at("2026-12-01T08:00:00+07:00") }];
    expect(due("2026-11-20T09:00:00+07:00", 3, "working-days", { pauses: late })).toBe(
      "2026-11-26T09:00:00+07:00",
    );
    const open = [{ start: at("2026-11-23T08:00:00+07:00") }];
    expect(due("2026-11-20T09:00:00+07:00", 3, "working-days", { pauses: open })).toBeUndefined();
  });

  it("merges overlapping pauses", () => {
    expect(
      mergePauses([{ start: 5, end: 9 }, { start: 1, end: 6 }, { start: 20 }, { start: 25, end: 30 }]),
    ).toEqual([{ start: 1, end: 9 }, { start: 20 }]);
  });
});

describe("calendar-days (Civil Code Art. 147–148)", () => {
  it("does not count the day of reception and ends at closing time", () => {
    expect(due("2026-11-16T09:00:00+07:00", 3, "calendar-days")).toBe("2026-11-19T17:00:00+07:00");
  });

  it("moves a last day that is a day off to the next working day", () => {
    expect(due("2026-11-18T09:00:00+07:00", 3, "calendar-days")).toBe("2026-11-23T17:00:00+07:00"); // Sat → Mon
    expect(due("2026-11-21T09:00:00+07:00", 3, "calendar-days")).toBe("2026-11-25T17:00:00+07:00"); // Tue 24/11 off
  });
});

describe("working time between and before instants", () => {
  it("measures office time, skipping nights, weekends and holidays", () => {
    expect(working.workingTimeBetween(at("2026-11-20T09:00:00+07:00"), at("2026-11-25T09:00:00+07:00"))).toBe(
      2 * WORKING_DAY_MS,
    );
    expect(working.workingTimeBetween(at("2026-11-20T11:00:00+07:00"), at("2026-11-20T14:00:00+07:00"))).toBe(
      1.5 * WORKING_HOUR_MS,
    );
  });

  it("finds N working days before an instant, at the end of a period", () => {
    expect(formatInstant(working.workingDaysBefore(at("2026-11-26T09:00:00+07:00"), 1))).toBe(
      "2026-11-25T09:00:00+07:00",
    );
    expect(formatInstant(working.workingDaysBefore(at("2026-11-25T17:00:00+07:00"), 1))).toBe(
      "2026-11-23T17:00:00+07:00",
    );
    expect(formatInstant(working.workingDaysBefore(at("2026-02-23T09:00:00+07:00"), 1))).toBe(
      "2026-02-13T09:00:00+07:00",
    );
  });
});

describe("office hours per agency", () => {
  it("uses the agency's own periods", () => {
    const other = new WorkingTime(calendar, {
      periods: [
        { start: "07:00", end: "11:30" },
        { start: "13:30", end: "17:00" },
      ],
    });
    expect(formatInstant(other.addWorkingDays(at("2026-11-20T07:00:00+07:00"), 1))).toBe(
      "2026-11-20T17:00:00+07:00",
    );
    expect(formatInstant(other.addWorkingHours(at("2026-11-20T07:00:00+07:00"), 4.5))).toBe(
      "2026-11-20T11:30:00+07:00",
    );
  });

  it("rejects impossible office hours", () => {
    expect(() => new WorkingTime(calendar, { periods: [] })).toThrow(InvalidInputError);
    expect(() => new WorkingTime(calendar, { periods: [{ start: "13:00", end: "11:00" }] })).toThrow(
      /13:00–11:00/,
    );
    expect(
      () =>
        new WorkingTime(calendar, {
          periods: [
            { start: "07:00", end: "12:00" },
            { start: "11:00", end: "17:00" },
          ],
        }),
    ).toThrow(/overlap/);
  });
});

describe("bad input", () => {
  it("names the bad value", () => {
    expect(() => working.due(0, { amount: -1, unit: "working-days" })).toThrow(/-1/);
    expect(() => working.due(0, { amount: 1, unit: "weeks" as "working-days" })).toThrow(/weeks/);
    expect(() => working.due(0, { amount: 1.5, unit: "calendar-days" })).toThrow(InvalidInputError);
    expect(() => working.due(at("2010-01-01T09:00:00+07:00"), { amount: 1, unit: "working-days" })).toThrow(
      UnsupportedDateError,
    );
  });
});

// Receptions anywhere in 2019–2030, at any minute.
const reception = fc
  .integer({ min: Date.UTC(2019, 0, 1) / 60_000, max: Date.UTC(2030, 11, 1) / 60_000 })
  .map((minute) => minute * 60_000);

describe("properties", () => {
  it("agrees with the day-by-day loop", () => {
    fc.assert(
      fc.property(reception, fc.integer({ min: 1, max: 8 * 60 }), (received, halfHours) => {
        const officeMs = halfHours * 30 * 60_000;
        expect(working.addOfficeTime(received, officeMs)).toBe(dayLoopDue(calendar, received, officeMs));
      }),
      { numRuns: 3000 },
    );
  });

  it("always lands inside office hours of a working day", () => {
    fc.assert(
      fc.property(reception, fc.integer({ min: 1, max: 60 }), (received, days) => {
        const dueMs = working.addWorkingDays(received, days);
        expect(working.isOfficeInstant(dueMs)).toBe(true);
        expect(working.isWorkingDay(localEpochDay(dueMs))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("adding N then M working days equals adding N + M", () => {
    fc.assert(
      fc.property(
        reception,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (received, n, m) => {
          expect(working.addWorkingDays(working.addWorkingDays(received, n), m)).toBe(
            working.addWorkingDays(received, n + m),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("N working days before the due instant is the due instant of N fewer days", () => {
    fc.assert(
      fc.property(
        reception,
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 1 }),
        (received, n, k) => {
          const dueMs = working.addWorkingDays(received, n);
          expect(working.workingDaysBefore(dueMs, k)).toBe(working.addWorkingDays(received, n - k));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("does not depend on the host time zone", () => {
    const samples = fc.sample(fc.tuple(reception, fc.integer({ min: 1, max: 30 })), {
      numRuns: 300,
      seed: 7,
    });
    const compute = () =>
      samples.map(([received, days]) => {
        const fresh = new WorkingTime(new CivilCalendar());
        return [
          formatInstant(fresh.addWorkingDays(received, days)),
          formatInstant(fresh.due(received, { amount: days, unit: "calendar-days" })!),
        ];
      });
    const original = process.env.TZ;
    try {
      process.env.TZ = "UTC";
      const inUtc = compute();
      for (const zone of ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"]) {
        process.env.TZ = zone;
        expect(new Date(2026, 0, 1).getTimezoneOffset()).not.toBe(0); // the zone really changed
        expect(compute()).toEqual(inUtc);
      }
    } finally {
      process.env.TZ = original;
    }
  });

  it("reports a working day exactly when the calendar says so, on make-up Saturdays too", () => {
    for (const date of ["2026-01-10", "2026-08-22", "2025-04-26"]) {
      const day = parseIsoDate(date);
      expect(working.workingDayOnOrAfter(day)).toBe(day);
    }
  });
});
