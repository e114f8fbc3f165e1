import {
  type DossierEvent,
  dossierEventToJson,
  isDossierCode,
  parseStoredDossierEvent,
} from "../dossier/index.ts";
import { DomainError } from "../errors.ts";
import type { ProcedureCatalogue } from "../sync/catalogue.ts";
import { type AgencyOfDossier, mapSyncRecord } from "../sync/dvcqg/map.ts";
import { parseSyncRequest, type SyncRoute } from "../sync/dvcqg/payload.ts";
import type { SyncFlag } from "../sync/flags.ts";
import { freshEvents, storedDossier } from "../sync/reconcile.ts";
import type { AppDossierRepository, DossierSnapshot } from "./dossier-records.ts";
import { type IngestEvents, MAX_EVENTS_PER_REQUEST } from "./ingest-events.ts";
import type { AppLogger } from "./logger.ts";
import {
  isOldSnapshot,
  MAX_SNAPSHOTS,
  QUEUED_HORIZON_MS,
  type SyncLedger,
  type SyncLedgerEntry,
  snapshotDigest,
} from "./sync-ledger.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

/** Where the flags of a sync go (an admin list, the discrepancy report). None: only returned. */
export interface SyncFlagSink {
  record(
    flags: readonly SyncFlag[],
    context: { readonly senderId: string; readonly receivedAt: number },
  ): Promise<void>;
}

export interface SyncDossiersPorts {
  /** One read per record (`load`); nothing is written here: events go through the ingest path. */
  readonly dossiers: Pick<AppDossierRepository, "load">;
  /** The same path `POST /events` uses: validated, then queued per dossier for the worker. */
  readonly ingest: Pick<IngestEvents, "ingest">;
  readonly workingTime: Pick<WorkingTimeProvider, "current">;
  readonly catalogue: { current(): Promise<ProcedureCatalogue> };
  readonly flags?: SyncFlagSink | undefined;
  /**
   * What the sync queued and the worker may not have stored yet, and the records it took
   * (shared/app/sync-ledger.ts). None: a record is measured against the stored log only.
   */
  readonly ledger?: SyncLedger | undefined;
  readonly logger: AppLogger;
  /** The consent assumed for payload contacts, per agency (docs/dvcqg-mapping.md, "Contacts"). */
  readonly consentFor?:
    | ((agencyId: string) => { readonly sms: boolean; readonly email: boolean })
    | undefined;
  /** Which agency a dossier belongs to (docs/dvcqg-mapping.md, "Agencies"); default: madonvi, else DonViXuLy. */
  readonly agencyOf?:
    | ((hoSo: { readonly madonvi?: string; readonly donViXuLy?: string }) => AgencyOfDossier | undefined)
    | undefined;
}

export interface SyncDossiersInput {
  /** The sending system, as its credential identified it. */
  readonly senderId: string;
  /** The agencies this sender may write (the `madonvi` or unit codes the province mapped to it). */
  readonly allowedAgencies: readonly string[];
  /**
   * The agency of a record whose envelope names no `madonvi` (the sender's default, set when its
   * credential is issued): TD's three URLs carry none. It stands where `madonvi` would.
   */
  readonly defaultAgency?: string | undefined;
  readonly route: SyncRoute;
  readonly body: unknown;
  /** Arrival instant (epoch ms): logs and flags only, never an event's date. */
  readonly receivedAt: number;
}

export interface RefusedRecord {
  readonly index: number;
  readonly maHoSo?: string;
  readonly reason: string;
  readonly rule: string;
}

export interface SyncDossiersResult {
  /** Records that brought at least one new event. */
  readonly accepted: number;
  /** Records that brought nothing new (a re-send): one read, no write. */
  readonly unchanged: number;
  readonly refused: RefusedRecord[];
  readonly flags: SyncFlag[];
}

/**
 * The sync use case: parse the envelope, map each record, refuse what the sender may not write or
 * what cannot be mapped, skip what is already stored or queued, and send the rest through the
 * ingest path (`IngestEvents`, then the worker's `ApplyEvents`, exactly as `POST /events`). A
 * record is measured against the dossier as it will be once the queue is applied: the stored
 * snapshot, and — when that alone would lead to a write — what the ledger says was queued after
 * it (shared/app/sync-ledger.ts), which also tells an old snapshot sent late.
 * Throws InvalidInputError when the envelope itself is malformed.
 */
export async function syncDossiers(
  ports: SyncDossiersPorts,
  input: SyncDossiersInput,
): Promise<SyncDossiersResult> {
  const request = parseSyncRequest(input.body, input.route);
  const { workingTime } = await ports.workingTime.current();
  const catalogue = await ports.catalogue.current();
  const allowed = new Set(input.allowedAgencies);
  /** The ledger entries read in this request, per dossier (null: read, none stored). */
  const ledgerRead = new Map<string, SyncLedgerEntry | null>();
  /** Events this request already brought, per dossier: a later record of the same dossier sees them. */
  const pending = new Map<string, DossierEvent[]>();
  /** Digests of the dossier records that brought something in this request, per dossier. */
  const taken = new Map<string, string[]>();
  /** The stored events of the dossiers this request writes (to drop what the worker has stored). */
  const storedIds = new Map<string, ReadonlySet<string>>();
  const outgoing: DossierEvent[] = [];
  const refused: RefusedRecord[] = [];
  const flags: SyncFlag[] = [];
  let accepted = 0;
  let unchanged = 0;

  const readLedger = async (code: string): Promise<SyncLedgerEntry | undefined> => {
    if (!ledgerRead.has(code)) ledgerRead.set(code, (await ports.ledger?.get(code)) ?? null);
    return ledgerRead.get(code) ?? undefined;
  };

  for (const record of request.records) {
    const maHoSo = maHoSoOf(record.raw);
    const refuse = (rule: string, reason: string) =>
      refused.push({ index: record.index, ...(maHoSo === undefined ? {} : { maHoSo }), reason, rule });
    // A code the mapper will refuse costs no read.
    const readable = maHoSo !== undefined && isDossierCode(maHoSo);
    const loaded = readable ? await ports.dossiers.load(maHoSo) : undefined;
    const stored = (loaded?.events ?? []).map((json) => parseStoredDossierEvent(json));
    const inRequest = maHoSo === undefined ? [] : (pending.get(maHoSo) ?? []);

    /** The record against a log: refused, or its fresh events and flags. */
    const measure = (log: readonly DossierEvent[], snapshot?: DossierSnapshot): Measured => {
      const previous = storedDossier(log, workingTime, input.receivedAt, snapshot);
      // A dossier already held for another agency stays out of this sender's reach, whatever the record says.
      if (previous !== undefined && !allowed.has(previous.agency.id)) {
        return refusal("agency-not-allowed", "the dossier belongs to an agency this sender may not write");
      }
      const result = mapSyncRecord(record, {
        catalogue,
        workingTime,
        previous,
        madonvi: request.madonvi ?? input.defaultAgency,
        consentFor: ports.consentFor,
        agencyOf: ports.agencyOf,
      });
      if (!result.ok) return refusal(result.rule, result.reason);
      if (!allowed.has(result.agencyId)) {
        return refusal("agency-not-allowed", "madonvi/DonViXuLy: an agency this sender may not write");
      }
      try {
        return { ok: true, dossierCode: result.dossierCode, ...freshEvents(log, result) };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return refusal("lifecycle", error.message);
      }
    };

    // The stored snapshot is the stored log folded: measured against it, no fold per record.
    let measured = measure([...stored, ...inRequest], inRequest.length === 0 ? loaded?.state : undefined);
    // What the stored log alone would write may already be queued (sent a moment ago, not yet
    // applied): the record is measured again against the log the queue will make.
    const needsLedger =
      readable &&
      ports.ledger !== undefined &&
      (measured.ok
        ? measured.fresh.length > 0
        : measured.rule === "unknown-dossier" || measured.rule === "lifecycle");
    const entry = needsLedger ? await readLedger(maHoSo) : undefined;
    if (entry !== undefined) {
      measured = measure(logWithQueued(stored, entry, inRequest, input.receivedAt));
    }
    const takenHere = maHoSo === undefined ? [] : (taken.get(maHoSo) ?? []);
    // Only a record that would write is digested (an unchanged re-send costs no hash).
    const digest =
      record.kind === "dossier" &&
      (entry !== undefined || takenHere.length > 0 || (measured.ok && measured.fresh.length > 0))
        ? snapshotDigest(record.raw)
        : undefined;
    // An old snapshot sent late brings nothing, not even a refusal of what it would move back.
    const oldSnapshot =
      digest !== undefined && isOldSnapshot([...(entry?.snapshots ?? []), ...takenHere], digest);
    if (oldSnapshot && (measured.ok || measured.rule === "lifecycle")) {
      unchanged++;
      continue;
    }
    if (!measured.ok) {
      refuse(measured.rule, measured.reason);
      continue;
    }
    flags.push(...measured.flags);
    if (measured.fresh.length === 0) {
      unchanged++;
      continue;
    }
    accepted++;
    pending.set(measured.dossierCode, [...inRequest, ...measured.fresh]);
    if (digest !== undefined) taken.set(measured.dossierCode, [...takenHere, digest]);
    storedIds.set(measured.dossierCode, new Set(stored.map((event) => event.id)));
    outgoing.push(...measured.fresh);
  }

  for (let start = 0; start < outgoing.length; start += MAX_EVENTS_PER_REQUEST) {
    const chunk = outgoing.slice(start, start + MAX_EVENTS_PER_REQUEST);
    await ports.ingest.ingest(chunk.map((event) => dossierEventToJson(event)));
  }
  // After the queue took them: an entry never names an event that was not queued.
  if (ports.ledger !== undefined && pending.size > 0) {
    await ports.ledger.put(
      [...pending].map(([code, fresh]) => {
        const before = ledgerRead.get(code) ?? undefined;
        const held = storedIds.get(code) ?? new Set<string>();
        const queued = [
          ...(before?.queued ?? []).filter(
            (item) => !held.has(item.event.id) && input.receivedAt - item.at < QUEUED_HORIZON_MS,
          ),
          ...fresh.map((event) => ({ at: input.receivedAt, event: dossierEventToJson(event) })),
        ];
        const snapshots = [...(before?.snapshots ?? []), ...(taken.get(code) ?? [])].slice(-MAX_SNAPSHOTS);
        return { dossierCode: code, queued, snapshots, updatedAt: input.receivedAt };
      }),
    );
  }
  if (flags.length > 0)
    await ports.flags?.record(flags, { senderId: input.senderId, receivedAt: input.receivedAt });
  ports.logger.info("sync request handled", {
    senderId: input.senderId,
    route: input.route,
    records: request.records.length,
    accepted,
    unchanged,
    refused: refused.length,
    events: outgoing.length,
    flags: flags.length,
  });
  return { accepted, unchanged, refused, flags };
}

type Measured =
  | {
      readonly ok: true;
      readonly dossierCode: string;
      readonly fresh: DossierEvent[];
      readonly flags: SyncFlag[];
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

function refusal(rule: string, reason: string): Measured {
  return { ok: false, rule, reason };
}

/**
 * The log the queue will make: the stored events, then those the ledger says were queued and the
 * worker has not stored yet (in queue order: the queue is FIFO per dossier), then this request's.
 */
function logWithQueued(
  stored: readonly DossierEvent[],
  entry: SyncLedgerEntry,
  inRequest: readonly DossierEvent[],
  now: number,
): DossierEvent[] {
  const ids = new Set(stored.map((event) => event.id));
  const queued = entry.queued
    .filter((item) => !ids.has(item.event.id) && now - item.at < QUEUED_HORIZON_MS)
    .map((item) => parseStoredDossierEvent(item.event));
  for (const event of queued) ids.add(event.id);
  return [...stored, ...queued, ...inRequest.filter((event) => !ids.has(event.id))];
}

function maHoSoOf(raw: unknown): string | undefined {
  const code = raw !== null && typeof raw === "object" ? (raw as { MaHoSo?: unknown }).MaHoSo : undefined;
  return typeof code === "string" ? code.trim().slice(0, 100) : undefined;
}
