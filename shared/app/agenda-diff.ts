import { canonicalJson } from "../canonical-json.ts";
import { InvalidInputError } from "../errors.ts";
import type { AgendaEntry, PlannedAlertRecord } from "./ports.ts";

/** The writes that turn a stored agenda into a new plan, by dedupe key. */
export interface AgendaDiff<A extends PlannedAlertRecord> {
  readonly put: readonly A[];
  readonly remove: readonly string[];
}

/**
 * The writes that turn the stored agenda into the new plan: entries no longer planned are
 * removed, new or changed ones put. An entry already done is never rewritten: its dedupe key is
 * claimed, so it could not be sent again anyway, and rewriting would put it back on the index.
 * @throws InvalidInputError when the plan holds one dedupe key twice.
 */
export function diffAgenda<A extends PlannedAlertRecord>(
  previous: readonly AgendaEntry<A>[],
  next: readonly A[],
): AgendaDiff<A> {
  const before = new Map(previous.map((entry) => [entry.alert.dedupeKey, entry]));
  const wanted = new Map<string, A>();
  for (const alert of next) {
    if (wanted.has(alert.dedupeKey)) {
      throw new InvalidInputError("the alert plan holds the same dedupe key twice", {
        dedupeKey: alert.dedupeKey,
      });
    }
    wanted.set(alert.dedupeKey, alert);
  }
  const remove = [...before.keys()].filter((key) => !wanted.has(key));
  const put = [...wanted.values()].filter((alert) => {
    const old = before.get(alert.dedupeKey);
    if (old === undefined) return true;
    if (old.doneAt !== undefined) return false;
    return canonicalJson(old.alert) !== canonicalJson(alert);
  });
  return { put, remove };
}
