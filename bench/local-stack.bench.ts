import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ManualClock } from "../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../local/runtime/stack.ts";
import { agendaEntryItem } from "../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import type { QueueRecord } from "../shared/app/batch.ts";
import type { AgendaAlert } from "../shared/app/dossier-records.ts";
import type { SweepResult } from "../shared/app/sweep-agenda.ts";
import { formatInstant, parseInstant } from "../shared/calendar/index.ts";
import { dossierEventToJson, parseDossierEvent } from "../shared/dossier/index.ts";
import type { Benchmark, Figure } from "./harness.ts";

/**
 * Reliability figures from the local stack (README "Performance"), each beside a baseline from the same run:
 *
 * - `local.ingest-http`: N `received` events of N dossiers POSTed to /events (10 per request, a few
 *   requests at once) until the worker has applied them all — HTTP → validation → FIFO queue →
 *   apply-events handler → DynamoDB Local. Baseline: the same kind of events (other dossiers)
 *   given straight to the use case (`app.applyEvents.applyBatch`, queue-record shaped, batches of
 *   10, as many at once as the queue's consumer), so the HTTP + queue overhead shows.
 * - `local.ingest-http.resend`: the same N events POSTed again once the queue's 5-minute
 *   deduplication window has passed, so the worker itself must recognise them: the stored events
 *   and versions must not change (checked dossier by dossier; the bench throws otherwise).
 * - `local.sweep-lag`: the agenda of M open dossiers (2 entries each over the coming 30 days) seeded
 *   straight through BatchWriteItem (as test/support/agenda-reads.ts does), plus K alerts due at one
 *   instant T; the clock set to T, `sweepNow()` until nothing is due. The lag is the real time the
 *   sweeps took to queue all K (what the sweep running at T would be late by). Baseline: the same K
 *   with 10k open dossiers, measured first on the same table — it should not grow with M.
 *
 * The stack is in memory, with a ManualClock and no timers. LOCAL_BENCH_EVENTS=2000 and
 * LOCAL_BENCH_OPEN=10000,100000 change the sizes; LOCAL_BENCH_PROGRESS=1 prints the phases.
 */

const EVENTS = Number(process.env.LOCAL_BENCH_EVENTS ?? 2000);
const OPEN_SIZES: readonly number[] = (process.env.LOCAL_BENCH_OPEN ?? "10000,100000").split(",").map(Number);
const DUE = 1000;
const LATER_PER_DOSSIER = 2;
const PER_REQUEST = 10;
const CONCURRENT_REQUESTS = 4;
/** The events queue's consumer concurrency in local/runtime/stack.ts. */
const WORKER_CONCURRENCY = 4;

const INGEST_START = "2026-11-20T08:05:00+07:00";
/** A working day's opening, when warnings fall due. */
const SWEEP_AT = "2026-11-20T07:30:00+07:00";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const progress = (line: string) => {
  if (process.env.LOCAL_BENCH_PROGRESS) process.stderr.write(`  ${line}\n`);
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const thousands = (n: number) => `${n / 1000}k`;

function received(code: string, n: number): Record<string, unknown> {
  const at = formatInstant(parseInstant(INGEST_START) - (n % 240) * MINUTE);
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: at,
    receivedAt: at,
    procedure: {
      code: "1.001612",
      name: "Đăng ký khai sinh",
      field: "Hộ tịch",
      timeLimit: { amount: 2 + (n % 5), unit: "working-days" },
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
    handler: { id: "cv-lan" },
  };
}

const codes = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, n) => `000.00.12.${prefix}-2611${String(n).padStart(6, "0")}`);

async function postAll(url: string, events: readonly Record<string, unknown>[]): Promise<void> {
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += PER_REQUEST)
    bodies.push(JSON.stringify(events.slice(i, i + PER_REQUEST)));
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const response = await fetch(`${url}/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const text = await response.text();
      if (response.status !== 202) throw new Error(`POST /events answered ${response.status}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, worker));
}

/** Events stored and version, dossier by dossier (what "applied" means). */
async function stored(stack: LocalStack, list: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const code = list[next++]!;
      const loaded = await stack.tables.dossiers.load(code);
      out.set(code, loaded === undefined ? "missing" : `${loaded.events.length}@${loaded.version}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

function assertApplied(state: Map<string, string>, what: string): void {
  const wrong = [...state].filter(([, v]) => !v.startsWith("1@"));
  if (wrong.length > 0) {
    throw new Error(
      `${what}: ${wrong.length} of ${state.size} dossiers do not hold exactly 1 event (e.g. ${wrong[0]![0]}: ${wrong[0]![1]})`,
    );
  }
}

async function ingestFigures(): Promise<Figure[]> {
  const clock = new ManualClock(INGEST_START);
  const stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock,
    demo: "people",
    timers: false,
    controls: true,
  });
  try {
    // Warm-up (JIT, connections, the calendar read), not timed, on dossiers of their own.
    const warm = codes("W01", 40).map((code, n) => received(code, n));
    await postAll(stack.url, warm);
    await stack.events.drain();

    // Through HTTP.
    const httpCodes = codes("H42", EVENTS);
    const httpEvents = httpCodes.map((code, n) => received(code, n));
    const httpStart = performance.now();
    await postAll(stack.url, httpEvents);
    await stack.events.drain();
    const httpMs = performance.now() - httpStart;
    const first = await stored(stack, httpCodes);
    assertApplied(first, "HTTP ingest");
    progress(`HTTP: ${EVENTS} events applied in ${seconds(httpMs)}`);

    // Baseline: the use case directly, records as the queue hands them to the worker.
    const directCodes = codes("D42", EVENTS);
    const records: QueueRecord[] = directCodes.map((code, n) => ({
      messageId: `direct-${n}`,
      body: JSON.stringify(dossierEventToJson(parseDossierEvent(received(code, n)))),
      groupId: code,
    }));
    const batches: QueueRecord[][] = [];
    for (let i = 0; i < records.length; i += PER_REQUEST) batches.push(records.slice(i, i + PER_REQUEST));
    let next = 0;
    const directStart = performance.now();
    await Promise.all(
      Array.from({ length: WORKER_CONCURRENCY }, async () => {
        while (next < batches.length) {
          const result = await stack.app.applyEvents.applyBatch(batches[next++]!);
          if (result.failures.length > 0)
            throw new Error(`direct apply failed: ${result.failures[0]!.reason}`);
        }
      }),
    );
    const directMs = performance.now() - directStart;
    assertApplied(await stored(stack, directCodes), "direct apply");
    progress(`direct: ${EVENTS} events applied in ${seconds(directMs)}`);

    // The same events again, past the queue's deduplication window: the worker must see them
    // as duplicates and write nothing.
    clock.advance(6 * MINUTE);
    const send = stack.events.send.bind(stack.events);
    let delivered = 0;
    stack.events.send = (input) => {
      const result = send(input);
      if (!result.duplicate) delivered += 1;
      return result;
    };
    const resendStart = performance.now();
    await postAll(stack.url, httpEvents);
    await stack.events.drain();
    const resendMs = performance.now() - resendStart;
    if (delivered !== EVENTS) {
      throw new Error(`resend: the queue delivered ${delivered} of ${EVENTS} to the worker (dedupe window?)`);
    }
    const again = await stored(stack, httpCodes);
    const changed = [...again].filter(([code, v]) => first.get(code) !== v);
    if (changed.length > 0) {
      throw new Error(
        `duplicate resend changed ${changed.length} dossiers (e.g. ${changed[0]![0]}: ${first.get(changed[0]![0])} → ${changed[0]![1]})`,
      );
    }
    const dead = stack.events.stats().deadLetters + stack.eventsDeadLetters.stats().depth;
    if (dead > 0) throw new Error(`${dead} events dead-lettered during the ingest bench`);
    progress(`resend: ${EVENTS} duplicates handled in ${seconds(resendMs)}, nothing changed`);

    const httpRate = (EVENTS / httpMs) * 1000;
    return [
      {
        figure: "local.ingest-http",
        value: httpRate,
        unit: "events/s",
        baselines: { "apply-use-case-directly": (EVENTS / directMs) * 1000 },
        note: `${fmt(EVENTS)} received events of ${fmt(EVENTS)} dossiers, ${PER_REQUEST} per POST, ${CONCURRENT_REQUESTS} requests at once, timed until the worker applied the last (${seconds(httpMs)}; direct ${seconds(directMs)}) — DynamoDB Local in memory on this machine, not AWS`,
      },
      {
        figure: "local.ingest-http.resend",
        value: (EVENTS / resendMs) * 1000,
        unit: "events/s",
        baselines: { "first-send": httpRate },
        note: `the same ${fmt(EVENTS)} events POSTed again after the queue's 5-min dedupe window: all reached the worker, every dossier still holds 1 event at the same version (checked one by one), 0 dead letters`,
      },
    ];
  } finally {
    await stack.stop();
  }
}

/** BatchWriteItem takes 25 puts a call; unprocessed items are sent again (as test/support/agenda-reads.ts). */
async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let pending = items.slice(next, next + 25).map((Item) => ({ PutRequest: { Item } }));
      next += 25;
      while (pending.length > 0) {
        const output = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (output.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const dossierCode = (d: number) => `BENCH.${String(d).padStart(7, "0")}`;

function agendaAlert(code: string, key: string, atMs: number): AgendaAlert {
  return {
    at: formatInstant(atMs),
    dedupeKey: `${code}:${key}`,
    rule: "handler-due-soon",
    kind: "notice",
    recipientRole: "handler",
    recipientId: "cb-ngoc",
    channel: "email",
    dossierCode: code,
    agencyId: "ttpvhcc-tinh",
    unitId: "quay-tu-phap",
    appointmentVersion: 1,
    dueAt: formatInstant(atMs + DAY),
    context: {
      procedureName: "Đăng ký khai sinh",
      agencyName: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
      unitName: "Quầy Sở Tư pháp",
      handlerName: "Phạm Bảo Ngọc",
    },
  };
}

interface SweepMeasurement {
  readonly open: number;
  readonly seeded: number;
  readonly seedMs: number;
  readonly queued: number;
  readonly sweeps: number;
  readonly lagMs: number;
  readonly deliveredMs: number;
}

async function sweepFigures(): Promise<Figure[]> {
  const t0 = parseInstant(SWEEP_AT);
  const clock = new ManualClock(t0 - MINUTE);
  const stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock,
    demo: "people",
    timers: false,
    controls: true,
  });
  const measurements: SweepMeasurement[] = [];
  try {
    const { doc, design } = stack;
    // Steady state and warm-up (not timed): the sweep ran a minute before, on K alerts of their
    // own, so its cursor is at today and the code paths are compiled before the first phase.
    await batchPut(
      doc,
      design.tableName,
      Array.from({ length: DUE }, (_, k) =>
        agendaEntryItem(
          design,
          dossierCode(k),
          agendaAlert(dossierCode(k), `warm-${k}`, t0 - MINUTE),
          t0 - 60 * MINUTE,
        ),
      ),
    );
    while (((await stack.sweepNow()) as SweepResult).due > 0);
    await stack.settle();
    let seededDossiers = 0;
    // The baseline size twice: the first run still warms DynamoDB Local's JVM up; the repeat
    // (same table, no new dossiers) is the baseline, nearer in time to the larger sizes.
    const phases = [OPEN_SIZES[0]!, ...OPEN_SIZES];
    for (const [phase, open] of phases.entries()) {
      // Each phase one minute later, with K alerts of its own due at that instant.
      const at = t0 + phase * MINUTE;
      const items: Record<string, unknown>[] = [];
      for (let d = seededDossiers; d < open; d++) {
        const code = dossierCode(d);
        for (let i = 0; i < LATER_PER_DOSSIER; i++) {
          // Deterministic spread over the coming 30 days, never before T + 1 h.
          const offset = 60 * MINUTE + ((d * 7919 + i * 104_729) % (30 * 24 * 60)) * MINUTE;
          items.push(
            agendaEntryItem(design, code, agendaAlert(code, `later-${i}`, t0 + offset), t0 - 60 * MINUTE),
          );
        }
      }
      for (let k = 0; k < DUE; k++) {
        const code = dossierCode(Math.floor((k * open) / DUE));
        items.push(
          agendaEntryItem(design, code, agendaAlert(code, `due-${phase}-${k}`, at), t0 - 60 * MINUTE),
        );
      }
      const seedStart = performance.now();
      await batchPut(doc, design.tableName, items);
      const seedMs = performance.now() - seedStart;
      seededDossiers = Math.max(seededDossiers, open);
      progress(`${open} open: seeded ${fmt(items.length)} agenda items in ${seconds(seedMs)}`);

      clock.set(at);
      const start = performance.now();
      let queued = 0;
      let sweeps = 0;
      let lagMs = 0;
      for (;;) {
        const result = (await stack.sweepNow()) as SweepResult;
        sweeps += 1;
        if (result.due === 0) break;
        queued += result.queued;
        lagMs = performance.now() - start;
        if (sweeps > 50) throw new Error("the sweep does not finish");
      }
      if (queued !== DUE)
        throw new Error(`${open} open: the sweeps queued ${queued} alerts, ${DUE} were due`);
      await stack.settle();
      const deliveredMs = performance.now() - start;
      progress(
        `${open} open: ${queued} alerts queued in ${seconds(lagMs)}, delivered by ${seconds(deliveredMs)}`,
      );
      measurements.push({ open, seeded: items.length, seedMs, queued, sweeps, lagMs, deliveredMs });
    }
    const dead = stack.notify.stats().deadLetters;
    if (dead > 0) throw new Error(`${dead} notices dead-lettered during the sweep bench`);
  } finally {
    await stack.stop();
  }
  const [cold, base, ...rest] = measurements;
  if (!cold || !base) return [];
  const suffix = (m: SweepMeasurement) => (rest.length > 1 ? `.${thousands(m.open)}` : "");
  return rest.flatMap((m): Figure[] => [
    {
      figure: `local.sweep-lag${suffix(m)}`,
      value: m.lagMs / 1000,
      unit: "s",
      baselines: { [`${thousands(base.open)}-open`]: base.lagMs / 1000 },
      note: `${fmt(DUE)} alerts due at one instant, ${fmt(m.open)} open dossiers (${LATER_PER_DOSSIER} later entries each): the real time sweepNow() took to queue all ${fmt(m.queued)} (${m.sweeps - 1} sweep(s) + 1 that found nothing); delivered through notify → SES → mail catcher by ${seconds(m.deliveredMs)} (${thousands(base.open)}: ${seconds(base.deliveredMs)}). Seeded ${fmt(m.seeded)} items in ${seconds(m.seedMs)} (${thousands(base.open)}: ${fmt(cold.seeded)} in ${seconds(cold.seedMs)}), not timed. Baseline = a second run at ${thousands(base.open)}; its first (cold JVM) took ${seconds(cold.lagMs)}`,
    },
    {
      figure: `local.sweep-alerts-per-second${suffix(m)}`,
      value: (m.queued / m.lagMs) * 1000,
      unit: "alerts/s",
      baselines: { [`${thousands(base.open)}-open`]: (base.queued / base.lagMs) * 1000 },
      note: "claim (transaction) + queue + record + mark done per alert, DynamoDB Local in memory on this machine, not AWS",
    },
  ]);
}

export const localStackBenchmark: Benchmark = {
  name: "local-stack",
  async run(): Promise<Figure[]> {
    return [...(await ingestFigures()), ...(await sweepFigures())];
  },
};
