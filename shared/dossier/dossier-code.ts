import * as z from "zod";

/**
 * The one dossier-code rule. Codes are opaque (docs/law.md, "Dossier codes": TT 01/2018 Art. 19
 * "000.00.12.H42-261120-0001", TT 04/2025 "M12.345.67-260125-AA0001"); only the outline is
 * checked: 4–40 letters and digits in groups joined by "." or "-" — never split when a message is
 * shortened. Events, letters and API paths all check a code with it.
 */
export const DOSSIER_CODE_PATTERN = /^[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*$/;
export const DOSSIER_CODE_LENGTH = { min: 4, max: 40 } as const;

/** Whether `code`, exactly as given (trim first where the input may carry spaces), is a dossier code. */
export function isDossierCode(code: string): boolean {
  return (
    code.length >= DOSSIER_CODE_LENGTH.min &&
    code.length <= DOSSIER_CODE_LENGTH.max &&
    DOSSIER_CODE_PATTERN.test(code)
  );
}

/** A dossier-code field of a schema (API paths, commands): the rule above, worded for developers. */
export const DossierCodeSchema = z.string().refine(isDossierCode, "invalid dossier code");
