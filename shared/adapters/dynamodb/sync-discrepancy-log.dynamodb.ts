import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { SyncDiscrepancy, SyncDiscrepancyLog } from "../../app/sync-discrepancies.ts";
import { instantOfLocal, parseIsoDate } from "../../calendar/local-date.ts";
import { type DynamoDbAdapterOptions, isConditionalCheckFailed, plain, queryAll } from "./support.ts";
import { ATTR, ENTITY, itemOf, keys, type SyncDiscrepancyItem } from "./table-design.ts";

/** Conditional puts in flight at once: a catch-up request raises a flag or two per record. */
const CONCURRENCY = 10;
/** Flags this container already knows are stored: a re-sent flagged dossier costs no put at all. */
const KNOWN_LIMIT = 50_000;

/**
 * Sync discrepancies, one item per agency, dossier and flag identity, written once
 * (`attribute_not_exists`): the first sighting (its sender and instant) is kept, and a re-sent
 * record's flag is a refused conditional put — no item written. An agency's report is one Query of
 * its partition, filtered on the first sighting's instant.
 */
export class DynamoDbSyncDiscrepancyLog implements SyncDiscrepancyLog {
  readonly #known = new Set<string>();

  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async record(discrepancies: readonly SyncDiscrepancy[]): Promise<void> {
    const fresh = discrepancies.filter((item) => !this.#known.has(knownKey(item)));
    for (let start = 0; start < fresh.length; start += CONCURRENCY) {
      await Promise.all(fresh.slice(start, start + CONCURRENCY).map((item) => this.#put(item)));
    }
  }

  async #put(discrepancy: SyncDiscrepancy): Promise<void> {
    const item: SyncDiscrepancyItem<SyncDiscrepancy> = {
      ...keys.syncDiscrepancy(discrepancy.agencyId, discrepancy.dossierCode, discrepancy.key),
      entity: ENTITY.syncDiscrepancy,
      firstSeenAt: discrepancy.firstSeenAt,
      discrepancy: plain(discrepancy),
    };
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.design.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": ATTR.pk },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // Stored now, by this put or an earlier one; forget all once the set is full (a bound, not an LRU).
    if (this.#known.size >= KNOWN_LIMIT) this.#known.clear();
    this.#known.add(knownKey(discrepancy));
  }

  async listByAgency(
    agencyId: string,
    period: { readonly from: string; readonly to: string },
  ): Promise<SyncDiscrepancy[]> {
    // The local days' bounds as UTC ISO instants: fixed width, so string order is time order.
    const from = new Date(instantOfLocal(parseIsoDate(period.from), 0)).toISOString();
    const to = new Date(instantOfLocal(parseIsoDate(period.to) + 1, 0)).toISOString();
    const items = await queryAll(this.options, {
      KeyConditionExpression: "#pk = :pk",
      FilterExpression: "#at >= :from AND #at < :to",
      ExpressionAttributeNames: { "#pk": ATTR.pk, "#at": "firstSeenAt" },
      ExpressionAttributeValues: { ":pk": keys.syncDiscrepancyPartition(agencyId), ":from": from, ":to": to },
    });
    return items.flatMap((stored) => {
      const item = itemOf(ENTITY.syncDiscrepancy, stored);
      return item === undefined ? [] : [item.discrepancy as SyncDiscrepancy];
    });
  }
}

function knownKey(item: SyncDiscrepancy): string {
  return `${item.agencyId}\u0000${item.dossierCode}\u0000${item.key}`;
}
