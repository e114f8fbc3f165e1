import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createTables, type DynamoDbLocal, startDynamoDbLocal } from "../local/dynamodb-local.ts";
import { agendaEntryItem } from "../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { tablePorts } from "../shared/adapters/dynamodb/index.ts";
import { plain } from "../shared/adapters/dynamodb/support.ts";
import {
  ATTR,
  byAgencyStatusKey,
  ENTITY,
  keys,
  type TableDesign,
  tableDesign,
} from "../shared/adapters/dynamodb/table-design.ts";
import { InMemoryQueue } from "../shared/adapters/sqs/in-memory-queue.ts";
import { DEFAULT_ALERT_POLICY, type Directory, dueAlerts, planAlerts } from "../shared/alerts/index.ts";
import { type DossierSnapshot, listingOf, toAgendaAlert } from "../shared/app/dossier-records.ts";
import { silentLogger } from "../shared/app/logger.ts";
import { noMetrics } from "../shared/app/metrics.ts";
import { SweepAgenda } from "../shared/app/sweep-agenda.ts";
import { CivilCalendar, formatInstant, parseInstant, WorkingTime } from "../shared/calendar/index.ts";
import { type Dossier, foldDossier, parseDossierEvent } from "../shared/dossier/index.ts";
import { type Benchmark, type Figure, seededRandom } from "./harness.ts";

/**
 * The sweep's cost against the number of open dossiers, in DynamoDB Local.
 *
 * Open dossiers received over the four weeks before a working day's opening (Friday
 * 20/11/2026 07:30, when the "due today" warnings fall due), folded and planned by the real domain
 * code, then seeded straight through BatchWriteItem: each dossier's state item (as the dossier
 * repository writes it) and the agenda entries still pending — the ones due now and the next two
 * planned. Entries already handled are left out (they are outside the agenda index, which is all
 * the sweep reads; the scan baseline would only read more), and so are later entries in other day
 * buckets (other index partitions, which the sweep never queries: test/adapters/dynamodb covers it).
 *
 * Then the real SweepAgenda runs (claims, queueing, marking done) against the in-memory notify and
 * apology queues, every item read counted at the SDK; the baseline, in the same run on the same
 * table, is the naive sweep: Scan the table for open dossiers and evaluate `dueAlerts` on each.
 *
 * About two minutes on 2 cores. SWEEP_BENCH_SIZES=2000 runs other sizes; SWEEP_BENCH_PROGRESS=1
 * prints the phases.
 */

const NOW = "2026-11-20T07:30:00+07:00";
const SIZES: readonly number[] = process.env.SWEEP_BENCH_SIZES
  ? process.env.SWEEP_BENCH_SIZES.split(",").map(Number)
  : [10_000, 100_000];
/** Planned entries after now seeded per dossier besides the due ones. */
const LATER_PER_DOSSIER = 2;
const MINUTE = 60_000;
const SCAN_SEGMENTS = 32;

const AGENCY = { id: "so-nnmt", name: "Sở Nông nghiệp và Môi trường" };
const DIRECTORY: Directory = {
  agencies: {
    [AGENCY.id]: {
      leaderIds: ["gd-hung"],
      units: { "mot-cua": { leaderIds: ["tp-mai"] }, "phong-mt": { leaderIds: ["tp-tuan"] } },
    },
  },
};

interface Seed {
  readonly items: Record<string, unknown>[];
  /** Alerts due at NOW (in the last minute, not overtaken): what one sweep must send. */
  readonly expected: number;
  readonly dossiers: number;
}

function makeSeed(count: number, design: TableDesign, working: WorkingTime): Seed {
  const random = seededRandom(count);
  const nowMs = parseInstant(NOW);
  const first = parseInstant("2026-10-26T00:00:00+07:00");
  const context = { workingTime: working, directory: DIRECTORY };
  const items: Record<string, unknown>[] = [];
  let expected = 0;
  for (let n = 0; n < count; n++) {
    const code = `000.00.12.H42-2611${String(n).padStart(6, "0")}`;
    const day = Math.floor(random() * 25);
    const receivedAt = first + day * 86_400_000 + (30 + Math.floor(random() * 540)) * MINUTE + 7 * 3_600_000;
    if (receivedAt >= nowMs - 60 * MINUTE) continue;
    const wire = [
      {
        id: "r",
        type: "received",
        dossierCode: code,
        occurredAt: formatInstant(receivedAt),
        receivedAt: formatInstant(receivedAt),
        procedure: {
          code: "1.010727",
          name: "Cấp giấy phép môi trường",
          timeLimit: { amount: 5 + Math.floor(random() * 11), unit: "working-days" },
        },
        agency: AGENCY,
        unit: { id: "mot-cua", name: "Bộ phận Một cửa" },
        channel: "online",
        applicant: { name: "Nguyễn Văn An", phone: "0912345678", consent: { sms: true, email: false } },
        handler: { id: "cb-lan" },
      },
      {
        id: "a",
        type: "assigned",
        dossierCode: code,
        occurredAt: formatInstant(receivedAt + 30 * MINUTE),
        handler: { id: "cv-hoa" },
        unit: { id: "phong-mt", name: "Phòng Môi trường" },
        ...(random() < 0.5 ? { allotment: { amount: 3, unit: "working-days" } } : {}),
      },
    ].map((json) => parseDossierEvent(json));
    const dossier = foldDossier(wire, working);
    items.push(stateItem(code, dossier, nowMs - 2 * MINUTE, working));
    let later = 0;
    for (const alert of planAlerts(dossier, DEFAULT_ALERT_POLICY, context)) {
      // Handled by the sweeps before this one: done, out of the agenda index.
      if (alert.at <= nowMs - MINUTE) continue;
      if (alert.at <= nowMs) {
        if (alert.expiresAt === undefined || nowMs < alert.expiresAt) expected += 1;
      } else if (later++ >= LATER_PER_DOSSIER) continue;
      items.push(agendaEntryItem(design, code, toAgendaAlert(alert, dossier), nowMs - 2 * MINUTE));
    }
  }
  return { items, expected, dossiers: count };
}

/** The state item as DynamoDbDossierRepository.save writes it (listing and index keys included). */
function stateItem(
  code: string,
  dossier: Dossier,
  savedAtMs: number,
  working: WorkingTime,
): Record<string, unknown> {
  const listing = listingOf(dossier, savedAtMs, working);
  return {
    ...keys.dossierState(code),
    [ATTR.entity]: ENTITY.dossierState,
    dossierCode: code,
    version: 2,
    savedAt: formatInstant(savedAtMs),
    state: plain(dossier),
    ...(listing === undefined
      ? {}
      : { listing: plain(listing), ...byAgencyStatusKey({ ...listing, dossierCode: code }) }),
  };
}

async function batchPut(
  doc: DynamoDBDocumentClient,
  table: string,
  items: readonly Record<string, unknown>[],
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let pending = items.slice(next, next + 25).map((Item) => ({ PutRequest: { Item } }));
      next += 25;
      while (pending.length > 0) {
        const output = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (output.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Counts the items every read returned or evaluated (Query/Scan ScannedCount, GetItem's item, batch and transact gets). */
function countReads(client: DynamoDBClient): { items: () => number; reset: () => void } {
  let items = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const out = result.output as {
        ScannedCount?: number;
        Item?: unknown;
        Responses?: unknown[] | Record<string, unknown[]>;
      };
      if (typeof out.ScannedCount === "number") items += out.ScannedCount;
      else if (out.Item !== undefined) items += 1;
      else if (Array.isArray(out.Responses)) items += out.Responses.length;
      else if (out.Responses) for (const list of Object.values(out.Responses)) items += list.length;
      return result;
    },
    { step: "initialize", name: "countReads" },
  );
  return { items: () => items, reset: () => (items = 0) };
}

interface Measurement {
  readonly size: number;
  readonly expected: number;
  readonly seeded: number;
  readonly seedMs: number;
  readonly sent: number;
  readonly sweepReads: number;
  readonly sweepMs: number;
  readonly naiveFound: number;
  readonly naiveReads: number;
  readonly naiveMs: number;
}

async function measure(local: DynamoDbLocal, size: number, working: WorkingTime): Promise<Measurement> {
  const client = local.client();
  const design = tableDesign({ tableName: `bench-sweep-${size}` });
  await createTables(client, design);
  const doc = DynamoDBDocumentClient.from(client);
  const planStart = performance.now();
  const seed = makeSeed(size, design, working);
  progress(
    `${size}: planned ${seed.items.length} items in ${((performance.now() - planStart) / 1000).toFixed(1)} s`,
  );
  const seedStart = performance.now();
  await batchPut(doc, design.tableName, seed.items);
  const seedMs = performance.now() - seedStart;
  progress(`${size}: seeded in ${(seedMs / 1000).toFixed(1)} s`);

  // The sweep, through the same composition as the Lambda, on a client whose reads are counted.
  const sweepClient = local.client();
  const reads = countReads(sweepClient);
  const notify = new InMemoryQueue("notify");
  const apology = new InMemoryQueue("apology");
  const tables = tablePorts(DynamoDBDocumentClient.from(sweepClient), design);
  const sweep = new SweepAgenda(
    {
      agenda: tables.agenda,
      alerts: tables.alerts,
      notifyQueue: notify,
      apologyQueue: apology,
      clock: { now: () => parseInstant(NOW) },
      metrics: noMetrics,
      logger: silentLogger,
    },
    { pageSize: 1000, maxPages: 1000, concurrency: 32 },
  );
  const sweepStart = performance.now();
  const result = await sweep.run();
  const sweepMs = performance.now() - sweepStart;
  const sent = notify.sent().length + apology.sent().length;
  if (sent !== seed.expected || result.queued !== sent) {
    throw new Error(
      `sweep of ${size}: sent ${sent} alerts (queued ${result.queued}), ${seed.expected} were due`,
    );
  }
  const sweepReads = reads.items();
  progress(`${size}: swept ${sent} alerts in ${(sweepMs / 1000).toFixed(1)} s`);

  // The baseline: Scan for the open dossiers, evaluate the alert policy on each one. A parallel
  // Scan: DynamoDB Local answers a sequential one in quadratic time (each page re-reads the table
  // up to its start key); the items read are the same either way.
  reads.reset();
  const naiveStart = performance.now();
  let naiveFound = 0;
  const nowMs = parseInstant(NOW);
  const context = { workingTime: working, directory: DIRECTORY };
  const scanDoc = DynamoDBDocumentClient.from(sweepClient);
  await Promise.all(
    Array.from({ length: SCAN_SEGMENTS }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await scanDoc.send(
          new ScanCommand({
            TableName: design.tableName,
            Segment: segment,
            TotalSegments: SCAN_SEGMENTS,
            FilterExpression: "#entity = :state AND attribute_exists(#listing)",
            ExpressionAttributeNames: { "#entity": ATTR.entity, "#listing": "listing" },
            ExpressionAttributeValues: { ":state": ENTITY.dossierState },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const dossier = item.state as DossierSnapshot;
          if (dossier === null) continue;
          // What a stateless scan can send: the alerts that fell due since the previous run.
          naiveFound += dueAlerts(dossier, nowMs, DEFAULT_ALERT_POLICY, context).filter(
            (a) => a.at > nowMs - MINUTE,
          ).length;
        }
        start = page.LastEvaluatedKey;
      } while (start);
    }),
  );
  const naiveMs = performance.now() - naiveStart;
  const naiveReads = reads.items();
  progress(`${size}: scanned ${naiveReads} items in ${(naiveMs / 1000).toFixed(1)} s`);

  client.destroy();
  sweepClient.destroy();
  return {
    size,
    expected: seed.expected,
    seeded: seed.items.length,
    seedMs,
    sent,
    sweepReads,
    sweepMs,
    naiveFound,
    naiveReads,
    naiveMs,
  };
}

function progress(line: string): void {
  if (process.env.SWEEP_BENCH_PROGRESS) process.stderr.write(`  ${line}\n`);
}

const thousands = (n: number) => `${n / 1000}k`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

export const sweepBenchmark: Benchmark = {
  name: "sweep",
  async run(): Promise<Figure[]> {
    const working = new WorkingTime(CivilCalendar.default());
    const local = await startDynamoDbLocal();
    const measurements: Measurement[] = [];
    try {
      for (const size of SIZES) measurements.push(await measure(local, size, working));
    } finally {
      await local.stop();
    }
    return measurements.flatMap((m): Figure[] => [
      {
        figure: `sweep.reads-per-alert.${thousands(m.size)}`,
        value: m.sweepReads / m.sent,
        unit: "items read/alert",
        baselines: { "scan-open-dossiers": m.naiveReads / m.naiveFound },
        target: "≤ 1.2",
        note: `${fmt(m.size)} open dossiers, ${fmt(m.sent)} alerts due at ${NOW}: the sweep read ${fmt(m.sweepReads)} items; the scan read ${fmt(m.naiveReads)} and found ${fmt(m.naiveFound)} (table seeded with ${fmt(m.seeded)} items in ${(m.seedMs / 1000).toFixed(1)} s)`,
      },
      {
        figure: `sweep.alerts-per-second.${thousands(m.size)}`,
        value: (m.sent / m.sweepMs) * 1000,
        unit: "alerts/s",
        baselines: { "scan-open-dossiers": (m.naiveFound / m.naiveMs) * 1000 },
        note: `claim (transaction) + queue + record "queued" + mark done per alert, in ${(m.sweepMs / 1000).toFixed(1)} s; the baseline only scans and evaluates (no claims, no sends) in ${(m.naiveMs / 1000).toFixed(1)} s — DynamoDB Local on this machine, not AWS`,
      },
    ]);
  },
};
