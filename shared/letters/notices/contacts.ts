import { InvalidInputError } from "../../errors.ts";

/**
 * Contacts are personal data (Nghị định 13/2023/NĐ-CP): error messages and details carry a masked
 * form only, so they can be logged. Never put the raw input into an error.
 */

/** "0912345667" → "09******67"; short inputs are masked entirely. */
export function maskPhone(input: string): string {
  const digits = input.replace(/\D/g, "");
  if (digits.length < 6) return "*".repeat(digits.length || 1);
  return `${digits.slice(0, 2)}${"*".repeat(digits.length - 4)}${digits.slice(-2)}`;
}

/** "nguyen.van.a@example.gov.vn" → "n***@e***.vn" */
export function maskEmail(input: string): string {
  const text = input.trim();
  const at = text.lastIndexOf("@");
  if (at <= 0) return "***";
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  const tld = dot >= 0 ? domain.slice(dot) : "";
  return `${text[0]}***@${domain[0] ?? ""}***${tld}`;
}

/** Vietnamese mobile numbers: +84 then 9 digits, the first 3, 5, 7, 8 or 9 (docs/law.md). */
const MOBILE_NATIONAL = /^[35789]\d{8}$/;

/**
 * Normalises a Vietnamese mobile number to E.164 "+84xxxxxxxxx". Accepts 0xxxxxxxxx,
 * 84xxxxxxxxx and +84xxxxxxxxx with spaces, dots, dashes or brackets. Landlines and other
 * countries are refused: SMS needs a mobile.
 */
export function normalizeVietnamesePhone(input: string): string {
  const compact = input.trim().replace(/[\s.\-()]/g, "");
  let national: string | undefined;
  if (/^\+84\d+$/.test(compact)) national = compact.slice(3);
  else if (/^84\d{9}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  if (national === undefined || !MOBILE_NATIONAL.test(national)) {
    const masked = maskPhone(input);
    throw new InvalidInputError(`Số điện thoại di động không hợp lệ: ${masked}`, {
      reason: "INVALID_PHONE",
      masked,
    });
  }
  return `+84${national}`;
}

// Pragmatic shape check (not full RFC 5321): ASCII local part, dotted domain with a 2+ letter TLD.
const EMAIL_RE =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Returns the address trimmed with its domain lower-cased, or throws InvalidInputError (masked). */
export function validateEmail(input: string): string {
  const text = input.trim();
  const at = text.lastIndexOf("@");
  // RFC 5321 §4.5.3.1: 64 octets for the local part, 254 for the whole path.
  if (text.length > 254 || at > 64 || !EMAIL_RE.test(text)) {
    const masked = maskEmail(text);
    throw new InvalidInputError(`Địa chỉ e-mail không hợp lệ: ${masked}`, {
      reason: "INVALID_EMAIL",
      masked,
    });
  }
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}
