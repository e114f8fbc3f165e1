import { InvalidInputError } from "../../errors.ts";

/**
 * Dossier codes are opaque (docs/law.md): TT 01/2018 Art. 19 "000.00.12.H42-261120-0001",
 * TT 04/2025 "M12.345.67-260125-AA0001". Letters only check the shape they print: letters and
 * digits in groups joined by "." or "-", never split when a message is shortened.
 */
const DOSSIER_CODE_RE = /^[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*$/;

export function assertDossierCode(code: string): string {
  const trimmed = code.trim();
  if (trimmed.length < 4 || trimmed.length > 40 || !DOSSIER_CODE_RE.test(trimmed)) {
    throw new InvalidInputError("Mã hồ sơ không hợp lệ", { field: "dossierCode", length: trimmed.length });
  }
  return trimmed;
}

export function isDossierCode(code: string): boolean {
  const trimmed = code.trim();
  return trimmed.length >= 4 && trimmed.length <= 40 && DOSSIER_CODE_RE.test(trimmed);
}
