import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type TableDesign, tableDesign } from "../../shared/adapters/dynamodb/table-design.ts";
import { createTables, localClient, startDynamoDbLocal } from "../dynamodb-local.ts";

/** Where a command that reads or writes the table finds it (its `--table`, `--region`, `--endpoint`, `--data`). */
export interface TableOptions {
  readonly data?: string | undefined;
  readonly table?: string | undefined;
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
}

/**
 * Runs `act` on the table the options name: a deployed stack's (`--table`, with the operator's
 * AWS credentials, or `--endpoint` for a DynamoDB Local already running), else the local stack's
 * own table in the data folder's DynamoDB Local (local/runtime/stack.ts), started for the command
 * and stopped after it.
 */
export async function withTable<T>(
  options: TableOptions,
  act: (documents: DynamoDBDocumentClient, design: TableDesign) => Promise<T>,
): Promise<T> {
  const documents = (client: DynamoDBClient) =>
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  if (options.table !== undefined) {
    const client = options.endpoint
      ? localClient(options.endpoint)
      : new DynamoDBClient(options.region === undefined ? {} : { region: options.region });
    try {
      return await act(documents(client), tableDesign({ tableName: options.table }));
    } finally {
      client.destroy();
    }
  }
  const dynamo = await startDynamoDbLocal({ dbPath: join(options.data ?? ".dunghan", "dynamodb") });
  const client = dynamo.client();
  try {
    const design = tableDesign({ tableName: "dunghan-local" });
    await createTables(client, design);
    return await act(documents(client), design);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}
