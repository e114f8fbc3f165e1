import type { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  agendaOf,
  alertsOf,
  apologyDraftsOf,
  calendarOf,
  countersOf,
  directoriesOf,
  dossierQueryOf,
  dossiersOf,
  limiterOf,
  rejectionsOf,
  syncDiscrepanciesOf,
  syncLedgerOf,
  syncSendersOf,
  type TableContext,
  type TablePorts,
  tableContext,
} from "../shared/adapters/dynamodb/index.ts";
import { tableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import { letterFontFiles } from "../shared/adapters/fonts/letter-font-files.ts";
import { EmfMetrics } from "../shared/adapters/logging/emf-metrics.ts";
import { createLogger } from "../shared/adapters/logging/redaction.ts";
import { SesEmailSender } from "../shared/adapters/messaging/ses-email-sender.ts";
import { SnsSmsSender } from "../shared/adapters/messaging/sns-sms-sender.ts";
import { S3BlobStore } from "../shared/adapters/s3/s3-blob-store.ts";
import { SqsMessageQueue } from "../shared/adapters/sqs/sqs-message-queue.ts";
import {
  rotateZaloSecret,
  SecretsManagerZaloTokens,
  type ZaloSecretRotationDeps,
} from "../shared/adapters/zalo/zalo-secret-rotation.ts";
import { ZnsClient } from "../shared/adapters/zalo/zns-client.ts";
import { CitizenChannels } from "../shared/app/citizen-channels.ts";
import { type Clock, realSleep } from "../shared/app/clock.ts";
import type { MessageQueue } from "../shared/app/queue.ts";
import type { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import type { ApiDeps } from "./api.ts";
import type { ApologyDeps } from "./apology.ts";
import type { ApplyEventsDeps } from "./apply-events.ts";
import { type EnvName, envOf, type FunctionConfig, type FunctionName, readConfig } from "./config.ts";
import type { DigestDeps } from "./digest.ts";
import type { IngestApiDeps } from "./ingest-api.ts";
import type { NotifyDeps } from "./notify.ts";
import type { PublicLookupDeps } from "./public-lookup.ts";
import type { SweepDeps } from "./sweep.ts";
import type { SyncApiDeps } from "./sync-api.ts";
import { buildReceiveSync, type SyncEdgePorts } from "./sync-wiring.ts";
import {
  type ApiPorts,
  type ApologyPorts,
  type ApplyEventsPorts,
  apiFunction,
  apologyFunction,
  applyEventsFunction,
  buildCatalogueStore,
  buildIngest,
  type DigestPorts,
  digestFunction,
  type IngestApiPorts,
  ingestApiFunction,
  type NotifyPorts,
  notifyFunction,
  type PublicLookupPorts,
  publicLookupFunction,
  type SweepPorts,
  sweepFunction,
  workingTimeOf,
} from "./wiring.ts";
import type { ZaloTokenRotationDeps } from "./zalo-token-rotation.ts";

/**
 * The AWS composition root (docs/architecture.md, "Composition"): one function per Lambda, from
 * its environment to its handler's dependencies. Each reads its configuration (every call its own:
 * a missing variable throws ConfigError naming them all), builds the adapters of exactly the
 * variables its contract lists (functions/README.md; cdk/dunghan-function.ts grants those), and
 * hands them to its builder in functions/wiring.ts, which names the ports it takes, so a function
 * missing one does not compile. Of the table's repositories it builds only those ports, each with
 * its own factory, so no other adapter reaches its bundle (test/infra/bundle-adapters.test.ts). The entry `functions/<name>.ts` calls its own function here once
 * per container; AWS SDK clients are made once per container and reused across invocations.
 */

/** The AWS SDK clients a function may use; tests give their own (DynamoDB Local). */
export interface AwsClients {
  readonly dynamo: () => DynamoDBDocumentClient;
  readonly sqs: () => SQSClient;
  readonly sns: () => SNSClient;
  readonly ses: () => SESv2Client;
  readonly s3: () => S3Client;
  readonly secrets: () => SecretsManagerClient;
}

let dynamoClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let snsClient: SNSClient | undefined;
let sesClient: SESv2Client | undefined;
let s3Client: S3Client | undefined;
let secretsClient: SecretsManagerClient | undefined;

/** One client of each kind per container, made on first use. */
export const containerClients: AwsClients = {
  dynamo: () =>
    (dynamoClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
      marshallOptions: { removeUndefinedValues: true },
    })),
  sqs: () => (sqsClient ??= new SQSClient({})),
  sns: () => (snsClient ??= new SNSClient({})),
  ses: () => (sesClient ??= new SESv2Client({})),
  s3: () => (s3Client ??= new S3Client({})),
  secrets: () => (secretsClient ??= new SecretsManagerClient({})),
};

/** What every function has, and the adapters its variables can give. */
class FromEnv {
  readonly config: FunctionConfig;
  readonly logger: Logger;
  readonly clock: Clock = { now: () => Date.now() };

  constructor(
    name: FunctionName,
    env: NodeJS.ProcessEnv,
    private readonly clients: AwsClients,
  ) {
    this.config = readConfig(name, env);
    this.logger = createLogger({
      serviceName: this.config.serviceName,
      persistentKeys: { stage: this.config.stage },
    });
  }

  /**
   * TABLE_NAME (+ AGENDA_SHARDS, ALERT_RETENTION_DAYS): the table its repositories are built
   * over, each by its own factory (shared/adapters/dynamodb/index.ts). A function calls only the
   * factories of the ports it takes, so its bundle carries no other adapter.
   */
  table(): TableContext {
    const { config } = this;
    return tableContext(
      this.clients.dynamo(),
      tableDesign({ tableName: envOf(config, "TABLE_NAME"), agendaShards: config.agendaShards }),
      { alertRetentionDays: config.alertRetentionDays },
    );
  }

  /** The container's working calendar, over the table's calendar. */
  workingTime(calendar: TablePorts["calendar"]): WorkingTimeProvider {
    return workingTimeOf({ calendar, clock: this.clock });
  }

  queue(name: EnvName): MessageQueue {
    return new SqsMessageQueue({ client: this.clients.sqs(), queueUrl: envOf(this.config, name) });
  }

  secrets(): SecretsManagerClient {
    return this.clients.secrets();
  }

  metrics(): EmfMetrics {
    return new EmfMetrics({ stage: this.config.stage });
  }
}

/** A function's handler dependencies, with the configuration and ports they were built from. */
export interface Composed<P, D> {
  readonly config: FunctionConfig;
  readonly ports: P;
  readonly deps: D;
}

export function composeIngestApi(
  env = process.env,
  clients = containerClients,
): Composed<IngestApiPorts, IngestApiDeps> {
  const aws = new FromEnv("ingest-api", env, clients);
  const table = aws.table();
  const ports: IngestApiPorts = {
    logger: aws.logger,
    eventsQueue: aws.queue("EVENTS_QUEUE_URL"),
    // Reads only: a dossier's log and its refusals, for the status route.
    dossiers: dossiersOf(table, calendarOf(table)),
    rejections: rejectionsOf(table),
  };
  return { config: aws.config, ports, deps: ingestApiFunction(ports) };
}

export function composeApplyEvents(
  env = process.env,
  clients = containerClients,
): Composed<ApplyEventsPorts, ApplyEventsDeps> {
  const aws = new FromEnv("apply-events", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: ApplyEventsPorts = {
    dossiers: dossiersOf(table, calendar),
    directories: directoriesOf(table),
    dossierQuery: dossierQueryOf(table),
    counters: countersOf(table),
    apologyDrafts: apologyDraftsOf(table),
    rejections: rejectionsOf(table),
    workingTime: aws.workingTime(calendar),
    eventsQueue: aws.queue("EVENTS_QUEUE_URL"),
    eventsDeadLetters: aws.queue("EVENTS_DLQ_URL"),
    clock: aws.clock,
    logger: aws.logger,
  };
  return { config: aws.config, ports, deps: applyEventsFunction(ports) };
}

export function composeSweep(env = process.env, clients = containerClients): Composed<SweepPorts, SweepDeps> {
  const aws = new FromEnv("sweep", env, clients);
  const table = aws.table();
  const ports: SweepPorts = {
    agenda: agendaOf(table),
    alerts: alertsOf(table),
    notifyQueue: aws.queue("NOTIFY_QUEUE_URL"),
    apologyQueue: aws.queue("APOLOGY_QUEUE_URL"),
    clock: aws.clock,
    metrics: aws.metrics(),
    logger: aws.logger,
  };
  return { config: aws.config, ports, deps: sweepFunction(ports) };
}

export function composeDigest(
  env = process.env,
  clients = containerClients,
): Composed<DigestPorts, DigestDeps> {
  const aws = new FromEnv("digest", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: DigestPorts = {
    dossierQuery: dossierQueryOf(table),
    dossiers: dossiersOf(table, calendar),
    directories: directoriesOf(table),
    alerts: alertsOf(table),
    workingTime: aws.workingTime(calendar),
    notifyQueue: aws.queue("NOTIFY_QUEUE_URL"),
    clock: aws.clock,
    logger: aws.logger,
  };
  return { config: aws.config, ports, deps: digestFunction(ports) };
}

export function composeNotify(
  env = process.env,
  clients = containerClients,
): Composed<NotifyPorts, NotifyDeps> {
  const aws = new FromEnv("notify", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const smsSenderId = envOf(aws.config, "SMS_SENDER_ID");
  const zalo = aws.config.zalo === undefined ? undefined : zaloChannels(aws, aws.config.zalo);
  const ports: NotifyPorts = {
    alerts: alertsOf(table),
    agenda: agendaOf(table),
    dossiers: dossiersOf(table, calendar),
    directories: directoriesOf(table),
    workingTime: aws.workingTime(calendar),
    sms: new SnsSmsSender({ client: clients.sns(), defaultSenderId: smsSenderId }),
    email: new SesEmailSender({ client: clients.ses() }),
    clock: aws.clock,
    logger: aws.logger,
    sleep: realSleep,
    random: Math.random,
    ...(zalo === undefined ? {} : { citizenChannels: zalo }),
  };
  return {
    config: aws.config,
    ports,
    deps: notifyFunction(ports, { emailFrom: envOf(aws.config, "EMAIL_FROM"), smsSenderId }),
  };
}

/**
 * Citizens on Zalo first (docs/zalo.md): the stage's channel order and templates over a ZNS client
 * that reads the token secret and never renews it — the rotation function owns the single-use
 * refresh token; on a refused token the client reads the secret again.
 */
function zaloChannels(aws: FromEnv, zalo: NonNullable<FunctionConfig["zalo"]>): CitizenChannels {
  return new CitizenChannels(
    zalo.channels,
    new ZnsClient({
      tokens: new SecretsManagerZaloTokens(aws.secrets(), zalo.secretArn),
      now: aws.clock.now,
      metrics: aws.metrics(),
      logger: aws.logger,
    }),
  );
}

export function composeApology(
  env = process.env,
  clients = containerClients,
): Composed<Omit<ApologyPorts, "eventsQueue">, ApologyDeps> {
  const aws = new FromEnv("apology", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: Omit<ApologyPorts, "eventsQueue"> = {
    apologyDrafts: apologyDraftsOf(table),
    dossiers: dossiersOf(table, calendar),
    directories: directoriesOf(table),
    alerts: alertsOf(table),
    workingTime: aws.workingTime(calendar),
    blobs: new S3BlobStore({ client: clients.s3(), bucket: envOf(aws.config, "LETTERS_BUCKET") }),
    clock: aws.clock,
    logger: aws.logger,
    // The font files next to the bundle (cdk/bundling.ts copies them into this function's asset).
    letterFonts: letterFontFiles,
  };
  return { config: aws.config, ports, deps: apologyFunction(ports) };
}

export function composeApi(env = process.env, clients = containerClients): Composed<ApiPorts, ApiDeps> {
  const aws = new FromEnv("api", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: ApiPorts = {
    dossiers: dossiersOf(table, calendar),
    dossierQuery: dossierQueryOf(table),
    alerts: alertsOf(table),
    directories: directoriesOf(table),
    apologyDrafts: apologyDraftsOf(table),
    calendar,
    counters: countersOf(table),
    rejections: rejectionsOf(table),
    syncDiscrepancies: syncDiscrepanciesOf(table),
    workingTime: aws.workingTime(calendar),
    eventsQueue: aws.queue("EVENTS_QUEUE_URL"),
    blobs: new S3BlobStore({ client: clients.s3(), bucket: envOf(aws.config, "LETTERS_BUCKET") }),
    clock: aws.clock,
    logger: aws.logger,
    // The font files next to the bundle (cdk/bundling.ts copies them into this function's asset).
    letterFonts: letterFontFiles,
  };
  return { config: aws.config, ports, deps: apiFunction(ports, { grades: aws.config.grades }) };
}

export function composePublicLookup(
  env = process.env,
  clients = containerClients,
): Composed<PublicLookupPorts, PublicLookupDeps> {
  const aws = new FromEnv("public-lookup", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: PublicLookupPorts = {
    dossiers: dossiersOf(table, calendar),
    limiter: limiterOf(table),
    workingTime: aws.workingTime(calendar),
    clock: aws.clock,
    logger: aws.logger,
  };
  return { config: aws.config, ports, deps: publicLookupFunction(ports) };
}

export function composeSyncApi(
  env = process.env,
  clients = containerClients,
): Composed<SyncEdgePorts, SyncApiDeps> {
  const aws = new FromEnv("sync-api", env, clients);
  const table = aws.table();
  const calendar = calendarOf(table);
  const ports: SyncEdgePorts = {
    senders: syncSendersOf(table),
    archive: new S3BlobStore({ client: clients.s3(), bucket: envOf(aws.config, "SYNC_PAYLOADS_BUCKET") }),
    dossiers: dossiersOf(table, calendar),
    ledger: syncLedgerOf(table),
    ingest: buildIngest({ eventsQueue: aws.queue("EVENTS_QUEUE_URL"), logger: aws.logger }),
    workingTime: aws.workingTime(calendar),
    // The catalogue the admin route (`PUT /catalogue`) stored, read as the API reads it; the
    // function may read only the bucket's catalogue/ objects (cdk/dvcqg-sync.ts).
    catalogue: buildCatalogueStore({
      blobs: new S3BlobStore({ client: clients.s3(), bucket: envOf(aws.config, "LETTERS_BUCKET") }),
      clock: aws.clock,
    }),
    discrepancies: syncDiscrepanciesOf(table),
    clock: aws.clock,
    logger: aws.logger,
  };
  return { config: aws.config, ports, deps: { receive: buildReceiveSync(ports), logger: aws.logger } };
}

/**
 * The Zalo token secret's rotation: the secret is named by each event, so the function has no
 * variable but STAGE; it reads and writes that secret only (cdk/zalo-secret.ts grants it).
 */
export function composeZaloTokenRotation(
  env = process.env,
  clients = containerClients,
): Composed<ZaloSecretRotationDeps, ZaloTokenRotationDeps> {
  const aws = new FromEnv("zalo-token-rotation", env, clients);
  const ports: ZaloSecretRotationDeps = {
    client: aws.secrets(),
    metrics: aws.metrics(),
    logger: aws.logger,
    now: aws.clock.now,
  };
  return {
    config: aws.config,
    ports,
    deps: { rotate: (event) => rotateZaloSecret(event, ports), logger: aws.logger },
  };
}
