import { ConflictError } from "../errors.ts";

/**
 * The ports the use cases (worker, sweep, notify, digest, apology workflow) depend on. The app
 * layer owns these interfaces; `shared/adapters/dynamodb/` implements them (docs/architecture.md, ports owned
 * by the domain/app layer, adapters implement them).
 *
 * Payload types are structural minimums on purpose: the dossier, alert and letter domains are
 * kept apart, so every port is generic and its constraint only names the fields storage
 * needs. The constraints carry no index signature, so domain *interfaces* satisfy them too.
 * Every instant here is an ISO-8601 string with an explicit offset (the wire form).
 */

// ---------------------------------------------------------------------------------------------
// Shapes storage needs to know about
// ---------------------------------------------------------------------------------------------

/** A dossier event in its wire form (docs/dossier-events.md). */
export interface EventRecord {
  readonly id: string;
  readonly type: string;
  readonly dossierCode: string;
  readonly occurredAt: string;
}
export type StoredEvent = EventRecord & Readonly<Record<string, unknown>>;

/** One alert the alert policy planned for a dossier. */
export interface PlannedAlertRecord {
  /** When to send (ISO instant). */
  readonly at: string;
  /** Unique per alert that may be sent at most once; stable across re-plans of the same alert. */
  readonly dedupeKey: string;
  readonly rule: string;
  readonly recipientRole: string;
  readonly recipientId?: string | undefined;
  readonly channel: string;
  readonly dossierCode: string;
  readonly agencyId: string;
}
export type PlannedAlert = PlannedAlertRecord & Readonly<Record<string, unknown>>;

/** A planned alert as stored on the agenda; `doneAt` is set once the sweep has handled it. */
export interface AgendaEntry<A extends PlannedAlertRecord = PlannedAlert> {
  readonly alert: A;
  readonly doneAt: string | undefined;
}

/**
 * What the leaders' digest and the dashboard list a dossier by. Only open dossiers should carry
 * a listing (a finished one is saved with `listing: undefined` and leaves the index).
 * `summary` is shown as is: no phone numbers or e-mail addresses (NĐ 13/2023/NĐ-CP).
 */
export interface DossierListing {
  readonly agencyId: string;
  readonly status: string;
  /** The instant the work is due; absent while the clock is stopped. */
  readonly dueAt?: string | undefined;
  readonly summary?: Readonly<Record<string, unknown>> | undefined;
}

// ---------------------------------------------------------------------------------------------
// Errors the ports promise
// ---------------------------------------------------------------------------------------------

/**
 * Someone else saved first: the version the caller loaded is no longer the stored one. Nothing
 * of the failed save was kept; load again and re-apply. A ConflictError, so the function layer
 * maps it like any other conflict; `details.reason` is "stale-version".
 */
export class ConcurrencyError extends ConflictError {
  override readonly name: string = "ConcurrencyError";
}

// ---------------------------------------------------------------------------------------------
// Dossiers
// ---------------------------------------------------------------------------------------------

export interface LoadedDossier<E extends EventRecord, S, A extends PlannedAlertRecord> {
  readonly code: string;
  /** The event log in the order it was saved. */
  readonly events: readonly E[];
  /** The derived state snapshot saved with the last event. */
  readonly state: S;
  /** Pass back as `expectedVersion` when saving. */
  readonly version: number;
  readonly agenda: readonly AgendaEntry<A>[];
  readonly listing: DossierListing | undefined;
}

export interface DossierSave<E extends EventRecord, S, A extends PlannedAlertRecord> {
  readonly code: string;
  /** The version `load` returned; undefined for a dossier not stored yet. */
  readonly expectedVersion: number | undefined;
  /** Events to append. An id already in the log is skipped, not an error. */
  readonly newEvents: readonly E[];
  readonly state: S;
  readonly listing: DossierListing | undefined;
  /**
   * The agenda as loaded and the plan now wanted; the repository writes only the difference:
   * removed entries are deleted, new or changed ones put, entries already done are left alone.
   */
  readonly agenda: {
    readonly previous: readonly AgendaEntry<A>[];
    readonly next: readonly A[];
  };
  /** The caller's clock (ISO instant); alerts already due are filed under this instant. */
  readonly savedAt: string;
}

export interface DossierSaveResult {
  readonly version: number;
  /** Event ids of `newEvents` that were already in the log and were not written again. */
  readonly duplicateEventIds: readonly string[];
  readonly agendaPut: number;
  readonly agendaRemoved: number;
}

/**
 * How a dossier repository tells a stored state snapshot it may return from one it must rebuild.
 * The snapshot is a cache of the fold of the event log: stored with `version`, and read back only
 * when the stored version is this one and `accepts` passes; otherwise `refold` rebuilds it from
 * the log the repository read with it (a snapshot of an older shape, or one written by something
 * else). Bump `version` whenever the snapshot's shape changes.
 */
export interface SnapshotPolicy<E extends EventRecord, S> {
  readonly version: number;
  /** A cheap shape check, not a full validation: it runs on every load. */
  accepts(snapshot: unknown): snapshot is S;
  /** The snapshot folded again from the event log, in log order. */
  refold(events: readonly E[]): Promise<S>;
}

export interface DossierRepository<
  E extends EventRecord = StoredEvent,
  S = unknown,
  A extends PlannedAlertRecord = PlannedAlert,
> {
  /** The stored dossier (strongly consistent), or undefined when none is stored under `code`. */
  load(code: string): Promise<LoadedDossier<E, S, A> | undefined>;
  /**
   * Appends the events, replaces the state snapshot and applies the agenda difference in one
   * atomic write, on condition that the stored version is still `expectedVersion`.
   * @throws ConcurrencyError when another save came first: the log and the state are unchanged
   *   (an agenda difference too large for one transaction may be partly applied; `load` shows
   *   it, so load-apply-save again converges).
   * @throws InvalidInputError for events or alerts of another dossier, or a plan holding one
   *   dedupe key twice.
   */
  save(change: DossierSave<E, S, A>): Promise<DossierSaveResult>;
}

// ---------------------------------------------------------------------------------------------
// The agenda the sweep reads
// ---------------------------------------------------------------------------------------------

/** Names one agenda entry as the sweep read it; `at` guards against acting on a re-planned one. */
export interface AgendaEntryRef {
  readonly dossierCode: string;
  readonly dedupeKey: string;
  readonly at: string;
}

export interface DueAgendaEntry<A extends PlannedAlertRecord = PlannedAlert> {
  readonly alert: A;
  readonly ref: AgendaEntryRef;
  /**
   * Set when the entry is back on the agenda because notify held its SMS for the quiet hours
   * (`hold`): the instant it came due again. Its alert record says "held"; the sweep releases it.
   */
  readonly heldUntil?: string | undefined;
}

export interface DueAgenda<A extends PlannedAlertRecord = PlannedAlert> {
  /** Due entries (`at` ≤ now) not yet done, oldest day first; at most `limit`. */
  readonly entries: readonly DueAgendaEntry<A>[];
  /** True when more due entries may remain: call again after handling these. */
  readonly hasMore: boolean;
}

export interface AgendaRepository<A extends PlannedAlertRecord = PlannedAlert> {
  /** Reads only due entries, never the whole agenda; cost grows with alerts due, not dossiers open. */
  due(now: string, limit: number): Promise<DueAgenda<A>>;
  /**
   * Takes handled entries off the due list (sent, or found already claimed). An entry re-planned
   * since (another `at`) or removed is left alone.
   */
  markDone(refs: readonly AgendaEntryRef[], doneAt: string): Promise<void>;
  /** Deletes entries outright (e.g. of a dossier that no longer exists); same guard as markDone. */
  remove(refs: readonly AgendaEntryRef[]): Promise<void>;
  /**
   * Puts an entry the sweep already handled back on the due list at `until` (an SMS that reached
   * notify in the quiet hours waits for the morning). It stays done for the planner, so a re-plan
   * never rewrites or re-sends it; `due` returns it with `heldUntil` once `until` has come, and
   * `markDone` takes it off again. False when the entry is gone or was re-planned (another `at`).
   */
  hold(ref: AgendaEntryRef, until: string, now: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Alert records: at most one send per dedupe key
// ---------------------------------------------------------------------------------------------

/**
 * `held`: an SMS waiting for the end of the quiet hours (detail.notBefore), back on the agenda;
 * `expired`: a notice no longer true or useful when it was due to go (detail.code says why), not sent.
 */
export type DeliveryStatus = "queued" | "held" | "sent" | "delivered" | "failed" | "skipped" | "expired";

export interface DeliveryAttempt {
  readonly status: DeliveryStatus;
  readonly at: string;
  /** Provider message id, error code…; never a phone number or an e-mail address. */
  readonly detail?: Readonly<Record<string, string | number | boolean>> | undefined;
}

export interface AlertClaim<A extends PlannedAlertRecord = PlannedAlert> {
  readonly alert: A;
  readonly claimedAt: string;
  /**
   * The agenda entry the claim comes from. When given, the claim succeeds only if that entry
   * still exists, is not done and still has this `at` (read strongly consistent in the same
   * transaction), so an entry removed a moment ago but still in the eventually consistent
   * index is not sent.
   */
  readonly agendaEntry?: AgendaEntryRef | undefined;
}

export interface AlertRecord<A extends PlannedAlertRecord = PlannedAlert> {
  readonly dedupeKey: string;
  readonly alert: A;
  readonly claimedAt: string;
  readonly status: "claimed" | DeliveryStatus;
  readonly deliveries: readonly DeliveryAttempt[];
  /** Epoch seconds after which the record may be deleted (DynamoDB TTL). */
  readonly expiresAt: number;
}

export interface AlertLog<A extends PlannedAlertRecord = PlannedAlert> {
  /**
   * Records the alert under its dedupe key unless a record exists: true for the one caller that
   * may send it, false for every other (a retried or overlapping sweep) or for a stale entry.
   */
  claim(dedupeKey: string, claim: AlertClaim<A>): Promise<boolean>;
  /** @throws NotFoundError when no alert was claimed under `dedupeKey`. */
  recordDelivery(dedupeKey: string, delivery: DeliveryAttempt): Promise<void>;
  /**
   * Records `delivery` only if the record's status is still `from`: true for the one caller
   * that moved it (e.g. the sweep releasing a held SMS), false for every other.
   */
  transition(dedupeKey: string, from: AlertRecord<A>["status"], delivery: DeliveryAttempt): Promise<boolean>;
  get(dedupeKey: string): Promise<AlertRecord<A> | undefined>;
  /**
   * The records of many dedupe keys at once (a dossier's page lists every alert it was sent:
   * hundreds for a long dossier), by dedupe key; a key without a record is absent from the map.
   */
  getMany(dedupeKeys: readonly string[]): Promise<Map<string, AlertRecord<A>>>;
}

// ---------------------------------------------------------------------------------------------
// Apology drafts, calendar announcements, listings
// ---------------------------------------------------------------------------------------------

/** What storage needs of an apology draft (shared/letters/apology/workflow.ts has the whole type). */
export interface ApologyDraftRecord {
  readonly id: string;
  readonly dossierCode: string;
  readonly status: string;
  /** The agency whose leaders approve it (the receiving one): drafts are listed by agency. */
  readonly agencyId: string;
  /** The appointment the apology moves (ISO instant): the agency listing's order. */
  readonly originalAppointment: string;
}

export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

/** The largest page of `listByAgency` (a draft is 1–2 KB: a page stays far below 1 MB). */
export const MAX_DRAFT_PAGE_SIZE = 100;

export interface ApologyDraftRepository<D extends ApologyDraftRecord = ApologyDraftRecord> {
  get(dossierCode: string, id: string): Promise<Versioned<D> | undefined>;
  /** Every draft of the dossier, in id order. */
  listForDossier(dossierCode: string): Promise<readonly Versioned<D>[]>;
  /**
   * An agency's drafts in one status, the earliest `originalAppointment` first (the letter that
   * must go out soonest), a page at a time. One Query on an index, never a Scan; the index is
   * eventually consistent, so a save made a moment ago may not show yet.
   * @throws InvalidInputError for a limit outside 1–MAX_DRAFT_PAGE_SIZE (default 50) or a cursor
   *   not from this listing.
   */
  listByAgency(
    agencyId: string,
    status: string,
    options?: { readonly limit?: number; readonly cursor?: string },
  ): Promise<Page<Versioned<D>>>;
  /**
   * Stores the draft if the stored version is still `expectedVersion` (undefined: a new draft).
   * @returns the new version.
   * @throws ConcurrencyError when it was changed (or created) meanwhile.
   */
  save(draft: D, expectedVersion: number | undefined): Promise<number>;
}

/** A year's days-off announcement (shared/calendar/announcements.ts has the whole type). */
export interface AnnouncementRecord {
  readonly year: number;
}

export interface CalendarRepository<C extends AnnouncementRecord = AnnouncementRecord> {
  get(year: number): Promise<C | undefined>;
  /** Replaces the year's announcement (an announcement is a whole year, docs/calendar.md). */
  put(announcement: C): Promise<void>;
  /** Every stored announcement, oldest year first. */
  list(): Promise<readonly C[]>;
}

export interface DossierListingRow {
  readonly dossierCode: string;
  readonly version: number;
  readonly listing: DossierListing;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to read the next page. Undefined on the last page. */
  readonly cursor: string | undefined;
}

/**
 * A stored dossier as the listing backfill reads it: its state item's version and the listing
 * saved with the snapshot (none once closed), never its event log.
 */
export interface StoredDossierState {
  readonly dossierCode: string;
  readonly version: number;
  readonly listing: DossierListing | undefined;
}

export interface StoredDossierScanOptions {
  /** Only the dossiers of this agency (by the listing saved, or the snapshot's receiving agency). */
  readonly agencyId?: string | undefined;
  /** State items read per page (before the agency filter): a page may hold fewer. */
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** What `relist` found: listing writes needed (made, or only counted on a dry run), or none. */
export type RelistOutcome =
  | { readonly outcome: "current" }
  | { readonly outcome: "written" | "would-write"; readonly items: number }
  /** Saved again since it was read: that save wrote its listing items. */
  | { readonly outcome: "moved-on" };

/**
 * The listing items of stored dossiers (the small items under the dossier's handler and unit),
 * put right from outside a save: after an upgrade, for dossiers saved before those items existed.
 */
export interface DossierListingRepair {
  /** The stored dossiers' state items, a page at a time, resumable with the cursor. */
  storedDossiers(options: StoredDossierScanOptions): Promise<Page<StoredDossierState>>;
  /**
   * Makes the dossier's listing items what its last save would have written beside the state
   * item (from the same listing, at the same version): only the items that differ, in one
   * transaction conditional on the version being unchanged; the state item and the event log are
   * not written. With `dryRun`, counts and writes nothing.
   */
  relist(dossier: StoredDossierState, options: { readonly dryRun: boolean }): Promise<RelistOutcome>;
}

/** Whose open dossiers to list: the handler holding them, or the unit holding them. */
export type DossierHolder = { readonly handlerId: string } | { readonly unitId: string };

export interface DossierListOptions {
  /** Only those held by this handler or unit (`summary.handlerId`, `summary.unitId`). */
  readonly holder?: DossierHolder;
  /** Only those due at or after this instant. */
  readonly dueFrom?: string;
  /** Only those due strictly before this instant: overdue ones, with `dueBefore = now`. */
  readonly dueBefore?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface DossierQuery {
  /**
   * Dossiers of an agency in one status, soonest due first (those without a due instant last),
   * each answered by one index Query (no scan, no filter): all of them, or one holder's.
   */
  byAgencyStatus(
    agencyId: string,
    status: string,
    options?: DossierListOptions,
  ): Promise<Page<DossierListingRow>>;
}
