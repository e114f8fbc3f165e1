import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SyncSender, SyncSenderRepository } from "../../app/sync-senders.ts";
import { type DynamoDbAdapterOptions, plain, queryAll } from "./support.ts";
import { ATTR, ENTITY, itemOf, keys, SK_PREFIX, type SyncSenderItem } from "./table-design.ts";

/**
 * Sync senders, one item per sender in the SYNC-SENDER partition. Each request reads one item
 * (GetItem, strongly consistent: a revocation holds from the next request on).
 */
export class DynamoDbSyncSenderRepository implements SyncSenderRepository {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async get(senderId: string): Promise<SyncSender | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.syncSender(senderId),
        ConsistentRead: true,
      }),
    );
    return itemOf(ENTITY.syncSender, output.Item)?.sender as SyncSender | undefined;
  }

  async list(): Promise<readonly SyncSender[]> {
    const items = await queryAll(this.options, {
      KeyConditionExpression: `${ATTR.pk} = :pk AND begins_with(${ATTR.sk}, :prefix)`,
      ExpressionAttributeValues: { ":pk": keys.syncSenderPartition(), ":prefix": SK_PREFIX.sender },
    });
    return items.flatMap((stored) => {
      const item = itemOf(ENTITY.syncSender, stored);
      return item === undefined ? [] : [item.sender as SyncSender];
    });
  }

  async put(sender: SyncSender): Promise<void> {
    await this.options.client.send(
      new PutCommand({
        TableName: this.options.design.tableName,
        Item: {
          ...keys.syncSender(sender.id),
          entity: ENTITY.syncSender,
          senderId: sender.id,
          sender: plain(sender),
        } satisfies SyncSenderItem<SyncSender>,
      }),
    );
  }
}
