import type { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tableDesign } from "../shared/adapters/dynamodb/table-design.ts";
import { EmfMetrics } from "../shared/adapters/logging/emf-metrics.ts";
import { createLogger } from "../shared/adapters/logging/redaction.ts";
import { SesEmailSender } from "../shared/adapters/messaging/ses-email-sender.ts";
import { SnsSmsSender } from "../shared/adapters/messaging/sns-sms-sender.ts";
import { S3BlobStore } from "../shared/adapters/s3/s3-blob-store.ts";
import { SqsMessageQueue } from "../shared/adapters/sqs/sqs-message-queue.ts";
import { tablePorts } from "./composition-root.ts";
import { envOf, type FunctionConfig, type FunctionName, readConfig } from "./config.ts";
import { type AppPorts, type Wiring, wire } from "./wiring.ts";

/**
 * A Lambda function's ports, from its environment alone: AWS SDK clients once per container, at
 * module scope (reused across invocations), and only the adapters whose variables the stack gave
 * this function (cdk/dunghan-function.ts grants exactly those). The entry then builds its own use
 * cases from the wiring (functions/<name>.ts), so its bundle carries nothing else.
 */

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
  readonly wiring: Wiring;
}

const productions = new Map<FunctionName, Production>();

/** The function's wiring, from its environment (read once; throws ConfigError naming every missing variable). */
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
  const wiring = wire(ports, {
    emailFrom: has("EMAIL_FROM") ? envOf(config, "EMAIL_FROM") : undefined,
    smsSenderId: has("SMS_SENDER_ID") ? envOf(config, "SMS_SENDER_ID") : undefined,
    ...(config.grades ? { grades: config.grades } : {}),
  });
  const built = { config, logger, wiring };
  productions.set(functionName, built);
  return built;
}
