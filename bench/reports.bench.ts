import { CivilCalendar, formatInstant, WorkingTime } from "../shared/calendar/index.ts";
import {
  type Dossier,
  type DossierEvent,
  foldDossier,
  orderEvents,
  parseDossierEvent,
} from "../shared/dossier/index.ts";
import {
  buildReport,
  type CounterRow,
  counterDeltas,
  InMemoryCounterStore,
  type Report,
  rebuildDeltas,
} from "../shared/reports/index.ts";
import { type Benchmark, type Figure, opsPerSecond, seededRandom } from "./harness.ts";

const AGENCIES = 20;
const PER_AGENCY = 5_000;
const HOUR = 3_600_000;
const YEAR = { from: "2026-01-01", to: "2026-12-31" };
const NOVEMBER = { from: "2026-11-01", to: "2026-11-30" };

/**
 * 100k dossiers (20 agencies × 5,000) received at random instants of 2026, limits of 3–15
 * working days, 4–7 events each: reception, assignment to one of 4 units and 6 handlers, a pause
 * or a supplement round for some, the result for most (early, on time or late) and its return.
 */
function makeDossiers(): DossierEvent[][] {
  const random = seededRandom(766_2022);
  const first = Date.UTC(2026, 0, 5);
  const span = Date.UTC(2026, 11, 1) - first;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const out: DossierEvent[][] = [];
  for (let a = 0; a < AGENCIES; a++) {
    const agency = { id: `so-${a}`, name: `Sở số ${a + 1}` };
    const units = [0, 1, 2, 3].map((u) => ({ id: `phong-${u}`, name: `Phòng ${u + 1}` }));
    const handlers = [0, 1, 2, 3, 4, 5].map((h) => ({ id: `cv-${a}-${h}`, name: `Chuyên viên ${h + 1}` }));
    for (let n = 0; n < PER_AGENCY; n++) {
      const code = `000.00.${String(a).padStart(2, "0")}.H42-26-${String(n).padStart(6, "0")}`;
      let t = first + Math.floor((random() * span) / 60_000) * 60_000;
      const wire: Record<string, unknown>[] = [];
      const add = (type: string, fields: Record<string, unknown> = {}) => {
        wire.push({
          id: `${code}#${wire.length}`,
          dossierCode: code,
          type,
          occurredAt: formatInstant(t),
          ...fields,
        });
      };
      const later = (hours: number) => {
        t += Math.floor(random() * hours * HOUR);
      };
      const procedure = Math.floor(random() * 8);
      add("received", {
        procedure: {
          code: `1.00${procedure}`,
          name: `Thủ tục ${procedure + 1}`,
          timeLimit: { amount: 3 + Math.floor(random() * 13), unit: "working-days" },
        },
        agency,
        unit: { id: "mot-cua", name: "Bộ phận Một cửa" },
        channel: pick(["online", "in-person", "postal"]),
        applicant: { name: "Nguyễn Văn An", consent: { sms: false, email: false } },
        handler: { id: `cb-${a}` },
        receivedAt: formatInstant(t),
      });
      later(4);
      add("assigned", { unit: pick(units), handler: pick(handlers) });
      const extra = random();
      if (extra < 0.2) {
        later(48);
        add("paused", { reason: "Chờ nghĩa vụ tài chính" });
        later(72);
        add("resumed");
      } else if (extra < 0.35) {
        later(48);
        add("supplement-requested", { reason: "Thiếu giấy tờ" });
        later(120);
        add("supplement-received");
      }
      if (random() < 0.85) {
        later(400);
        add("result-ready");
        if (random() < 0.7) {
          later(48);
          add("returned");
        }
      }
      out.push(wire.map((json) => parseDossierEvent(json)));
    }
  }
  return out;
}

function readAll(store: InMemoryCounterStore, range: { from: string; to: string }): CounterRow[] {
  return store.agencyIds().flatMap((agency) => store.readSync(agency, range.from, range.to));
}

/** A report read from the counters: one read per agency (every dimension's rows, as an adapter would). */
function reportFromCounters(store: InMemoryCounterStore, range: { from: string; to: string }): Report {
  return buildReport(readAll(store, range), { ...range, by: "agency" });
}

/** The baseline: fold every dossier from its events and derive the report from the folded states. */
function reportByFolding(dossiers: readonly DossierEvent[][], working: WorkingTime): Report {
  const store = new InMemoryCounterStore();
  for (const events of dossiers) store.applySync(rebuildDeltas(events, working));
  return reportFromCounters(store, YEAR);
}

export const reportsBenchmark: Benchmark = {
  name: "reports",
  async run(): Promise<Figure[]> {
    const working = new WorkingTime(CivilCalendar.default());
    const dossiers = makeDossiers();
    const count = dossiers.length;

    const started = performance.now();
    const store = new InMemoryCounterStore();
    for (const events of dossiers) store.applySync(rebuildDeltas(events, working));
    const rebuildMs = performance.now() - started;
    const rows = store.allRows().length;

    const year = opsPerSecond([0], () => reportFromCounters(store, YEAR));
    const month = opsPerSecond([0], () => reportFromCounters(store, NOVEMBER));
    const folding = opsPerSecond([0], () => reportByFolding(dossiers, working), 2000);
    const check = reportByFolding(dossiers, working);
    const same = JSON.stringify(check) === JSON.stringify(reportFromCounters(store, YEAR));

    // The ingest cost: counterDeltas for a dossier's last event, beside the fold it already does.
    const pairs: { before: Dossier; after: Dossier }[] = dossiers.slice(0, 10_000).map((events) => {
      const ordered = orderEvents(events);
      return {
        before: foldDossier(ordered.slice(0, -1), working),
        after: foldDossier(ordered, working),
      };
    });
    const deltas = opsPerSecond(pairs, ({ before, after }) => counterDeltas(before, after, working));
    const fold = opsPerSecond(dossiers.slice(0, 10_000), (events) => foldDossier(events, working));

    return [
      {
        figure: "reports.year-from-counters",
        value: year,
        unit: "reports/s",
        baselines: { "fold-every-dossier": folding },
        note: `a year's report for ${AGENCIES} agencies: ${(1000 / year).toFixed(1)} ms from the counters (${rows.toLocaleString("en-US")} day/month/year rows in all) vs ${(1000 / folding).toFixed(0)} ms folding ${count.toLocaleString("en-US")} dossiers; same figures: ${same}; the rebuild took ${(rebuildMs / 1000).toFixed(1)} s`,
      },
      {
        figure: "reports.month-from-counters",
        value: month,
        unit: "reports/s",
        baselines: { "fold-every-dossier": folding },
        note: "November: the stocks at its start come from the year and month rows before it",
      },
      {
        figure: "reports.counter-deltas",
        value: deltas,
        unit: "dossier changes/s",
        baselines: { "fold-dossier": fold },
        note: "counterDeltas(before, after) for a dossier's last event — the ingest path already folds the dossier (baseline)",
      },
    ];
  },
};
