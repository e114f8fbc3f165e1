/**
 * What free text from outside may hold (docs/security.md). Events come from another
 * system and leaders type reasons; both end up in letters, e-mails, SMS, spreadsheets and the
 * dashboard. No Vietnamese name or reason contains control characters (NUL, CR/LF — header
 * injection in an e-mail subject —, ESC…), lone UTF-16 surrogates (invalid Unicode: UTF-8
 * encoders replace or reject them) or the bidi overrides that make a name display as something
 * else ("Trojan Source", CVE-2021-42574). Accepted text is normalised to NFC by its schema.
 */
const FORBIDDEN_CHARACTER = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
/** In a `u` regex a surrogate pair is one code point, so `\p{Cs}` matches only a lone half. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why the text is refused, or undefined when it is acceptable. */
export function unsafeTextProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return "invalid Unicode (a lone surrogate)";
  if (FORBIDDEN_CHARACTER.test(value)) return "control or bidi-override characters are not allowed";
  return undefined;
}
