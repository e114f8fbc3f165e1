import {
  type DossierEvent,
  decide,
  dossierEventToJson,
  parseStoredDossierEvent,
  sameEvent,
} from "../dossier/index.ts";

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
