import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  formatDateLongVi,
  formatDateTimeShortVi,
  formatDateTimeVi,
  formatDateVi,
  formatNumberVi,
  formatPlaceDate,
  nfc,
  toVietnamIso,
} from "../../../shared/letters/render/index.ts";

describe("Vietnamese dates (shown in Asia/Ho_Chi_Minh, tests run under TZ=UTC)", () => {
  it("runs under UTC so host-zone bugs show", () => {
    expect(new Date("2026-01-01T00:00:00Z").getTimezoneOffset()).toBe(0);
  });

  it("formats an appointment as on the receipt form", () => {
    expect(formatDateTimeVi("2026-11-26T08:30:00+07:00")).toBe("08 giờ 30 phút, ngày 26 tháng 11 năm 2026");
  });

  it("converts a UTC instant to Vietnam's day, not the host's", () => {
    // 17:30 UTC on the 25th is 00:30 on the 26th in Vietnam.
    expect(formatDateVi("2026-11-25T17:30:00Z")).toBe("26/11/2026");
    expect(formatDateTimeVi("2026-11-25T17:30:00Z")).toBe("00 giờ 30 phút, ngày 26 tháng 11 năm 2026");
    expect(formatDateTimeShortVi("2026-11-25T17:30:00Z")).toBe("00h30 26/11/2026");
    expect(toVietnamIso("2026-11-25T17:30:00Z")).toBe("2026-11-26T00:30:00+07:00");
  });

  it("writes the place and date line as NĐ 30/2020 does: days below 10 and months 1–2 padded", () => {
    expect(formatPlaceDate("Tân An", "2026-02-05")).toBe("Tân An, ngày 05 tháng 02 năm 2026");
    expect(formatDateLongVi("2026-03-08")).toBe("ngày 08 tháng 3 năm 2026");
    expect(formatDateLongVi("2026-11-24")).toBe("ngày 24 tháng 11 năm 2026");
  });

  it("can pad every month, as some local systems do", () => {
    expect(formatDateLongVi("2026-03-08", { monthPadding: "always" })).toBe("ngày 08 tháng 03 năm 2026");
  });

  it("reads a date without offset as Vietnamese local time", () => {
    expect(formatDateTimeVi("2026-11-26T08:30")).toBe("08 giờ 30 phút, ngày 26 tháng 11 năm 2026");
  });

  it("refuses a malformed date", () => {
    expect(() => formatDateVi("26/11/2026")).toThrow(InvalidInputError);
  });
});

describe("Vietnamese numbers", () => {
  it.each([
    [1234.5, "1.234,5"],
    [1234567, "1.234.567"],
    [0.5, "0,5"],
    [12, "12"],
    [-1234.25, "-1.234,25"],
    [1000.004, "1.000"],
  ])("formats %s as %s", (value, expected) => {
    expect(formatNumberVi(value)).toBe(expected);
  });

  it("refuses NaN", () => {
    expect(() => formatNumberVi(Number.NaN)).toThrow(InvalidInputError);
  });
});

describe("nfc", () => {
  it("composes decomposed Vietnamese", () => {
    const decomposed = "Nguyễn".normalize("NFD");
    expect(decomposed.length).toBe(8);
    expect(nfc(decomposed)).toBe("Nguyễn");
    expect(nfc(decomposed).length).toBe(6);
  });
});
