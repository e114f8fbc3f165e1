import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LETTER_FONT_MODULE, letterFontModuleSource } from "../../../local/fonts/letter-font.ts";
import { buildApologyLetter } from "../../../shared/letters/apology/index.ts";
import { LETTER_FONT_FAMILY, renderApologyLetterHtml } from "../../../shared/letters/render/index.ts";
import { anApologyLetterInput } from "./builders.ts";

const html = renderApologyLetterHtml(buildApologyLetter(anApologyLetterInput()));

/** The code points a `unicode-range` list covers. */
function covers(ranges: string, codePoint: number): boolean {
  return ranges.split(",").some((range) => {
    const [from, to = from] = range.trim().replace(/^U\+/i, "").split("-");
    return codePoint >= Number.parseInt(from!, 16) && codePoint <= Number.parseInt(to!, 16);
  });
}

/** Every letter of Vietnamese, both cases, every tone, precomposed (the letters are NFC). */
function vietnameseLetters(): string[] {
  const bases = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
  const tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
  const vowels = bases.flatMap((base) => tones.map((tone) => `${base}${tone}`.normalize("NFC")));
  const letters = [..."bcdđghklmnpqrstvx", ...vowels];
  return [...letters, ...letters.map((letter) => letter.toUpperCase())];
}

describe("the letter's font", () => {
  it("is the module generated from the installed @fontsource/tinos (regenerate: npx tsx local/fonts/letter-font.ts)", () => {
    expect(readFileSync(LETTER_FONT_MODULE, "utf8")).toBe(letterFontModuleSource());
  });

  it("ships regular, italic, bold and bold italic inside the letter, as data URLs", () => {
    const faces = [...html.matchAll(/@font-face \{([^}]*)\}/g)].map((match) => match[1]!);
    const styles = new Set(
      faces.map((face) => `${/font-weight: (\d+)/.exec(face)?.[1]} ${/font-style: (\w+)/.exec(face)?.[1]}`),
    );
    expect([...styles].sort()).toEqual(["400 italic", "400 normal", "700 italic", "700 normal"]);
    for (const face of faces) {
      expect(face).toContain(`font-family: ${LETTER_FONT_FAMILY};`);
      expect(face).toMatch(/src: url\(data:font\/woff;base64,[A-Za-z0-9+/=]+\) format\('woff'\);/);
    }
    // Nothing to fetch: the letter opens the same from S3, the API, a download or the preview frame.
    expect(html).not.toMatch(/url\((?!data:)/);
  });

  it("covers every Vietnamese letter, with every tone, in each of the four faces", () => {
    const faces = [...html.matchAll(/@font-face \{([^}]*)\}/g)].map((match) => match[1]!);
    for (const [weight, style] of [
      ["400", "normal"],
      ["400", "italic"],
      ["700", "normal"],
      ["700", "italic"],
    ]) {
      const ranges = faces
        .filter((face) => face.includes(`font-weight: ${weight};`) && face.includes(`font-style: ${style};`))
        .map((face) => /unicode-range: ([^;]+);/.exec(face)![1]!)
        .join(",");
      const missing = [...vietnameseLetters(), ..."0123456789.,:;-–…()/“”", "₫"].filter(
        (char) => !covers(ranges, char.codePointAt(0)!),
      );
      expect(missing, `${weight} ${style}`).toEqual([]);
    }
  });

  it("sets the body in Tinos first, Times-like faces after", () => {
    expect(html).toContain(
      'body { margin: 0; font-family: Tinos, "Times New Roman", Times, "Liberation Serif", serif;',
    );
  });

  it("adds about 110 kB to a letter", () => {
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeGreaterThan(100_000);
    expect(bytes).toBeLessThan(130_000);
  });
});
