import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "@aws-lambda-powertools/logger";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
} from "aws-lambda";
import { afterEach } from "vitest";
import { type App, createApp, type LocalPorts, makeHandlers } from "../../../local/runtime/app.ts";
import { FifoQueue } from "../../../local/runtime/fifo-queue.ts";
import { type TablePorts, tablePorts } from "../../../shared/adapters/dynamodb/index.ts";
import type { ReadReport } from "../../../shared/adapters/dynamodb/support.ts";
import { EmfMetrics } from "../../../shared/adapters/logging/emf-metrics.ts";
import { createLogger } from "../../../shared/adapters/logging/redaction.ts";
import { FileBlobStore } from "../../../shared/adapters/s3/file-blob-store.ts";
import { FifoQueueAdapter } from "../../../shared/adapters/sqs/fifo-queue-adapter.ts";
import { InMemoryQueue } from "../../../shared/adapters/sqs/in-memory-queue.ts";
import type { AlertPolicyBook } from "../../../shared/alerts/index.ts";
import type { AgencyDirectory } from "../../../shared/app/directory.ts";
import type { EmailSender, SmsSender } from "../../../shared/app/messaging-ports.ts";
import type { DigestRun } from "../../../shared/app/send-digests.ts";
import type { SweepResult } from "../../../shared/app/sweep-agenda.ts";
import { parseInstant } from "../../../shared/calendar/index.ts";
import { createTestTable, type TestTable } from "../../support/dynamodb.ts";
import { RecordingEmail, RecordingSms, TappedQueue } from "./recorders.ts";

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "dunghan-test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:dunghan-test",
  memoryLimitInMB: "512",
  awsRequestId: "test-request",
  logGroupName: "/aws/lambda/dunghan-test",
  logStreamName: "test",
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as Context;

/** A clock the test moves by hand. */
export class TestClock {
  #now: number;
  constructor(start: string) {
    this.#now = parseInstant(start);
  }
  now(): number {
    return this.#now;
  }
  set(instant: string): void {
    this.#now = parseInstant(instant);
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

export interface Claims {
  readonly sub: string;
  readonly agencyId: string;
  readonly groups: readonly string[];
  readonly name?: string;
  /** `custom:staffId`; without it the API takes the subject. */
  readonly staffId?: string;
}

export interface ApiResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field in assertions.
  readonly body: any;
  readonly headers: Record<string, string>;
}

export interface HarnessOptions {
  readonly start: string;
  readonly sms?: SmsSender;
  readonly email?: EmailSender;
  /** Wraps the table's ports (e.g. to inject a failure). */
  readonly wrapTables?: (tables: TablePorts) => TablePorts;
  readonly directories?: readonly AgencyDirectory[];
  /** The alert policies (default dunghan's). */
  readonly book?: AlertPolicyBook;
}

/**
 * The functions wired as in Lambda — the REAL handlers from the make*Handler factories — over a
 * fresh DynamoDB Local table, the in-process FIFO queue for events, in-memory standard queues,
 * recording SMS/e-mail senders (or the fake SNS endpoint) and a folder for letters.
 */
export class Harness {
  readonly clock: TestClock;
  readonly table: TestTable;
  readonly tables: TablePorts;
  readonly reads: ReadReport[] = [];
  readonly events: FifoQueue;
  readonly eventsSent: TappedQueue;
  readonly eventsDlq = new InMemoryQueue("events-dlq.fifo");
  readonly notifyQueue = new InMemoryQueue("notify");
  readonly apologyQueue = new InMemoryQueue("apology");
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly blobs: FileBlobStore;
  readonly metricLines: string[] = [];
  readonly delays: number[] = [];
  readonly logger: Logger;
  readonly app: App;
  readonly handlers;
  readonly #dispose: () => Promise<void>;

  private constructor(
    table: TestTable & { dispose(): Promise<void> },
    blobDir: string,
    options: HarnessOptions,
  ) {
    this.clock = new TestClock(options.start);
    this.table = table;
    const raw = tablePorts(table.doc, table.design, { onRead: (report) => this.reads.push(report) });
    this.tables = options.wrapTables ? options.wrapTables(raw) : raw;
    this.events = new FifoQueue({
      name: "events.fifo",
      clock: this.clock,
      retryDelayMs: 5,
      maxReceiveCount: 5,
    });
    this.eventsSent = new TappedQueue(new FifoQueueAdapter(this.events));
    this.sms = options.sms ?? new RecordingSms();
    this.email = options.email ?? new RecordingEmail();
    this.blobs = new FileBlobStore(blobDir);
    this.logger = createLogger({
      serviceName: "dunghan-test",
      level: process.env.TEST_LOGS ? "DEBUG" : "SILENT",
    });
    const ports: LocalPorts = {
      ...this.tables,
      clock: this.clock,
      logger: this.logger,
      metrics: new EmfMetrics({
        stage: "test",
        write: (line) => this.metricLines.push(line),
        now: () => this.clock.now(),
      }),
      eventsQueue: this.eventsSent,
      eventsDeadLetters: this.eventsDlq,
      notifyQueue: this.notifyQueue,
      apologyQueue: this.apologyQueue,
      sms: this.sms,
      email: this.email,
      blobs: this.blobs,
      sleep: async (ms) => {
        this.delays.push(ms);
      },
      random: () => 0.5,
    };
    this.app = createApp(ports, {
      emailFrom: "Một cửa <motcua@example.gov.vn>",
      smsSenderId: "UBNDTANAN",
      calendarMaxAgeMs: 0,
      ...(options.book ? { book: options.book } : {}),
    });
    this.handlers = makeHandlers(this.app);
    this.events.consume((event) => this.handlers.applyEvents(event, lambdaContext));
    this.#dispose = async () => {
      await this.events.stop();
      await rm(blobDir, { recursive: true, force: true });
      await table.dispose();
    };
  }

  static async start(options: HarnessOptions): Promise<Harness> {
    const table = await createTestTable();
    const blobDir = await mkdtemp(join(tmpdir(), "dunghan-letters-"));
    const harness = new Harness(table, blobDir, options);
    for (const directory of options.directories ?? []) await harness.tables.directories.put(directory);
    return harness;
  }

  dispose(): Promise<void> {
    return this.#dispose();
  }

  /** POST /events through the ingest handler, then waits until the worker has applied everything. */
  async ingest(events: unknown): Promise<ApiResponse> {
    const response = await this.#http(this.handlers.ingest, {
      routeKey: "POST /events",
      body: JSON.stringify(events),
    });
    await this.events.drain();
    return response;
  }

  async drainEvents(): Promise<void> {
    await this.events.drain();
  }

  sweep(): Promise<SweepResult> {
    return this.handlers.sweep({}, lambdaContext);
  }

  digest(): Promise<DigestRun> {
    return this.handlers.digest({}, lambdaContext);
  }

  /** Runs the notify handler over the notify queue once (one batch of up to 10); failed records go back. */
  async notifyOnce(): Promise<SQSBatchResponse> {
    const event = this.notifyQueue.take(10);
    const response = await this.handlers.notify(event, lambdaContext);
    this.notifyQueue.putBack(
      response.batchItemFailures.map((f) => f.itemIdentifier),
      event,
    );
    return response;
  }

  /** Runs the notify handler until the queue is empty (at most `rounds` batches). */
  async deliverNotices(rounds = 20): Promise<SQSBatchResponse[]> {
    const responses: SQSBatchResponse[] = [];
    for (let i = 0; i < rounds && this.notifyQueue.size > 0; i++) responses.push(await this.notifyOnce());
    return responses;
  }

  async processApologies(): Promise<SQSBatchResponse[]> {
    const responses: SQSBatchResponse[] = [];
    while (this.apologyQueue.size > 0) {
      const event = this.apologyQueue.take(10);
      responses.push(await this.handlers.apology(event, lambdaContext));
    }
    return responses;
  }

  /** `GET /events/{eventId}/status` through the ingest handler, as the e-one-stop system. */
  eventStatus(eventId: string, query: Record<string, string>): Promise<ApiResponse> {
    return this.#http(this.handlers.ingest, {
      routeKey: "GET /events/{eventId}/status",
      pathParameters: { eventId },
      queryStringParameters: query,
    });
  }

  /** An HTTP API (payload 2.0) request to the staff API as the person `claims` describes. */
  api(
    routeKey: string,
    options: {
      readonly claims?: Claims;
      readonly path?: Record<string, string>;
      readonly query?: Record<string, string>;
      readonly body?: unknown;
    } = {},
  ): Promise<ApiResponse> {
    return this.#http(this.handlers.api, {
      routeKey,
      ...(options.path ? { pathParameters: options.path } : {}),
      ...(options.query ? { queryStringParameters: options.query } : {}),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.claims
        ? {
            claims: {
              sub: options.claims.sub,
              name: options.claims.name ?? options.claims.sub,
              "custom:agencyId": options.claims.agencyId,
              ...(options.claims.staffId === undefined ? {} : { "custom:staffId": options.claims.staffId }),
              // As API Gateway's JWT authorizer passes a list claim: one string.
              "cognito:groups": `[${options.claims.groups.join(" ")}]`,
            },
          }
        : {}),
    });
  }

  async #http(
    handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>,
    request: {
      routeKey: string;
      body?: string;
      pathParameters?: Record<string, string>;
      queryStringParameters?: Record<string, string>;
      claims?: Record<string, string>;
    },
  ): Promise<ApiResponse> {
    const [method, path] = request.routeKey.split(" ");
    const event = {
      version: "2.0",
      routeKey: request.routeKey,
      rawPath: path,
      rawQueryString: "",
      headers: { "content-type": "application/json" },
      ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
      ...(request.queryStringParameters ? { queryStringParameters: request.queryStringParameters } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      isBase64Encoded: false,
      requestContext: {
        accountId: "000000000000",
        apiId: "test",
        domainName: "test",
        domainPrefix: "test",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "vitest" },
        requestId: "test",
        routeKey: request.routeKey,
        stage: "$default",
        time: "",
        timeEpoch: this.clock.now(),
        ...(request.claims ? { authorizer: { jwt: { claims: request.claims, scopes: [] } } } : {}),
      },
    } as unknown as APIGatewayProxyEventV2;
    const result = (await handler(event, lambdaContext)) as APIGatewayProxyStructuredResultV2;
    const text = result.body ?? "";
    let body: unknown = text;
    if (String(result.headers?.["content-type"] ?? "").startsWith("application/json"))
      body = JSON.parse(text);
    return {
      status: result.statusCode ?? 200,
      body,
      headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    };
  }
}

/**
 * One harness per test, disposed after it. At the top of a test file:
 * `const start = useHarness({ start: "…", directories: […] })`; in a test: `const h = await start()`
 * (or `start({ … })` to override a default).
 */
export function useHarness(
  defaults: HarnessOptions,
): (options?: Partial<HarnessOptions>) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return async (options = {}) => {
    current = await Harness.start({ ...defaults, ...options });
    return current;
  };
}
