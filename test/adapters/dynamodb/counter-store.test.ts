import { describe, expect, it } from "vitest";
import { DynamoDbCounterStore } from "../../../shared/adapters/dynamodb/counter-store.dynamodb.ts";
import {
  buildReport,
  type CounterDelta,
  type CounterRow,
  InMemoryCounterStore,
  rebuildDeltas,
} from "../../../shared/reports/index.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { EVENTS, NNMT, working } from "../../unit/reports/fixtures.ts";

const table = useTestTable();
const store = () => new DynamoDbCounterStore({ client: table.doc, design: table.design });

/** A fresh agency id per test: the table is shared within the file. */
let agencies = 0;
function deltasFor(agencyId: string): CounterDelta[] {
  return rebuildDeltas(EVENTS, working)
    .filter((delta) => delta.agencyId === NNMT.id)
    .map((delta) => ({ ...delta, agencyId }));
}

const byId = (rows: readonly CounterRow[]) =>
  Object.fromEntries(rows.map((row) => [`${row.period}#${row.dimension}#${row.key}`, row.values]));

describe("DynamoDbCounterStore", () => {
  it("reads the same rows and the same report as the in-memory reference", async () => {
    const agencyId = `agency-${++agencies}`;
    const deltas = deltasFor(agencyId);
    const reference = new InMemoryCounterStore();
    await reference.apply(deltas);
    await store().apply(deltas, { applyId: `first-${agencyId}`, at: Date.UTC(2026, 10, 30) });

    for (const [from, to] of [
      ["2026-11-01", "2026-11-30"],
      ["2026-11-15", "2026-12-10"],
      ["2026-01-01", "2026-12-31"],
    ] as const) {
      const rows = await store().read(agencyId, from, to);
      const expected = reference.readSync(agencyId, from, to);
      // Rows that cancelled to zero stay in DynamoDB (an ADD never deletes): compare non-zero ones.
      const nonZero = rows.filter((row) => Object.values(row.values).some((value) => value !== 0));
      expect(byId(nonZero)).toEqual(byId(expected));
      expect(buildReport(rows, { from, to, by: "unit" }).lines).toEqual(
        buildReport(expected, { from, to, by: "unit" }).lines,
      );
    }
    expect(rowsOf(await store().read(agencyId, "2026-11-01", "2026-11-30", "procedure"))).toEqual([
      "procedure",
    ]);
  });

  it("adds a change once however often it is retried, and twice when it is another change", async () => {
    const agencyId = `agency-${++agencies}`;
    const deltas = deltasFor(agencyId);
    await store().apply(deltas, { applyId: `event-1-${agencyId}` });
    await store().apply(deltas, { applyId: `event-1-${agencyId}` });
    await Promise.all([1, 2, 3].map(() => store().apply(deltas, { applyId: `event-1-${agencyId}` })));
    const once = buildReport(await store().read(agencyId, "2026-11-01", "2026-11-30"), {
      from: "2026-11-01",
      to: "2026-11-30",
      by: "agency",
    }).total;
    expect(once.receivedNew).toBe(8); // the fixture's November at Sở NN&MT

    await store().apply(deltas, { applyId: `event-2-${agencyId}` });
    const twice = buildReport(await store().read(agencyId, "2026-11-01", "2026-11-30"), {
      from: "2026-11-01",
      to: "2026-11-30",
      by: "agency",
    }).total;
    expect(twice.receivedNew).toBe(16);
  });

  it("splits a change of more than 99 rows into transactions, each counted once", async () => {
    const agencyId = `agency-${++agencies}`;
    const many: CounterDelta[] = Array.from({ length: 150 }, (_, i) => ({
      agencyId,
      day: "2026-11-02",
      dimension: "handler",
      key: `handler-${i}`,
      label: `Cán bộ ${i}`,
      values: { receivedOnline: 1, openNet: 1 },
    }));
    await store().apply(many, { applyId: `big-${agencyId}` });
    await store().apply(many, { applyId: `big-${agencyId}` });
    const rows = await store().read(agencyId, "2026-11-02", "2026-11-02", "handler");
    expect(rows).toHaveLength(150);
    expect(rows.every((row) => row.values.receivedOnline === 1)).toBe(true);
  });
});

function rowsOf(rows: readonly CounterRow[]): string[] {
  return [...new Set(rows.map((row) => row.dimension))];
}
