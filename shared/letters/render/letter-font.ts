/**
 * The apology letter's typeface, Tinos (metric-compatible with Times New Roman, complete for
 * Vietnamese, SIL Open Font License 1.1): which font files the letter carries and the `@font-face`
 * rules that inline them as data URLs (docs/letter-font.md). The files themselves are binary assets
 * beside this module (`fonts/`, copied from `@fontsource/tinos` by local/fonts/letter-font.ts), read
 * by whoever provides `LetterFonts`: this room does no I/O.
 */

/** The apology letter's typeface: covers Vietnamese in full, metric-compatible with Times New Roman. */
export const LETTER_FONT_FAMILY = "Tinos";

/** One WOFF file of the letter's font: a face (weight, style) of one subset. */
export interface LetterFontFile {
  /** The file's name, in the package's `files/` and in the vendored `fonts/` alike. */
  readonly file: string;
  readonly weight: 400 | 700;
  readonly style: "normal" | "italic";
  /** The package's own `unicode-range` of the subset. */
  readonly range: string;
}

/** The subsets that together cover Vietnamese (the unicode ranges are the package's own). */
const SUBSETS = [
  {
    name: "latin",
    range:
      "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
  },
  {
    name: "vietnamese",
    range:
      "U+0102-0103,U+0110-0111,U+0128-0129,U+0168-0169,U+01A0-01A1,U+01AF-01B0,U+0300-0301,U+0303-0304,U+0308-0309,U+0323,U+0329,U+1EA0-1EF9,U+20AB",
  },
] as const;

/** The four faces the letter uses. */
const FACES = [
  { weight: 400, style: "normal" },
  { weight: 400, style: "italic" },
  { weight: 700, style: "normal" },
  { weight: 700, style: "italic" },
] as const;

/**
 * The eight files, in the order of the letter's `@font-face` rules. WOFF, not WOFF2: in this
 * package the WOFF files of these subsets are the smaller ones.
 */
export const LETTER_FONT_FILES: readonly LetterFontFile[] = FACES.flatMap(({ weight, style }) =>
  SUBSETS.map(({ name, range }) => ({ file: `tinos-${name}-${weight}-${style}.woff`, weight, style, range })),
);

/** The licence that travels with the files (the package's `LICENSE`). */
export const LETTER_FONT_LICENCE_FILE = "OFL.txt";

/**
 * The letter's `@font-face` rules, one per file, each file inlined as a base64 data URL, so the
 * letter carries its font wherever it is opened. `base64Of` gives a file's bytes in base64.
 */
export function letterFontFaces(base64Of: (file: string) => string): string {
  return LETTER_FONT_FILES.map(
    ({ file, weight, style, range }) =>
      `@font-face { font-family: ${LETTER_FONT_FAMILY}; font-style: ${style}; font-weight: ${weight}; font-display: block; src: url(data:font/woff;base64,${base64Of(file)}) format('woff'); unicode-range: ${range}; }`,
  ).join("\n");
}

/**
 * Where the letter's `@font-face` rules come from: the font files, read once and kept. A port
 * because reading them is I/O (a folder next to the source, or next to a Lambda bundle); the
 * rules are the same bytes wherever they are read.
 */
export interface LetterFonts {
  /** The `@font-face` rules of `letterFontFaces` over the eight files. */
  faces(): string;
}
