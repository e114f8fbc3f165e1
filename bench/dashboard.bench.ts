import { BatchWriteCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DEMO_AGENCIES, DEMO_PROCEDURES, type DemoUnit, type StepPlan } from "../local/demo/province.ts";
import { ManualClock } from "../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../local/runtime/stack.ts";
import { plain } from "../shared/adapters/dynamodb/support.ts";
import {
  ATTR,
  byAgencyStatusKey,
  type DossierEventItem,
  type DossierStateItem,
  ENTITY,
  keys,
} from "../shared/adapters/dynamodb/table-design.ts";
import { listingOf } from "../shared/app/dossier-records.ts";
import { DOSSIER_SNAPSHOT_VERSION } from "../shared/app/dossier-snapshot.ts";
import {
  CivilCalendar,
  formatInstant,
  isoDate,
  localEpochDay,
  parseInstant,
  parseIsoDate,
  type TimeLimit,
  WorkingTime,
} from "../shared/calendar/index.ts";
import {
  type Dossier,
  type DossierEventJson,
  foldDossier,
  parseDossierEvent,
} from "../shared/dossier/index.ts";
import {
  buildReport,
  type CounterDelta,
  type Dimension,
  dossierContributions,
  grainOf,
  InMemoryCounterStore,
  type Report,
} from "../shared/reports/index.ts";
import { type Benchmark, type Figure, formatNumber, seededRandom } from "./harness.ts";

/**
 * The dashboard's two heavy reads on the local stack (DynamoDB Local in memory, the same API
 * handler as on AWS, over HTTP with a leader's token), each beside its naive path in the same run:
 *
 * - `dashboard.dossier-page`: the requests `dashboard/web/dossier-view.ts` makes to open one
 *   dossier — `GET /dossiers/{code}`, then (a leader, the dossier has an apology)
 *   `GET /dossiers/{code}/apologies` — for a dossier of 200 steps. The dossier is built through
 *   the real path, not seeded: each event given to the apply-events use case (as the queue hands
 *   it to the worker) at its own instant on a ManualClock, the sweep run just before the next
 *   event, so the alerts due in between are sent and recorded (the page lists each with its
 *   delivery record). What the page costs now: one Query of the dossier's partition (the state
 *   snapshot, the event log and the agenda, whose done entries are the record of the alerts
 *   sent) and one BatchGetItem per 100 alerts sent for their delivery records (it was one GetItem
 *   per alert: 413 of them took most of the page's time); the state is the stored snapshot, not a
 *   fold. There is no index or paging of its own behind this page (the listing items on
 *   by-agency-status serve "Hồ sơ của tôi", not the page): what spares it work is the snapshot,
 *   and the batched read of the alert records. Baseline
 *   (`fold-from-log`): the same requests with the snapshot out of use — its `snapshotVersion`
 *   set to 0, so the repository's snapshot policy folds the whole log again on every load (what
 *   every read cost without snapshots, and what a shape change costs until the next save). The
 *   two are interleaved run by run so the machine's load falls on both alike. The note also gives
 *   the in-process split between the partition's Query and the alert records' reads (batched, and
 *   one GetItem each for comparison).
 * - `dashboard.year-report.by-unit` / `.by-procedure`: `GET /reports?from=2026-01-01&to=2026-12-31`
 *   (JSON) for an agency with 100,000 dossiers received over 2026 — the demo province's
 *   provincial centre, its 4 units, 8 procedures (their own routes, limits and liên thông
 *   transfers) and 9 handlers plus the partners' — on the working days of the civil calendar
 *   (more on Mondays, fewer after Tết, some online ones at weekends), in office hours, outcomes
 *   early / on time / late, some paused, those not finished by the clock (2026-12-04) open. The
 *   counters are seeded through the counter store's own adapter, the way the worker writes them
 *   (`DynamoDbCounterStore.apply` with an apply id: TransactWriteItems of 99 row ADDs): each
 *   dossier's contribution is what the worker's deltas add up to (`dossierContributions`, the
 *   rebuild's function), summed per day in memory first and applied as one delta per day row —
 *   ADD is commutative, so the table holds exactly what applying the 100,000 dossiers one by one
 *   would (the bench checks the report read through the API against the report built from the
 *   same deltas in memory). Baseline (`read-every-dossier`): the same report without counters,
 *   computed by reading the dossiers — a Scan of the table for the dossier states, the agency's
 *   contributions derived from each snapshot (cheaper than folding each event log), then
 *   `buildReport`; it runs in the bench's process, without HTTP. Reading 100,000 dossiers that
 *   way takes far too long, so the dossiers (their state and event items, as the repository's
 *   first save writes them) are put with BatchWriteItem at a smaller n (2,000 by default),
 *   measured at n/2 and n, and the time at 100,000 extrapolated on the line through the two.
 *
 * DASHBOARD_BENCH_STEPS=200, DASHBOARD_BENCH_DOSSIERS=100000, DASHBOARD_BENCH_READ=2000 and
 * DASHBOARD_BENCH_RUNS=15 change the sizes; DASHBOARD_BENCH_PROGRESS=1 prints the phases.
 */

const STEPS = Number(process.env.DASHBOARD_BENCH_STEPS ?? 200);
const DOSSIERS = Number(process.env.DASHBOARD_BENCH_DOSSIERS ?? 100_000);
const READ_SIZE = Number(process.env.DASHBOARD_BENCH_READ ?? 2_000);
const RUNS = Number(process.env.DASHBOARD_BENCH_RUNS ?? 15);
const TARGET_MS = 1000;
/** The report breakdowns timed. */
const DIMENSIONS_TIMED: readonly Dimension[] = ["unit", "procedure"];

const AGENCY_ID = "ttpvhcc-tinh";
/** The centre's director: an agency leader (reports, the apology's drafts). */
const LEADER = "gd-trung";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFICE_DAY = 8 * HOUR;

const progress = (line: string) => {
  if (process.env.DASHBOARD_BENCH_PROGRESS) process.stderr.write(`  ${line}\n`);
};
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${formatNumber(n)} ms`;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank p95. */
function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

const verdict = (value: number) => (value < TARGET_MS ? "PASS" : "FAIL");

async function login(url: string, account: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account }),
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 200 || !body.token) throw new Error(`login ${account}: ${response.status}`);
  return body.token;
}

async function getJson<T>(url: string, path: string, token: string): Promise<{ body: T; bytes: number }> {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

const unitsOf = (agencyId: string): readonly DemoUnit[] =>
  DEMO_AGENCIES.find((agency) => agency.id === agencyId)?.units ?? [];
const agencyOf = (agencyId: string) => DEMO_AGENCIES.find((agency) => agency.id === agencyId)!;
const org = (entry: { id: string; name: string }) => ({ id: entry.id, name: entry.name });

// ---------------------------------------------------------------------------------------------
// 1. The dossier page of a 200-step dossier.

const PAGE_CODE = "000.00.11.H42-260907-000200";
/** A Monday; the 200 steps take about 42 working days. */
const PAGE_RECEIVED = "2026-09-07T08:00:00+07:00";
/** Each step: 2 working hours allotted, handed on after 1 h 40. */
const STEP_OFFICE_MS = 100 * MINUTE;
const PAUSE_AFTER_STEP = 100;
const APOLOGY_AT_STEP = 190;

/**
 * One dossier of `STEPS` steps (assignments around the centre's 4 units and their handlers) in a
 * 40-working-day procedure (an invented limit, so that 200 steps nearly fit), paused for a
 * working day halfway, an apology issued near the end and late by the last step.
 */
function pageDossierEvents(working: WorkingTime): DossierEventJson[] {
  const agency = agencyOf(AGENCY_ID);
  const units = agency.units;
  const desk = units[0]!;
  const start = parseInstant(PAGE_RECEIVED);
  const startOffice = working.officeTimeAt(start);
  const at = (office: number) => formatInstant(working.instantAtOfficeTime(startOffice + office));
  const wire: Record<string, unknown>[] = [];
  const add = (type: string, office: number, fields: Record<string, unknown> = {}) => {
    wire.push({
      id: `${PAGE_CODE}#${wire.length}`,
      dossierCode: PAGE_CODE,
      type,
      occurredAt: at(office),
      ...fields,
    });
  };
  add("received", 0, {
    procedure: {
      code: "2.000488",
      name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
      field: "Lý lịch tư pháp",
      timeLimit: { amount: 40, unit: "working-days" },
    },
    agency: org(agency),
    unit: org(desk),
    channel: "in-person",
    applicant: {
      name: "Trần Thị Bé Năm",
      honorific: "Bà",
      phone: "+84900001234",
      email: "benam@example.vn",
      consent: { sms: true, email: true },
    },
    handler: org(desk.handlers[0]!),
    receivedAt: at(0),
  });
  let office = 30 * MINUTE;
  for (let i = 0; i < STEPS; i++) {
    const unit = units[i % units.length]!;
    const handler = unit.handlers[Math.floor(i / units.length) % unit.handlers.length]!;
    add("assigned", office, {
      unit: org(unit),
      handler: org(handler),
      allotment: { amount: 2, unit: "working-hours" },
      task: `Bước ${i + 1}: xem xét, chuyển bước tiếp theo`,
    });
    if (i === PAUSE_AFTER_STEP) {
      add("paused", office + 20 * MINUTE, { reason: "Chờ kết quả xác minh" });
      office += OFFICE_DAY;
      add("resumed", office + 20 * MINUTE);
    }
    if (i === APOLOGY_AT_STEP) {
      add("apology-issued", office + 30 * MINUTE, {
        reason: "Hồ sơ phải xác minh qua nhiều bước",
        responsibleUnit: org(unit),
        newAppointment: "2026-11-20T17:00:00+07:00",
      });
    }
    office += STEP_OFFICE_MS;
  }
  return wire.map((json) => json as unknown as DossierEventJson);
}

async function sweepUntilDone(stack: LocalStack): Promise<void> {
  for (let sweeps = 0; ; sweeps++) {
    const result = (await stack.sweepNow()) as { due: number };
    if (result.due === 0) break;
    if (sweeps > 50) throw new Error("the sweep does not finish");
  }
  await stack.settle();
}

interface PageView {
  dossier: { steps: unknown[]; apology?: unknown };
  timeline: unknown[];
  alerts: { sent: unknown[]; planned: unknown[] };
}

async function dossierPageFigures(): Promise<Figure[]> {
  const working = new WorkingTime(CivilCalendar.default());
  const events = pageDossierEvents(working);
  const clock = new ManualClock(parseInstant(PAGE_RECEIVED) - MINUTE);
  const stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock,
    demo: "people",
    timers: false,
    controls: true,
  });
  try {
    // Built through the real path: each event at its instant, the alerts due before the next one sent.
    const buildStart = performance.now();
    let sweepMs = 0;
    for (const [n, event] of events.entries()) {
      const at = parseInstant(event.occurredAt);
      if (at - MINUTE > clock.now()) {
        clock.set(at - MINUTE);
        const sweepStart = performance.now();
        // One run sends everything due; the notices it queued are delivered in the background.
        await stack.sweepNow();
        if (n % 10 === 0) await stack.settle();
        sweepMs += performance.now() - sweepStart;
      }
      clock.set(Math.max(at, clock.now()));
      const result = await stack.app.applyEvents.applyBatch([
        { messageId: `page-${n}`, body: JSON.stringify(event), groupId: PAGE_CODE },
      ]);
      if (result.failures.length > 0) throw new Error(`event ${event.id}: ${result.failures[0]!.reason}`);
    }
    clock.advance(HOUR);
    await stack.settle();
    await sweepUntilDone(stack);
    const dead = stack.events.stats().deadLetters + stack.eventsDeadLetters.stats().depth;
    if (dead > 0) throw new Error(`${dead} events of the 200-step dossier dead-lettered`);
    const buildMs = performance.now() - buildStart;
    progress(
      `${events.length} events applied in ${(buildMs / 1000).toFixed(1)} s (${(sweepMs / 1000).toFixed(1)} s of it sweeping)`,
    );

    const token = await login(stack.url, LEADER);
    const enc = encodeURIComponent(PAGE_CODE);
    /** The page's requests, in its order; the time until the last answer is read. */
    const openPage = async (): Promise<{ ms: number; view: PageView; bytes: number; requests: number }> => {
      const started = performance.now();
      const { body: view, bytes } = await getJson<PageView>(stack.url, `/dossiers/${enc}`, token);
      let requests = 1;
      let total = bytes;
      if (view.dossier.apology) {
        total += (await getJson<unknown>(stack.url, `/dossiers/${enc}/apologies`, token)).bytes;
        requests += 1;
      }
      return { ms: performance.now() - started, view, bytes: total, requests };
    };
    const setSnapshotVersion = (version: number) =>
      stack.doc.send(
        new UpdateCommand({
          TableName: stack.design.tableName,
          Key: keys.dossierState(PAGE_CODE),
          UpdateExpression: "SET snapshotVersion = :v",
          ExpressionAttributeValues: { ":v": version },
        }),
      );

    const first = await openPage();
    const { view } = first;
    if (view.dossier.steps.length !== STEPS) {
      throw new Error(`the dossier holds ${view.dossier.steps.length} steps, ${STEPS} were sent`);
    }
    if (view.timeline.length !== events.length) {
      throw new Error(`the timeline holds ${view.timeline.length} events, ${events.length} were sent`);
    }
    const partition = await stack.doc.send(
      new QueryCommand({
        TableName: stack.design.tableName,
        KeyConditionExpression: `${ATTR.pk} = :pk`,
        ExpressionAttributeValues: { ":pk": keys.dossierPartition(PAGE_CODE) },
        Select: "COUNT",
      }),
    );
    progress(
      `page: ${view.timeline.length} events, ${view.alerts.sent.length} alerts sent, ${view.alerts.planned.length} planned; ${first.bytes} bytes`,
    );

    // Warm-up of both paths, then interleaved runs.
    for (let i = 0; i < 3; i++) await openPage();
    await setSnapshotVersion(0);
    const folded = await openPage();
    if (folded.view.dossier.steps.length !== STEPS || folded.view.timeline.length !== events.length) {
      throw new Error("the folded page does not show the same steps and timeline");
    }
    for (let i = 0; i < 2; i++) await openPage();
    const current: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await setSnapshotVersion(1);
      current.push((await openPage()).ms);
      await setSnapshotVersion(0);
      baseline.push((await openPage()).ms);
    }
    await setSnapshotVersion(1);
    // Where the time goes, in process: the partition's read, then the alert records' reads.
    const loadTimes: number[] = [];
    const alertTimes: number[] = [];
    const eachTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const loaded = await stack.tables.dossiers.load(PAGE_CODE);
      loadTimes.push(performance.now() - started);
      const done = (loaded?.agenda ?? []).filter((entry) => entry.doneAt !== undefined);
      const dedupeKeys = done.map((entry) => entry.alert.dedupeKey);
      const batch = performance.now();
      await stack.tables.alerts.getMany(dedupeKeys);
      alertTimes.push(performance.now() - batch);
      // What the page did before: one GetItem per alert record, all at once.
      const each = performance.now();
      await Promise.all(dedupeKeys.map((key) => stack.tables.alerts.get(key)));
      eachTimes.push(performance.now() - each);
    }
    const value = median(current);
    progress(`page: median ${ms(value)} (fold ${ms(median(baseline))})`);
    return [
      {
        figure: "dashboard.dossier-page",
        value,
        unit: "ms",
        target: `< ${fmt(TARGET_MS)} ms`,
        baselines: { "fold-from-log": median(baseline) },
        note: `${verdict(value)} — a ${STEPS}-step dossier (${view.timeline.length} events, ${view.alerts.sent.length} alerts sent and ${view.alerts.planned.length} planned; ${partition.Count} items in its partition), the page's ${first.requests} requests (GET /dossiers/{code}${first.requests > 1 ? " + …/apologies" : ""}, ${fmt(first.bytes)} bytes) as the agency leader over HTTP: median of ${RUNS}, p95 ${ms(p95(current))}; folding the log on each load instead of the snapshot: p95 ${ms(p95(baseline))}. In process (medians): the partition's Query (state, log, agenda) ${ms(median(loadTimes))}, the ${view.alerts.sent.length} alert records by BatchGetItem ${ms(median(alertTimes))} (one GetItem each, as before: ${ms(median(eachTimes))}) — DynamoDB Local in memory on this machine, not AWS`,
      },
    ];
  } finally {
    await stack.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. A year's report over 100,000 dossiers.

/** The clock of the report phase: every event of the year is before it. */
const REPORT_NOW = "2026-12-04T09:00:00+07:00";
const YEAR = { from: "2026-01-01", to: "2026-12-31" };
const LAST_RECEIPT_DAY = "2026-11-30";

const officeMsOf = (limit: TimeLimit) =>
  limit.unit === "working-hours"
    ? limit.amount * HOUR
    : limit.unit === "working-days"
      ? limit.amount * OFFICE_DAY
      : (limit.amount * 5 * OFFICE_DAY) / 7;

/** How busy a working day is: Mondays most, Fridays least; January's pre-Tết rush, the weeks after Tết quiet. */
function dayWeight(day: number, working: WorkingTime): number {
  const date = isoDate(day);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const byWeekday = [0, 1.3, 1.05, 1, 1, 0.85, 0][weekday]!;
  const month = Number(date.slice(5, 7));
  const byMonth = month === 1 ? 1.2 : month === 2 ? 0.7 : month === 12 ? 1.1 : 1;
  return working.isWorkingDay(day) ? byWeekday * byMonth : 0;
}

interface YearDossier {
  readonly code: string;
  readonly events: readonly DossierEventJson[];
}

/**
 * The agency's dossiers of the year, one at a time (100k folded dossiers at once would not fit
 * the bench's memory beside DynamoDB Local): `visit` gets each one's events and its fold.
 */
function forEachYearDossier(
  count: number,
  working: WorkingTime,
  visit: (dossier: YearDossier, folded: Dossier) => void,
): void {
  const random = seededRandom(2026_1204);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const now = parseInstant(REPORT_NOW);
  const agency = agencyOf(AGENCY_ID);
  const templates = DEMO_PROCEDURES.filter((template) => template.agencyIds.includes(AGENCY_ID));
  const templateWeights = templates.map((template) => template.weight);
  const weightSum = templateWeights.reduce((a, b) => a + b, 0);
  // Receipt days by weight: working days, plus weekends for a few online dossiers.
  const firstDay = parseIsoDate(YEAR.from);
  const lastDay = parseIsoDate(LAST_RECEIPT_DAY);
  const days: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    const weight = dayWeight(day, working);
    if (weight === 0) continue;
    total += weight;
    days.push(day);
    cumulative.push(total);
  }
  const weekendDays: number[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = new Date(`${isoDate(day)}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) weekendDays.push(day);
  }
  const pickDay = () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return days[lo]!;
  };
  const handlerOf = (agencyId: string, unitId: string, among?: readonly string[]) => {
    const unit = unitsOf(agencyId).find((candidate) => candidate.id === unitId)!;
    const people = among ? unit.handlers.filter((person) => among.includes(person.id)) : unit.handlers;
    return { unit, handler: pick(people.length > 0 ? people : unit.handlers) };
  };

  for (let n = 0; n < count; n++) {
    let r = random() * weightSum;
    let template = templates[0]!;
    for (const [i, candidate] of templates.entries()) {
      r -= templateWeights[i]!;
      if (r < 0) {
        template = candidate;
        break;
      }
    }
    const channelDraw = random();
    const channel =
      channelDraw < template.online
        ? "online"
        : channelDraw < template.online + template.postal
          ? "postal"
          : "in-person";
    // 4% of online dossiers come in at a weekend (any hour); the rest in office hours of a working day.
    let t: number;
    if (channel === "online" && random() < 0.04) {
      t =
        parseInstant(`${isoDate(pick(weekendDays))}T00:00:00+07:00`) +
        Math.floor(random() * 24 * 60) * MINUTE;
    } else {
      const day = pickDay();
      t = working.instantAtOfficeTime(working.officeTimeAt(working.openingOf(day)) + random() * OFFICE_DAY);
      t = Math.floor(t / MINUTE) * MINUTE;
    }
    const code = `000.00.11.H42-${isoDate(localEpochDay(t)).replaceAll("-", "").slice(2)}-${String(n).padStart(6, "0")}`;
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
    const laterOffice = (officeMs: number) => {
      t = working.addOfficeTime(t, Math.max(MINUTE, Math.floor(officeMs / MINUTE) * MINUTE));
    };
    const desk = unitsOf(AGENCY_ID).find((unit) => unit.id === template.deskUnitId)!;
    add("received", {
      procedure: template.procedure,
      agency: org(agency),
      unit: org(desk),
      channel,
      applicant: { name: "Nguyễn Văn An", consent: { sms: false, email: false } },
      handler: org(desk.handlers[0]!),
      receivedAt: formatInstant(t),
    });
    const route: readonly StepPlan[] =
      template.liaison && random() < template.liaison.share ? template.liaison.route : template.route;
    // How this dossier's steps go: most well inside their allotment, some late.
    const pace = random();
    const stretch = pace < 0.6 ? 0.35 : pace < 0.88 ? 0.75 : 1.35;
    laterOffice(random() * 3 * HOUR);
    for (const plan of route) {
      const agencyId = plan.kind === "transferred" ? (plan.agencyId ?? AGENCY_ID) : AGENCY_ID;
      const { unit, handler } = handlerOf(agencyId, plan.unitId, plan.handlers);
      const named = plan.handler === "always" || random() < 0.7;
      add(plan.kind, {
        ...(plan.kind === "transferred" ? { agency: org(agencyOf(agencyId)) } : {}),
        unit: org(unit),
        ...(named ? { handler: org(handler) } : {}),
        allotment: plan.allotment,
        task: plan.task,
      });
      if (random() < 0.08) {
        laterOffice(random() * 2 * OFFICE_DAY);
        add("paused", { reason: "Chờ thực hiện nghĩa vụ tài chính" });
        laterOffice(OFFICE_DAY + random() * 3 * OFFICE_DAY);
        add("resumed");
      }
      laterOffice(officeMsOf(plan.allotment) * stretch * (0.5 + random()));
    }
    add("result-ready");
    if (random() < 0.8) {
      laterOffice(random() * 2 * OFFICE_DAY);
      add("returned");
    }
    // What happened by the clock's instant: the rest has not happened yet (open dossiers).
    const happened = wire.filter((event) => parseInstant(event.occurredAt as string) <= now);
    const parsed = happened.map((json) => parseDossierEvent(json));
    visit({ code, events: happened as unknown as DossierEventJson[] }, foldDossier(parsed, working));
  }
}

/** The day rows of a store as deltas: applied, they rebuild the same day, month and year rows. */
function dayRowsAsDeltas(store: InMemoryCounterStore): CounterDelta[] {
  return store
    .allRows()
    .filter((row) => grainOf(row.period) === "day")
    .map((row) => ({
      agencyId: row.agencyId,
      day: row.period,
      dimension: row.dimension,
      key: row.key,
      label: row.label,
      values: row.values,
    }));
}

/**
 * A dossier's items as the repository's first save writes them (dossier-repository.dynamodb.ts:
 * the state snapshot with its version and listing, the event log), typed by the table design, so
 * the baseline's table holds what the worker would have stored. Written with BatchWriteItem: a
 * transaction per dossier (the worker's path) would take minutes for thousands on this machine.
 */
function dossierItems(
  dossier: YearDossier,
  folded: Dossier,
  now: number,
  working: WorkingTime,
): Record<string, unknown>[] {
  const listing = listingOf(folded, now, working);
  const state: DossierStateItem<Dossier> = {
    ...keys.dossierState(dossier.code),
    entity: ENTITY.dossierState,
    dossierCode: dossier.code,
    version: 1,
    savedAt: REPORT_NOW,
    state: plain(folded),
    snapshotVersion: DOSSIER_SNAPSHOT_VERSION,
    ...(listing === undefined
      ? {}
      : { listing: plain(listing), ...byAgencyStatusKey({ ...listing, dossierCode: dossier.code }) }),
  };
  const events = dossier.events.map(
    (event, index): DossierEventItem<DossierEventJson> => ({
      ...keys.dossierEvent(dossier.code, event.id),
      entity: ENTITY.dossierEvent,
      dossierCode: dossier.code,
      eventId: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      logVersion: 1,
      logIndex: index,
      event: plain(event),
    }),
  );
  return [state, ...events];
}

/** BatchWriteItem, 25 puts a call, unprocessed items sent again (as local-stack.bench.ts). */
async function batchPut(stack: LocalStack, items: readonly Record<string, unknown>[]): Promise<void> {
  const table = stack.design.tableName;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      let pending = items.slice(next, next + 25).map((Item) => ({ PutRequest: { Item } }));
      next += 25;
      while (pending.length > 0) {
        const output = await stack.doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (output.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The naive path's reading: every dossier state of the table (a Scan), the agency's contributions derived. */
async function readEveryDossier(
  stack: LocalStack,
  working: WorkingTime,
): Promise<{ store: InMemoryCounterStore; dossiers: number }> {
  const store = new InMemoryCounterStore();
  let dossiers = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({
        TableName: stack.design.tableName,
        FilterExpression: "#entity = :state",
        ExpressionAttributeNames: { "#entity": ATTR.entity },
        ExpressionAttributeValues: { ":state": ENTITY.dossierState },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const state = item.state as Dossier | null;
      if (!state || state.received.agency.id !== AGENCY_ID) continue;
      dossiers += 1;
      store.applySync(dossierContributions(state, working));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { store, dossiers };
}

/** The year's report of the agency from a store (what Reports.report builds from the counters it reads). */
const yearReport = (store: InMemoryCounterStore, by: Dimension): Report =>
  buildReport(store.readSync(AGENCY_ID, YEAR.from, YEAR.to), { ...YEAR, by, agencyIds: [AGENCY_ID] });

const sameFigures = (a: Report, b: Report) =>
  JSON.stringify({ lines: a.lines, total: a.total }) === JSON.stringify({ lines: b.lines, total: b.total });

async function reportFigures(): Promise<Figure[]> {
  const working = new WorkingTime(CivilCalendar.default());
  const now = parseInstant(REPORT_NOW);
  const clock = new ManualClock(now);
  const stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock,
    demo: "people",
    timers: false,
    controls: true,
  });
  try {
    // Generate and count in memory; keep the first READ_SIZE dossiers for the baseline.
    const genStart = performance.now();
    const store = new InMemoryCounterStore();
    const sample = new InMemoryCounterStore();
    const halfSample = new InMemoryCounterStore();
    const kept: { dossier: YearDossier; folded: Dossier }[] = [];
    let open = 0;
    let events = 0;
    forEachYearDossier(DOSSIERS, working, (dossier, folded) => {
      const deltas = dossierContributions(folded, working);
      store.applySync(deltas);
      events += dossier.events.length;
      if (listingOf(folded, now, working) !== undefined) open += 1;
      if (kept.length < READ_SIZE) {
        kept.push({ dossier, folded });
        sample.applySync(deltas);
        if (kept.length <= READ_SIZE / 2) halfSample.applySync(deltas);
      }
    });
    const genMs = performance.now() - genStart;
    progress(
      `${fmt(DOSSIERS)} dossiers (${fmt(events)} events, ${fmt(open)} open) folded in ${(genMs / 1000).toFixed(1)} s`,
    );

    // The counters, through the store's own adapter.
    const deltas = dayRowsAsDeltas(store);
    const seedStart = performance.now();
    // With an apply id, as the worker applies a change: TransactWriteItems of 99 row ADDs each.
    await stack.tables.counters.apply(deltas, { applyId: "bench-year", at: now });
    const seedMs = performance.now() - seedStart;
    const rows = store.allRows().length;
    progress(
      `${fmt(rows)} counter rows (${fmt(deltas.length)} day rows) written in ${(seedMs / 1000).toFixed(1)} s`,
    );

    const token = await login(stack.url, LEADER);
    const figures: Figure[] = [];
    const timings = new Map<Dimension, { values: number[]; lines: number; bytes: number }>();
    for (const by of DIMENSIONS_TIMED) {
      const path = `/reports?from=${YEAR.from}&to=${YEAR.to}&by=${by}&format=json`;
      const { body, bytes } = await getJson<Report>(stack.url, path, token);
      const expected = yearReport(store, by);
      if (!sameFigures(body, expected)) {
        throw new Error(`GET /reports by=${by} differs from the report of the same deltas in memory`);
      }
      for (let i = 0; i < 3; i++) await getJson<Report>(stack.url, path, token);
      const values: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        await getJson<Report>(stack.url, path, token);
        values.push(performance.now() - started);
      }
      timings.set(by, { values, lines: body.lines.length, bytes });
      progress(`report by ${by}: median ${ms(median(values))}`);
    }

    // The baseline: the dossiers saved as the worker saves them, then read back and counted.
    const half = Math.floor(kept.length / 2);
    const seedDossiers = async (from: number, to: number) => {
      const items: Record<string, unknown>[] = [];
      for (const { dossier, folded } of kept.slice(from, to))
        items.push(...dossierItems(dossier, folded, now, working));
      await batchPut(stack, items);
      return items.length;
    };
    /** The naive report, `runs` times: one read of every dossier serves both dimensions, each timed read + build. */
    const naive = async (size: number, expected: InMemoryCounterStore, runs: number) => {
      const times = new Map<Dimension, number[]>(DIMENSIONS_TIMED.map((by) => [by, []]));
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const { store: read, dossiers } = await readEveryDossier(stack, working);
        const readMs = performance.now() - started;
        for (const by of DIMENSIONS_TIMED) {
          const built = performance.now();
          const report = yearReport(read, by);
          times.get(by)!.push(readMs + performance.now() - built);
          if (run === 0 && (dossiers !== size || !sameFigures(report, yearReport(expected, by)))) {
            throw new Error(
              `the naive report read ${dossiers} of ${size} dossiers or differs from their counters`,
            );
          }
        }
      }
      return times;
    };
    const saveStart = performance.now();
    let savedItems = await seedDossiers(0, half);
    const naiveHalf = await naive(half, halfSample, 1);
    savedItems += await seedDossiers(half, kept.length);
    const saveMs = performance.now() - saveStart;
    const naiveFull = await naive(kept.length, sample, 3);
    progress(
      `baseline: ${fmt(kept.length)} dossiers saved (${fmt(savedItems)} items; read at ${fmt(half)}) in ${(saveMs / 1000).toFixed(1)} s`,
    );

    for (const by of DIMENSIONS_TIMED) {
      const timing = timings.get(by)!;
      const value = median(timing.values);
      const halfMs = median(naiveHalf.get(by)!);
      const fullMs = median(naiveFull.get(by)!);
      // A line through the two sizes: the Scan's fixed part (the counter rows, the directories)
      // and the cost per dossier.
      const extrapolated = fullMs + ((fullMs - halfMs) / (kept.length - half)) * (DOSSIERS - kept.length);
      figures.push({
        figure: `dashboard.year-report.by-${by}`,
        value,
        unit: "ms",
        target: `< ${fmt(TARGET_MS)} ms`,
        baselines: {
          [`read-every-dossier.${fmt(kept.length)}`]: fullMs,
          [`read-every-dossier.${fmt(DOSSIERS)}-extrapolated`]: extrapolated,
        },
        note: `${verdict(value)} — GET /reports ${YEAR.from}…${YEAR.to} by=${by} (JSON, ${timing.lines} lines, ${fmt(timing.bytes)} bytes) as the agency leader over HTTP, ${fmt(DOSSIERS)} dossiers (${fmt(events)} events, ${fmt(open)} still open) in ${fmt(rows)} counter rows seeded through DynamoDbCounterStore.apply in ${(seedMs / 1000).toFixed(1)} s: median of ${RUNS}, p95 ${ms(p95(timing.values))}; same figures as the report of the same deltas in memory. Without counters (Scan of the dossier states + contributions + buildReport, in process; median of 3 at the larger size, one run at the smaller): ${ms(halfMs)} at ${fmt(half)} dossiers, ${ms(fullMs)} at ${fmt(kept.length)} (×${(fullMs / halfMs).toFixed(2)} for ×2), so, on the line through both, about ${formatNumber(extrapolated / 1000)} s at ${fmt(DOSSIERS)} — DynamoDB Local in memory on this machine, not AWS`,
      });
    }
    return figures;
  } finally {
    await stack.stop();
  }
}

export const dashboardBenchmark: Benchmark = {
  name: "dashboard",
  async run(): Promise<Figure[]> {
    return [...(await dossierPageFigures()), ...(await reportFigures())];
  },
};
