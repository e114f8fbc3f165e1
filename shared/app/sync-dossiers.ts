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
import type { AppDossierRepository } from "./dossier-records.ts";
import { type IngestEvents, MAX_EVENTS_PER_REQUEST } from "./ingest-events.ts";
import type { AppLogger } from "./logger.ts";
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
 * what cannot be mapped, skip what is already stored, and send the rest through the ingest path
 * (`IngestEvents`, then the worker's `ApplyEvents`, exactly as `POST /events`).
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
  /** Events this request already brought, per dossier: a later record of the same dossier sees them. */
  const pending = new Map<string, DossierEvent[]>();
  const outgoing: DossierEvent[] = [];
  const refused: RefusedRecord[] = [];
  const flags: SyncFlag[] = [];
  let accepted = 0;
  let unchanged = 0;

  for (const record of request.records) {
    const maHoSo = maHoSoOf(record.raw);
    const refuse = (rule: string, reason: string) =>
      refused.push({ index: record.index, ...(maHoSo === undefined ? {} : { maHoSo }), reason, rule });
    // A code the mapper will refuse costs no read.
    const readable = maHoSo !== undefined && isDossierCode(maHoSo);
    const loaded = readable ? await ports.dossiers.load(maHoSo) : undefined;
    const stored = [
      ...(loaded?.events ?? []).map((json) => parseStoredDossierEvent(json)),
      ...(maHoSo === undefined ? [] : (pending.get(maHoSo) ?? [])),
    ];
    const previous = storedDossier(stored, workingTime, input.receivedAt);
    // A dossier already held for another agency stays out of this sender's reach, whatever the record says.
    if (previous !== undefined && !allowed.has(previous.agency.id)) {
      refuse("agency-not-allowed", "the dossier belongs to an agency this sender may not write");
      continue;
    }
    const result = mapSyncRecord(record, {
      catalogue,
      workingTime,
      previous,
      madonvi: request.madonvi,
      consentFor: ports.consentFor,
      agencyOf: ports.agencyOf,
    });
    if (!result.ok) {
      refuse(result.rule, result.reason);
      continue;
    }
    if (!allowed.has(result.agencyId)) {
      refuse("agency-not-allowed", "madonvi/DonViXuLy: an agency this sender may not write");
      continue;
    }
    let fresh: DossierEvent[];
    try {
      const reconciled = freshEvents(stored, result);
      fresh = reconciled.fresh;
      flags.push(...reconciled.flags);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refuse("lifecycle", error.message);
      continue;
    }
    if (fresh.length === 0) {
      unchanged++;
      continue;
    }
    accepted++;
    pending.set(result.dossierCode, [...(pending.get(result.dossierCode) ?? []), ...fresh]);
    outgoing.push(...fresh);
  }

  for (let start = 0; start < outgoing.length; start += MAX_EVENTS_PER_REQUEST) {
    const chunk = outgoing.slice(start, start + MAX_EVENTS_PER_REQUEST);
    await ports.ingest.ingest(chunk.map((event) => dossierEventToJson(event)));
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

function maHoSoOf(raw: unknown): string | undefined {
  const code = raw !== null && typeof raw === "object" ? (raw as { MaHoSo?: unknown }).MaHoSo : undefined;
  return typeof code === "string" ? code.trim().slice(0, 100) : undefined;
}
