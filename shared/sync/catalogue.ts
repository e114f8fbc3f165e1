import * as z from "zod";
import { type Procedure, ProcedureSchema, TimeLimitSchema } from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";

/**
 * The procedure catalogue: what the sync payload leaves out. A dossier in the national payload
 * names its procedure (`MaTTHC`) and its appointment (`NgayHenTra`), never the time limit; the
 * limit per procedure is in the national procedure database (CSDL quốc gia về TTHC, "thời hạn
 * giải quyết"), which a province exports and loads here as data (docs/dvcqg-mapping.md).
 *
 * JSON: an array of procedures in the `received` event's `procedure` shape (`code` = MaTTHC), or
 * `{"version": "...", "procedures": [...]}`. A procedure may add `onlineTimeLimit` when the limit
 * for an online submission differs from the in-person one.
 */

export interface CatalogueProcedure extends Procedure {
  /** The limit for a dossier submitted online, when it differs from `timeLimit`. */
  readonly onlineTimeLimit?: Procedure["timeLimit"];
}

export interface ProcedureCatalogue {
  readonly version: string;
  readonly procedures: ReadonlyMap<string, CatalogueProcedure>;
}

export const EMPTY_CATALOGUE: ProcedureCatalogue = { version: "empty", procedures: new Map() };

const CatalogueProcedureSchema = ProcedureSchema.extend({ onlineTimeLimit: TimeLimitSchema.optional() });
const CatalogueFileSchema = z.union([
  z.array(CatalogueProcedureSchema),
  z.strictObject({ version: z.string().min(1).max(100), procedures: z.array(CatalogueProcedureSchema) }),
]);

/** Parses a catalogue file; throws InvalidInputError naming the entry and the field at fault. */
export function parseCatalogue(json: unknown): ProcedureCatalogue {
  const result = CatalogueFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(catalogue)"}: ${issue.message}`,
    );
    throw new InvalidInputError(`invalid procedure catalogue — ${problems.join("; ")}`, {
      fields: result.error.issues.map((issue) => issue.path.join(".")),
    });
  }
  const list = Array.isArray(result.data) ? result.data : result.data.procedures;
  const version = Array.isArray(result.data) ? "unversioned" : result.data.version;
  const procedures = new Map<string, CatalogueProcedure>();
  list.forEach((procedure, index) => {
    if (procedures.has(procedure.code)) {
      throw new InvalidInputError(
        `invalid procedure catalogue — ${index}.code: "${procedure.code}" appears twice`,
        {
          fields: [`${index}.code`],
        },
      );
    }
    procedures.set(procedure.code, procedure);
  });
  return { version, procedures };
}

/** The catalogue's entry for a procedure code (trimmed; codes are compared exactly otherwise). */
export function lookupProcedure(
  catalogue: ProcedureCatalogue,
  maTTHC: string | undefined,
): CatalogueProcedure | undefined {
  const code = maTTHC?.trim();
  return code ? catalogue.procedures.get(code) : undefined;
}
