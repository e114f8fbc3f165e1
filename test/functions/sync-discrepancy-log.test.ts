import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDbSyncDiscrepancyLog } from "../../shared/adapters/dynamodb/sync-discrepancy-log.dynamodb.ts";
import { discrepancySink } from "../../shared/app/sync-discrepancies.ts";
import type { SyncFlag } from "../../shared/sync/flags.ts";
import { runCli } from "../support/cli.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";

/** The discrepancy log on DynamoDB, and `dunghan sync-discrepancies` reading it (--table/--endpoint). */
let table: TestTable & { dispose(): Promise<void> };
let log: DynamoDbSyncDiscrepancyLog;
beforeAll(async () => {
  table = await createTestTable();
  log = new DynamoDbSyncDiscrepancyLog({ client: table.doc, design: table.design });
});
afterAll(() => table.dispose());

const unknown = (dossierCode: string, agencyId = "so-nnmt"): SyncFlag => ({
  rule: "unknown-procedure",
  dossierCode,
  agencyId,
  procedureCode: "9.999999",
  details: { allotmentUnit: "working-days", allotmentAmount: 2, appointment: "2026-11-04T09:00:00+07:00" },
});

describe("the discrepancy log", () => {
  it("keeps the first sighting of a flag, lists an agency's by the local day first seen, and no other agency's", async () => {
    const sink = discrepancySink(log);
    // 23:30 on 30/11 in Hanoi is still November there.
    await sink.record([unknown("000.00.17.H56-261130-0001")], {
      senderId: "mot-cua-tinh",
      receivedAt: Date.parse("2026-11-30T16:30:00Z"),
    });
    await sink.record([unknown("000.00.17.H56-261130-0001")], {
      senderId: "lgsp",
      receivedAt: Date.parse("2026-12-02T02:00:00Z"),
    });
    await sink.record([unknown("000.00.17.H56-261201-0002", "so-tp")], {
      senderId: "lgsp",
      receivedAt: Date.parse("2026-12-01T02:00:00Z"),
    });

    const november = await log.listByAgency("so-nnmt", { from: "2026-11-01", to: "2026-11-30" });
    const december = await log.listByAgency("so-nnmt", { from: "2026-12-01", to: "2026-12-31" });

    expect(november.map((item) => [item.dossierCode, item.senderId, item.firstSeenAt])).toEqual([
      ["000.00.17.H56-261130-0001", "mot-cua-tinh", "2026-11-30T16:30:00.000Z"],
    ]);
    expect(december).toEqual([]);
  });

  it("sends a flag this container already stored no second put (a re-sent dossier costs no write)", async () => {
    const counted = new DynamoDbSyncDiscrepancyLog({ client: table.doc, design: table.design });
    const sink = discrepancySink(counted);
    let puts = 0;
    table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^Put/.test(String(context.commandName))) puts++;
        return next(args);
      },
      { step: "initialize", name: "countDiscrepancyPuts" },
    );
    try {
      const context = { senderId: "mot-cua-tinh", receivedAt: Date.parse("2026-12-03T02:00:00Z") };
      await sink.record([unknown("000.00.17.H56-261203-0003")], context);
      await sink.record([unknown("000.00.17.H56-261203-0003")], context);
      expect(puts).toBe(1);
    } finally {
      table.doc.middlewareStack.remove("countDiscrepancyPuts");
    }
  });

  it("is printed by dunghan sync-discrepancies, as JSON per procedure or as CSV", async () => {
    const target = ["--table", table.design.tableName, "--endpoint", inject("dynamodbEndpoint")];
    const json = await runCli([
      "sync-discrepancies",
      "--agency",
      "so-tp",
      "--from",
      "2026-12-01",
      "--to",
      "2026-12-31",
      ...target,
    ]);
    const csv = await runCli([
      "sync-discrepancies",
      "--agency",
      "so-tp",
      "--from",
      "2026-12-01",
      "--to",
      "2026-12-31",
      "--csv",
      ...target,
    ]);

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      agencyId: "so-tp",
      total: 1,
      byProcedure: [{ procedureCode: "9.999999", total: 1, byRule: { "unknown-procedure": 1 } }],
    });
    expect(csv.stdout.split("\r\n")[1]).toBe(
      "2026-12-01T02:00:00.000Z,so-tp,9.999999,000.00.17.H56-261201-0002,unknown-procedure,allotmentAmount=2; allotmentUnit=working-days; appointment=2026-11-04T09:00:00+07:00,lgsp",
    );
  });
});
