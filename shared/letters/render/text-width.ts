/**
 * How wide a line of text prints, in em, from the advance widths of Times (the letter's face:
 * Adobe's Times-Roman metrics, 1/1000 em). Vietnamese diacritics sit above or below their base
 * letter and add no width, so a letter is measured by its base (NFD without combining marks).
 * Used to refuse a text that would push the A5 letter onto a second page (docs/security.md):
 * "MMMM…" and CAPITALS are twice as wide as the same count of lower-case letters, so a limit in
 * characters alone would let them through.
 */
const LOWER: Record<string, number> = {
  a: 444,
  b: 500,
  c: 444,
  d: 500,
  e: 444,
  f: 333,
  g: 500,
  h: 500,
  i: 278,
  j: 278,
  k: 500,
  l: 278,
  m: 778,
  n: 500,
  o: 500,
  p: 500,
  q: 500,
  r: 333,
  s: 389,
  t: 278,
  u: 500,
  v: 500,
  w: 722,
  x: 500,
  y: 500,
  z: 444,
};
const UPPER: Record<string, number> = {
  A: 722,
  B: 667,
  C: 667,
  D: 722,
  E: 611,
  F: 556,
  G: 722,
  H: 722,
  I: 333,
  J: 389,
  K: 722,
  L: 611,
  M: 889,
  N: 722,
  O: 722,
  P: 556,
  Q: 722,
  R: 667,
  S: 556,
  T: 611,
  U: 722,
  V: 722,
  W: 944,
  X: 722,
  Y: 722,
  Z: 611,
};
const OTHER: Record<string, number> = {
  " ": 250,
  ",": 250,
  ".": 250,
  ";": 278,
  ":": 278,
  "-": 333,
  "/": 278,
  "(": 333,
  ")": 333,
  "'": 180,
  '"': 408,
  đ: 500,
  Đ: 722,
};
/** Anything else (digits, other letters, symbols): as wide as an "n"; wider symbols are rare. */
const DEFAULT_WIDTH = 500;
/** The widest glyph, for characters outside Latin (CJK, emoji): counted at their worst. */
const WIDE = 1000;

export function textWidthEm(text: string): number {
  let width = 0;
  for (const ch of text.normalize("NFD")) {
    if (/\p{M}/u.test(ch)) continue;
    const w = LOWER[ch] ?? UPPER[ch] ?? OTHER[ch];
    width += w ?? ((ch.codePointAt(0) ?? 0) > 0x24f ? WIDE : DEFAULT_WIDTH);
  }
  return width / 1000;
}
