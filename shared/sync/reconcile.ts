import type { DossierEvent } from "../dossier/index.ts";

/** The events of a mapped record measured against the dossier's stored events. */
export interface Reconciled {
  /** Events not yet stored, in the mapper's order. */
  readonly fresh: DossierEvent[];
  /** Ids already stored with the same content (a re-send). */
  readonly duplicates: string[];
  /** Ids already stored with other content: the stored fact is kept (first wins). */
  readonly changed: string[];
}

/**
 * Senders re-send the whole dossier on every change: what is already stored is skipped, and a fact
 * sent again with other content keeps its first version (a report must not turn late into on time
 * because a sender rewrote a date afterwards).
 */
export function reconcileEvents(
  stored: readonly DossierEvent[],
  mapped: readonly DossierEvent[],
): Reconciled {
  void stored;
  void mapped;
  throw new Error("not implemented");
}
