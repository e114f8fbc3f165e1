import { randomUUID } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";
import { createTables, localClient } from "../../local/dynamodb-local.ts";
import type { ReadObserver, ReadReport } from "../../shared/adapters/dynamodb/support.ts";
import {
  type TableDesign,
  type TableDesignOptions,
  tableDesign,
} from "../../shared/adapters/dynamodb/table-design.ts";

/**
 * Tables in the run's DynamoDB Local (started once by test/support/dynamodb-global-setup.ts for
 * the `dynamodb` vitest project). Every table has a random name, so files and tests running in
 * parallel never see each other's items.
 */
export interface TestTable {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly design: TableDesign;
}

export async function createTestTable(
  options: Omit<TableDesignOptions, "tableName"> = {},
): Promise<TestTable & { dispose(): Promise<void> }> {
  const client = localClient(inject("dynamodbEndpoint"));
  const design = tableDesign({ ...options, tableName: `dunghan-test-${randomUUID().slice(0, 8)}` });
  await createTables(client, design);
  return {
    client,
    doc: DynamoDBDocumentClient.from(client),
    design,
    dispose: async () => {
      await client.send(new DeleteTableCommand({ TableName: design.tableName }));
      client.destroy();
    },
  };
}

/**
 * One table for a whole test file: created in beforeAll, deleted in afterAll. The returned
 * object is filled in by beforeAll, so read it inside tests only.
 */
export function useTestTable(options: Omit<TableDesignOptions, "tableName"> = {}): TestTable {
  const table = {} as { -readonly [K in keyof TestTable]: TestTable[K] };
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestTable(options);
    Object.assign(table, { client: created.client, doc: created.doc, design: created.design });
    dispose = created.dispose;
  });
  afterAll(async () => {
    await dispose?.();
  });
  return table;
}

/** Collects what an adapter read (pass `observer` as the adapter's `onRead`). */
export function readRecorder(): {
  readonly observer: ReadObserver;
  readonly reports: ReadReport[];
  /** Items read from the agenda index. */
  agendaItems(): number;
  /** Queries on the agenda index. */
  agendaQueries(): number;
  reset(): void;
} {
  const reports: ReadReport[] = [];
  const agenda = () => reports.filter((r) => r.operation === "Query" && r.index === "agenda");
  return {
    observer: (report) => reports.push(report),
    reports,
    agendaItems: () => agenda().reduce((sum, r) => sum + r.scannedCount, 0),
    agendaQueries: () => agenda().length,
    reset: () => reports.splice(0),
  };
}
