/**
 * `npm start` as a child process, for the fault tests and `npm run bench`: started in its own
 * process group so a crash can be simulated by SIGKILLing the whole group (node and Java), as a
 * power cut or the OOM killer would. Only 127.0.0.1.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CLI = fileURLToPath(new URL("../../bin/dunghan.mjs", import.meta.url));

export interface ChildStack {
  readonly url: string;
  readonly pid: number;
  /** Everything the child printed so far (stdout and stderr). */
  output(): string;
  /** The pid of DynamoDB Local's Java process (in the child's process group). */
  javaPid(): number | undefined;
  /**
   * SIGKILL (the default, a crash) goes to the whole process group, node and Java alike; any other
   * signal to node alone, which stops the stack gracefully and DynamoDB Local last (a signal to
   * Java as well would take the table away from the in-flight work). Waits until node has exited.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildStack>();
let exitHookSet = false;

/** Starts `dunghan start --port 0 …args` and resolves once it prints its URL. */
export async function startChildStack(
  args: readonly string[],
  options: { readonly timeoutMs?: number; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<ChildStack> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const child: ChildProcess = spawn(process.execPath, [CLI, "start", "--port", "0", ...args], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DUNGHAN_LOG_LEVEL: "ERROR", ...options.env },
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid ?? -1;
  const stack: ChildStack = {
    url: "",
    pid,
    output: () => text,
    javaPid: () => javaInGroup(pid),
    async kill(signal = "SIGKILL") {
      running.delete(stack);
      try {
        process.kill(signal === "SIGKILL" ? -pid : pid, signal);
      } catch {
        // already gone
      }
      await exited;
      if (signal === "SIGKILL") {
        // Java got the same signal; wait until the kernel has reaped it.
        for (let i = 0; i < 100 && javaInGroup(pid) !== undefined; i++)
          await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  running.add(stack);
  if (!exitHookSet) {
    exitHookSet = true;
    process.once("exit", killRunningNow);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text);
    if (match) return Object.assign(stack, { url: match[1]! });
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stack.kill();
      throw new Error(`dunghan start did not come up:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills every child stack still running (afterAll, and on the way out of a failed bench). */
export async function killChildStacks(): Promise<void> {
  await Promise.all([...running].map((stack) => stack.kill()));
}

/** On the way out (a failed test run, an interrupted bench): no child stack outlives us. */
function killRunningNow(): void {
  for (const stack of running) {
    try {
      process.kill(-stack.pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
}

function javaInGroup(pgid: number): number | undefined {
  try {
    const lines = execFileSync("ps", ["-eo", "pid=,pgid=,comm="], { encoding: "utf8" }).split("\n");
    for (const line of lines) {
      const [pid, group, command] = line.trim().split(/\s+/);
      if (Number(group) === pgid && command === "java") return Number(pid);
    }
  } catch {
    // no ps: nothing found
  }
  return undefined;
}

/** A `received` event of the demo's provincial centre (its staff are loaded by --demo-people). */
export function receivedEvent(code: string, receivedAt: string, hours = 16): Record<string, unknown> {
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: receivedAt,
    receivedAt,
    procedure: {
      code: "1.001612",
      name: "Đăng ký khai sinh",
      field: "Hộ tịch",
      timeLimit: { amount: hours, unit: "working-hours" },
    },
    agency: { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" },
    unit: { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" },
    channel: "online",
    applicant: {
      name: "Trần Thị Bé Năm",
      honorific: "Bà",
      phone: "0900001234",
      email: "benam@example.vn",
      consent: { sms: true, email: true },
    },
    handler: { id: "cb-ngoc", name: "Phạm Bảo Ngọc" },
  };
}

export interface IngestTally {
  /** Events POSTed. */
  sent: number;
  /** Dossier codes of the events answered 2xx. */
  readonly accepted: Set<string>;
  /** Answers by status ("refused" when the connection failed). */
  readonly answers: Map<string, number>;
}

/**
 * POSTs one `received` event per new dossier (`prefix`-000001, …) from `workers` loops, `perRequest`
 * per call, until `stop()` says so; tallies what was answered 2xx. Connection errors (the stack
 * being killed) count as not accepted.
 */
export async function ingestUntil(
  url: string,
  options: {
    readonly prefix: string;
    readonly receivedAt: string;
    readonly stop: () => boolean;
    readonly workers?: number;
    readonly perRequest?: number;
    readonly max?: number;
  },
): Promise<IngestTally> {
  const tally: IngestTally = { sent: 0, accepted: new Set(), answers: new Map() };
  const count = (key: string) => tally.answers.set(key, (tally.answers.get(key) ?? 0) + 1);
  let next = 0;
  const perRequest = options.perRequest ?? 5;
  const worker = async () => {
    while (!options.stop() && (options.max === undefined || next < options.max)) {
      const codes = Array.from(
        { length: perRequest },
        () => `000.00.12.${options.prefix}-${String(++next).padStart(6, "0")}`,
      );
      tally.sent += codes.length;
      try {
        const response = await fetch(`${url}/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(codes.map((code) => receivedEvent(code, options.receivedAt))),
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        count(String(response.status));
        if (response.status >= 200 && response.status < 300)
          for (const code of codes) tally.accepted.add(code);
      } catch {
        count("refused");
        if (options.stop()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers ?? 4 }, worker));
  return tally;
}

/** A leader's ID token on a stack started with the demo's people. */
export async function leaderToken(url: string, account = "gd-trung"): Promise<string> {
  const response = await fetch(`${url}/login`, { method: "POST", body: new URLSearchParams({ account }) });
  if (response.status !== 200) throw new Error(`login ${account}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Polls GET /dossiers/{code} until every code is there or the time is up; returns the missing ones. */
export interface QueueStatsJson {
  readonly depth: number;
  readonly inFlight: number;
  readonly deadLetters: number;
}

/** The events queue as the stack's /health reports it. */
export async function eventsQueue(url: string): Promise<QueueStatsJson> {
  const health = (await (await fetch(`${url}/health`)).json()) as { queues: { events: QueueStatsJson } };
  return health.queues.events;
}

export interface AppliedWait {
  readonly accepted: number;
  /** Codes answered 2xx whose dossier cannot be read. */
  readonly lost: number;
  /**
   * "applied": every code is there. "drained": the events queue holds nothing any more (nothing
   * waiting, in flight or dead) and codes are still missing: they are lost, not late.
   * "timeout": the limit passed with the queue still working (a machine far too slow, or a stall).
   */
  readonly outcome: "applied" | "drained" | "timeout";
  readonly missing: readonly string[];
  readonly seconds: number;
  /** The events queue at the end, and how many codes were applied per poll (progress). */
  readonly queue: QueueStatsJson;
  readonly progress: readonly number[];
}

/**
 * Waits until every code is applied, or the events queue has drained without them (a real loss,
 * reported at once), bounded by `limitMs` — not a guessed duration, which a loaded machine
 * outruns. The result says which, with the progress, for a failure message.
 */
export async function waitAppliedOrDrained(
  url: string,
  codes: Iterable<string>,
  limitMs: number,
  options: { readonly account?: string } = {},
): Promise<AppliedWait> {
  const all = [...codes];
  let missing = all;
  const started = Date.now();
  const progress: number[] = [];
  let queue: QueueStatsJson = { depth: -1, inFlight: -1, deadLetters: -1 };
  let token = await leaderToken(url, options.account);
  let tokenAt = Date.now();
  const result = (outcome: AppliedWait["outcome"]): AppliedWait => ({
    accepted: all.length,
    lost: missing.length,
    outcome,
    missing: missing.slice(0, 10),
    seconds: Math.round((Date.now() - started) / 1000),
    queue,
    progress,
  });
  for (;;) {
    if (Date.now() - tokenAt > 5_000) {
      token = await leaderToken(url, options.account);
      tokenAt = Date.now();
    }
    // The queue first: if it was empty before the codes were read, a code missing now never comes.
    queue = await eventsQueue(url);
    const drained = queue.depth === 0 && queue.inFlight === 0 && queue.deadLetters === 0;
    const before = missing.length;
    missing = await unreadable(url, token, missing);
    progress.push(before - missing.length);
    if (missing.length === 0) return result("applied");
    if (drained) return result("drained");
    if (Date.now() - started > limitMs) return result("timeout");
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** The codes whose dossier does not read 200 (8 requests at a time). */
async function unreadable(url: string, token: string, codes: readonly string[]): Promise<string[]> {
  const still: string[] = [];
  let index = 0;
  const check = async () => {
    while (index < codes.length) {
      const code = codes[index++]!;
      const response = await fetch(`${url}/dossiers/${encodeURIComponent(code)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      if (response.status !== 200) still.push(code);
    }
  };
  await Promise.all(Array.from({ length: 8 }, check));
  return still;
}

export async function waitApplied(
  url: string,
  codes: Iterable<string>,
  timeoutMs: number,
  options: { readonly account?: string; readonly stallMs?: number } = {},
): Promise<string[]> {
  const account = options.account ?? "gd-trung";
  let missing = [...codes];
  const deadline = Date.now() + timeoutMs;
  let progressAt = Date.now();
  let token = await leaderToken(url, account);
  let tokenAt = Date.now();
  while (missing.length > 0) {
    if (Date.now() - tokenAt > 5_000) {
      // Tokens expire on the stack's clock, which may run fast.
      token = await leaderToken(url, account);
      tokenAt = Date.now();
    }
    const still: string[] = [];
    let index = 0;
    const check = async () => {
      while (index < missing.length) {
        const code = missing[index++]!;
        const response = await fetch(`${url}/dossiers/${encodeURIComponent(code)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await response.arrayBuffer();
        if (response.status !== 200) still.push(code);
      }
    };
    await Promise.all(Array.from({ length: 8 }, check));
    if (still.length < missing.length) progressAt = Date.now();
    missing = still;
    if (missing.length === 0 || Date.now() > deadline) break;
    // Nothing applied for a while: what is missing is not coming (the bench's in-memory baseline).
    if (options.stallMs !== undefined && Date.now() - progressAt > options.stallMs) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return missing;
}

export interface OutboxJson {
  readonly sms: readonly { readonly id: string; readonly to: string; readonly text: string }[];
  readonly emails: readonly {
    readonly messageId?: string;
    readonly to: readonly string[];
    readonly subject: string;
    readonly text: string;
  }[];
}

/**
 * The outbox once `complete(outbox)` holds and nothing new came for `quietMs` (so a late
 * duplicate would be seen), or — when it never completes — once `timeoutMs` is up. Notices trail
 * a sped-up clock by seconds of real time.
 */
export async function settledOutbox(
  url: string,
  complete: (outbox: OutboxJson) => boolean,
  options: { readonly quietMs?: number; readonly timeoutMs?: number } = {},
): Promise<OutboxJson> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let size = -1;
  let changedAt = Date.now();
  for (;;) {
    const outbox = (await (await fetch(`${url}/outbox.json`)).json()) as OutboxJson;
    const now = outbox.sms.length + outbox.emails.length;
    if (now !== size) {
      size = now;
      changedAt = Date.now();
    }
    if (complete(outbox) && Date.now() - changedAt >= (options.quietMs ?? 3_000)) return outbox;
    if (Date.now() > deadline) return outbox;
    await new Promise((r) => setTimeout(r, 500));
  }
}
