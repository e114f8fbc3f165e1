import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Page } from "../../app/ports.ts";
import {
  DEFAULT_REJECTION_PAGE_SIZE,
  MAX_REJECTION_PAGE_SIZE,
  REJECTION_RETENTION_DAYS,
  type Rejection,
  type RejectionLog,
} from "../../app/rejections.ts";
import { InvalidInputError } from "../../errors.ts";
import {
  type DynamoDbAdapterOptions,
  decodeCursor,
  encodeCursor,
  type Item,
  isConditionalCheckFailed,
  plain,
  query,
} from "./support.ts";
import { ATTR, ENTITY, type EventRejectionItem, instantMs, itemOf, keys } from "./table-design.ts";

/**
 * Refused events: a status item per dossier and event id (REJECTED#<code>#<event id>, written
 * first and only once: its `at` is the refusal's time for good), and, when the dossier's agency is
 * known, a list item in the agency's partition (REJECTIONS#<agency id>, sorted by that time).
 * A retried record finds the status item and writes the same list item again: listed once.
 * Both expire with the table's TTL after `REJECTION_RETENTION_DAYS`.
 */
export class DynamoDbRejectionLog implements RejectionLog {
  constructor(
    private readonly options: DynamoDbAdapterOptions & { readonly retentionDays?: number | undefined },
  ) {}

  async record(rejection: Rejection): Promise<void> {
    const { tableName } = this.options.design;
    const first = this.#item(keys.rejectedEvent(rejection.dossierCode, rejection.eventId), rejection);
    let kept = rejection;
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: tableName,
          Item: first,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": ATTR.pk },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      kept = (await this.find(rejection.dossierCode, rejection.eventId)) ?? rejection;
    }
    if (kept.agencyId === undefined) return;
    const key = keys.rejection(kept.agencyId, instantMs(kept.at), kept.dossierCode, kept.eventId);
    await this.options.client.send(new PutCommand({ TableName: tableName, Item: this.#item(key, kept) }));
  }

  async find(dossierCode: string, eventId: string): Promise<Rejection | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.rejectedEvent(dossierCode, eventId),
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
    return itemOf(ENTITY.eventRejection, output.Item)?.rejection as Rejection | undefined;
  }

  async listByAgency(
    agencyId: string,
    options: { readonly limit?: number | undefined; readonly cursor?: string | undefined } = {},
  ): Promise<Page<Rejection>> {
    const limit = options.limit ?? DEFAULT_REJECTION_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REJECTION_PAGE_SIZE) {
      throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_REJECTION_PAGE_SIZE}`, { limit });
    }
    const partition = keys.rejectionPartition(agencyId);
    let start: Item | undefined;
    if (options.cursor !== undefined) {
      start = decodeCursor(options.cursor);
      // A cursor is a key of this very partition: another agency's is refused, not followed.
      const names = Object.keys(start);
      if (start[ATTR.pk] !== partition || names.length !== 2 || typeof start[ATTR.sk] !== "string") {
        throw new InvalidInputError("invalid page cursor");
      }
    }
    const page = await query(this.options, {
      KeyConditionExpression: "#pk = :pk",
      ExpressionAttributeNames: { "#pk": ATTR.pk },
      ExpressionAttributeValues: { ":pk": partition },
      ScanIndexForward: false,
      Limit: limit,
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    });
    return {
      items: page.items.flatMap((stored) => {
        const item = itemOf(ENTITY.eventRejection, stored);
        return item === undefined ? [] : [item.rejection as Rejection];
      }),
      cursor: encodeCursor(page.lastKey),
    };
  }

  #item(
    key: { readonly pk: string; readonly sk: string },
    rejection: Rejection,
  ): EventRejectionItem<Rejection> {
    const days = this.options.retentionDays ?? REJECTION_RETENTION_DAYS;
    return {
      ...key,
      entity: ENTITY.eventRejection,
      rejection: plain(rejection),
      expiresAt: Math.ceil(instantMs(rejection.at) / 1000) + days * 86_400,
    };
  }
}
