import { TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { forEachLimit } from "../../concurrency.ts";
import {
  COUNTER_FIELDS,
  type CounterApplyOptions,
  type CounterDelta,
  type CounterRow,
  type CounterStore,
  type CounterValues,
  counterRowSortKey,
  type Dimension,
  type Grain,
  grainOf,
  readPlan,
  zeroCounters,
} from "../../reports/index.ts";
import { cancellationCodes, type DynamoDbAdapterOptions, type Item, queryAll, sleep } from "./support.ts";
import { ATTR, ENTITY, keys } from "./table-design.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** TransactWriteItems takes at most 100 items (DynamoDB limits): 99 row updates and the marker. */
const ROWS_PER_TRANSACTION = 99;
/** Concurrent UpdateItem calls when no apply id is given (the rebuild, the CLI). */
const PARALLEL_UPDATES = 16;
/** SQS keeps a message at most 14 days: a retry never comes after the marker expired. */
const DEFAULT_MARKER_RETENTION_DAYS = 15;
/** Transactions touching the same hot row (an agency's year row) cancel each other; retry a few times. */
const CONFLICT_ATTEMPTS = 6;

const GRAIN_PREFIX: Record<Grain, string> = { day: "DAY#", month: "MONTH#", year: "YEAR#" };

export interface DynamoDbCounterStoreOptions extends DynamoDbAdapterOptions {
  readonly markerRetentionDays?: number | undefined;
}

interface RowUpdate {
  readonly agencyId: string;
  readonly period: string;
  readonly dimension: Dimension;
  readonly key: string;
  label: string;
  readonly values: CounterValues;
}

/**
 * The report counters in the one table (docs/reports.md, "Rows and reads"): pk
 * `REPORT#<agency>`, sk `DAY#…`/`MONTH#…`/`YEAR#…` (`counterRowSortKey`), every figure an `ADD`
 * — commutative, so concurrent workers need no lock and no read.
 *
 * Counted once: with an `applyId`, the row updates go in TransactWriteItems of at most 99 rows,
 * each with a marker item `COUNTED#<applyId>` / `CHUNK#<n>` put on condition it does not exist.
 * A retry of a change already counted finds its markers and adds nothing; a chunk that failed is
 * added whole on the retry. The deltas of one change are a pure function of the dossier before and
 * after, so the chunks of a retry are the same chunks. Markers expire (TTL) after the longest SQS
 * retention. Why not the dossier's own save transaction: a reassignment moves a dossier's whole
 * contribution (dozens of rows × 3 grains), which beside the events and the agenda difference
 * would overflow its 100 items.
 */
export class DynamoDbCounterStore implements CounterStore {
  readonly #options: DynamoDbCounterStoreOptions;

  constructor(options: DynamoDbCounterStoreOptions) {
    this.#options = options;
  }

  async apply(deltas: readonly CounterDelta[], options: CounterApplyOptions = {}): Promise<void> {
    const rows = mergeRows(deltas);
    if (options.applyId === undefined) {
      await forEachLimit(rows, PARALLEL_UPDATES, (row) =>
        this.#options.client.send(new UpdateCommand(this.#update(row))),
      );
      return;
    }
    const chunks: RowUpdate[][] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION)
      chunks.push(rows.slice(i, i + ROWS_PER_TRANSACTION));
    if (chunks.length === 0) return;
    for (const [index, chunk] of chunks.entries()) {
      await this.#applyChunk(options.applyId, index, chunk, options.at);
    }
  }

  async read(agencyId: string, fromDay: string, toDay: string, dimension?: Dimension): Promise<CounterRow[]> {
    const plan = readPlan(fromDay, toDay);
    const pk = keys.reportPartition(agencyId);
    // Every year row before the plan's first year: `YEAR#2025#…` < `YEAR#2026`.
    const ranges: { lo: string; hi: string }[] = [{ lo: "YEAR#", hi: `YEAR#${plan.yearsBefore}` }];
    // Adjacent periods of the same grain in the plan are consecutive: one key range each run.
    let run: { prefix: string; first: string; last: string } | undefined;
    const close = () => {
      if (run) ranges.push({ lo: `${run.prefix}${run.first}#`, hi: `${run.prefix}${run.last}#\uffff` });
    };
    for (const period of plan.periods) {
      const prefix = GRAIN_PREFIX[grainOf(period)];
      if (run && run.prefix === prefix) run.last = period;
      else {
        close();
        run = { prefix, first: period, last: period };
      }
    }
    close();
    const out: CounterRow[] = [];
    for (const range of ranges) {
      const items = await queryAll(this.#options, {
        KeyConditionExpression: `${ATTR.pk} = :pk AND ${ATTR.sk} BETWEEN :lo AND :hi`,
        ExpressionAttributeValues: {
          ":pk": pk,
          ":lo": range.lo,
          ":hi": range.hi,
          ...(dimension === undefined ? {} : { ":dimension": dimension }),
        },
        ...(dimension === undefined ? {} : { FilterExpression: "dimension = :dimension" }),
        ConsistentRead: true,
      });
      for (const item of items) out.push(toRow(item));
    }
    return out;
  }

  async #applyChunk(applyId: string, index: number, chunk: readonly RowUpdate[], at: number | undefined) {
    const retentionDays = this.#options.markerRetentionDays ?? DEFAULT_MARKER_RETENTION_DAYS;
    const marker: TransactItem = {
      Put: {
        TableName: this.#options.design.tableName,
        Item: {
          ...keys.countersApplied(applyId, index),
          [ATTR.entity]: ENTITY.countersApplied,
          rows: chunk.length,
          ...(at === undefined ? {} : { [ATTR.expiresAt]: Math.floor(at / 1000) + retentionDays * 86_400 }),
        },
        ConditionExpression: `attribute_not_exists(${ATTR.pk})`,
      },
    };
    const items: TransactItem[] = [marker, ...chunk.map((row) => ({ Update: this.#update(row) }))];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#options.client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (codes === undefined) throw error;
        if (codes[0] === "ConditionalCheckFailed") return; // counted already
        if (!codes.includes("TransactionConflict") || attempt >= CONFLICT_ATTEMPTS) throw error;
        await sleep(Math.random() * 20 * 2 ** attempt);
      }
    }
  }

  #update(row: RowUpdate) {
    const names: Record<string, string> = { "#key": "key" };
    const values: Record<string, unknown> = {
      ":entity": ENTITY.reportCounter,
      ":agencyId": row.agencyId,
      ":period": row.period,
      ":dimension": row.dimension,
      ":key": row.key,
      ":label": row.label,
    };
    const adds: string[] = [];
    for (const field of COUNTER_FIELDS) {
      const value = row.values[field];
      if (value === 0) continue;
      adds.push(`${field} :${field}`);
      values[`:${field}`] = value;
    }
    return {
      TableName: this.#options.design.tableName,
      Key: keys.reportRow(row.agencyId, counterRowSortKey(row)),
      UpdateExpression:
        `SET ${ATTR.entity} = :entity, agencyId = :agencyId, period = :period, dimension = :dimension, ` +
        `#key = :key, label = :label` +
        (adds.length > 0 ? ` ADD ${adds.join(", ")}` : ""),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }
}

/** Each delta into its day, month and year rows; deltas for the same row summed (a transaction may touch an item once). */
function mergeRows(deltas: readonly CounterDelta[]): RowUpdate[] {
  const rows = new Map<string, RowUpdate>();
  for (const delta of deltas) {
    for (const period of [delta.day, delta.day.slice(0, 7), delta.day.slice(0, 4)]) {
      const id = `${delta.agencyId}\u0000${counterRowSortKey({ period, dimension: delta.dimension, key: delta.key })}`;
      let row = rows.get(id);
      if (!row) {
        row = {
          agencyId: delta.agencyId,
          period,
          dimension: delta.dimension,
          key: delta.key,
          label: delta.label,
          values: zeroCounters(),
        };
        rows.set(id, row);
      }
      row.label = delta.label;
      for (const field of COUNTER_FIELDS) row.values[field] += delta.values[field] ?? 0;
    }
  }
  return [...rows.values()].filter((row) => COUNTER_FIELDS.some((field) => row.values[field] !== 0));
}

function toRow(item: Item): CounterRow {
  const values = zeroCounters();
  for (const field of COUNTER_FIELDS) values[field] = Number(item[field] ?? 0);
  return {
    agencyId: String(item.agencyId),
    period: String(item.period),
    dimension: item.dimension as Dimension,
    key: String(item.key),
    label: String(item.label),
    values,
  };
}
