import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochDayFromYmd, instantOfLocal, isoDate, localEpochDay } from "../../../shared/calendar/index.ts";
import {
  type Dossier,
  type DossierEvent,
  foldAsOf,
  foldDossier,
  isOpen,
  progressAt,
} from "../../../shared/dossier/index.ts";
import {
  buildReport,
  type CounterRow,
  counterDeltas,
  InMemoryCounterStore,
  rebuildDeltas,
} from "../../../shared/reports/index.ts";
import { dossierSets } from "./arbitraries.ts";
import { working } from "./fixtures.ts";

const sortRows = (rows: CounterRow[]) =>
  rows.sort((a, b) => {
    const ka = `${a.agencyId}#${a.period}#${a.dimension}#${a.key}`;
    const kb = `${b.agencyId}#${b.period}#${b.dimension}#${b.key}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });

/** Every event of every dossier, interleaved in a random order, some delivered twice. */
const deliveries = dossierSets.chain((dossiers) => {
  const events = dossiers.flat();
  return fc
    .tuple(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: events.length,
        maxLength: events.length,
      }),
      fc.array(fc.nat({ max: events.length - 1 }), { maxLength: 4 }),
    )
    .map(([keys, replays]) => {
      const order = events.map((event, i) => ({ event, key: keys[i]! })).sort((a, b) => a.key - b.key);
      const delivered = order.map(({ event }) => event);
      for (const index of replays) delivered.splice(index, 0, events[index]!);
      return { events, delivered };
    });
});

describe("counters kept current event by event", () => {
  it("agree with the rebuild from the event log, whatever the order the events arrive in", () => {
    fc.assert(
      fc.property(deliveries, ({ events, delivered }) => {
        const incremental = new InMemoryCounterStore();
        const known = new Map<string, DossierEvent[]>();
        const states = new Map<string, Dossier>();
        for (const event of delivered) {
          const list = known.get(event.dossierCode) ?? [];
          const replay = list.some((candidate) => candidate.id === event.id);
          if (!replay) list.push(event);
          known.set(event.dossierCode, list);
          if (!list.some((candidate) => candidate.type === "received")) continue;
          const before = states.get(event.dossierCode);
          const after = foldDossier(list, working);
          const deltas = counterDeltas(before, after, working);
          if (replay) expect(deltas).toEqual([]);
          incremental.applySync(deltas);
          states.set(event.dossierCode, after);
        }
        const rebuilt = new InMemoryCounterStore();
        rebuilt.applySync(rebuildDeltas(events, working));
        expect(sortRows(incremental.allRows())).toEqual(sortRows(rebuilt.allRows()));
      }),
      { numRuns: 150 },
    );
  });
});

const endOfDay = (day: number) => instantOfLocal(day + 1, 0) - 1;

/**
 * The figures a report must show, computed without counters: each dossier folded from the
 * events known at the period's start and end and read with `progressAt` — the dossier domain's
 * own definitions of open, paused, awaiting a supplement and overdue.
 */
function oracle(dossiers: readonly DossierEvent[][], from: number, to: number) {
  const lines = new Map<string, Record<string, number>>();
  for (const events of dossiers) {
    const final = foldDossier(events, working);
    const agency = final.received.agency.id;
    const line = lines.get(agency) ?? {
      carriedOver: 0,
      receivedNew: 0,
      receivedOnline: 0,
      resolvedEarly: 0,
      resolvedOnTime: 0,
      resolvedLate: 0,
      closed: 0,
      returned: 0,
      apologies: 0,
      inProgressOnTime: 0,
      inProgressOverdue: 0,
      awaitingSupplement: 0,
      paused: 0,
      officeMs: 0,
    };
    lines.set(agency, line);
    const inPeriod = (instant: number | undefined) =>
      instant !== undefined && localEpochDay(instant) >= from && localEpochDay(instant) <= to;

    const atStart = foldAsOf(events, endOfDay(from - 1), working);
    if (atStart && isOpen(atStart)) line.carriedOver! += 1;
    if (inPeriod(final.received.receivedAt)) {
      line.receivedNew! += 1;
      if (final.received.channel === "online") line.receivedOnline! += 1;
    }
    if (!final.closure && inPeriod(final.finishedAt)) {
      const progress = progressAt(final, final.finishedAt!, working);
      const field = { "truoc-han": "resolvedEarly", "dung-han": "resolvedOnTime", "qua-han": "resolvedLate" }[
        progress.status as "truoc-han"
      ];
      line[field]! += 1;
      line.officeMs! += progress.elapsedOfficeMs;
    }
    if (inPeriod(final.closure?.at)) line.closed! += 1;
    if (inPeriod(final.returnedAt)) line.returned! += 1;
    if (inPeriod(final.apology?.occurredAt)) line.apologies! += 1;

    const end = endOfDay(to);
    const atEnd = foldAsOf(events, end, working);
    if (atEnd && isOpen(atEnd)) {
      const progress = progressAt(atEnd, end, working);
      if (progress.phase === "awaiting-supplement") line.awaitingSupplement! += 1;
      else if (progress.phase === "paused") line.paused! += 1;
      else if (progress.status === "qua-han") line.inProgressOverdue! += 1;
      else line.inProgressOnTime! += 1;
    }
  }
  return lines;
}

const periods = fc
  .tuple(fc.integer({ min: 0, max: 75 }), fc.integer({ min: 0, max: 40 }))
  .map(([start, length]) => {
    const from = epochDayFromYmd(2026, 10, 25) + start;
    return { from, to: from + length };
  });

describe("counters read as a report", () => {
  it("give the figures of the dossiers read at the period's start and end", () => {
    fc.assert(
      fc.property(dossierSets, periods, (dossiers, { from, to }) => {
        const store = new InMemoryCounterStore();
        store.applySync(rebuildDeltas(dossiers.flat(), working));
        const rows = store
          .agencyIds()
          .flatMap((agency) => store.readSync(agency, isoDate(from), isoDate(to)));
        const report = buildReport(rows, { from: isoDate(from), to: isoDate(to), by: "agency" });
        const expected = oracle(dossiers, from, to);
        for (const [agency, figures] of expected) {
          const line = report.lines.find((candidate) => candidate.agencyId === agency);
          const { officeMs, ...counts } = figures;
          const resolved = counts.resolvedEarly! + counts.resolvedOnTime! + counts.resolvedLate!;
          const active = Object.values(counts).some((value) => value !== 0);
          if (!active) {
            expect(line).toBeUndefined();
            continue;
          }
          expect(line).toMatchObject(counts);
          expect(line!.averageWorkingDays).toBe(
            resolved === 0 ? null : Math.round((officeMs! / (8 * 3_600_000) / resolved) * 10) / 10,
          );
        }
        expect(report.lines.length).toBe(
          [...expected.values()].filter(({ officeMs, ...counts }) =>
            Object.values(counts).some((v) => v !== 0),
          ).length,
        );
      }),
      { numRuns: 200 },
    );
  });
});
