import type { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbSyncSenderRepository } from "../shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts";
import { tableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import { S3BlobStore } from "../shared/adapters/s3/s3-blob-store.ts";
import type { BlobStore } from "../shared/app/blob-store.ts";
import type { Clock } from "../shared/app/clock.ts";
import type { AppDossierRepository } from "../shared/app/dossier-records.ts";
import type { IngestEvents } from "../shared/app/ingest-events.ts";
import type { AppLogger } from "../shared/app/logger.ts";
import { syncDossiers } from "../shared/app/sync-dossiers.ts";
import { ReceiveSync } from "../shared/app/sync-receive.ts";
import { type SyncSenderRepository, SyncSenders } from "../shared/app/sync-senders.ts";
import type { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import { EMPTY_CATALOGUE, type ProcedureCatalogue } from "../shared/sync/catalogue.ts";
import { envOf } from "./config.ts";
import { production } from "./production.ts";
import { buildIngest } from "./wiring.ts";

/**
 * The sync edge's ports and how its use case is built from them — once, for the Lambda entry
 * (below) and for the local runtime (local/runtime/stack.ts), so both run the same wiring.
 */
export interface SyncEdgePorts {
  readonly senders: SyncSenderRepository;
  /** Where raw payloads are kept: the KMS-encrypted, expiring bucket on AWS; a sealed folder locally. */
  readonly archive: BlobStore;
  readonly dossiers: Pick<AppDossierRepository, "load">;
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

/** The Lambda's: the function's environment (functions/README.md, sync-api). */
export function productionReceiveSync(env: NodeJS.ProcessEnv = process.env): {
  receive: ReceiveSync;
  logger: Logger;
} {
  const { config, logger, wiring } = production("sync-api", env);
  const design = tableDesign({ tableName: envOf(config, "TABLE_NAME"), agendaShards: config.agendaShards });
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const receive = buildReceiveSync({
    senders: new DynamoDbSyncSenderRepository({ client, design }),
    archive: new S3BlobStore({ client: new S3Client({}), bucket: envOf(config, "SYNC_PAYLOADS_BUCKET") }),
    dossiers: wiring.need("dossiers", "sync"),
    ingest: buildIngest(wiring),
    workingTime: wiring.workingTime(),
    clock: wiring.ports.clock,
    logger,
  });
  return { receive, logger };
}
