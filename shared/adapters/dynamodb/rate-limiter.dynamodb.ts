import { createHash } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  type RateDecision,
  type RateLimiter,
  type RateWindow,
  rateDecision,
  windowStart,
} from "../../app/rate-limit.ts";
import type { DynamoDbAdapterOptions } from "./support.ts";
import { ATTR, ENTITY, itemOf, keys } from "./table-design.ts";

/**
 * The public routes' rate limits as DynamoDB counters: one item per key and fixed window, counted
 * with an atomic `ADD` (UpdateItem returns the new count, so concurrent Lambdas never lose a hit),
 * expired by the table's TTL an hour after the window ends. The key is stored only as its SHA-256.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async hit(key: string, window: RateWindow, now: number): Promise<RateDecision> {
    const start = windowStart(window, now);
    const output = await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.design.tableName,
        Key: keys.rateWindow(hash(key), start),
        UpdateExpression: "ADD #count :one SET #entity = :entity, #expiresAt = :expiresAt",
        ExpressionAttributeNames: { "#count": "count", "#entity": ATTR.entity, "#expiresAt": ATTR.expiresAt },
        ExpressionAttributeValues: {
          ":one": 1,
          ":entity": ENTITY.rateWindow,
          ":expiresAt": Math.ceil((start + window.windowMs + 3_600_000) / 1000),
        },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return rateDecision(Number(output.Attributes?.count ?? 1), window, now);
  }

  async peek(key: string, window: RateWindow, now: number): Promise<RateDecision> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.rateWindow(hash(key), windowStart(window, now)),
        ConsistentRead: true,
      }),
    );
    this.options.onRead?.({
      operation: "GetItem",
      index: undefined,
      count: output.Item === undefined ? 0 : 1,
      scannedCount: output.Item === undefined ? 0 : 1,
      capacityUnits: output.ConsumedCapacity?.CapacityUnits,
    });
    return rateDecision(itemOf(ENTITY.rateWindow, output.Item)?.count ?? 0, window, now);
  }
}

function hash(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
