import { isDossierCode as isDossierCodeExactly } from "../../dossier/dossier-code.ts";
import { InvalidInputError } from "../../errors.ts";

/** The dossier-code rule (shared/dossier/dossier-code.ts) on a code typed with spaces around it. */
export function assertDossierCode(code: string): string {
  const trimmed = code.trim();
  if (!isDossierCodeExactly(trimmed)) {
    throw new InvalidInputError("Mã hồ sơ không hợp lệ", { field: "dossierCode", length: trimmed.length });
  }
  return trimmed;
}

export function isDossierCode(code: string): boolean {
  return isDossierCodeExactly(code.trim());
}
