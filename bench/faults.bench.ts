import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChildStack,
  ingestUntil,
  killChildStacks,
  receivedEvent,
  settledOutbox,
  startChildStack,
  waitApplied,
} from "../local/runtime/child-stack.ts";
import type { Benchmark, Figure } from "./harness.ts";

/**
 * Reliability under faults (docs/reliability.md), `npm start` run as a child process group and killed the
 * hard way (SIGKILL of node and Java), each figure beside a baseline from the same run:
 *
 * - `faults.crash.*`: FAULT_BENCH_EVENTS `received` events POSTed (5 per request, 4 at once) and
 *   the stack SIGKILLed as soon as the last is answered, with a backlog queued; restarted on the
 *   same data, the events answered 2xx are looked up one by one (GET /dossiers/{code}).
 *   Baseline: the same storm on the queues as they were before the journal (in memory,
 *   DUNGHAN_QUEUES=memory).
 * - `faults.alerts.*`: FAULT_BENCH_DOSSIERS dossiers of 2 office hours on a ×2400 clock, the
 *   stack SIGKILLed at 08:45 (between warnings) and restarted where its clock was; the outbox is
 *   then counted: alerts sent, the same body twice to the same recipient (duplicates), and
 *   expected notices missing (receipt SMS and e-mail, handler and unit-leader escalations).
 *   Baseline: the same day without the crash.
 *
 * Only 127.0.0.1; the data folders are temporary and removed.
 */

const EVENTS = Number(process.env.FAULT_BENCH_EVENTS ?? 300);
const DOSSIERS = Number(process.env.FAULT_BENCH_DOSSIERS ?? 10);
const CLOCK = "2026-11-20T08:05:00+07:00";
const RECEIVED_AT = "2026-11-20T08:00:00+07:00";
const DAY_START = "2026-11-25T07:00:00+07:00";
const DAY_RECEIVED_AT = "2026-11-25T07:30:00+07:00";
/** ×1200: a clock hour in 3 s, so cold-start lag does not overtake the first warnings. */
const SPEED = "1200";

const progress = (line: string) => {
  if (process.env.LOCAL_BENCH_PROGRESS) process.stderr.write(`  ${line}\n`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withDataDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "dunghan-fault-bench-"));
  try {
    return await run(dir);
  } finally {
    await killChildStacks();
    await rm(dir, { recursive: true, force: true });
  }
}

interface CrashTally {
  readonly sent: number;
  readonly accepted: number;
  readonly lost: number;
  readonly backlog: number;
}

async function crashRun(durable: boolean): Promise<CrashTally> {
  return withDataDir(async (dir) => {
    const env: Record<string, string> = durable ? {} : { DUNGHAN_QUEUES: "memory" };
    const args = ["--data", dir, "--demo-people", "--clock", CLOCK];
    const first = await startChildStack(args, { env });
    let killed = false;
    const load = ingestUntil(first.url, {
      prefix: durable ? "F01" : "M01",
      receivedAt: RECEIVED_AT,
      stop: () => killed,
      max: EVENTS,
    });
    await Promise.race([load, sleep(20_000)]);
    killed = true;
    await first.kill("SIGKILL");
    const tally = await load;
    const second = await startChildStack(args, { env });
    const backlog = Number(/queues resumed: (\d+) message/.exec(second.output())?.[1] ?? 0);
    const missing = await waitApplied(second.url, tally.accepted, 180_000, { stallMs: 8_000 });
    await second.kill("SIGTERM");
    progress(
      `${durable ? "journal" : "in memory"}: sent ${tally.sent}, accepted ${tally.accepted.size}, resumed ${backlog}, lost ${missing.length}`,
    );
    return { sent: tally.sent, accepted: tally.accepted.size, lost: missing.length, backlog };
  });
}

async function clockOf(url: string): Promise<string> {
  const health = (await (await fetch(`${url}/health`)).json()) as { versions: { clock: string } };
  return health.versions.clock;
}

async function until(url: string, instant: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.parse(await clockOf(url)) < Date.parse(instant)) {
    if (Date.now() > deadline) throw new Error(`the clock did not reach ${instant}`);
    await sleep(100);
  }
}

interface AlertTally {
  readonly sent: number;
  readonly warnings: number;
  readonly duplicates: number;
  readonly missing: number;
}

const dayCode = (n: number) => `000.00.12.H42-261125-${String(n).padStart(4, "0")}`;

async function alertsRun(crash: boolean): Promise<AlertTally> {
  return withDataDir(async (dir) => {
    const args = (clock: string) => ["--data", dir, "--demo-people", "--clock", clock, "--speed", SPEED];
    let stack: ChildStack = await startChildStack(args(DAY_START));
    const response = await fetch(`${stack.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        Array.from({ length: DOSSIERS }, (_, n) => receivedEvent(dayCode(n), DAY_RECEIVED_AT, 2)),
      ),
    });
    if (response.status !== 202) throw new Error(`POST /events answered ${response.status}`);
    if (crash) {
      await until(stack.url, "2026-11-25T08:45:00+07:00");
      const at = await clockOf(stack.url);
      await stack.kill("SIGKILL");
      stack = await startChildStack(args(at));
    }
    await until(stack.url, "2026-11-25T15:15:00+07:00");
    // At least each dossier's receipt (SMS, e-mail), a warning and two escalations.
    const outbox = await settledOutbox(stack.url, (o) => o.sms.length + o.emails.length >= 5 * DOSSIERS, {
      quietMs: 5_000,
      timeoutMs: 90_000,
    });
    await stack.kill("SIGTERM");
    // The day's notices to the applicant, the handler and the unit leader; not the digests and
    // agency-leader escalations the clock reaches while the outbox settles.
    const messages = [
      ...outbox.sms.map((sms) => ({ to: sms.to, subject: "", body: `${sms.to}\n${sms.text}` })),
      ...outbox.emails.map((mail) => ({
        to: mail.to.join(","),
        subject: mail.subject,
        body: `${mail.to.join(",")}\n${mail.subject}\n${mail.text}`,
      })),
    ].filter((m) => /^(\+84|benam@|cb-ngoc@|tq-phuong@)/.test(m.to) && !/Tổng hợp/.test(m.subject));
    const bodies = new Map<string, number>();
    for (const message of messages) bodies.set(message.body, (bodies.get(message.body) ?? 0) + 1);
    const duplicates = [...bodies.values()].reduce((sum, count) => sum + count - 1, 0);
    let missing = 0;
    for (let n = 0; n < DOSSIERS; n++) {
      const mine = messages.filter((message) => message.body.includes(dayCode(n)));
      const present = [
        mine.some((m) => m.subject === "" && m.to.startsWith("+84")),
        mine.some((m) => /Đã tiếp nhận/.test(m.subject)),
        mine.some((m) => /Quá hạn/.test(m.subject) && m.to.startsWith("cb-ngoc")),
        mine.some((m) => /Quá hạn/.test(m.subject) && m.to.startsWith("tq-phuong")),
      ];
      missing += present.filter((ok) => !ok).length;
    }
    const kinds = new Map<string, number>();
    for (const m of messages) {
      const kind = `${m.to.replace(/@.*$/, "")} ${m.subject.replace(/ Hồ sơ .*$| \d{3}\..*$/, "") || "SMS"}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    progress(
      `${crash ? "crash" : "no crash"}: ${messages.length} sent, ${duplicates} duplicates, ${missing} missing — ${[...kinds].map(([k, n]) => `${k}: ${n}`).join("; ")}`,
    );
    const warnings = messages.filter((m) => /Sắp đến hạn/.test(m.subject)).length;
    return { sent: messages.length, warnings, duplicates, missing };
  });
}

export const faultsBenchmark: Benchmark = {
  name: "faults",
  async run(): Promise<Figure[]> {
    // FAULT_BENCH_PART=alerts: the alert runs only.
    const alertsOnly = process.env.FAULT_BENCH_PART === "alerts";
    const none = { sent: 0, accepted: 0, lost: 0, backlog: 0 };
    const journal = alertsOnly ? none : await crashRun(true);
    const memory = alertsOnly ? none : await crashRun(false);
    const crashed = await alertsRun(true);
    const calm = await alertsRun(false);
    const crashNote = `SIGKILL of node + Java once ${EVENTS} events were POSTed; restarted on the same data. Journal: ${journal.backlog} queued messages resumed; in memory: ${memory.backlog}`;
    const alertNote = `${DOSSIERS} dossiers over one working day at ×${SPEED}, SIGKILL at 08:45 and restart where the clock was; baseline: the same day without the crash. Handler warnings sent: ${crashed.warnings} (no crash: ${calm.warnings})`;
    return [
      {
        figure: "faults.crash.sent",
        value: journal.sent,
        unit: "events",
        baselines: { "in-memory-queue": memory.sent },
        note: crashNote,
      },
      {
        figure: "faults.crash.accepted",
        value: journal.accepted,
        unit: "events (2xx)",
        baselines: { "in-memory-queue": memory.accepted },
      },
      {
        figure: "faults.crash.lost",
        value: journal.lost,
        unit: "accepted events not applied",
        baselines: { "in-memory-queue": memory.lost },
        target: "0",
      },
      {
        figure: "faults.alerts.sent",
        value: crashed.sent,
        unit: "SMS + e-mails",
        baselines: { "no-crash": calm.sent },
        note: alertNote,
      },
      {
        figure: "faults.alerts.duplicates",
        value: crashed.duplicates,
        unit: "alerts sent twice",
        baselines: { "no-crash": calm.duplicates },
        target: "0",
      },
      {
        figure: "faults.alerts.missing",
        value: crashed.missing,
        unit: "expected notices not sent",
        baselines: { "no-crash": calm.missing },
        target: "0",
      },
    ];
  },
};
