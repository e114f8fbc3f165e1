import type { WorkingTime } from "../calendar/index.ts";
import {
  type Dossier,
  type DossierEvent,
  type DossierState,
  decide,
  describeDossier,
  dossierEventToJson,
  foldDossier,
  parseStoredDossierEvent,
  sameEvent,
} from "../dossier/index.ts";
import type { SyncFlag } from "./flags.ts";

/** The events of a mapped record measured against the dossier's stored events. */
export interface Reconciled {
  /** Events not yet stored, in the mapper's order; each admitted by `decide` after those before it. */
  readonly fresh: DossierEvent[];
  /** Ids already stored with the same content (a re-send). */
  readonly duplicates: string[];
  /** Ids already stored with other content: the stored fact is kept (first wins). */
  readonly changed: string[];
}

/**
 * Senders re-send the whole dossier on every change: what is already stored is skipped, and a fact
 * sent again with other content keeps its first version (a report must not turn late into on time
 * because a sender rewrote a date afterwards; the mapper flags the rewrites that matter). A new
 * fact the dossier cannot take (a result after a closure) throws the `decide` error, which the
 * caller turns into a refusal of the record.
 */
export function reconcileEvents(
  stored: readonly DossierEvent[],
  mapped: readonly DossierEvent[],
): Reconciled {
  const byId = new Map(stored.map((event) => [event.id, event]));
  const known = [...stored];
  const fresh: DossierEvent[] = [];
  const duplicates: string[] = [];
  const changed: string[] = [];
  for (const event of mapped) {
    const existing = byId.get(event.id);
    if (existing !== undefined) {
      // Compared in the stored form, as the worker compares a replay (shared/app/apply-events.ts).
      const asStored = parseStoredDossierEvent(dossierEventToJson(event));
      (sameEvent(existing, asStored) ? duplicates : changed).push(event.id);
      continue;
    }
    decide(known, event);
    known.push(event);
    byId.set(event.id, event);
    fresh.push(event);
  }
  return { fresh, duplicates, changed };
}

/**
 * A flag per fact a sender changed after it was stored (the first version is kept), except a
 * finish: the mapper flags that one itself, with both instants (`finish-rewritten`).
 */
export function changedFactFlags(
  dossier: { readonly dossierCode: string; readonly agencyId: string; readonly flags: readonly SyncFlag[] },
  changed: readonly string[],
): SyncFlag[] {
  const procedureCode = dossier.flags.find((flag) => flag.procedureCode !== undefined)?.procedureCode;
  return changed
    .map((id) => id.slice(id.indexOf("/dvcqg/") + "/dvcqg/".length))
    .filter((fact) => fact !== "result-ready")
    .map((fact) => ({
      rule: "changed-after-sync" as const,
      dossierCode: dossier.dossierCode,
      agencyId: dossier.agencyId,
      ...(procedureCode === undefined ? {} : { procedureCode }),
      details: { fact },
    }));
}

/**
 * The dossier the stored events make at `at`, as the mapper reads it; undefined before its
 * reception. `snapshot`: the dossier the worker folded from exactly these events and stored with
 * them (read in the same query): described as it is, without folding the log again.
 */
export function storedDossier(
  stored: readonly DossierEvent[],
  workingTime: WorkingTime,
  at: number,
  snapshot?: Dossier | null,
): DossierState | undefined {
  if (snapshot !== undefined && snapshot !== null) return describeDossier(snapshot, at, workingTime);
  return stored.some((event) => event.type === "received")
    ? describeDossier(foldDossier(stored, workingTime), at, workingTime)
    : undefined;
}

/**
 * A mapped record against the stored events: what is new, and its flags with one per fact the
 * sender changed after it was stored. Throws (a DomainError) what `decide` refuses.
 */
export function freshEvents(
  stored: readonly DossierEvent[],
  mapped: {
    readonly dossierCode: string;
    readonly agencyId: string;
    readonly events: readonly DossierEvent[];
    readonly flags: readonly SyncFlag[];
  },
): { readonly fresh: DossierEvent[]; readonly flags: SyncFlag[] } {
  const reconciled = reconcileEvents(stored, mapped.events);
  return {
    fresh: reconciled.fresh,
    flags: [...mapped.flags, ...changedFactFlags(mapped, reconciled.changed)],
  };
}
