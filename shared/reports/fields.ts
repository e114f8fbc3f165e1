/**
 * Lĩnh vực (field): the group of procedures a report by field and Biểu số 06 count on one line. A
 * procedure belongs to one field; its field comes from the procedure catalogue (or the `received`
 * event's `procedure.field`), so no counter is kept per field (docs/reports.md, "By field").
 */

/** A lĩnh vực as the catalogue names it (MaLinhVuc / TenLinhVuc); `code` may be the name when only a name is known. */
export interface ProcedureField {
  readonly code: string;
  readonly name: string;
}

/** The field of a procedure code, or undefined when neither the catalogue nor the dossier names one. */
export type FieldLookup = (procedureCode: string) => ProcedureField | undefined;

/** Where the procedures no source names a field for are counted (an admin completes the catalogue). */
export const UNKNOWN_FIELD: ProcedureField = { code: "-", name: "(Chưa xác định lĩnh vực)" };

/**
 * A field lookup over several sources, the first that knows the procedure winning (the catalogue
 * first, then what the dossiers' `received` events said).
 */
export function firstField(...lookups: readonly FieldLookup[]): FieldLookup {
  return (code) => {
    for (const lookup of lookups) {
      const field = lookup(code);
      if (field !== undefined) return field;
    }
    return undefined;
  };
}

/** A lookup from a procedure code → field map (e.g. built from `received` events' `procedure.field`). */
export function fieldMap(entries: Iterable<readonly [string, ProcedureField]>): FieldLookup {
  const map = new Map(entries);
  return (code) => map.get(code);
}
