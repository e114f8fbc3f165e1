import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { SYNC_LEDGER_RETENTION_DAYS, type SyncLedger, type SyncLedgerEntry } from "../../app/sync-ledger.ts";
import { type DynamoDbAdapterOptions, plain } from "./support.ts";
import { ENTITY, itemOf, keys, type SyncLedgerItem } from "./table-design.ts";

/** PutItem calls in flight at once: a catch-up request writes up to 500 entries. */
const PUT_CONCURRENCY = 16;

/**
 * The sync ledger, one item per dossier (SYNC-LEDGER#<code> / LEDGER), read strongly consistent:
 * a request must see what the one before it queued. Each write replaces the item whole and
 * pushes its expiry (TTL) `SYNC_LEDGER_RETENTION_DAYS` past the request that wrote it.
 */
export class DynamoDbSyncLedger implements SyncLedger {
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async get(dossierCode: string): Promise<SyncLedgerEntry | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.syncLedger(dossierCode),
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
    return itemOf(ENTITY.syncLedger, output.Item)?.ledger as SyncLedgerEntry | undefined;
  }

  async put(entries: readonly SyncLedgerEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += PUT_CONCURRENCY) {
      await Promise.all(
        entries.slice(start, start + PUT_CONCURRENCY).map((entry) =>
          this.options.client.send(
            new PutCommand({
              TableName: this.options.design.tableName,
              Item: {
                ...keys.syncLedger(entry.dossierCode),
                entity: ENTITY.syncLedger,
                ledger: plain(entry),
                expiresAt: Math.ceil(entry.updatedAt / 1000) + SYNC_LEDGER_RETENTION_DAYS * 86_400,
              } satisfies SyncLedgerItem<SyncLedgerEntry>,
            }),
          ),
        ),
      );
    }
  }
}
