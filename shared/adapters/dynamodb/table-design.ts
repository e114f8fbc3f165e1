import type { DossierListing } from "../../app/ports.ts";
import { isoDate, localEpochDay, MS_PER_DAY, parseInstant, VN_OFFSET_MS } from "../../calendar/local-date.ts";
import { InvalidInputError } from "../../errors.ts";

/**
 * dunghan's single DynamoDB table: every key, index name, entity tag and the table description
 * live here, and both the repositories and the CDK stack import them (docs/architecture.md).
 *
 * | entity                 | pk                      | sk                   | indexes            |
 * |------------------------|-------------------------|----------------------|--------------------|
 * | dossier-state          | DOSSIER#<code>          | STATE                | by-agency-status*  |
 * | dossier-listing        | DOSSIER#<code>          | LISTING#<holder>     | by-agency-status*  |
 * | dossier-event          | DOSSIER#<code>          | EVENT#<event id>     |                    |
 * | agenda-entry           | DOSSIER#<code>          | AGENDA#<dedupe key>  | agenda*            |
 * | alert-record           | ALERT#<dedupe key>      | ALERT                | (TTL expiresAt)    |
 * | apology-draft          | APOLOGY#<code>          | DRAFT#<draft id>     | by-agency-status   |
 * | calendar-announcement  | CALENDAR                | ANNOUNCEMENT#<yyyy>  |                    |
 * | report-counter         | REPORT#<agency id>      | DAY#<yyyy-mm-dd>#…   |                    |
 * |                        |                         | MONTH#<yyyy-mm>#…    |                    |
 * |                        |                         | YEAR#<yyyy>#…        |                    |
 * | counters-applied       | COUNTED#<apply id>      | CHUNK#<n>            | (TTL expiresAt)    |
 * | agenda-sweep-cursor    | SWEEP                   | AGENDA-CURSOR        |                    |
 * | agency-directory       | DIRECTORY               | AGENCY#<agency id>   |                    |
 * | rate-window            | RATE#<sha-256 of key>   | WINDOW#<start ms>    | (TTL expiresAt)    |
 * | sync-sender            | SYNC-SENDER             | SENDER#<sender id>   |                    |
 * | sync-ledger            | SYNC-LEDGER#<code>      | LEDGER               | (TTL expiresAt)    |
 * | event-rejection        | REJECTIONS#<agency id>  | AT#<instant>#<code>… | (TTL expiresAt)    |
 * |                        | REJECTED#<code>#<event> | REJECTED             | (TTL expiresAt)    |
 * | sync-discrepancy       | SYNC-DISCREPANCY#<agency id> | FLAG#<code>#<rule>#<digest> |          |
 *   * sparse: only items that carry the index's key attributes are in it.
 *
 * One Query on DOSSIER#<code> loads a dossier whole (state, log and agenda), and one
 * TransactWriteItems saves it. Drafts have their own partition so that load reads nothing it
 * does not return.
 *
 * by-agency-status holds four kinds of partitions that cannot meet (no id or status contains "#"):
 * `AGENCY#<id>#DOSSIER#<status>` (open dossiers, by due instant), `AGENCY#<id>#HANDLER#<staff
 * id>#DOSSIER#<status>` and `AGENCY#<id>#UNIT#<unit id>#DOSSIER#<status>` (the same, held by one
 * handler or one unit), and `AGENCY#<id>#APOLOGY#<status>` (every apology draft, by the
 * appointment it moves: the leader's most urgent letter first).
 *
 * A dossier sits in the agency's partition through its state item, and in its handler's and its
 * unit's through two small listing items beside it (LISTING#HANDLER, LISTING#UNIT: the listing
 * again, nothing else) written in the same transaction as the state: an item has one key per
 * index, and a new index per question would cost a deployment each (CloudFormation creates one
 * GSI per update) and a table rebuilt on every machine running the local stack. Dossiers saved
 * before the listing items existed appear under their handler and unit after their next save, or
 * after `dunghan backfill-listings` (listing-repair.dynamodb.ts, docs/deploy.md). A
 * draft item carries a copy of the draft in `listing`, the attribute the index already projects:
 * an existing GSI's projection cannot be changed in place (CloudFormation refuses it; the index
 * would have to be dropped and built again under another name), and a draft is small. Drafts
 * saved before this index entry existed carry no index keys: they are listed after their next save.
 *
 * NEVER rename an entity tag, a key prefix or an attribute below once data is stored: items
 * already written keep the old spelling (ElectroDB's rule).
 */

export const ENTITY = {
  dossierState: "dossier-state",
  dossierEvent: "dossier-event",
  agendaEntry: "agenda-entry",
  alertRecord: "alert-record",
  dossierListing: "dossier-listing",
  apologyDraft: "apology-draft",
  calendarAnnouncement: "calendar-announcement",
  reportCounter: "report-counter",
  countersApplied: "counters-applied",
  agendaSweepCursor: "agenda-sweep-cursor",
  agencyDirectory: "agency-directory",
  rateWindow: "rate-window",
  syncSender: "sync-sender",
  syncLedger: "sync-ledger",
  eventRejection: "event-rejection",
  syncDiscrepancy: "sync-discrepancy",
} as const;
export type EntityName = (typeof ENTITY)[keyof typeof ENTITY];

/** Attribute names. Key attributes are strings ("S"). */
export const ATTR = {
  pk: "pk",
  sk: "sk",
  entity: "entity",
  /** Epoch seconds; DynamoDB TTL deletes the item some time (up to days) after it passes. */
  expiresAt: "expiresAt",
  agendaPk: "agendaPk",
  agendaSk: "agendaSk",
  byAgencyStatusPk: "byAgencyStatusPk",
  byAgencyStatusSk: "byAgencyStatusSk",
} as const;

export const TTL_ATTRIBUTE = ATTR.expiresAt;

export const INDEX = {
  /** Agenda entries not yet done, by day bucket and shard, sorted by `at` (the sweep). */
  agenda: "agenda",
  /**
   * Listed (open) dossiers by agency and status, sorted by due instant (digests, dashboard); and
   * apology drafts by agency and status, sorted by the appointment they move (`GET /apologies`).
   */
  byAgencyStatus: "by-agency-status",
} as const;

export const SK_PREFIX = {
  event: "EVENT#",
  agenda: "AGENDA#",
  listing: "LISTING#",
  draft: "DRAFT#",
  announcement: "ANNOUNCEMENT#",
  day: "DAY#",
  agency: "AGENCY#",
  sender: "SENDER#",
  rejectedAt: "AT#",
  flag: "FLAG#",
} as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

// ---------------------------------------------------------------------------------------------
// Design: the table name and the agenda's shape
// ---------------------------------------------------------------------------------------------

/*
 * The agenda index: partition `AGENDA#<local day>#<shard>`, sort key = `at` in UTC ISO form.
 *
 * The sweep runs every minute and, for each day bucket from its cursor to today, queries every
 * shard with `agendaSk < now + 1 ms`: a Query reads only items matching its key condition, so it
 * reads exactly the entries due and not yet done (done entries drop their index keys and leave
 * the sparse index). Reads grow with alerts due, not with dossiers open or alerts planned later.
 *
 * Shards — DynamoDB serves at most ~1,000 WCU/s and 3,000 RCU/s per partition (per key value of
 * an index, too, and a throttled GSI throttles the table's writes). The hot moment is a working
 * day's opening: with 100k open dossiers, ~100k alerts can fall due at 07:30. Marking them done
 * is 100k index writes (1 WCU each, items < 1 KB): one partition would need 100 s at 1,000 WCU/s
 * and throttle the workers' saves meanwhile; 16 shards take 16,000 WCU/s, ≈ 6 s. Reading them is
 * ~100 MB = ~12,500 RCU eventually consistent, ≈ 780 RCU per shard, well under 3,000.
 * The saves that plan alerts for the same day spread the same way. A dedupe-key hash picks the
 * shard. Shards may be raised later, never lowered (the sweep remembers the highest count).
 *
 * Buckets — a local day (Asia/Ho_Chi_Minh, so a bucket turns over at midnight, when nothing is
 * due). A bigger bucket costs no extra reads (the sort-key condition skips entries not yet due);
 * it only costs queries: an idle sweep makes 16 Queries (32 in the grace hour after midnight),
 * 0.5 RCU each, ≈ 23k a day whatever the load. After an outage of D days the first sweep queries
 * 16 × (D + 1) partitions (3 days: 64) and the cursor moves on; hour buckets would need 16 × 73.
 * A day still spreads plans for later days over many partitions and keeps each one small.
 *
 * Cursor — the oldest day that may still hold due entries. The sweep moves it past a day only
 * when the day ended more than `agendaGraceMs` ago and every shard of it came back empty. An
 * entry is filed under the day of max(at, savedAt), so an alert planned already late (at in the
 * past) lands in today's bucket, never behind the cursor; the grace covers clock skew and index
 * propagation for saves just before midnight.
 */

export interface TableDesignOptions {
  readonly tableName: string;
  /** Agenda shards per day bucket (default 16). Raise only. */
  readonly agendaShards?: number;
  /** How long after a day ends its bucket is still swept before the cursor may pass it (default 1 h). */
  readonly agendaGraceMs?: number;
  /** Days back the sweep starts from when no cursor is stored yet (default 7). */
  readonly agendaInitialLookbackDays?: number;
}

export interface TableDesign {
  readonly tableName: string;
  readonly agendaShards: number;
  readonly agendaGraceMs: number;
  readonly agendaInitialLookbackDays: number;
}

export const DEFAULT_AGENDA_SHARDS = 16;
/** Shard numbers are written with two digits. */
export const MAX_AGENDA_SHARDS = 100;

export function tableDesign(options: TableDesignOptions): TableDesign {
  const agendaShards = options.agendaShards ?? DEFAULT_AGENDA_SHARDS;
  if (!Number.isInteger(agendaShards) || agendaShards < 1 || agendaShards > MAX_AGENDA_SHARDS) {
    throw new InvalidInputError(`agenda shards must be an integer from 1 to ${MAX_AGENDA_SHARDS}`, {
      agendaShards,
    });
  }
  // DynamoDB table names: 3–255 characters of [a-zA-Z0-9_.-].
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(options.tableName)) {
    throw new InvalidInputError("invalid DynamoDB table name", { tableName: options.tableName });
  }
  return {
    tableName: options.tableName,
    agendaShards,
    agendaGraceMs: options.agendaGraceMs ?? 3_600_000,
    agendaInitialLookbackDays: options.agendaInitialLookbackDays ?? 7,
  };
}

// ---------------------------------------------------------------------------------------------
// Key builders
// ---------------------------------------------------------------------------------------------

/** A key part followed by more key: must be non-empty and must not contain the separator. */
function part(name: string, value: string): string {
  if (value.length === 0 || value.includes("#")) {
    throw new InvalidInputError(`${name} must be non-empty and must not contain "#"`, { [name]: value });
  }
  return value;
}

/** The last part of a key: anything non-empty. */
function tail(name: string, value: string): string {
  if (value.length === 0) throw new InvalidInputError(`${name} must not be empty`);
  return value;
}

export const keys = {
  dossierPartition: (code: string): string => `DOSSIER#${part("dossierCode", code)}`,
  dossierState: (code: string): ItemKey => ({ pk: keys.dossierPartition(code), sk: "STATE" }),
  dossierEvent: (code: string, eventId: string): ItemKey => ({
    pk: keys.dossierPartition(code),
    sk: SK_PREFIX.event + tail("eventId", eventId),
  }),
  agendaEntry: (code: string, dedupeKey: string): ItemKey => ({
    pk: keys.dossierPartition(code),
    sk: SK_PREFIX.agenda + tail("dedupeKey", dedupeKey),
  }),
  /** The listing item that puts the dossier in its handler's or its unit's partition of by-agency-status. */
  dossierListing: (code: string, holder: ListingHolder): ItemKey => ({
    pk: keys.dossierPartition(code),
    sk: SK_PREFIX.listing + holder,
  }),
  alertRecord: (dedupeKey: string): ItemKey => ({ pk: `ALERT#${tail("dedupeKey", dedupeKey)}`, sk: "ALERT" }),
  apologyPartition: (code: string): string => `APOLOGY#${part("dossierCode", code)}`,
  apologyDraft: (code: string, draftId: string): ItemKey => ({
    pk: keys.apologyPartition(code),
    sk: SK_PREFIX.draft + tail("draftId", draftId),
  }),
  calendarPartition: (): string => "CALENDAR",
  calendarAnnouncement: (year: number): ItemKey => ({
    pk: keys.calendarPartition(),
    sk: SK_PREFIX.announcement + yearPart(year),
  }),
  reportPartition: (agencyId: string): string => `REPORT#${part("agencyId", agencyId)}`,
  /** One counter row; `sortKey` is shared/reports' `counterRowSortKey` (DAY#…, MONTH#…, YEAR#…). */
  reportRow: (agencyId: string, sortKey: string): ItemKey => {
    if (!/^(DAY#\d{4}-\d{2}-\d{2}|MONTH#\d{4}-\d{2}|YEAR#\d{4})#/.test(sortKey)) {
      throw new InvalidInputError("report row sort key must be DAY#…, MONTH#… or YEAR#…", { sortKey });
    }
    return { pk: keys.reportPartition(agencyId), sk: sortKey };
  },
  /** The marker that one chunk of one change's counter deltas was added (a retry skips it). */
  countersApplied: (applyId: string, chunk: number): ItemKey => ({
    pk: `COUNTED#${tail("applyId", applyId)}`,
    sk: `CHUNK#${chunk}`,
  }),
  agendaSweepCursor: (): ItemKey => ({ pk: "SWEEP", sk: "AGENDA-CURSOR" }),
  /** Every agency's directory in one partition: the digest lists them all with one Query. */
  directoryPartition: (): string => "DIRECTORY",
  agencyDirectory: (agencyId: string): ItemKey => ({
    pk: keys.directoryPartition(),
    sk: SK_PREFIX.agency + part("agencyId", agencyId),
  }),
  /**
   * One fixed window of one rate limit (the public lookup). `keyHash` is the SHA-256 hex of the
   * limiter's key, so no client address or dossier code is stored in the clear.
   */
  ratePartition: (keyHash: string): string => `RATE#${part("keyHash", keyHash)}`,
  rateWindow: (keyHash: string, windowStart: number): ItemKey => ({
    pk: keys.ratePartition(keyHash),
    sk: `WINDOW#${windowStart}`,
  }),
  /** The systems that push the national sync payload, one partition (a handful of items). */
  syncSenderPartition: (): string => "SYNC-SENDER",
  syncSender: (senderId: string): ItemKey => ({
    pk: keys.syncSenderPartition(),
    sk: SK_PREFIX.sender + part("senderId", senderId),
  }),
  /** What the sync route queued for one dossier and the records it took (shared/app/sync-ledger.ts). */
  syncLedger: (code: string): ItemKey => ({
    pk: `SYNC-LEDGER#${part("dossierCode", code)}`,
    sk: "LEDGER",
  }),
  /**
   * The events the worker refused, per agency, newest last in key order (listed newest first).
   * The event id comes last: it may hold "#".
   */
  rejectionPartition: (agencyId: string): string => `REJECTIONS#${part("agencyId", agencyId)}`,
  rejection: (agencyId: string, atMs: number, code: string, eventId: string): ItemKey => ({
    pk: keys.rejectionPartition(agencyId),
    sk: `${SK_PREFIX.rejectedAt}${sortableInstant(atMs)}#${part("dossierCode", code)}#${tail("eventId", eventId)}`,
  }),
  /**
   * What the national sync noticed, per agency (the agency id last: it may hold "#"), one item per
   * dossier and flag identity (`discrepancyKey`: `<rule>#<digest>`).
   */
  syncDiscrepancyPartition: (agencyId: string): string => `SYNC-DISCREPANCY#${tail("agencyId", agencyId)}`,
  syncDiscrepancy: (agencyId: string, code: string, key: string): ItemKey => ({
    pk: keys.syncDiscrepancyPartition(agencyId),
    sk: `${SK_PREFIX.flag}${part("dossierCode", code)}#${tail("key", key)}`,
  }),
  /** One refused event by its dossier and id: what the sender's status question reads. */
  rejectedEventPartitionPrefix: (): string => "REJECTED#",
  rejectedEvent: (code: string, eventId: string): ItemKey => ({
    pk: `${keys.rejectedEventPartitionPrefix()}${part("dossierCode", code)}#${tail("eventId", eventId)}`,
    sk: "REJECTED",
  }),
} as const;

// ---------------------------------------------------------------------------------------------
// Items: the attributes each entity's item holds
// ---------------------------------------------------------------------------------------------

/*
 * One interface per entity, beside its key builder: what a repository writes and may read back.
 * Payloads (`state`, `event`, `alert`, …) are JSON written by `plain` and typed by the port's
 * type parameter; a repository reads an item through `itemOf` (the entity tag decides its type),
 * not by casting attributes one by one. Adding an attribute: add it here first; renaming one:
 * never (see the note at the top).
 */

/** Type aliases, not interfaces: an item must stay assignable to the SDK's attribute map. */
type ItemBase<Entity extends EntityName> = {
  readonly pk: string;
  readonly sk: string;
  readonly entity: Entity;
};

/**
 * The version of a state snapshot saved before `snapshotVersion` was stored: the first one. The
 * Dossier's shape did not change when the attribute came, so those snapshots are read as they
 * are (after the shape check) rather than all folded again — which would also lose the
 * appointments already promised, kept only in the snapshot.
 */
export const UNVERSIONED_SNAPSHOT = 1;

/** DOSSIER#<code> / STATE: the state snapshot, its version and the listing (by-agency-status). */
export type DossierStateItem<S = unknown> = ItemBase<typeof ENTITY.dossierState> & {
  readonly dossierCode: string;
  /** The save count: the optimistic-concurrency version. */
  readonly version: number;
  readonly savedAt: string;
  readonly state: S;
  /**
   * The shape of `state` (the repository's snapshot policy's version). Absent on snapshots saved
   * before it was stored: those are `UNVERSIONED_SNAPSHOT`. A load folds the log again when it is
   * not the current one.
   */
  readonly snapshotVersion?: number;
  /** Only while the dossier is open (what by-agency-status lists). */
  readonly listing?: DossierListing;
  readonly byAgencyStatusPk?: string;
  readonly byAgencyStatusSk?: string;
};

/** Which holder a listing item files the dossier under. */
export const LISTING_HOLDERS = ["HANDLER", "UNIT"] as const;
export type ListingHolder = (typeof LISTING_HOLDERS)[number];

/**
 * DOSSIER#<code> / LISTING#HANDLER or LISTING#UNIT: the state item's listing again, keyed into
 * the holder's partition of by-agency-status. Present only while the dossier is open and has
 * that holder.
 */
export type DossierListingItem = ItemBase<typeof ENTITY.dossierListing> & {
  readonly dossierCode: string;
  readonly version: number;
  readonly listing: DossierListing;
  readonly byAgencyStatusPk: string;
  readonly byAgencyStatusSk: string;
};

/** DOSSIER#<code> / EVENT#<id>: one event of the log, in its wire form. */
export type DossierEventItem<E = unknown> = ItemBase<typeof ENTITY.dossierEvent> & {
  readonly dossierCode: string;
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  /** Log order: the version that appended the event, then its place in that save. */
  readonly logVersion: number;
  readonly logIndex: number;
  readonly event: E;
};

/** DOSSIER#<code> / AGENDA#<dedupe key>: one planned alert; on the agenda index until done. */
export type AgendaEntryItem<A = unknown> = ItemBase<typeof ENTITY.agendaEntry> & {
  readonly dossierCode: string;
  readonly dedupeKey: string;
  readonly at: string;
  readonly bucket: string;
  /** Removed when the entry is done (the index is sparse). */
  readonly agendaPk?: string;
  readonly agendaSk?: string;
  readonly doneAt?: string;
  readonly alert: A;
};

/** ALERT#<dedupe key> / ALERT: the claim and delivery record of one alert (TTL). */
export type AlertRecordItem<A = unknown> = ItemBase<typeof ENTITY.alertRecord> & {
  readonly dedupeKey: string;
  readonly dossierCode: string;
  readonly agencyId: string;
  readonly rule: string;
  readonly alert: A;
  readonly status: string;
  readonly claimedAt: string;
  readonly deliveries?: readonly unknown[];
  readonly expiresAt: number;
};

/** APOLOGY#<code> / DRAFT#<id>: one apology draft; `listing` is the copy by-agency-status projects. */
export type ApologyDraftItem<D = unknown> = ItemBase<typeof ENTITY.apologyDraft> & {
  readonly dossierCode: string;
  readonly draftId: string;
  readonly status: string;
  readonly version: number;
  readonly draft: D;
  readonly listing: D;
  /** Absent on drafts saved before the index entry existed. */
  readonly byAgencyStatusPk?: string;
  readonly byAgencyStatusSk?: string;
};

/** CALENDAR / ANNOUNCEMENT#<yyyy>: one year's announcement. */
export type CalendarAnnouncementItem<C = unknown> = ItemBase<typeof ENTITY.calendarAnnouncement> & {
  readonly year: number;
  readonly announcement: C;
};

/** REPORT#<agency id> / DAY#…, MONTH#…, YEAR#…: one counter row, plus one number per counter field. */
export type ReportCounterItem = ItemBase<typeof ENTITY.reportCounter> & {
  readonly agencyId: string;
  readonly period: string;
  readonly dimension: string;
  readonly key: string;
  readonly label: string;
  readonly [counter: string]: unknown;
};

/** COUNTED#<apply id> / CHUNK#<n>: one chunk of one change's counter deltas was added (TTL). */
export type CountersAppliedItem = ItemBase<typeof ENTITY.countersApplied> & {
  readonly rows: number;
  readonly expiresAt?: number;
};

/** SWEEP / AGENDA-CURSOR: the oldest day bucket the sweep still reads. */
export type AgendaSweepCursorItem = ItemBase<typeof ENTITY.agendaSweepCursor> & {
  readonly bucket: string;
  readonly shards: number;
};

/** DIRECTORY / AGENCY#<id>: one agency's directory. */
export type AgencyDirectoryItem<G = unknown> = ItemBase<typeof ENTITY.agencyDirectory> & {
  readonly agencyId: string;
  readonly directory: G;
};

/** RATE#<hash> / WINDOW#<start>: attempts counted in one window of one limit (TTL). */
export type RateWindowItem = ItemBase<typeof ENTITY.rateWindow> & {
  readonly count: number;
  readonly expiresAt: number;
};

/** SYNC-SENDER / SENDER#<id>: one sync sender (its secret only as a hash). */
export type SyncSenderItem<G = unknown> = ItemBase<typeof ENTITY.syncSender> & {
  readonly senderId: string;
  readonly sender: G;
};

/** SYNC-LEDGER#<code> / LEDGER: what the sync queued for one dossier, and the records it took (TTL). */
export type SyncLedgerItem<L = unknown> = ItemBase<typeof ENTITY.syncLedger> & {
  readonly ledger: L;
  readonly expiresAt: number;
};

/**
 * REJECTIONS#<agency> / AT#… (the agency's list) and REJECTED#<code>#<event id> / REJECTED (the
 * sender's status): one refused event, the same attributes in both, no personal data (TTL).
 * `agencyId` is absent when the refused event named no dossier the table knows: such a refusal
 * has only its status item.
 */
export type EventRejectionItem<R = unknown> = ItemBase<typeof ENTITY.eventRejection> & {
  readonly rejection: R;
  readonly expiresAt: number;
};

/** SYNC-DISCREPANCY#<agency> / FLAG#<code>#<key>: one sync flag, first sighting kept, no personal data. */
export type SyncDiscrepancyItem<D = unknown> = ItemBase<typeof ENTITY.syncDiscrepancy> & {
  readonly firstSeenAt: string;
  readonly discrepancy: D;
};

export interface EntityItems {
  readonly [ENTITY.dossierState]: DossierStateItem;
  readonly [ENTITY.dossierListing]: DossierListingItem;
  readonly [ENTITY.dossierEvent]: DossierEventItem;
  readonly [ENTITY.agendaEntry]: AgendaEntryItem;
  readonly [ENTITY.alertRecord]: AlertRecordItem;
  readonly [ENTITY.apologyDraft]: ApologyDraftItem;
  readonly [ENTITY.calendarAnnouncement]: CalendarAnnouncementItem;
  readonly [ENTITY.reportCounter]: ReportCounterItem;
  readonly [ENTITY.countersApplied]: CountersAppliedItem;
  readonly [ENTITY.agendaSweepCursor]: AgendaSweepCursorItem;
  readonly [ENTITY.agencyDirectory]: AgencyDirectoryItem;
  readonly [ENTITY.rateWindow]: RateWindowItem;
  readonly [ENTITY.syncSender]: SyncSenderItem;
  readonly [ENTITY.syncLedger]: SyncLedgerItem;
  readonly [ENTITY.eventRejection]: EventRejectionItem;
  readonly [ENTITY.syncDiscrepancy]: SyncDiscrepancyItem;
}

/**
 * A stored item as its entity's interface, or undefined when the item is another entity's (or
 * none). The one place an untyped item read from the table becomes a typed one: the entity tag
 * says which attributes it holds, because every writer here builds it from the interface.
 */
export function itemOf<K extends EntityName>(
  entity: K,
  item: Readonly<Record<string, unknown>> | undefined,
): EntityItems[K] | undefined {
  return item !== undefined && item[ATTR.entity] === entity ? (item as unknown as EntityItems[K]) : undefined;
}

function yearPart(year: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new InvalidInputError("year must be a four-digit integer", { year });
  }
  return String(year);
}

// ---------------------------------------------------------------------------------------------
// Index keys
// ---------------------------------------------------------------------------------------------

/** UTC ISO with milliseconds: fixed width, so string order is time order. */
export function sortableInstant(instantMs: number): string {
  return new Date(instantMs).toISOString();
}

/** Parses an ISO instant (offset or Z) to epoch ms; InvalidInputError otherwise. */
export function instantMs(text: string): number {
  return parseInstant(text);
}

/** The day bucket (local date) an instant falls in. */
export function agendaBucket(instantMs: number): string {
  return isoDate(localEpochDay(instantMs));
}

/** Local epoch day → bucket; the first instant of the next day is `bucketEnd`. */
export function agendaBucketOfDay(epochDay: number): string {
  return isoDate(epochDay);
}

export function agendaBucketEnd(epochDay: number): number {
  return (epochDay + 1) * MS_PER_DAY - VN_OFFSET_MS;
}

/** FNV-1a, 32 bit: cheap and even enough to spread dedupe keys over shards. */
export function agendaShard(dedupeKey: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < dedupeKey.length; i++) {
    hash ^= dedupeKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

export function agendaPartition(bucket: string, shard: number): string {
  return `AGENDA#${bucket}#${String(shard).padStart(2, "0")}`;
}

export interface AgendaIndexKey {
  readonly agendaPk: string;
  readonly agendaSk: string;
  readonly bucket: string;
}

/** Filed under the day of max(at, savedAt): an entry already due goes to today's bucket. */
export function agendaIndexKey(
  design: TableDesign,
  entry: { readonly at: string; readonly dedupeKey: string },
  savedAtMs: number,
): AgendaIndexKey {
  const atMs = instantMs(entry.at);
  const bucket = agendaBucket(Math.max(atMs, savedAtMs));
  return {
    agendaPk: agendaPartition(bucket, agendaShard(entry.dedupeKey, design.agendaShards)),
    agendaSk: sortableInstant(atMs),
    bucket,
  };
}

/** Exclusive upper bound of `agendaSk` for entries due at `nowMs` (at ≤ now). */
export function agendaDueBound(nowMs: number): string {
  return sortableInstant(nowMs + 1);
}

/** Sorts after every instant: listings without a due instant come last. */
const NO_DUE = "~";

export function byAgencyStatusKey(listing: {
  readonly agencyId: string;
  readonly status: string;
  readonly dueAt?: string | undefined;
  readonly dossierCode: string;
}): { byAgencyStatusPk: string; byAgencyStatusSk: string } {
  const due = listing.dueAt === undefined ? NO_DUE : sortableInstant(instantMs(listing.dueAt));
  return {
    byAgencyStatusPk: byAgencyStatusPartition(listing.agencyId, listing.status),
    byAgencyStatusSk: `${due}#${listing.dossierCode}`,
  };
}

export function byAgencyStatusPartition(agencyId: string, status: string): string {
  return `AGENCY#${part("agencyId", agencyId)}#DOSSIER#${part("status", status)}`;
}

/** One handler's (by staff id) or one unit's open dossiers in one status, on by-agency-status. */
export function byHolderPartition(
  agencyId: string,
  holder: ListingHolder,
  id: string,
  status: string,
): string {
  return `AGENCY#${part("agencyId", agencyId)}#${holder}#${part("holderId", id)}#DOSSIER#${part("status", status)}`;
}

/** The holder ids a listing files the dossier under (undefined: no listing item for that holder). */
export function listingHolderId(listing: DossierListing, holder: ListingHolder): string | undefined {
  const value = listing.summary?.[holder === "HANDLER" ? "handlerId" : "unitId"];
  return typeof value === "string" && value !== "" && !value.includes("#") ? value : undefined;
}

/** An agency's apology drafts in one status (draft, approved, sent, withdrawn) on by-agency-status. */
export function apologiesByAgencyPartition(agencyId: string, status: string): string {
  return `AGENCY#${part("agencyId", agencyId)}#APOLOGY#${part("status", status)}`;
}

/**
 * A draft's by-agency-status keys: sorted by the appointment it moves (UTC, so any offset sorts
 * right), then dossier and draft id. Recomputed on every save, so a status change moves the draft
 * to its new partition in the same write.
 */
export function apologyDraftIndexKey(draft: {
  readonly agencyId: string;
  readonly status: string;
  readonly originalAppointment: string;
  readonly dossierCode: string;
  readonly id: string;
}): { byAgencyStatusPk: string; byAgencyStatusSk: string } {
  const appointment = sortableInstant(instantMs(draft.originalAppointment));
  return {
    byAgencyStatusPk: apologiesByAgencyPartition(draft.agencyId, draft.status),
    byAgencyStatusSk: `${appointment}#${part("dossierCode", draft.dossierCode)}#${tail("draftId", draft.id)}`,
  };
}

// ---------------------------------------------------------------------------------------------
// The table description (CDK TableV2 and CreateTable both read it)
// ---------------------------------------------------------------------------------------------

export interface KeyAttribute {
  readonly name: string;
  /** The values of CDK's `AttributeType` and of the API's `ScalarAttributeType`. */
  readonly type: "S" | "N" | "B";
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** The values of CDK's `ProjectionType` and of the API's `ProjectionType`. */
  readonly projectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
  readonly nonKeyAttributes?: readonly string[];
}

/**
 * Shaped like CDK's `TableV2Props` (partitionKey, sortKey, timeToLiveAttribute,
 * globalSecondaryIndexes with projectionType/nonKeyAttributes); the stack converts the string
 * enums (`AttributeType.STRING` is "S", `ProjectionType.INCLUDE` is "INCLUDE").
 */
export interface TableDefinition {
  readonly tableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** On-demand: load follows office hours and a day's opening spike. */
  readonly billingMode: "PAY_PER_REQUEST";
  readonly timeToLiveAttribute: string;
  readonly globalSecondaryIndexes: readonly GlobalIndexDefinition[];
  /** Every key attribute of the table and its indexes (CreateTable's AttributeDefinitions). */
  readonly attributeDefinitions: readonly KeyAttribute[];
}

const S = (name: string): KeyAttribute => ({ name, type: "S" });

export function tableDefinition(design: TableDesign): TableDefinition {
  const globalSecondaryIndexes: GlobalIndexDefinition[] = [
    {
      indexName: INDEX.agenda,
      partitionKey: S(ATTR.agendaPk),
      sortKey: S(ATTR.agendaSk),
      // The sweep needs the whole planned alert; agenda items hold nothing else.
      projectionType: "ALL",
    },
    {
      indexName: INDEX.byAgencyStatus,
      partitionKey: S(ATTR.byAgencyStatusPk),
      sortKey: S(ATTR.byAgencyStatusSk),
      // Not the state snapshot or the log: only what a digest row shows (a draft's `listing` is the draft).
      projectionType: "INCLUDE",
      nonKeyAttributes: [ATTR.entity, "dossierCode", "version", "listing"],
    },
  ];
  return {
    tableName: design.tableName,
    partitionKey: S(ATTR.pk),
    sortKey: S(ATTR.sk),
    billingMode: "PAY_PER_REQUEST",
    timeToLiveAttribute: TTL_ATTRIBUTE,
    globalSecondaryIndexes,
    attributeDefinitions: [
      S(ATTR.pk),
      S(ATTR.sk),
      ...globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
    ],
  };
}
