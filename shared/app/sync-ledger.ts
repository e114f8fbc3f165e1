import { createHash } from "node:crypto";
import { canonicalJson } from "../canonical-json.ts";
import type { DossierEventJson } from "../dossier/index.ts";

/**
 * What the sync route has sent per dossier, beside the dossier's own log (docs/integration.md,
 * "Order"). The sync answers a request once its events are queued; the worker stores them a
 * moment later. A sender that goes on at once — TD posts a dossier, then its progress rows, as
 * soon as the dossier's reply says "thành công" — must find what it just sent:
 *
 * - `queued`: the events the sync queued and the worker may not have stored yet, oldest first.
 *   The events queue is FIFO per dossier, so the dossier's log will be its stored events followed
 *   by these; a record is compared with that log, not with the stored one alone.
 * - `snapshots`: digests of the dossier records that brought something, oldest first. A record
 *   identical to one taken before, and since followed by another, is an old snapshot sent late (a
 *   replay, a retry held up in a gateway): it adds nothing and moves nothing back.
 *
 * One entry per dossier; read only when the stored log alone would lead to a write (an unchanged
 * re-send still costs one read), written after the events are queued (an entry never names an
 * event that was not queued).
 */
export interface SyncLedgerEntry {
  readonly dossierCode: string;
  readonly queued: readonly QueuedEvent[];
  readonly snapshots: readonly string[];
  /** The arrival of the request that wrote it (epoch ms): the retention counts from it. */
  readonly updatedAt: number;
}

export interface QueuedEvent {
  /** When it was queued (epoch ms): after QUEUED_HORIZON_MS it is taken as stored or refused. */
  readonly at: number;
  readonly event: DossierEventJson;
}

export interface SyncLedger {
  get(dossierCode: string): Promise<SyncLedgerEntry | undefined>;
  put(entries: readonly SyncLedgerEntry[]): Promise<void>;
}

/**
 * A queued event the worker has not stored within this time was refused (dead-lettered) or is
 * stuck behind a failure the operators see in the queue's age alarm: it no longer counts.
 */
export const QUEUED_HORIZON_MS = 3_600_000;

/** The digests an entry keeps: enough for a replay of every record of a dossier's life. */
export const MAX_SNAPSHOTS = 64;

/** An entry is kept this long after its last write: as long as the raw payloads a replay sends. */
export const SYNC_LEDGER_RETENTION_DAYS = 90;

/** A dossier record's digest: the same record, whatever its key order, gives the same digest. */
export function snapshotDigest(raw: unknown): string {
  return createHash("sha256").update(canonicalJson(raw)).digest("base64url").slice(0, 22);
}

/** A record taken before and followed by another since: an old snapshot sent late. */
export function isOldSnapshot(snapshots: readonly string[], digest: string): boolean {
  const seen = snapshots.lastIndexOf(digest);
  return seen !== -1 && seen < snapshots.length - 1;
}

/** The ledger in memory: tests, and tools that map payloads without a table. */
export class MemorySyncLedger implements SyncLedger {
  readonly entries = new Map<string, SyncLedgerEntry>();

  async get(dossierCode: string): Promise<SyncLedgerEntry | undefined> {
    return this.entries.get(dossierCode);
  }

  async put(entries: readonly SyncLedgerEntry[]): Promise<void> {
    for (const entry of entries) this.entries.set(entry.dossierCode, entry);
  }
}
