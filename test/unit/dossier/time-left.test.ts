import { describe, expect, it } from "vitest";
import { timeLeftText } from "../../../shared/dossier/index.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** One working day: 8 office hours. */
const DAY = 8 * HOUR;

describe("timeLeftText", () => {
  it.each([
    [2 * DAY + 3 * HOUR, "còn 2 ngày 3 giờ"],
    [2 * DAY + 3 * HOUR + 59 * MINUTE, "còn 2 ngày 3 giờ"],
    [DAY, "còn 1 ngày"],
    [DAY - 1, "còn 7 giờ"],
    [HOUR, "còn 1 giờ"],
    [HOUR - 1, "còn dưới 1 giờ"],
    [0, "còn dưới 1 giờ"],
    [9 * DAY, "còn 9 ngày"],
  ])("reads %i office ms left as %s", (ms, text) => {
    expect(timeLeftText(ms)).toBe(text);
  });

  it.each([
    [-(DAY + 4 * HOUR), "quá hạn 1 ngày 4 giờ"],
    [-(DAY + 4 * HOUR + 30 * MINUTE), "quá hạn 1 ngày 4 giờ"],
    [-DAY, "quá hạn 1 ngày"],
    [-(DAY - 1), "quá hạn 7 giờ"],
    [-HOUR, "quá hạn 1 giờ"],
    [-1, "quá hạn dưới 1 giờ"],
  ])("reads %i office ms past as %s", (ms, text) => {
    expect(timeLeftText(ms)).toBe(text);
  });

  it("says overdue when the class says so though no office time has passed (after 17:00 on the due day)", () => {
    expect(timeLeftText(0, true)).toBe("quá hạn dưới 1 giờ");
  });

  it("counts a working day as 8 office hours, not 24", () => {
    expect(timeLeftText(10 * HOUR)).toBe("còn 1 ngày 2 giờ");
  });
});
