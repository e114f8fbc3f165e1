import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { InvalidInputError } from "../../errors.ts";
import type { TableDesign } from "./table-design.ts";

/** What every DynamoDB adapter receives from the composition root (SDK clients are passed in). */
export interface DynamoDbAdapterOptions {
  readonly client: DynamoDBDocumentClient;
  readonly design: TableDesign;
  /** Told about every read: for metrics, and for tests and benches that count items read. */
  readonly onRead?: ReadObserver | undefined;
}

export interface ReadReport {
  readonly operation: "Query" | "GetItem" | "BatchGetItem";
  readonly index: string | undefined;
  /** Items returned. */
  readonly count: number;
  /** Items evaluated (billed); equal to `count` for every query here, none filters. */
  readonly scannedCount: number;
  readonly capacityUnits: number | undefined;
}

export type ReadObserver = (report: ReadReport) => void;

export type Item = Record<string, unknown>;

/**
 * A JSON copy: drops `undefined` (which the DocumentClient refuses unless configured to remove
 * it) and anything else that is not data. Stored payloads are JSON by contract.
 */
export function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

/** The per-item reason codes of a cancelled transaction ("None", "ConditionalCheckFailed", …). */
export function cancellationCodes(error: unknown): readonly (string | undefined)[] | undefined {
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).map((reason) => reason.Code);
  }
  if (error instanceof Error && error.name === "TransactionCanceledException") {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    return (reasons ?? []).map((reason) => reason.Code);
  }
  return undefined;
}

export async function query(
  options: DynamoDbAdapterOptions,
  input: Omit<QueryCommandInput, "TableName">,
): Promise<{ items: Item[]; lastKey: Item | undefined }> {
  const output = await options.client.send(
    new QueryCommand({
      ...input,
      TableName: options.design.tableName,
      ...(options.onRead ? { ReturnConsumedCapacity: "TOTAL" } : {}),
    }),
  );
  const items = (output.Items ?? []) as Item[];
  options.onRead?.({
    operation: "Query",
    index: input.IndexName,
    count: output.Count ?? items.length,
    scannedCount: output.ScannedCount ?? items.length,
    capacityUnits: output.ConsumedCapacity?.CapacityUnits,
  });
  return { items, lastKey: output.LastEvaluatedKey as Item | undefined };
}

/** Every page of a query. */
export async function queryAll(
  options: DynamoDbAdapterOptions,
  input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
): Promise<Item[]> {
  const all: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await query(options, { ...input, ...(start ? { ExclusiveStartKey: start } : {}) });
    all.push(...page.items);
    start = page.lastKey;
  } while (start);
  return all;
}

export function encodeCursor(lastKey: Item | undefined): string | undefined {
  return lastKey === undefined ? undefined : Buffer.from(JSON.stringify(lastKey)).toString("base64url");
}

export function decodeCursor(cursor: string): Item {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Item;
  } catch {
    // fall through to the typed error
  }
  throw new InvalidInputError("invalid page cursor");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
