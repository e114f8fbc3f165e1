import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  maskEmail,
  maskPhone,
  normalizeVietnamesePhone,
  validateEmail,
} from "../../../shared/letters/notices/index.ts";

describe("normalizeVietnamesePhone", () => {
  it.each([
    ["0912345667", "+84912345667"],
    ["0912 345 667", "+84912345667"],
    ["0912.345.667", "+84912345667"],
    ["0912-345-667", "+84912345667"],
    ["84912345667", "+84912345667"],
    ["+84 912 345 667", "+84912345667"],
    ["+84-35-123-4567", "+84351234567"],
    ["(+84) 70 123 4567", "+84701234567"],
    [" 0861234567 ", "+84861234567"],
    ["0581234567", "+84581234567"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeVietnamesePhone(input)).toBe(expected);
  });

  it.each([
    ["landline", "02723812345"],
    ["too short", "091234567"],
    ["too long", "09123456678"],
    ["mobile prefix 1", "0112345678"],
    ["mobile prefix 4", "0412345678"],
    ["+84 with ten digits", "+840912345667"],
    ["letters", "09123abc67"],
    ["foreign", "+14155552671"],
    ["empty", ""],
  ])("refuses %s", (_, input) => {
    expect(() => normalizeVietnamesePhone(input)).toThrow(InvalidInputError);
  });

  it("never puts the number into the error, only a mask", () => {
    const input = "0412 345 667";
    let caught: unknown;
    try {
      normalizeVietnamesePhone(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    const error = caught as InvalidInputError;
    expect(error.message).toBe("Số điện thoại di động không hợp lệ: 04******67");
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain("345");
    expect(error.details).toEqual({ reason: "INVALID_PHONE", masked: "04******67" });
  });
});

describe("masks", () => {
  it("keeps the first and last two digits of a phone", () => {
    expect(maskPhone("0912345667")).toBe("09******67");
    expect(maskPhone("+84 912 345 667")).toBe("84*******67");
    expect(maskPhone("123")).toBe("***");
  });

  it("keeps only initials and the top-level domain of an e-mail", () => {
    expect(maskEmail("nguyen.van.a@tayninh.gov.vn")).toBe("n***@t***.vn");
    expect(maskEmail("no-at-sign")).toBe("***");
  });
});

describe("validateEmail", () => {
  it("accepts and lower-cases the domain", () => {
    expect(validateEmail(" Nguyen.Van.A@TayNinh.gov.VN ")).toBe("Nguyen.Van.A@tayninh.gov.vn");
    expect(validateEmail("a+tag@mail.example.com")).toBe("a+tag@mail.example.com");
  });

  it.each([
    "plainaddress",
    "a@b",
    "a@@b.vn",
    "a b@c.vn",
    "nguyễn@gmail.com",
    ".a@b.vn",
    "a..b@c.vn",
    "a@-b.vn",
    `${"a".repeat(65)}@b.vn`,
  ])("refuses %s with a masked message", (input) => {
    let caught: unknown;
    try {
      validateEmail(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).message.startsWith("Địa chỉ e-mail không hợp lệ: ")).toBe(true);
    if (input.length > 4) expect((caught as InvalidInputError).message).not.toContain(input);
  });
});
