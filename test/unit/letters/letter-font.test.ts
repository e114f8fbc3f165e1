import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fontPackage, vendoredFontFiles } from "../../../local/fonts/letter-font.ts";
import {
  LETTER_FONTS_ASSET_DIR,
  LETTER_FONTS_SOURCE_DIR,
  LetterFontFiles,
  letterFontDirs,
  letterFontFiles,
} from "../../../shared/adapters/fonts/letter-font-files.ts";
import { buildApologyLetter } from "../../../shared/letters/apology/index.ts";
import {
  LETTER_FONT_FAMILY,
  LETTER_FONT_FILES,
  renderApologyLetterHtml,
} from "../../../shared/letters/render/index.ts";
import { anApologyLetterInput } from "./builders.ts";

const html = renderApologyLetterHtml(buildApologyLetter(anApologyLetterInput()), letterFontFiles);

const scratch = mkdtempSync(join(tmpdir(), "dunghan-letter-font-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
  it("is the files of the installed @fontsource/tinos, licence included (copy them again: npx tsx local/fonts/letter-font.ts)", () => {
    expect(fontPackage()).toMatchObject({ version: "5.3.0", license: "OFL-1.1" });
    const vendored = vendoredFontFiles();
    expect(readdirSync(LETTER_FONTS_SOURCE_DIR).sort()).toEqual(vendored.map(({ name }) => name).sort());
    for (const { name, from } of vendored) {
      expect(readFileSync(join(LETTER_FONTS_SOURCE_DIR, name)).equals(readFileSync(from)), name).toBe(true);
    }
  });

  it("is inlined byte for byte as the letter carried it when the rules were a generated module", () => {
    // sha256 of the eight @font-face rules as they were shipped inside the bundles (113 607 characters).
    const faces = letterFontFiles.faces();
    expect(faces).toHaveLength(113_607);
    expect(createHash("sha256").update(faces).digest("hex")).toBe(
      "2db153c7cc505812ecbf87bd2eb26de0b08ce7c3930863aba3e5330aec809c10",
    );
    expect(html).toContain(`<style>\n${faces}\n@page { size: A5 portrait;`);
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

describe("the letter's font files, read at run time (LetterFontFiles)", () => {
  it("looks next to the running module first (a Lambda bundle's letter-fonts/), then in the source tree", () => {
    expect(letterFontDirs("file:///var/task/index.mjs")).toEqual([
      `/var/task/${LETTER_FONTS_ASSET_DIR}`,
      LETTER_FONTS_SOURCE_DIR,
    ]);
  });

  it("takes the first folder that holds all eight files", () => {
    const partial = join(scratch, "partial");
    cpSync(
      join(LETTER_FONTS_SOURCE_DIR, LETTER_FONT_FILES[0]!.file),
      join(partial, LETTER_FONT_FILES[0]!.file),
    );
    const copy = join(scratch, "copy");
    cpSync(LETTER_FONTS_SOURCE_DIR, copy, { recursive: true });
    const fonts = new LetterFontFiles([join(scratch, "missing"), partial, copy]);
    expect(fonts.dir()).toBe(copy);
    expect(fonts.faces()).toBe(letterFontFiles.faces());
  });

  it("reads nothing until a letter is rendered, then once per process", () => {
    const dir = join(scratch, "once");
    const fonts = new LetterFontFiles([dir]);
    // Made before the folder exists: construction reads nothing.
    cpSync(LETTER_FONTS_SOURCE_DIR, dir, { recursive: true });
    const faces = fonts.faces();
    rmSync(dir, { recursive: true });
    expect(fonts.faces()).toBe(faces);
  });

  it("says where it looked when no folder has the files", () => {
    const fonts = new LetterFontFiles([join(scratch, "nowhere"), join(scratch, "neither")]);
    expect(() => fonts.faces()).toThrow(
      `the letter's font files (8 WOFF) are in none of: ${join(scratch, "nowhere")}, ${join(scratch, "neither")}`,
    );
  });
});
