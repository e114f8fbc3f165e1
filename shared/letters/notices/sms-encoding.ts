/**
 * SMS character sets and segment arithmetic (3GPP TS 23.038 "GSM 03.38", TS 23.040 for
 * concatenation). A GSM-7 segment carries 160 septets, 153 when a concatenation header (UDH)
 * is present; a UCS-2 segment carries 70 UTF-16 code units, 67 when concatenated.
 */

/** GSM 03.38 default alphabet (basic table), one septet each. ESC (0x1B) is left out on purpose. */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/** GSM 03.38 extension table: sent as ESC + char, so each counts two septets. */
const GSM7_EXTENSION = "\f^{}\\[~]|€";

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = "gsm7" | "ucs2";

export const SEGMENT_LIMITS = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const;

export function isGsm7Char(ch: string): boolean {
  return BASIC.has(ch) || EXTENSION.has(ch);
}

/** "gsm7" when every character is in the basic or extension table, else "ucs2". */
export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) {
    if (!isGsm7Char(ch)) return "ucs2";
  }
  return "gsm7";
}

/** Characters outside Vietnamese letters that often appear in our values, mapped to GSM-7. */
const PUNCTUATION_TO_GSM: Readonly<Record<string, string>> = {
  "…": "...",
  "–": "-",
  "—": "-",
  "‑": "-",
  "−": "-",
  "‘": "'",
  "’": "'",
  "‚": "'",
  "“": '"',
  "”": '"',
  "„": '"',
  "«": '"',
  "»": '"',
  "\u00a0": " ",
  "\u2007": " ",
  "\u202f": " ",
  "\t": " ",
  "•": "-",
  "·": "-",
  "№": "No",
  "°": "o",
  Ð: "D", // U+00D0, sometimes typed for Đ
};

/**
 * Removes Vietnamese diacritics and returns pure GSM-7 text: "Nguyễn Thị Ánh" → "Nguyen Thi Anh",
 * đ → d, Đ → D, Ư → U, ơ → o. Accented Latin letters that GSM-7 happens to carry (é, à, Ç…) are
 * unaccented too, so the result reads uniformly. Any character still outside GSM-7 becomes "?".
 */
export function unaccent(text: string): string {
  const stripped = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
  let out = "";
  for (const ch of stripped.normalize("NFC")) {
    const mapped = PUNCTUATION_TO_GSM[ch];
    if (mapped !== undefined) out += mapped;
    else if (isGsm7Char(ch)) out += ch;
    else out += "?";
  }
  return out;
}

export interface SegmentCount {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  readonly units: number;
  /** Number of SMS parts; 0 for an empty text. */
  readonly segments: number;
}

/**
 * Counts the parts a text is sent in. Splitting is simulated rather than divided: an escape
 * sequence (GSM-7) or a surrogate pair (UCS-2) is never split across two parts, as senders do.
 * The text is counted as given; render NFC first (our renderers do).
 */
export function countSegments(text: string): SegmentCount {
  const encoding = smsEncoding(text);
  const sizes: number[] = [];
  for (const ch of text) {
    if (encoding === "gsm7") sizes.push(EXTENSION.has(ch) ? 2 : 1);
    else sizes.push(ch.length); // 2 for astral characters (surrogate pairs)
  }
  const units = sizes.reduce((a, b) => a + b, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= limits.single) return { encoding, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > limits.multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}
