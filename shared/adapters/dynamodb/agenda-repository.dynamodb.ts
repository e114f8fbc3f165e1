import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type {
  AgendaEntryRef,
  AgendaRepository,
  DueAgenda,
  DueAgendaEntry,
  PlannedAlert,
  PlannedAlertRecord,
} from "../../app/ports.ts";
import { localEpochDay, parseIsoDate } from "../../calendar/local-date.ts";
import { forEachLimit } from "../../concurrency.ts";
import { InvalidInputError } from "../../errors.ts";
import { type DynamoDbAdapterOptions, type Item, isConditionalCheckFailed, query } from "./support.ts";
import {
  ATTR,
  agendaBucket,
  agendaBucketEnd,
  agendaBucketOfDay,
  agendaDueBound,
  agendaPartition,
  agendaShard,
  ENTITY,
  INDEX,
  instantMs,
  keys,
  sortableInstant,
} from "./table-design.ts";

/** The sortable form of `heldUntil`, compared with the sortable `doneAt` in markDone's condition. */
const HELD_SK = "heldSk";

/** Updates in flight at once when marking entries done. */
const WRITE_CONCURRENCY = 16;

interface Cursor {
  /** Local epoch day of the oldest bucket that may still hold due entries. */
  readonly day: number;
  /** The highest shard count ever used, so lowering the setting cannot hide entries. */
  readonly shards: number;
  readonly bucket: string;
}

interface ShardScan {
  readonly shard: number;
  start: Item | undefined;
  done: boolean;
}

/**
 * The agenda as the sweep reads it: the sparse `agenda` index, by day bucket and shard
 * (table-design.ts explains the numbers). `due` reads one cursor item and then only due entries.
 */
export class DynamoDbAgendaRepository<A extends PlannedAlertRecord = PlannedAlert>
  implements AgendaRepository<A>
{
  constructor(private readonly options: DynamoDbAdapterOptions) {}

  async due(now: string, limit: number): Promise<DueAgenda<A>> {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidInputError("limit must be a positive integer", { limit });
    }
    const { design } = this.options;
    const nowMs = instantMs(now);
    const today = localEpochDay(nowMs);
    const cursor = await this.readCursor();
    const firstDay = cursor?.day ?? today - design.agendaInitialLookbackDays;
    const shards = Math.max(design.agendaShards, cursor?.shards ?? 0);
    const bound = agendaDueBound(nowMs);

    const entries: DueAgendaEntry<A>[] = [];
    let hasMore = false;
    let drainedTo = firstDay;
    let drainedSoFar = true;
    for (let day = firstDay; day <= today; day++) {
      const budget = limit - entries.length;
      if (budget === 0) {
        hasMore = true;
        break;
      }
      const bucket = await this.readBucket(day, shards, bound, budget);
      entries.push(...bucket.entries);
      if (!bucket.exhausted) hasMore = true;
      // A past day is finished once its grace is over and nothing due is left in it.
      const closed = nowMs >= agendaBucketEnd(day) + design.agendaGraceMs;
      if (drainedSoFar && closed && bucket.exhausted && bucket.entries.length === 0) drainedTo = day + 1;
      else drainedSoFar = false;
    }
    if (cursor === undefined || drainedTo > cursor.day || shards > cursor.shards) {
      await this.writeCursor(cursor, drainedTo, shards);
    }
    return { entries, hasMore };
  }

  async markDone(refs: readonly AgendaEntryRef[], doneAt: string): Promise<void> {
    instantMs(doneAt);
    await forEachLimit(refs, WRITE_CONCURRENCY, async (ref) => {
      try {
        await this.options.client.send(
          new UpdateCommand({
            TableName: this.options.design.tableName,
            Key: keys.agendaEntry(ref.dossierCode, ref.dedupeKey),
            // Dropping the index keys takes the entry out of the sparse index: never read again.
            UpdateExpression: "SET #doneAt = :doneAt REMOVE #agendaPk, #agendaSk",
            // A hold for later (notify may hold an SMS before the sweep marks its entry done)
            // is not undone: only once its time has come.
            ConditionExpression: `attribute_exists(${ATTR.pk}) AND #at = :at AND (attribute_not_exists(#heldSk) OR #heldSk <= :doneSk)`,
            ExpressionAttributeNames: {
              "#doneAt": "doneAt",
              "#agendaPk": ATTR.agendaPk,
              "#agendaSk": ATTR.agendaSk,
              "#at": "at",
              "#heldSk": HELD_SK,
            },
            ExpressionAttributeValues: {
              ":doneAt": doneAt,
              ":at": ref.at,
              ":doneSk": sortableInstant(instantMs(doneAt)),
            },
          }),
        );
      } catch (error) {
        // Removed or re-planned since it was read: the new plan stands.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
  }

  async remove(refs: readonly AgendaEntryRef[]): Promise<void> {
    await forEachLimit(refs, WRITE_CONCURRENCY, async (ref) => {
      try {
        await this.options.client.send(
          new DeleteCommand({
            TableName: this.options.design.tableName,
            Key: keys.agendaEntry(ref.dossierCode, ref.dedupeKey),
            ConditionExpression: "#at = :at",
            ExpressionAttributeNames: { "#at": "at" },
            ExpressionAttributeValues: { ":at": ref.at },
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    });
  }

  async hold(ref: AgendaEntryRef, until: string, now: string): Promise<boolean> {
    const untilMs = instantMs(until);
    instantMs(now);
    const { design } = this.options;
    const bucket = agendaBucket(untilMs);
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: design.tableName,
          Key: keys.agendaEntry(ref.dossierCode, ref.dedupeKey),
          // Done for the planner (a re-plan leaves done entries alone), due again for the sweep.
          UpdateExpression:
            "SET #doneAt = if_not_exists(#doneAt, :now), #agendaPk = :pk, #agendaSk = :sk, #bucket = :bucket, #heldUntil = :until, #heldSk = :sk",
          ConditionExpression: `attribute_exists(${ATTR.pk}) AND #at = :at`,
          ExpressionAttributeNames: {
            "#doneAt": "doneAt",
            "#agendaPk": ATTR.agendaPk,
            "#agendaSk": ATTR.agendaSk,
            "#bucket": "bucket",
            "#heldUntil": "heldUntil",
            "#heldSk": HELD_SK,
            "#at": "at",
          },
          ExpressionAttributeValues: {
            ":now": now,
            ":pk": agendaPartition(bucket, agendaShard(ref.dedupeKey, design.agendaShards)),
            ":sk": sortableInstant(untilMs),
            ":bucket": bucket,
            ":until": until,
            ":at": ref.at,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Reads up to `budget` due entries of one day bucket across its shards. The budget is shared
   * out between the shards still holding entries, so every item read is returned (no over-read).
   */
  private async readBucket(
    day: number,
    shards: number,
    bound: string,
    budget: number,
  ): Promise<{ entries: DueAgendaEntry<A>[]; exhausted: boolean }> {
    const bucket = agendaBucketOfDay(day);
    const scans: ShardScan[] = Array.from({ length: shards }, (_, shard) => ({
      shard,
      start: undefined,
      done: false,
    }));
    const entries: DueAgendaEntry<A>[] = [];
    let remaining = budget;
    while (remaining > 0) {
      const active = scans.filter((scan) => !scan.done);
      if (active.length === 0) break;
      const base = Math.floor(remaining / active.length);
      const extra = remaining % active.length;
      const round = active
        .map((scan, i) => ({ scan, limit: base + (i < extra ? 1 : 0) }))
        .filter((share) => share.limit > 0);
      const pages = await Promise.all(
        round.map(({ scan, limit }) =>
          query(this.options, {
            IndexName: INDEX.agenda,
            KeyConditionExpression: "#pk = :pk AND #sk < :bound",
            ExpressionAttributeNames: { "#pk": ATTR.agendaPk, "#sk": ATTR.agendaSk },
            ExpressionAttributeValues: { ":pk": agendaPartition(bucket, scan.shard), ":bound": bound },
            Limit: limit,
            ...(scan.start ? { ExclusiveStartKey: scan.start } : {}),
          }),
        ),
      );
      pages.forEach((page, i) => {
        const scan = round[i]!.scan;
        for (const item of page.items) entries.push(this.toDueEntry(item));
        remaining -= page.items.length;
        scan.start = page.lastKey;
        scan.done = page.lastKey === undefined;
      });
    }
    return { entries, exhausted: scans.every((scan) => scan.done) };
  }

  private toDueEntry(item: Item): DueAgendaEntry<A> {
    return {
      alert: item.alert as A,
      ref: {
        dossierCode: item.dossierCode as string,
        dedupeKey: item.dedupeKey as string,
        at: item.at as string,
      },
      ...(typeof item.heldUntil === "string" ? { heldUntil: item.heldUntil } : {}),
    };
  }

  private async readCursor(): Promise<Cursor | undefined> {
    const output = await this.options.client.send(
      new GetCommand({
        TableName: this.options.design.tableName,
        Key: keys.agendaSweepCursor(),
        ConsistentRead: true,
        ...(this.options.onRead ? { ReturnConsumedCapacity: "TOTAL" } : {}),
      }),
    );
    const found = output.Item === undefined ? 0 : 1;
    this.options.onRead?.({
      operation: "GetItem",
      index: undefined,
      count: found,
      scannedCount: found,
      capacityUnits: output.ConsumedCapacity?.CapacityUnits,
    });
    if (output.Item === undefined) return undefined;
    const bucket = output.Item.bucket as string;
    return { bucket, day: parseIsoDate(bucket), shards: output.Item.shards as number };
  }

  /** Moves the cursor forward only: conditional on the value read, so an overlapping sweep cannot move it back. */
  private async writeCursor(previous: Cursor | undefined, day: number, shards: number): Promise<void> {
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.design.tableName,
          Item: {
            ...keys.agendaSweepCursor(),
            [ATTR.entity]: ENTITY.agendaSweepCursor,
            bucket: agendaBucketOfDay(day),
            shards,
          },
          ...(previous === undefined
            ? { ConditionExpression: `attribute_not_exists(${ATTR.pk})` }
            : {
                ConditionExpression: "#bucket = :bucket",
                ExpressionAttributeNames: { "#bucket": "bucket" },
                ExpressionAttributeValues: { ":bucket": previous.bucket },
              }),
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
