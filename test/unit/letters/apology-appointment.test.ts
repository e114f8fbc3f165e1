import { describe, expect, it } from "vitest";
import { CivilCalendar } from "../../../shared/calendar/civil-calendar.ts";
import { formatInstant, parseInstant } from "../../../shared/calendar/index.ts";
import { WorkingTime } from "../../../shared/calendar/working-time.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  appointmentOptions,
  earliestNewAppointment,
  type NewAppointmentContext,
  resolveNewAppointment,
} from "../../../shared/letters/apology/index.ts";

const working = new WorkingTime(CivilCalendar.default());
/** Wednesday 18/11/2026 09:10; the appointment to move is Thursday 19/11 09:00. */
const context: NewAppointmentContext = {
  workingTime: working,
  now: parseInstant("2026-11-18T09:10:00+07:00"),
  currentAppointment: parseInstant("2026-11-19T09:00:00+07:00"),
};

const resolve = (text: string, ctx = context) => formatInstant(resolveNewAppointment(text, ctx));
function ruleOf(text: string, ctx = context): unknown {
  try {
    resolveNewAppointment(text, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details?.field).toBe("newAppointment");
    return (error as InvalidInputError).details?.rule;
  }
  return "accepted";
}

describe("resolveNewAppointment: the one rule for an apology's new appointment", () => {
  it("reads a bare date as that working day's closing time, never midnight", () => {
    expect(resolve("2026-12-08")).toBe("2026-12-08T17:00:00+07:00");
  });

  it("uses the agency's own office hours for the closing time and the hours check", () => {
    const late = new WorkingTime(CivilCalendar.default(), {
      periods: [
        { start: "07:00", end: "11:30" },
        { start: "13:30", end: "17:30" },
      ],
    });
    const ctx = { ...context, workingTime: late };
    expect(resolve("2026-12-08", ctx)).toBe("2026-12-08T17:30:00+07:00");
    expect(ruleOf("2026-12-08T13:15:00+07:00", ctx)).toBe("outside-office-hours");
    expect(ruleOf("2026-12-08T13:15:00+07:00")).toBe("accepted");
  });

  it("accepts office hours of a working day, period ends included, in any offset", () => {
    expect(resolve("2026-11-23T11:30:00+07:00")).toBe("2026-11-23T11:30:00+07:00");
    expect(resolve("2026-11-23T02:00:00Z")).toBe("2026-11-23T09:00:00+07:00");
  });

  it.each([
    ["2026-11-22T10:00:00+07:00", "not-working-day"], // Sunday
    ["2026-11-29", "not-working-day"], // Sunday, bare
    ["2026-11-24T09:00:00+07:00", "not-working-day"], // Ngày Văn hóa Việt Nam (from 2026)
    ["2026-11-23T22:00:00+07:00", "outside-office-hours"],
    ["2026-11-23T12:15:00+07:00", "outside-office-hours"], // lunch
    ["2026-11-23T07:00:00+07:00", "outside-office-hours"],
    ["2026-11-18T08:00:00+07:00", "not-after-now"],
    ["2026-11-18T09:10:00+07:00", "not-after-now"],
    ["2026-11-19T09:00:00+07:00", "not-after-current-appointment"],
    ["2026-11-18T16:00:00+07:00", "not-after-current-appointment"],
    ["08/12/2026", "invalid-format"],
    ["2026-13-01", "invalid-format"],
    ["", "invalid-format"],
  ])("%s → %s", (text, rule) => {
    expect(ruleOf(text)).toBe(rule);
  });

  it("words its refusals in Vietnamese with the date as officials write it", () => {
    expect(() => resolveNewAppointment("2026-11-22T10:00:00+07:00", context)).toThrow(
      "Ngày hẹn mới 22/11/2026 không phải là ngày làm việc",
    );
    expect(() => resolveNewAppointment("2026-11-18T16:00:00+07:00", context)).toThrow(
      /phải sau ngày hẹn hiện tại 09 giờ 00 phút, ngày 19 tháng 11 năm 2026/,
    );
  });
});

describe("appointmentOptions: what the date picker offers", () => {
  it("starts at the first office minute after the current appointment and skips days off", () => {
    const options = appointmentOptions(context, "2026-11-23T09:00:00+07:00", 5);
    // The periods too: the lunch break between them is not office hours, so not offered.
    const hours = {
      opens: "07:30",
      closes: "17:00",
      periods: [
        { start: "07:30", end: "11:30" },
        { start: "13:00", end: "17:00" },
      ],
    };
    expect(options).toEqual({
      proposed: "2026-11-23T09:00:00+07:00",
      earliest: "2026-11-19T09:01:00+07:00",
      days: [
        { date: "2026-11-19", ...hours },
        { date: "2026-11-20", ...hours },
        { date: "2026-11-23", ...hours },
        { date: "2026-11-25", ...hours },
        { date: "2026-11-26", ...hours },
      ],
    });
  });

  it("moves the earliest instant past lunch, the evening and the weekend", () => {
    const at = (current: string) =>
      formatInstant(earliestNewAppointment({ ...context, currentAppointment: parseInstant(current) }));
    expect(at("2026-11-19T11:45:00+07:00")).toBe("2026-11-19T13:00:00+07:00");
    expect(at("2026-11-20T17:00:00+07:00")).toBe("2026-11-23T07:30:00+07:00");
    expect(at("2026-11-21T10:00:00+07:00")).toBe("2026-11-23T07:30:00+07:00");
    // Every earliest instant is itself accepted by the rule.
    for (const current of ["2026-11-19T11:45:00+07:00", "2026-11-20T17:00:00+07:00"]) {
      const ctx = { ...context, currentAppointment: parseInstant(current) };
      expect(() => resolveNewAppointment(formatInstant(earliestNewAppointment(ctx)), ctx)).not.toThrow();
    }
  });
});
