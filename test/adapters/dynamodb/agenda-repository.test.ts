import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it, onTestFinished } from "vitest";
import { DynamoDbAgendaRepository } from "../../../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import {
  agendaIndexKey,
  ENTITY,
  instantMs,
  type TableDesignOptions,
} from "../../../shared/adapters/dynamodb/table-design.ts";
import type { PlannedAlert } from "../../../shared/app/ports.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { measureAgendaReads } from "../../support/agenda-reads.ts";
import { createTestTable, readRecorder, type TestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anAlert, anEvent } from "./builders.ts";

const NOW = "2026-11-20T09:00:00+07:00";

async function freshTable(options: Omit<TableDesignOptions, "tableName"> = {}): Promise<TestTable> {
  const table = await createTestTable(options);
  onTestFinished(() => table.dispose());
  return table;
}

function adapters(table: TestTable) {
  const reads = readRecorder();
  const options = { client: table.doc, design: table.design };
  return {
    reads,
    dossiers: new DynamoDbDossierRepository(options),
    agenda: new DynamoDbAgendaRepository({ ...options, onRead: reads.observer }),
  };
}

/** Saves a new dossier whose plan is `alerts`, as the worker would at `savedAt`. */
async function plan(
  dossiers: DynamoDbDossierRepository,
  code: string,
  savedAt: string,
  alerts: PlannedAlert[],
): Promise<void> {
  await dossiers.save({
    code,
    expectedVersion: undefined,
    newEvents: [anEvent(code, "received", { type: "received", occurredAt: savedAt })],
    state: {},
    listing: undefined,
    agenda: { previous: [], next: alerts },
    savedAt,
  });
}

async function agendaItemsInTable(table: TestTable): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new ScanCommand({
        TableName: table.design.tableName,
        FilterExpression: "entity = :e",
        ExpressionAttributeValues: { ":e": ENTITY.agendaEntry },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

const keysOf = (entries: readonly { alert: PlannedAlert }[]) => entries.map((e) => e.alert.dedupeKey).sort();
const keysOfAlerts = (alerts: readonly PlannedAlert[]) => alerts.map((a) => a.dedupeKey).sort();

describe("DynamoDbAgendaRepository.due", () => {
  it("returns exactly the due entries across shards and day buckets, and reads only those", async () => {
    const table = await freshTable();
    const { dossiers, agenda, reads } = adapters(table);
    const due: PlannedAlert[] = [];
    const notDue: PlannedAlert[] = [];
    for (let i = 0; i < 24; i++) {
      const code = aDossierCode();
      const dueNow = [
        anAlert(code, "missed-3-days-ago", "2026-11-17T14:00:00+07:00"),
        anAlert(code, "yesterday", "2026-11-19T08:00:00+07:00"),
        anAlert(code, "earlier-today", "2026-11-20T08:59:59.999+07:00"),
        anAlert(code, "exactly-now", "2026-11-20T02:00:00Z"),
      ];
      const later = [
        anAlert(code, "in-1-ms", "2026-11-20T09:00:00.001+07:00"),
        anAlert(code, "this-afternoon", "2026-11-20T15:00:00+07:00"),
        anAlert(code, "tomorrow", "2026-11-21T07:30:00+07:00"),
        ...Array.from({ length: 8 }, (_, k) =>
          anAlert(code, `december-${k}`, `2026-12-${10 + k}T07:30:00+07:00`),
        ),
      ];
      await plan(dossiers, code, "2026-11-17T10:00:00+07:00", [...dueNow, ...later]);
      due.push(...dueNow);
      notDue.push(...later);
    }
    // Planned already late, today: filed under today, not under 10/11.
    const lateCode = aDossierCode();
    const plannedLate = anAlert(lateCode, "planned-late", "2026-11-10T08:00:00+07:00");
    await plan(dossiers, lateCode, "2026-11-20T08:30:00+07:00", [plannedLate]);
    due.push(plannedLate);
    // Done entries are off the index.
    const doneCode = aDossierCode();
    const done = anAlert(doneCode, "done", "2026-11-18T08:00:00+07:00");
    await plan(dossiers, doneCode, "2026-11-17T10:00:00+07:00", [done]);
    await agenda.markDone(
      [{ dossierCode: doneCode, dedupeKey: done.dedupeKey, at: done.at }],
      "2026-11-18T08:00:20+07:00",
    );
    reads.reset();

    const result = await agenda.due(NOW, 1000);

    expect(keysOf(result.entries)).toEqual(keysOfAlerts(due));
    expect(result.hasMore).toBe(false);
    const partitions = new Set(
      due.map((a) => agendaIndexKey(table.design, a, instantMs("2026-11-17T10:00:00+07:00")).agendaPk),
    );
    expect(new Set([...partitions].map((p) => p.split("#")[1])).size).toBeGreaterThanOrEqual(3);
    expect(new Set([...partitions].map((p) => p.split("#")[2])).size).toBeGreaterThanOrEqual(12);
    // Read: exactly the entries returned, plus the cursor; the table holds three times as many.
    expect(reads.agendaItems()).toBe(due.length);
    expect(reads.reports.filter((r) => r.operation === "GetItem")).toHaveLength(1);
    expect(await agendaItemsInTable(table)).toBe(due.length + notDue.length + 1);
    const first = result.entries.find((e) => e.alert.dedupeKey === plannedLate.dedupeKey);
    expect(first?.ref).toEqual({
      dossierCode: lateCode,
      dedupeKey: plannedLate.dedupeKey,
      at: plannedLate.at,
    });
  });

  it("catches up on the days an outage missed with a bounded number of queries, then queries only today", async () => {
    const table = await freshTable();
    const { dossiers, agenda, reads } = adapters(table);
    // A first sweep with nothing due: looks back 7 days, then keeps its cursor at today.
    await agenda.due("2026-11-17T09:00:00+07:00", 100);
    const firstQueries = reads.agendaQueries();
    const code = aDossierCode();
    const alerts = [
      anAlert(code, "d17", "2026-11-17T14:00:00+07:00"),
      anAlert(code, "d18", "2026-11-18T10:00:00+07:00"),
      anAlert(code, "d19", "2026-11-19T10:00:00+07:00"),
      anAlert(code, "d21", "2026-11-21T10:00:00+07:00"),
    ];
    await plan(dossiers, code, "2026-11-17T10:00:00+07:00", alerts);
    reads.reset();

    // The sweep was down from 17/11 09:00 until 20/11 09:00.
    const caughtUp = await agenda.due(NOW, 100);
    const catchUpQueries = reads.agendaQueries();
    await agenda.markDone(
      caughtUp.entries.map((e) => e.ref),
      NOW,
    );
    reads.reset();
    const second = await agenda.due("2026-11-20T09:01:00+07:00", 100);
    reads.reset();
    const third = await agenda.due("2026-11-20T09:02:00+07:00", 100);

    expect(firstQueries).toBe(8 * 16);
    expect(keysOf(caughtUp.entries)).toEqual(keysOfAlerts(alerts.slice(0, 3)));
    expect(catchUpQueries).toBe(4 * 16);
    expect(second.entries).toEqual([]);
    expect(third.entries).toEqual([]);
    expect(reads.agendaQueries()).toBe(16);
    expect(reads.agendaItems()).toBe(0);
  });

  it("keeps a day open for its grace hour after midnight, then stops querying it", async () => {
    const table = await freshTable();
    const { dossiers, agenda, reads } = adapters(table);
    await agenda.due("2026-11-19T23:00:00+07:00", 100);
    const code = aDossierCode();
    const lastMinute = anAlert(code, "last-minute", "2026-11-19T23:59:59+07:00");
    // Saved just before midnight; the index may show it a little later.
    await plan(dossiers, code, "2026-11-19T23:59:58+07:00", [lastMinute]);
    reads.reset();

    const afterMidnight = await agenda.due("2026-11-20T00:30:00+07:00", 100);
    const queriesInGrace = reads.agendaQueries();
    await agenda.markDone(
      afterMidnight.entries.map((e) => e.ref),
      "2026-11-20T00:30:00+07:00",
    );
    await agenda.due("2026-11-20T01:30:00+07:00", 100);
    reads.reset();
    await agenda.due("2026-11-20T01:31:00+07:00", 100);

    expect(keysOf(afterMidnight.entries)).toEqual([lastMinute.dedupeKey]);
    expect(queriesInGrace).toBe(2 * 16);
    expect(reads.agendaQueries()).toBe(16);
  });

  it("returns at most `limit` entries, says when there are more, and never reads more than it returns", async () => {
    const table = await freshTable();
    const { dossiers, agenda, reads } = adapters(table);
    const alerts: PlannedAlert[] = [];
    for (let i = 0; i < 6; i++) {
      const code = aDossierCode();
      const mine = Array.from({ length: 5 }, (_, k) =>
        anAlert(code, `k${k}`, `2026-11-20T0${k + 1}:00:00+07:00`),
      );
      await plan(dossiers, code, "2026-11-20T00:10:00+07:00", mine);
      alerts.push(...mine);
    }
    await agenda.due(NOW, 1000 /* creates the cursor */).then((r) => expect(r.entries).toHaveLength(30));
    reads.reset();

    const seen: string[] = [];
    const pages: { size: number; hasMore: boolean }[] = [];
    for (let i = 0; i < 10; i++) {
      const page = await agenda.due(NOW, 7);
      pages.push({ size: page.entries.length, hasMore: page.hasMore });
      seen.push(...page.entries.map((e) => e.alert.dedupeKey));
      await agenda.markDone(
        page.entries.map((e) => e.ref),
        NOW,
      );
      if (!page.hasMore) break;
    }

    expect(pages.slice(0, 4).map((p) => p.size)).toEqual([7, 7, 7, 7]);
    expect(pages.every((p) => p.size <= 7)).toBe(true);
    expect(pages.at(-1)?.hasMore).toBe(false);
    expect(seen.sort()).toEqual(keysOfAlerts(alerts));
    expect(reads.agendaItems()).toBe(30);
  });

  it("leaves an entry re-planned since the sweep read it, and finds it at its new time", async () => {
    const table = await freshTable();
    const { dossiers, agenda } = adapters(table);
    const code = aDossierCode();
    const original = anAlert(code, "warn", "2026-11-20T08:00:00+07:00");
    await plan(dossiers, code, "2026-11-19T10:00:00+07:00", [original]);
    const read = await agenda.due(NOW, 10);
    const loaded = await dossiers.load(code);
    const moved = { ...original, at: "2026-11-20T10:00:00+07:00" };
    await dossiers.save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [anEvent(code, "paused", { type: "paused" })],
      state: {},
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: [moved] },
      savedAt: "2026-11-20T08:59:00+07:00",
    });

    await agenda.markDone(
      read.entries.map((e) => e.ref),
      NOW,
    );
    await agenda.remove(read.entries.map((e) => e.ref));

    expect(keysOf(read.entries)).toEqual([original.dedupeKey]);
    expect((await agenda.due(NOW, 10)).entries).toEqual([]);
    expect((await agenda.due("2026-11-20T10:00:00+07:00", 10)).entries.map((e) => e.alert)).toEqual([moved]);
    expect((await dossiers.load(code))?.agenda).toEqual([{ alert: moved, doneAt: undefined }]);
  });

  it("still finds entries in shards above a lowered shard count", async () => {
    const table = await freshTable({ agendaShards: 8 });
    const { dossiers, agenda } = adapters(table);
    await agenda.due(NOW, 10);
    const code = aDossierCode();
    const alerts = Array.from({ length: 20 }, (_, k) => anAlert(code, `k${k}`, "2026-11-20T08:00:00+07:00"));
    await plan(dossiers, code, "2026-11-20T07:00:00+07:00", alerts);
    const fewerShards = new DynamoDbAgendaRepository({
      client: table.doc,
      design: { ...table.design, agendaShards: 2 },
    });

    const result = await fewerShards.due(NOW, 100);

    expect(keysOf(result.entries)).toEqual(keysOfAlerts(alerts));
  });

  it("refuses a limit that is not a positive integer", async () => {
    const table = await freshTable();
    const { agenda } = adapters(table);

    await expect(agenda.due(NOW, 0)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(agenda.due(NOW, 1.5)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("measureAgendaReads", () => {
  it("reads about one item per alert sent, whether 100 or 1,000 dossiers are open", async () => {
    const small = await freshTable();
    const large = await freshTable();

    const few = await measureAgendaReads({
      doc: small.doc,
      design: small.design,
      openDossiers: 100,
      dueAlerts: 60,
    });
    const many = await measureAgendaReads({
      doc: large.doc,
      design: large.design,
      openDossiers: 1000,
      dueAlerts: 60,
    });

    for (const m of [few, many]) {
      expect(m.alertsReturned).toBe(60);
      expect(m.agendaItemsRead).toBe(60);
      expect(m.itemsReadPerAlert).toBeLessThanOrEqual(1.2);
    }
    expect(many.plannedEntries).toBeGreaterThan(few.plannedEntries * 5);
  });
});
