import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countSegments, smsEncoding, unaccent } from "../../../shared/letters/notices/index.ts";

describe("unaccent", () => {
  it.each([
    ["đ", "d"],
    ["Đ", "D"],
    ["Ư", "U"],
    ["ơ", "o"],
    ["Nguyễn Thị Ánh", "Nguyen Thi Anh"],
    ["Trần Quốc Việt", "Tran Quoc Viet"],
    ["Đặng Thị Hường", "Dang Thi Huong"],
    ["ỹ ỵ ữ ự ậ ẳ", "y y u u a a"],
    ["Đường “Hùng Vương” – số 1…", 'Duong "Hung Vuong" - so 1...'],
    ["Café élan", "Cafe elan"],
  ])("%s → %s", (input, expected) => {
    expect(unaccent(input)).toBe(expected);
  });

  it("handles decomposed (NFD) input", () => {
    expect(unaccent("Nguyễn Thị Ánh".normalize("NFD"))).toBe("Nguyen Thi Anh");
  });

  it("replaces characters GSM-7 cannot carry", () => {
    expect(unaccent("Hà Nội 河内 😀")).toBe("Ha Noi ?? ?");
  });

  it("always yields pure GSM-7", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(smsEncoding(unaccent(text))).toBe("gsm7");
      }),
    );
  });

  it("yields GSM-7 for every Vietnamese letter", () => {
    const letters =
      "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
    const all = `${letters}${letters.toUpperCase()}`;
    expect(smsEncoding(all)).toBe("ucs2");
    expect(unaccent(all)).toMatch(/^[A-Za-z]+$/);
  });
});

describe("smsEncoding", () => {
  it("is gsm7 for unaccented text with extension characters", () => {
    expect(smsEncoding("Ho so [A] {B} ~ | ^ € \\")).toBe("gsm7");
  });

  it("is gsm7 for accented letters that GSM-7 carries (é, à)", () => {
    expect(smsEncoding("é à")).toBe("gsm7");
  });

  it("is ucs2 as soon as one Vietnamese letter appears", () => {
    expect(smsEncoding("Ho so da co ket qua ở")).toBe("ucs2");
    expect(smsEncoding("đ")).toBe("ucs2");
  });
});

describe("countSegments", () => {
  it("counts an empty text as no segment", () => {
    expect(countSegments("")).toEqual({ encoding: "gsm7", units: 0, segments: 0 });
  });

  it("GSM-7: 160 septets fit one segment, 161 need two", () => {
    expect(countSegments("a".repeat(160))).toEqual({ encoding: "gsm7", units: 160, segments: 1 });
    expect(countSegments("a".repeat(161))).toEqual({ encoding: "gsm7", units: 161, segments: 2 });
  });

  it("GSM-7: 153 septets per concatenated part", () => {
    expect(countSegments("a".repeat(306)).segments).toBe(2);
    expect(countSegments("a".repeat(307)).segments).toBe(3);
  });

  it("GSM-7: extension characters count two septets", () => {
    expect(countSegments("€".repeat(80))).toEqual({ encoding: "gsm7", units: 160, segments: 1 });
    expect(countSegments(`${"a".repeat(159)}[`)).toEqual({ encoding: "gsm7", units: 161, segments: 2 });
  });

  it("GSM-7: an escape sequence is not split across parts", () => {
    // 306 septets would fill exactly two parts, but "€" at septets 153-154 moves whole to part 2.
    const text = `${"a".repeat(152)}€${"a".repeat(152)}`;
    expect(countSegments(text).units).toBe(306);
    expect(countSegments(text).segments).toBe(3);
    expect(countSegments(`${"a".repeat(151)}€${"a".repeat(153)}`).segments).toBe(2);
  });

  it("UCS-2: 70 characters fit one segment, 71 need two", () => {
    expect(countSegments("ơ".repeat(70))).toEqual({ encoding: "ucs2", units: 70, segments: 1 });
    expect(countSegments("ơ".repeat(71))).toEqual({ encoding: "ucs2", units: 71, segments: 2 });
  });

  it("UCS-2: 67 characters per concatenated part", () => {
    expect(countSegments("ơ".repeat(134)).segments).toBe(2);
    expect(countSegments("ơ".repeat(135)).segments).toBe(3);
  });

  it("UCS-2: counts UTF-16 code units (an emoji is two)", () => {
    expect(countSegments(`${"ơ".repeat(68)}😀`)).toEqual({ encoding: "ucs2", units: 70, segments: 1 });
    expect(countSegments(`${"ơ".repeat(69)}😀`)).toEqual({ encoding: "ucs2", units: 71, segments: 2 });
  });

  it("counts decomposed text as sent (so render NFC first)", () => {
    expect(countSegments("ệ".normalize("NFD")).units).toBe(3);
    expect(countSegments("ệ").units).toBe(1);
  });
});
