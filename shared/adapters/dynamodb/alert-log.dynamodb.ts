import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import type {
  AlertClaim,
  AlertLog,
  AlertRecord,
  DeliveryAttempt,
  PlannedAlert,
  PlannedAlertRecord,
} from "../../app/ports.ts";
import { ConcurrencyError } from "../../app/ports.ts";
import { NotFoundError } from "../../errors.ts";
import {
  cancellationCodes,
  type DynamoDbAdapterOptions,
  type Item,
  isConditionalCheckFailed,
  plain,
  sleep,
} from "./support.ts";
import { ATTR, ENTITY, instantMs, keys, TTL_ATTRIBUTE } from "./table-design.ts";

export interface DynamoDbAlertLogOptions extends DynamoDbAdapterOptions {
  /**
   * How long an alert record (and so its dedupe key) is kept after the claim, in days; DynamoDB
   * TTL deletes it afterwards. Default 400: over a year of delivery history for audits, far
   * longer than any dossier's agenda, so a dedupe key never expires while its entry can come due.
   */
  readonly retentionDays?: number;
}

/** A guarded claim meeting another transaction on the same items is retried this many times. */
const CONFLICT_ATTEMPTS = 3;
/** BatchGetItem takes at most 100 keys (DynamoDB limits). */
const BATCH_GET_KEYS = 100;
/** Keys a batch left unprocessed (throttling) are asked again this many times. */
const UNPROCESSED_ATTEMPTS = 8;

/**
 * Alert records, one partition per dedupe key (ALERT#<key>): claims spread evenly, and a
 * conditional put on "no record yet" lets exactly one sweep win however many overlap.
 */
export class DynamoDbAlertLog<A extends PlannedAlertRecord = PlannedAlert> implements AlertLog<A> {
  private readonly retentionSeconds: number;

  constructor(private readonly options: DynamoDbAlertLogOptions) {
    this.retentionSeconds = (options.retentionDays ?? 400) * 86_400;
  }

  async claim(dedupeKey: string, claim: AlertClaim<A>): Promise<boolean> {
    const table = this.options.design.tableName;
    const put = {
      TableName: table,
      Item: this.recordItem(dedupeKey, claim),
      ConditionExpression: `attribute_not_exists(${ATTR.pk})`,
    };
    const guard = claim.agendaEntry;
    if (guard === undefined) {
      try {
        await this.options.client.send(new PutCommand(put));
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    }

    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                // Strongly consistent, unlike the index the sweep read the entry from.
                ConditionCheck: {
                  TableName: table,
                  Key: keys.agendaEntry(guard.dossierCode, guard.dedupeKey),
                  ConditionExpression: `attribute_exists(${ATTR.pk}) AND attribute_not_exists(#doneAt) AND #at = :at`,
                  ExpressionAttributeNames: { "#doneAt": "doneAt", "#at": "at" },
                  ExpressionAttributeValues: { ":at": guard.at },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes.includes("ConditionalCheckFailed")) return false;
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw new ConcurrencyError("the alert is being claimed by another transaction", {
            reason: "transaction-conflict",
            dedupeKey,
          });
        }
        await sleep(20 * attempt);
      }
    }
  }

  async recordDelivery(dedupeKey: string, delivery: DeliveryAttempt): Promise<void> {
    instantMs(delivery.at);
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.design.tableName,
          Key: keys.alertRecord(dedupeKey),
          UpdateExpression:
            "SET #status = :status, #updatedAt = :at, #deliveries = list_append(if_not_exists(#deliveries, :none), :attempt)",
          ConditionExpression: `attribute_exists(${ATTR.pk})`,
          ExpressionAttributeNames: {
            "#status": "status",
            "#updatedAt": "updatedAt",
            "#deliveries": "deliveries",
          },
          ExpressionAttributeValues: {
            ":status": delivery.status,
            ":at": delivery.at,
            ":none": [],
            ":attempt": [plain(delivery)],
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError("no alert was claimed under this dedupe key", { dedupeKey });
      }
      throw error;
    }
  }

  async transition(
    dedupeKey: string,
    from: AlertRecord<A>["status"],
    delivery: DeliveryAttempt,
  ): Promise<boolean> {
    instantMs(delivery.at);
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.design.tableName,
          Key: keys.alertRecord(dedupeKey),
          UpdateExpression:
            "SET #status = :status, #updatedAt = :at, #deliveries = list_append(if_not_exists(#deliveries, :none), :attempt)",
          ConditionExpression: `attribute_exists(${ATTR.pk}) AND #status = :from`,
          ExpressionAttributeNames: {
            "#status": "status",
            "#updatedAt": "updatedAt",
            "#deliveries": "deliveries",
          },
          ExpressionAttributeValues: {
            ":status": delivery.status,
            ":from": from,
            ":at": delivery.at,
            ":none": [],
            ":attempt": [plain(delivery)],
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(dedupeKey: string): Promise<AlertRecord<A> | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.alertRecord(dedupeKey),
        ConsistentRead: true,
      }),
    );
    return output.Item === undefined ? undefined : recordOf<A>(output.Item);
  }

  /** BatchGetItem, 100 keys a call, the calls at once; unprocessed keys asked again with a backoff. */
  async getMany(dedupeKeys: readonly string[]): Promise<Map<string, AlertRecord<A>>> {
    const table = this.options.design.tableName;
    const unique = [...new Set(dedupeKeys)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_KEYS) chunks.push(unique.slice(i, i + BATCH_GET_KEYS));
    const records = new Map<string, AlertRecord<A>>();
    await Promise.all(
      chunks.map(async (chunk) => {
        let pending: Item[] = chunk.map((key): Item => ({ ...keys.alertRecord(key) }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          if (attempt > UNPROCESSED_ATTEMPTS) {
            throw new Error(
              `BatchGetItem left ${pending.length} alert records unread after ${attempt - 1} attempts`,
            );
          }
          if (attempt > 1) await sleep(Math.random() * 20 * 2 ** attempt);
          const output = await this.options.client.send(
            new BatchGetCommand({
              RequestItems: { [table]: { Keys: pending, ConsistentRead: true } },
              ...(this.options.onRead ? { ReturnConsumedCapacity: "TOTAL" } : {}),
            }),
          );
          const items = (output.Responses?.[table] ?? []) as Item[];
          this.options.onRead?.({
            operation: "BatchGetItem",
            index: undefined,
            count: items.length,
            scannedCount: items.length,
            capacityUnits: output.ConsumedCapacity?.reduce((sum, used) => sum + (used.CapacityUnits ?? 0), 0),
          });
          for (const item of items) {
            const record = recordOf<A>(item);
            records.set(record.dedupeKey, record);
          }
          pending = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
        }
      }),
    );
    return records;
  }

  private recordItem(dedupeKey: string, claim: AlertClaim<A>): Item {
    const claimedAtMs = instantMs(claim.claimedAt);
    return {
      ...keys.alertRecord(dedupeKey),
      [ATTR.entity]: ENTITY.alertRecord,
      dedupeKey,
      dossierCode: claim.alert.dossierCode,
      agencyId: claim.alert.agencyId,
      rule: claim.alert.rule,
      alert: plain(claim.alert),
      status: "claimed",
      claimedAt: claim.claimedAt,
      deliveries: [],
      [TTL_ATTRIBUTE]: Math.floor(claimedAtMs / 1000) + this.retentionSeconds,
    };
  }
}

function recordOf<A extends PlannedAlertRecord>(item: Item): AlertRecord<A> {
  return {
    dedupeKey: item.dedupeKey as string,
    alert: item.alert as A,
    claimedAt: item.claimedAt as string,
    status: item.status as AlertRecord<A>["status"],
    deliveries: (item.deliveries ?? []) as DeliveryAttempt[],
    expiresAt: item[TTL_ATTRIBUTE] as number,
  };
}
