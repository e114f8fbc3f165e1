import type { ProcedureCatalogue } from "../sync/catalogue.ts";
import type { SyncRoute } from "../sync/dvcqg/payload.ts";
import type { SyncFlag } from "../sync/flags.ts";
import type { AppDossierRepository } from "./dossier-records.ts";
import type { IngestEvents } from "./ingest-events.ts";
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
 * what cannot be mapped, skip what is already stored, and send the rest through the ingest path.
 * Throws InvalidInputError when the envelope itself is malformed.
 */
export async function syncDossiers(
  ports: SyncDossiersPorts,
  input: SyncDossiersInput,
): Promise<SyncDossiersResult> {
  void ports;
  void input;
  throw new Error("not implemented");
}
