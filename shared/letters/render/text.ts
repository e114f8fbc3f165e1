import { nfc } from "./vietnamese-format.ts";

/** A value on one line: trimmed, every run of white space one space, NFC. */
export function oneLine(text: string): string {
  return nfc(text.trim().replace(/\s+/g, " "));
}

/** A value set inside a sentence: one line, without the stop or comma it may end with (the wording has its own). */
export function phrase(text: string): string {
  return oneLine(text).replace(/[.;,\s]+$/u, "");
}
