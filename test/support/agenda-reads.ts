import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbAgendaRepository } from "../../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { agendaEntryItem } from "../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import type { ReadReport } from "../../shared/adapters/dynamodb/support.ts";
import { INDEX, type TableDesign } from "../../shared/adapters/dynamodb/table-design.ts";
import type { PlannedAlert } from "../../shared/app/ports.ts";

/**
 * How many items the sweep's `due()` reads for N open dossiers — for `npm run bench` and the
 * adapter tests. Seeds an EMPTY table's agenda straight through BatchWriteItem (the items the
 * dossier repository writes, via `agendaEntryItem`), then sweeps like the sweep Lambda: due(),
 * markDone(), until nothing is left. No vitest imports: a bench can use it.
 */
export interface AgendaReadsOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly design: TableDesign;
  readonly openDossiers: number;
  /** Due entries in all, spread over the dossiers (default: one dossier in ten). */
  readonly dueAlerts?: number;
  /** Entries per dossier due later, over the next 30 days (default 4). */
  readonly laterPerDossier?: number;
  /** Default 2026-11-20T07:30:00+07:00, a working day's opening. */
  readonly now?: string;
  readonly sweepLimit?: number;
  readonly writeConcurrency?: number;
}

export interface AgendaReadsMeasurement {
  readonly openDossiers: number;
  readonly plannedEntries: number;
  readonly dueAlerts: number;
  /** Entries due() returned over the whole sweep. */
  readonly alertsReturned: number;
  /** Items read from the agenda index. */
  readonly agendaItemsRead: number;
  /** Other items read (the sweep cursor, one per due() call). */
  readonly otherItemsRead: number;
  readonly itemsReadPerAlert: number;
  readonly queries: number;
  readonly dueCalls: number;
  /** As DynamoDB (Local) reported it, when it did. */
  readonly capacityUnits: number | undefined;
  readonly seedMs: number;
  readonly sweepMs: number;
}

const MINUTE = 60_000;

export async function measureAgendaReads(options: AgendaReadsOptions): Promise<AgendaReadsMeasurement> {
  const now = options.now ?? "2026-11-20T07:30:00+07:00";
  const nowMs = Date.parse(now);
  const dueAlerts = options.dueAlerts ?? Math.ceil(options.openDossiers / 10);
  const later = options.laterPerDossier ?? 4;
  const savedAtMs = nowMs - 60 * MINUTE;

  const items: Record<string, unknown>[] = [];
  for (let d = 0; d < options.openDossiers; d++) {
    const code = `BENCH.${String(d).padStart(7, "0")}`;
    const alerts: PlannedAlert[] = [];
    for (let i = d; i < dueAlerts; i += options.openDossiers) {
      alerts.push(alert(code, `due-${i}`, nowMs - (i % 50) * MINUTE));
    }
    for (let i = 0; i < later; i++) {
      // Deterministic spread over the next 30 days.
      const offset = (((d * 7919 + i * 104_729) % (30 * 24 * 60)) + 1) * MINUTE;
      alerts.push(alert(code, `later-${i}`, nowMs + offset));
    }
    for (const a of alerts) items.push(agendaEntryItem(options.design, code, a, savedAtMs));
  }

  const reports: ReadReport[] = [];
  const agenda = new DynamoDbAgendaRepository({
    client: options.doc,
    design: options.design,
    onRead: (report) => reports.push(report),
  });
  // Steady state: the sweep ran a minute ago, so its cursor is at today.
  await agenda.due(new Date(nowMs - MINUTE).toISOString(), 1);
  reports.splice(0);

  const seedStart = performance.now();
  await batchPut(options.doc, options.design.tableName, items, options.writeConcurrency ?? 8);
  const seedMs = performance.now() - seedStart;

  const sweepStart = performance.now();
  let returned = 0;
  let calls = 0;
  for (;;) {
    const due = await agenda.due(now, options.sweepLimit ?? 1000);
    calls += 1;
    returned += due.entries.length;
    await agenda.markDone(
      due.entries.map((entry) => entry.ref),
      now,
    );
    if (!due.hasMore) break;
  }
  const sweepMs = performance.now() - sweepStart;

  const agendaReports = reports.filter((r) => r.operation === "Query" && r.index === INDEX.agenda);
  const agendaItemsRead = agendaReports.reduce((sum, r) => sum + r.scannedCount, 0);
  const otherItemsRead = reports
    .filter((r) => !agendaReports.includes(r))
    .reduce((sum, r) => sum + r.scannedCount, 0);
  const capacities = reports.map((r) => r.capacityUnits);
  return {
    openDossiers: options.openDossiers,
    plannedEntries: items.length,
    dueAlerts,
    alertsReturned: returned,
    agendaItemsRead,
    otherItemsRead,
    itemsReadPerAlert: returned === 0 ? Number.NaN : (agendaItemsRead + otherItemsRead) / returned,
    queries: agendaReports.length,
    dueCalls: calls,
    capacityUnits: capacities.every((c) => c !== undefined)
      ? capacities.reduce((sum: number, c) => sum + (c ?? 0), 0)
      : undefined,
    seedMs,
    sweepMs,
  };
}

function alert(code: string, key: string, atMs: number): PlannedAlert {
  return {
    at: new Date(atMs).toISOString(),
    dedupeKey: `${code}:${key}`,
    rule: "due-soon",
    recipientRole: "handler",
    recipientId: "cb-01",
    channel: "email",
    dossierCode: code,
    agencyId: "bench",
  };
}

/** BatchWriteItem takes 25 puts a call; unprocessed items are sent again. */
async function batchPut(
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  concurrency: number,
): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const output = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (output.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}
