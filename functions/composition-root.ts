import type { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbAgendaRepository } from "../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "../shared/adapters/dynamodb/alert-log.dynamodb.ts";
import { DynamoDbApologyDraftRepository } from "../shared/adapters/dynamodb/apology-draft-repository.dynamodb.ts";
import { DynamoDbCalendarRepository } from "../shared/adapters/dynamodb/calendar-repository.dynamodb.ts";
import { DynamoDbCounterStore } from "../shared/adapters/dynamodb/counter-store.dynamodb.ts";
import { DynamoDbDirectoryRepository } from "../shared/adapters/dynamodb/directory-repository.dynamodb.ts";
import { DynamoDbDossierQuery } from "../shared/adapters/dynamodb/dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import type { ReadObserver } from "../shared/adapters/dynamodb/support.ts";
import { type TableDesign, tableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import { EmfMetrics } from "../shared/adapters/logging/emf-metrics.ts";
import { createLogger } from "../shared/adapters/logging/redaction.ts";
import { SesEmailSender } from "../shared/adapters/messaging/ses-email-sender.ts";
import { SnsSmsSender } from "../shared/adapters/messaging/sns-sms-sender.ts";
import { S3BlobStore } from "../shared/adapters/s3/s3-blob-store.ts";
import { SqsMessageQueue } from "../shared/adapters/sqs/sqs-message-queue.ts";
import type { AlertPolicyBook } from "../shared/alerts/index.ts";
import {
  ApologyDrafts,
  type ApologyDraftsOptions,
  type AppApologyDraftRepository,
} from "../shared/app/apology-drafts.ts";
import { ApplyEvents } from "../shared/app/apply-events.ts";
import type { BlobStore } from "../shared/app/blob-store.ts";
import { CalendarAdmin } from "../shared/app/calendar-admin.ts";
import { type Clock, realSleep, type Sleep } from "../shared/app/clock.ts";
import { DeliverNotices } from "../shared/app/deliver-notices.ts";
import type { DirectoryRepository } from "../shared/app/directory.ts";
import { DirectoryAdmin } from "../shared/app/directory-admin.ts";
import { DossierLookup } from "../shared/app/dossier-lookup.ts";
import type {
  AppAgendaRepository,
  AppAlertLog,
  AppDossierRepository,
} from "../shared/app/dossier-records.ts";
import { IngestEvents } from "../shared/app/ingest-events.ts";
import type { AppLogger } from "../shared/app/logger.ts";
import type { EmailSender, SmsSender } from "../shared/app/messaging-ports.ts";
import { type Metrics, noMetrics } from "../shared/app/metrics.ts";
import type { CalendarRepository, DossierQuery } from "../shared/app/ports.ts";
import type { MessageQueue } from "../shared/app/queue.ts";
import { Reports } from "../shared/app/reports.ts";
import { SendDigests } from "../shared/app/send-digests.ts";
import { SweepAgenda, type SweepOptions } from "../shared/app/sweep-agenda.ts";
import { WorkingTimeProvider } from "../shared/app/working-time-provider.ts";
import type { Announcement, OfficeHours } from "../shared/calendar/index.ts";
import type { DossierPolicy } from "../shared/dossier/index.ts";
import type { CounterStore, GradeScale } from "../shared/reports/index.ts";
import { envOf, type FunctionConfig, type FunctionName, readConfig } from "./config.ts";
/**
 * The one composition root (STYLE.md §2): ports in, use cases out. Lambda builds it from the
 * environment with AWS SDK clients (`production`); tests and the local runtime build it with
 * DynamoDB Local, in-process queues and fake SNS/SES — and the same handler factories.
 */

/** The table's repositories. */
export interface TablePorts {
  readonly dossiers: AppDossierRepository;
  readonly agenda: AppAgendaRepository;
  readonly alerts: AppAlertLog;
  readonly apologyDrafts: AppApologyDraftRepository;
  readonly calendar: CalendarRepository<Announcement>;
  readonly dossierQuery: DossierQuery;
  readonly directories: DirectoryRepository;
  readonly counters: CounterStore;
}

/** Every port a use case may need; a function supplies those its use cases use. */
export interface AppPorts extends Partial<TablePorts> {
  readonly clock: Clock;
  readonly logger: AppLogger;
  readonly metrics?: Metrics;
  readonly eventsQueue?: MessageQueue;
  readonly eventsDeadLetters?: MessageQueue;
  readonly notifyQueue?: MessageQueue;
  readonly apologyQueue?: MessageQueue;
  readonly sms?: SmsSender;
  readonly email?: EmailSender;
  readonly blobs?: BlobStore;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export interface AppOptions {
  readonly book?: AlertPolicyBook;
  readonly dossierPolicy?: DossierPolicy;
  readonly officeHours?: OfficeHours;
  /** How long stored announcements are trusted (WorkingTimeProvider; default 60 s). */
  readonly calendarMaxAgeMs?: number;
  readonly emailFrom?: string;
  readonly smsSenderId?: string;
  readonly throttleAttempts?: number;
  readonly throttleBaseDelayMs?: number;
  readonly sweep?: SweepOptions;
  readonly apology?: ApologyDraftsOptions;
  /** Colour thresholds of the on-time rate (reports); default dunghan's placeholder scale. */
  readonly grades?: GradeScale;
}

export interface App {
  readonly workingTime: WorkingTimeProvider;
  readonly ingest: IngestEvents;
  readonly applyEvents: ApplyEvents;
  readonly sweep: SweepAgenda;
  readonly digests: SendDigests;
  readonly notify: DeliverNotices;
  readonly apologies: ApologyDrafts;
  readonly lookup: DossierLookup;
  readonly reports: Reports;
  readonly calendarAdmin: CalendarAdmin;
  readonly directoryAdmin: DirectoryAdmin;
}

/** The repositories of one table. */
export function tablePorts(
  client: DynamoDBDocumentClient,
  design: TableDesign,
  onRead?: ReadObserver,
): TablePorts {
  const base = { client, design, onRead };
  return {
    dossiers: new DynamoDbDossierRepository(base) as AppDossierRepository,
    agenda: new DynamoDbAgendaRepository(base) as AppAgendaRepository,
    alerts: new DynamoDbAlertLog(base) as AppAlertLog,
    apologyDrafts: new DynamoDbApologyDraftRepository(base) as AppApologyDraftRepository,
    calendar: new DynamoDbCalendarRepository<Announcement>(base),
    dossierQuery: new DynamoDbDossierQuery(base),
    directories: new DynamoDbDirectoryRepository(base),
    counters: new DynamoDbCounterStore(base),
  };
}

/**
 * The use cases over `ports`, each built on first use (a function builds only its own, so it needs
 * only its own ports). A missing port is a wiring defect, named in the error.
 */
export function createApp(ports: AppPorts, options: AppOptions = {}): App {
  const need = <K extends keyof AppPorts>(name: K, by: string): NonNullable<AppPorts[K]> => {
    const port = ports[name];
    if (port === undefined || port === null) throw new Error(`${by} needs the port "${String(name)}"`);
    return port as NonNullable<AppPorts[K]>;
  };
  const { clock, logger } = ports;
  const policy = { book: options.book, dossierPolicy: options.dossierPolicy };
  const memo = new Map<string, unknown>();
  const once = <T>(key: string, build: () => T): T => {
    if (!memo.has(key)) memo.set(key, build());
    return memo.get(key) as T;
  };
  const workingTime = () =>
    once(
      "workingTime",
      () =>
        new WorkingTimeProvider(need("calendar", "the working calendar"), clock, {
          officeHours: options.officeHours,
          maxAgeMs: options.calendarMaxAgeMs,
        }),
    );

  return {
    get workingTime() {
      return workingTime();
    },
    get ingest() {
      return once("ingest", () => new IngestEvents({ eventsQueue: need("eventsQueue", "ingest"), logger }));
    },
    get applyEvents() {
      return once(
        "applyEvents",
        () =>
          new ApplyEvents(
            {
              dossiers: need("dossiers", "apply-events"),
              directories: need("directories", "apply-events"),
              workingTime: workingTime(),
              deadLetters: need("eventsDeadLetters", "apply-events"),
              counters: ports.counters,
              clock,
              logger,
            },
            policy,
          ),
      );
    },
    get sweep() {
      return once(
        "sweep",
        () =>
          new SweepAgenda(
            {
              agenda: need("agenda", "sweep"),
              alerts: need("alerts", "sweep"),
              notifyQueue: need("notifyQueue", "sweep"),
              apologyQueue: need("apologyQueue", "sweep"),
              clock,
              metrics: ports.metrics ?? noMetrics,
              logger,
            },
            options.sweep,
          ),
      );
    },
    get digests() {
      return once(
        "digests",
        () =>
          new SendDigests(
            {
              dossierQuery: need("dossierQuery", "digest"),
              dossiers: need("dossiers", "digest"),
              directories: need("directories", "digest"),
              alerts: need("alerts", "digest"),
              notifyQueue: need("notifyQueue", "digest"),
              workingTime: workingTime(),
              clock,
              logger,
            },
            policy,
          ),
      );
    },
    get notify() {
      return once("notify", () => {
        if (options.emailFrom === undefined) throw new Error("notify needs the option emailFrom");
        return new DeliverNotices(
          {
            alerts: need("alerts", "notify"),
            dossiers: need("dossiers", "notify"),
            directories: need("directories", "notify"),
            sms: need("sms", "notify"),
            email: need("email", "notify"),
            workingTime: workingTime(),
            clock,
            logger,
            sleep: ports.sleep ?? realSleep,
            random: ports.random ?? Math.random,
          },
          {
            emailFrom: options.emailFrom,
            smsSenderId: options.smsSenderId,
            throttleAttempts: options.throttleAttempts,
            throttleBaseDelayMs: options.throttleBaseDelayMs,
          },
        );
      });
    },
    get apologies() {
      return once(
        "apologies",
        () =>
          new ApologyDrafts(
            {
              drafts: need("apologyDrafts", "apology"),
              dossiers: need("dossiers", "apology"),
              directories: need("directories", "apology"),
              alerts: need("alerts", "apology"),
              blobs: need("blobs", "apology"),
              // The apology function only drafts; sending (the api function) queues the event.
              eventsQueue: ports.eventsQueue ?? missingQueue('apology sending needs the port "eventsQueue"'),
              workingTime: workingTime(),
              clock,
              logger,
            },
            options.apology,
          ),
      );
    },
    get lookup() {
      return once(
        "lookup",
        () =>
          new DossierLookup({
            dossiers: need("dossiers", "lookup"),
            dossierQuery: need("dossierQuery", "lookup"),
            alerts: need("alerts", "lookup"),
            workingTime: workingTime(),
            clock,
          }),
      );
    },
    get reports() {
      return once(
        "reports",
        () => new Reports({ counters: need("counters", "reports") }, { grades: options.grades }),
      );
    },
    get calendarAdmin() {
      return once(
        "calendarAdmin",
        () =>
          new CalendarAdmin({
            calendar: need("calendar", "calendar admin"),
            workingTime: workingTime(),
            directories: need("directories", "calendar admin"),
            dossierQuery: need("dossierQuery", "calendar admin"),
            eventsQueue: need("eventsQueue", "calendar admin"),
            logger,
          }),
      );
    },
    get directoryAdmin() {
      return once(
        "directoryAdmin",
        () => new DirectoryAdmin({ directories: need("directories", "directory admin") }),
      );
    },
  };
}

function missingQueue(message: string): MessageQueue {
  return {
    send: async () => {
      throw new Error(message);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Production: SDK clients once per container, at module scope (reused across invocations).

let dynamoClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;
let snsClient: SNSClient | undefined;
let sesClient: SESv2Client | undefined;
let s3Client: S3Client | undefined;

const dynamo = () =>
  (dynamoClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }));
const sqs = () => (sqsClient ??= new SQSClient({}));
const sns = () => (snsClient ??= new SNSClient({}));
const ses = () => (sesClient ??= new SESv2Client({}));
const s3 = () => (s3Client ??= new S3Client({}));

export interface Production {
  readonly config: FunctionConfig;
  readonly logger: Logger;
  readonly app: App;
}

const productions = new Map<FunctionName, Production>();

/** The function's app, from its environment (read once; throws ConfigError naming every missing variable). */
export function production(functionName: FunctionName, env: NodeJS.ProcessEnv = process.env): Production {
  const existing = productions.get(functionName);
  if (existing !== undefined) return existing;
  const config = readConfig(functionName, env);
  const logger = createLogger({ serviceName: config.serviceName, persistentKeys: { stage: config.stage } });
  const has = (name: keyof FunctionConfig["env"]) => config.env[name] !== undefined;
  const queue = (name: Parameters<typeof envOf>[1]) =>
    has(name) ? new SqsMessageQueue({ client: sqs(), queueUrl: envOf(config, name) }) : undefined;
  const tables = has("TABLE_NAME")
    ? tablePorts(
        dynamo(),
        tableDesign({ tableName: envOf(config, "TABLE_NAME"), agendaShards: config.agendaShards }),
      )
    : {};
  const ports: AppPorts = {
    ...tables,
    clock: { now: () => Date.now() },
    logger,
    metrics: new EmfMetrics({ stage: config.stage }),
    eventsQueue: queue("EVENTS_QUEUE_URL"),
    eventsDeadLetters: queue("EVENTS_DLQ_URL"),
    notifyQueue: queue("NOTIFY_QUEUE_URL"),
    apologyQueue: queue("APOLOGY_QUEUE_URL"),
    sms: has("SMS_SENDER_ID")
      ? new SnsSmsSender({ client: sns(), defaultSenderId: envOf(config, "SMS_SENDER_ID") })
      : undefined,
    email: has("EMAIL_FROM") ? new SesEmailSender({ client: ses() }) : undefined,
    blobs: has("LETTERS_BUCKET")
      ? new S3BlobStore({ client: s3(), bucket: envOf(config, "LETTERS_BUCKET") })
      : undefined,
  };
  const app = createApp(ports, {
    emailFrom: has("EMAIL_FROM") ? envOf(config, "EMAIL_FROM") : undefined,
    smsSenderId: has("SMS_SENDER_ID") ? envOf(config, "SMS_SENDER_ID") : undefined,
    ...(config.grades ? { grades: config.grades } : {}),
  });
  const built = { config, logger, app };
  productions.set(functionName, built);
  return built;
}
