import { describe, expect, it } from "vitest";
import {
  type AppointmentOptions,
  fieldError,
  formatAppointment,
  initialChoice,
  instantOf,
  offeredDays,
  RULE_MESSAGES,
  timeOnDay,
  timeSlots,
} from "../../../dashboard/web/approval.ts";

/** Monday 23/11/2026 08:05; Tuesday 24/11 a holiday in the test calendar, so not offered. */
const OPTIONS: AppointmentOptions = {
  proposed: "2026-11-26T08:05:00+07:00",
  earliest: "2026-11-23T08:05:00+07:00",
  days: [
    { date: "2026-11-23", opens: "07:30", closes: "17:00" },
    { date: "2026-11-25", opens: "07:30", closes: "17:00" },
    { date: "2026-11-26", opens: "07:30", closes: "17:00" },
    { date: "2026-11-28", opens: "07:30", closes: "11:30" },
  ],
};

describe("the appointment picker's times", () => {
  it("offers the half hours from opening to closing, both included", () => {
    const slots = timeSlots({ date: "2026-11-25", opens: "07:30", closes: "17:00" });
    expect(slots[0]).toBe("07:30");
    expect(slots.at(-1)).toBe("17:00");
    expect(slots).toHaveLength(20);
    expect(slots).not.toContain("22:00");
    expect(slots).not.toContain("07:00");
  });

  it("leaves out the lunch break when the day has office periods", () => {
    const day = {
      date: "2026-11-25",
      opens: "07:30",
      closes: "17:00",
      periods: [
        { start: "07:30", end: "11:30" },
        { start: "13:00", end: "17:00" },
      ],
    };
    const slots = timeSlots(day);
    expect(slots).toContain("11:30");
    expect(slots).toContain("13:00");
    expect(slots).not.toContain("12:00");
    expect(slots).not.toContain("12:30");
    expect(slots).toHaveLength(9 + 9);
    expect(timeSlots(day, undefined, "12:10")).not.toContain("12:10");
    expect(timeSlots(day, undefined, "13:10")).toContain("13:10");
  });

  it("keeps an opening or closing time off the half hours, and the draft's own time", () => {
    expect(timeSlots({ date: "2026-11-25", opens: "07:15", closes: "16:45" })).toEqual(
      expect.arrayContaining(["07:15", "07:30", "16:30", "16:45"]),
    );
    expect(timeSlots({ date: "2026-11-25", opens: "07:30", closes: "17:00" }, undefined, "08:05")).toContain(
      "08:05",
    );
    // Not when it lies outside the office day.
    expect(
      timeSlots({ date: "2026-11-25", opens: "07:30", closes: "17:00" }, undefined, "22:00"),
    ).not.toContain("22:00");
  });

  it("offers nothing before the earliest instant on its day, and the other days whole", () => {
    const today = timeSlots(OPTIONS.days[0]!, OPTIONS.earliest);
    expect(today[0]).toBe("08:30");
    expect(timeSlots(OPTIONS.days[1]!, OPTIONS.earliest)[0]).toBe("07:30");
    const closed = { ...OPTIONS, earliest: "2026-11-23T17:01:00+07:00" };
    expect(offeredDays(closed).map((d) => d.date)).not.toContain("2026-11-23");
  });
});

describe("the picker's first choice", () => {
  it("is the draft's current new appointment when it is offered, else the proposal", () => {
    expect(initialChoice(OPTIONS, "2026-11-25T14:00:00+07:00")).toEqual({
      date: "2026-11-25",
      time: "14:00",
    });
    expect(initialChoice(OPTIONS, "2026-11-25T14:10:00+07:00")).toEqual({
      date: "2026-11-25",
      time: "14:10",
    });
    // A Sunday, or a time after closing, is not kept: the proposal is preselected.
    expect(initialChoice(OPTIONS, "2026-11-29T09:00:00+07:00")).toEqual({
      date: "2026-11-26",
      time: "08:05",
    });
    expect(initialChoice(OPTIONS, "2026-11-25T22:00:00+07:00")).toEqual({
      date: "2026-11-26",
      time: "08:05",
    });
    expect(initialChoice(OPTIONS, null)).toEqual({ date: "2026-11-26", time: "08:05" });
  });

  it("falls back to the first time offered", () => {
    expect(initialChoice({ ...OPTIONS, proposed: "2027-01-01T08:00:00+07:00" })).toEqual({
      date: "2026-11-23",
      time: "08:30",
    });
    expect(initialChoice({ ...OPTIONS, days: [] })).toBeUndefined();
  });

  it("keeps the clock time on another day when it can, else that day's closing time", () => {
    expect(timeOnDay(OPTIONS.days[2]!, "14:00")).toBe("14:00");
    expect(timeOnDay(OPTIONS.days[3]!, "14:00")).toBe("11:30");
  });

  it("writes the instant in Vietnam's time, as the API does", () => {
    expect(instantOf({ date: "2026-11-26", time: "08:05" })).toBe("2026-11-26T08:05:00+07:00");
    expect(formatAppointment("2026-11-29T09:00:00+07:00")).toBe("09:00 Chủ nhật, 29/11/2026");
    expect(formatAppointment("2026-11-26T08:05:00+07:00")).toBe("08:05 Thứ Năm, 26/11/2026");
  });
});

describe("an API refusal next to its field", () => {
  const refusal = (field: string, rule: string, message = "") => ({
    code: "INVALID_INPUT",
    message,
    details: { field, rule },
  });

  it("puts the API's Vietnamese message by the field it names", () => {
    expect(fieldError(refusal("reason", "reason-required", "Cần ghi lý do chậm trễ."))).toEqual({
      field: "reason",
      message: "Cần ghi lý do chậm trễ.",
    });
    expect(fieldError(refusal("newAppointment", "not-working-day", "Ngày 29/11/2026 là Chủ nhật."))).toEqual({
      field: "newAppointment",
      message: "Ngày 29/11/2026 là Chủ nhật.",
    });
  });

  it("says the rule in plain Vietnamese when the API sent no message", () => {
    for (const rule of Object.keys(RULE_MESSAGES)) {
      expect(fieldError(refusal("newAppointment", rule))?.message).toBe(RULE_MESSAGES[rule]);
    }
    expect(fieldError(refusal("reason", "reason-required"))?.message).toMatch(/lý do/);
  });

  it("leaves other errors to the card", () => {
    expect(fieldError({ code: "CONFLICT", message: "x", details: { field: "reason" } })).toBeUndefined();
    expect(fieldError({ code: "INVALID_INPUT", message: "x", details: { field: "status" } })).toBeUndefined();
    expect(fieldError({ code: "INVALID_INPUT", message: "x" })).toBeUndefined();
  });
});
