import type { BlobStore } from "../shared/app/blob-store.ts";
import type { Clock } from "../shared/app/clock.ts";
import type { AppDossierRepository } from "../shared/app/dossier-records.ts";
import type { IngestEvents } from "../shared/app/ingest-events.ts";
import type { AppLogger } from "../shared/app/logger.ts";
import { syncDossiers } from "../shared/app/sync-dossiers.ts";
import type { SyncLedger } from "../shared/app/sync-ledger.ts";
import { ReceiveSync } from "../shared/app/sync-receive.ts";
import { type SyncSenderRepository, SyncSenders } from "../shared/app/sync-senders.ts";
import type { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import { EMPTY_CATALOGUE, type ProcedureCatalogue } from "../shared/sync/catalogue.ts";

/**
 * The sync edge's ports and how its use case is built from them — once, for both composition
 * roots (functions/composition-root.ts `composeSyncApi`, local/runtime/stack.ts).
 */
export interface SyncEdgePorts {
  readonly senders: SyncSenderRepository;
  /** Where raw payloads are kept: the KMS-encrypted, expiring bucket on AWS; a sealed folder locally. */
  readonly archive: BlobStore;
  readonly dossiers: Pick<AppDossierRepository, "load">;
  /** What the sync queued per dossier and the records it took: read and written by the sync only. */
  readonly ledger: SyncLedger;
  readonly ingest: Pick<IngestEvents, "ingest">;
  readonly workingTime: Pick<WorkingTimeProvider, "current">;
  /** The province's procedure catalogue; none loaded: every procedure is unknown (flagged). */
  readonly catalogue?: { current(): Promise<ProcedureCatalogue> } | undefined;
  /**
   * The consent assumed for the payload's phone and e-mail, per agency (the payload carries none;
   * docs/integration.md, "Contacts and consent"). Default: none, no citizen notice is sent.
   */
  readonly consentFor?:
    | ((agencyId: string) => { readonly sms: boolean; readonly email: boolean })
    | undefined;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

export function buildReceiveSync(ports: SyncEdgePorts): ReceiveSync {
  const catalogue = ports.catalogue ?? { current: async () => EMPTY_CATALOGUE };
  return new ReceiveSync({
    senders: new SyncSenders({ senders: ports.senders }),
    archive: ports.archive,
    clock: ports.clock,
    logger: ports.logger,
    sync: (input) =>
      syncDossiers(
        {
          dossiers: ports.dossiers,
          ledger: ports.ledger,
          ingest: ports.ingest,
          workingTime: ports.workingTime,
          catalogue,
          logger: ports.logger,
          consentFor: ports.consentFor,
        },
        input,
      ),
  });
}
