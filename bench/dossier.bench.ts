import { DEFAULT_ALERT_POLICY, type Directory, planAlerts } from "../shared/alerts/index.ts";
import {
  CivilCalendar,
  formatInstant,
  localEpochDay,
  WORKING_DAY_MS,
  WorkingTime,
} from "../shared/calendar/index.ts";
import {
  type Dossier,
  type DossierEvent,
  type DossierEventJson,
  dossierEventToJson,
  foldDossier,
  isOpen,
  parseDossierEvent,
} from "../shared/dossier/index.ts";
import { type Benchmark, type Figure, opsPerSecond, seededRandom } from "./harness.ts";

const DOSSIERS = 100_000;
const HOUR = 3_600_000;

/**
 * 100k dossiers received at random office-ish instants in 2026, limits of 3–15 working days,
 * 5–8 events each (reception, one or two steps, a pause or a supplement round, sometimes an
 * apology, the result and its return), delivered in a shuffled order.
 */
function makeDossiers(): DossierEvent[][] {
  const random = seededRandom(61_2018);
  const first = Date.UTC(2026, 0, 5);
  const span = Date.UTC(2026, 10, 1) - first;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const out: DossierEvent[][] = [];
  for (let n = 0; n < DOSSIERS; n++) {
    const code = `000.00.12.H42-26${String(n).padStart(6, "0")}`;
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
    add("received", {
      procedure: {
        code: "1.004227",
        name: "Đăng ký biến động quyền sử dụng đất",
        timeLimit: { amount: 3 + Math.floor(random() * 13), unit: "working-days" },
        ...(random() < 0.3 ? { cutoff: "15:00" } : {}),
      },
      agency: { id: "so-nnmt", name: "Sở Nông nghiệp và Môi trường" },
      unit: { id: "mot-cua", name: "Bộ phận Một cửa" },
      channel: pick(["online", "in-person", "postal"]),
      applicant: { name: "Nguyễn Văn An", phone: "0912345678", consent: { sms: true, email: false } },
      handler: { id: "cb-lan" },
      receivedAt: formatInstant(t),
    });
    const later = (hours: number) => {
      t += Math.floor(random() * hours * HOUR);
    };
    later(4);
    add("assigned", {
      handler: { id: pick(["cv-minh", "cv-hoa", "cv-tuan"]) },
      unit: { id: "phong-dat", name: "Phòng Quản lý đất đai" },
      allotment: { amount: 2, unit: "working-days" },
    });
    const extra = random();
    if (extra < 0.3) {
      later(48);
      add("paused", { reason: "Chờ nghĩa vụ tài chính" });
      later(72);
      add("resumed");
    } else if (extra < 0.6) {
      later(48);
      add("supplement-requested", { reason: "Thiếu giấy tờ" });
      later(120);
      add("supplement-received");
    } else {
      later(48);
      add("transferred", {
        agency: { id: "thue-tinh", name: "Thuế tỉnh" },
        allotment: { amount: 1, unit: "working-days" },
      });
    }
    later(24);
    add("assigned", {
      handler: { id: pick(["cv-minh", "cv-hoa", "cv-tuan"]) },
      unit: { id: "phong-dat", name: "Phòng Quản lý đất đai" },
      allotment: { amount: 1, unit: "working-days" },
    });
    if (random() < 0.2) {
      later(96);
      add("apology-issued", {
        reason: "Chờ ý kiến liên thông",
        responsibleUnit: { id: "phong-dat", name: "Phòng Quản lý đất đai" },
        newAppointment: formatInstant(t + 10 * 24 * HOUR),
      });
    }
    if (random() < 0.15) {
      later(48);
      add("alert-acknowledged", { by: { id: "tp-binh", role: "unit-leader" } });
    }
    if (random() < 0.8) {
      later(200);
      add("result-ready");
      if (random() < 0.7) {
        later(48);
        add("returned");
      }
    }
    const events = wire.map((json) => parseDossierEvent(json));
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    out.push(events);
  }
  return out;
}

/**
 * The baseline for alerts: a sweep that wakes every 30 office minutes and checks each rule's
 * condition against the due instant — what a cron job over all open dossiers does — counted over
 * one dossier's open life (from reception to its finish, or to the last escalation level).
 */
function thirtyMinuteSweep(dossier: Dossier, working: WorkingTime): number {
  const due = dossier.dueAt;
  if (due === undefined) return 0;
  let fired = 0;
  const seen = new Set<string>();
  const fire = (rule: string) => {
    if (!seen.has(rule)) {
      seen.add(rule);
      fired++;
    }
  };
  const end = Math.min(dossier.finishedAt ?? dossier.closure?.at ?? Infinity, working.addWorkingDays(due, 3));
  for (let day = localEpochDay(dossier.received.receivedAt); day <= localEpochDay(end); day++) {
    if (!working.isWorkingDay(day)) continue;
    for (let t = working.openingOf(day); t <= Math.min(working.closingOf(day), end); t += HOUR / 2) {
      if (!working.isOfficeInstant(t)) continue;
      const remaining = working.workingTimeBetween(t, due);
      if (remaining <= 2 * WORKING_DAY_MS) fire("due-in-2-working-days");
      if (remaining <= WORKING_DAY_MS) fire("due-in-1-working-day");
      if (remaining <= WORKING_DAY_MS && dossier.apology === undefined) fire("apology-duty");
      if (localEpochDay(t) === localEpochDay(due)) fire("due-today");
      if (remaining <= 0) fire("overdue-level-1");
      if (remaining <= -4 * HOUR) fire("overdue-level-2");
      if (remaining <= -2 * WORKING_DAY_MS) fire("overdue-level-3");
    }
  }
  return fired;
}

export const dossierBenchmark: Benchmark = {
  name: "dossier",
  async run(): Promise<Figure[]> {
    const working = new WorkingTime(CivilCalendar.default());
    const dossiers = makeDossiers();
    const eventCount = dossiers.reduce((sum, events) => sum + events.length, 0);
    const perDossier = eventCount / dossiers.length;

    const fold = opsPerSecond(dossiers, (events) => foldDossier(events, working)) * perDossier;

    // Baseline 1: the events stored as JSON text and validated again on every read.
    const sample = dossiers.slice(0, 10_000);
    const stored = sample.map((events) => events.map((event) => JSON.stringify(dossierEventToJson(event))));
    const sampleEvents = sample.reduce((sum, events) => sum + events.length, 0) / sample.length;
    const reparse =
      opsPerSecond(stored, (lines) =>
        foldDossier(
          lines.map((line) => parseDossierEvent(JSON.parse(line) as DossierEventJson)),
          working,
        ),
      ) * sampleEvents;
    // Baseline 2: an eager projection that re-folds the whole history on every arriving event.
    const refold =
      opsPerSecond(sample, (events) => {
        let last: Dossier | undefined;
        for (let k = 1; k <= events.length; k++) {
          const prefix = events.slice(0, k);
          if (prefix.some((event) => event.type === "received")) last = foldDossier(prefix, working);
        }
        return last;
      }) * sampleEvents;

    const folded = dossiers.map((events) => foldDossier(events, working));
    const directory: Directory = {
      agencies: {
        "so-nnmt": {
          leaderIds: ["gd-hung"],
          units: { "mot-cua": { leaderIds: ["tp-mai"] }, "phong-dat": { leaderIds: ["tp-binh"] } },
        },
      },
    };
    const context = { workingTime: working, directory };
    const plan = opsPerSecond(folded, (dossier) => planAlerts(dossier, DEFAULT_ALERT_POLICY, context));
    const sweep = opsPerSecond(folded, (dossier) => thirtyMinuteSweep(dossier, working));
    const open = folded.filter((dossier) => isOpen(dossier));
    const planOpen = opsPerSecond(open, (dossier) => planAlerts(dossier, DEFAULT_ALERT_POLICY, context));
    const sweepOpen = opsPerSecond(open, (dossier) => thirtyMinuteSweep(dossier, working));

    return [
      {
        figure: "dossier.fold",
        value: fold,
        unit: "events/s",
        baselines: { "parse-each-read": reparse, "refold-per-event": refold },
        note: `${DOSSIERS.toLocaleString("en-US")} dossiers, ${perDossier.toFixed(1)} events each in shuffled order (baselines on the first 10,000)`,
      },
      {
        figure: "alerts.evaluate",
        value: plan,
        unit: "dossiers/s",
        baselines: { "30-minute-sweep": sweep },
        note: "planAlerts: a dossier's whole agenda (warnings, apology duty, escalation, citizen notices, recipients, dedupe keys), once; the baseline checks the staff rules every 30 office minutes over the dossier's open life",
      },
      {
        figure: "alerts.evaluate.open",
        value: planOpen,
        unit: "dossiers/s",
        baselines: { "30-minute-sweep": sweepOpen },
        note: `the ${open.length.toLocaleString("en-US")} dossiers still open (the full chain of warnings and escalation levels each)`,
      },
    ];
  },
};
