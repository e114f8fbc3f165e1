/**
 * Fields: the input rules the apology and the notices both check their data with (zod schemas of
 * texts, instants, dossier codes and the apology's reason; errors name the fields at fault, never the values).
 */

export { assertDossierCode, isDossierCode } from "./dossier-code.ts";
export type { DeepReadonly, Parsed } from "./schema-type.ts";
export {
  APOLOGY_REASON_MAX_EM,
  APOLOGY_REASON_MAX_WORD_EM,
  apologyReason,
  dossierCode,
  isoInstant,
  nonEmptyText,
  parseOrThrow,
  typedApologyReason,
} from "./validation.ts";
