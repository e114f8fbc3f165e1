import { type DossierEventJson, foldDossier, parseDossierEvent } from "../dossier/index.ts";
import type { DossierSnapshot } from "./dossier-records.ts";
import type { SnapshotPolicy } from "./ports.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

/**
 * The shape of the stored `Dossier` snapshot (shared/dossier/dossier.ts). Bump it with every
 * change to that shape — a field added, renamed, removed or retyped — so that snapshots saved by
 * the previous code are folded again from the log instead of being read as the new shape.
 *
 * 1: the shape when versions began; snapshots saved before carry no version and are read as 1
 *    (table-design.ts, UNVERSIONED_SNAPSHOT).
 */
export const DOSSIER_SNAPSHOT_VERSION = 1;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A cheap check that a stored value is a `Dossier` snapshot (or `null`: events before the
 * reception): the fields every reader dereferences, not a full validation — it runs on every load.
 */
export function isDossierSnapshot(value: unknown): value is DossierSnapshot {
  if (value === null) return true;
  if (!isObject(value)) return false;
  const { received, current, appointments, steps, stops } = value;
  return (
    typeof value.code === "string" &&
    typeof value.lastEventAt === "number" &&
    isObject(received) &&
    received.type === "received" &&
    isObject(current) &&
    isObject(current.agency) &&
    Array.isArray(appointments) &&
    appointments.length > 0 &&
    Array.isArray(steps) &&
    Array.isArray(stops)
  );
}

/**
 * The app's snapshot policy: a snapshot of another version, or one that fails the shape check,
 * is folded again from the event log on the calendar now stored. The appointments already
 * promised are not known then (they live in the snapshot being replaced), so they are computed
 * again like a first fold — the same as a re-evaluation without `keepPromisedAppointment`: a
 * dossier whose calendar changed after its receipt may get a different appointment. Bumping the
 * version therefore re-folds every stored dossier on its next load; prefer shape changes that old
 * snapshots can be read as (new optional fields) and bump only when they cannot.
 */
export function dossierSnapshotPolicy(
  workingTime: Pick<WorkingTimeProvider, "current">,
): SnapshotPolicy<DossierEventJson, DossierSnapshot> {
  return {
    version: DOSSIER_SNAPSHOT_VERSION,
    accepts: isDossierSnapshot,
    async refold(log) {
      const events = log.map((json) => parseDossierEvent(json));
      // Events may arrive before their dossier's reception: until it comes there is no dossier.
      if (!events.some((event) => event.type === "received")) return null;
      const { workingTime: calendar } = await workingTime.current();
      return foldDossier(events, calendar);
    },
  };
}
