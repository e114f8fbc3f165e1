import type { Directory } from "../../shared/alerts/index.ts";
import {
  CivilCalendar,
  formatInstant,
  instantOfLocal,
  isoWeekday,
  localEpochDay,
  type TimeLimit,
  WORKING_DAY_MS,
  WORKING_HOUR_MS,
  WorkingTime,
  ymdFromEpochDay,
} from "../../shared/calendar/index.ts";
import {
  assertValidEventSet,
  compareEvents,
  type Dossier,
  type DossierEvent,
  type DossierEventJson,
  type DossierEventType,
  foldDossier,
  parseDossierEvent,
  progressAt,
} from "../../shared/dossier/index.ts";
import { InvalidInputError } from "../../shared/errors.ts";
import { type DemoAccount, type DemoStaff, demoAccounts, demoDirectory, demoStaff } from "./directory.ts";
import { type ConsentKind, makeApplicant } from "./people.ts";
import { type Random, seededRandom } from "./prng.ts";
import {
  DEMO_PROCEDURES,
  DEMO_PROVINCE,
  type DemoAgency,
  type DemoUnit,
  demoAgency,
  demoUnit,
  type ProcedureTemplate,
  procedureTemplate,
  type StepPlan,
} from "./province.ts";

/**
 * The seeded province behind `npm start` (docs/demo.md): a directory, staff accounts and about 200
 * dossiers' events received over the four weeks before `now`, so that at `now` some dossiers are
 * due within the day, some are overdue, one already had its apology, some wait for a supplement
 * or are paused, and the rest finished early, on time or late (docs/demo.md).
 *
 * Pure and deterministic: no wall clock, no Math.random, no file system. The same `now`, `seed`
 * and `dossiers` give the same output. The dossiers the walkthrough points at are placed by
 * working-time arithmetic from `now`, so the categories hold whatever `now` is (a weekend or a
 * holiday included); the rest are drawn at random and kept out of those categories.
 */

export type { DemoAccount, DemoStaff } from "./directory.ts";

/** The default clock start: Monday 23/11/2026, the day before the 24/11 holiday. */
export const DEMO_START = "2026-11-23T07:00:00+07:00";
export const DEMO_SEED = 20_261_123;
export const DEMO_DOSSIER_COUNT = 200;

export interface DemoOptions {
  /** Epoch ms: the clock's start. Every event is before it. */
  now: number;
  seed?: number;
  /** About this many dossiers (never fewer than the walkthrough's own, see DEMO_CATEGORY_COUNT). */
  dossiers?: number;
  /** Defaults to the built-in civil calendar with the usual office hours. */
  workingTime?: WorkingTime;
}

/** Dossier codes the walkthrough points at (docs/demo.md, "What to look at"). */
export interface DemoHighlights {
  /** In progress and due within one working day of `now` ("sắp đến hạn"): late by the end of the first day. */
  headingForLate: string[];
  /** Due in one to two working days: the apology duty fires, and a draft is requested, on the first day. */
  apologyDutyToday: string[];
  /** Open and past the legal due instant, no apology: escalation levels and the leaders' digest. */
  overdue: string[];
  /** The one dossier that already had its apology: a second one is refused (Art. 19(9)). */
  apologyIssued: string;
  awaitingSupplement: string[];
  paused: string[];
  /** 90 calendar days: due after Tết 2027 on the provisional calendar. */
  longLimit: string[];
  /** Every dossier with a liên thông step (transferred to another agency). */
  lienThong: string[];
}

export interface DemoSummary {
  now: string;
  seed: number;
  province: string;
  notice: string;
  /** The first full working day after `now` (and the hours before it): what the walkthrough plays. */
  firstDay: { from: string; until: string };
  dossiers: number;
  events: number;
  byChannel: { online: number; "in-person": number; postal: number };
  byAgency: Record<string, number>;
  /** Read at `now` with progressAt. */
  open: {
    total: number;
    trongHan: number;
    sapDenHan: number;
    quaHan: number;
    awaitingSupplement: number;
    paused: number;
  };
  finished: { total: number; truocHan: number; dungHan: number; quaHan: number; returned: number };
  closed: { rejected: number; withdrawn: number; stopped: number };
  lienThong: number;
  apologies: number;
  /** Receipt-to-due spans a weekday holiday (24/11, Tết…). */
  acrossHolidays: number;
  /** Due in a year the calendar marks provisional (not announced yet). */
  dueInProvisionalYear: number;
  highlights: DemoHighlights;
}

export interface Demo {
  province: typeof DEMO_PROVINCE;
  /** Who leads what (ids only), for the alert planner. */
  directory: Directory;
  /** Everyone in the directory with their fake contacts, for the notify layer. */
  staff: DemoStaff[];
  accounts: DemoAccount[];
  /** Wire form (ISO instants with +07:00), sorted by occurredAt; each passes parseDossierEvent. */
  events: DossierEventJson[];
  summary: DemoSummary;
}

const MINUTE = 60_000;
const GRID = 5 * MINUTE;
const H = WORKING_HOUR_MS;
const D = WORKING_DAY_MS;
/** Receptions drawn at random lie between 1 and this many working days before `now`. */
const LOOKBACK_DAYS = 20;

type Channel = "online" | "in-person" | "postal";
/** The placed dossiers' categories (liên thông is read from the folded dossiers). */
type Highlight = Exclude<keyof DemoHighlights, "lienThong">;

interface RawEvent {
  type: DossierEventType;
  at: number;
  body: Record<string, unknown>;
}

interface Draft {
  order: number;
  template: ProcedureTemplate;
  agency: DemoAgency;
  desk: DemoUnit;
  receivedAt: number;
  channel: Channel;
  events: RawEvent[];
  highlights: Highlight[];
}

const org = (entry: { id: string; name: string }) => ({ id: entry.id, name: entry.name });
const floorToGrid = (office: number) => Math.floor(office / GRID) * GRID;

export function generateDemo(options: DemoOptions): Demo {
  const { now } = options;
  if (!Number.isFinite(now)) throw new InvalidInputError("now must be an instant (epoch milliseconds)");
  const seed = options.seed ?? DEMO_SEED;
  const target = options.dossiers ?? DEMO_DOSSIER_COUNT;
  if (!Number.isInteger(target) || target < 0) {
    throw new InvalidInputError(`dossiers must be a whole number ≥ 0, not ${target}`);
  }
  const workingTime = options.workingTime ?? new WorkingTime(CivilCalendar.default());
  const builder = new DemoBuilder(seededRandom(seed), workingTime, now);
  builder.categories();
  while (builder.drafts.length < target) builder.bulk();
  const { events, byCode } = builder.finalize();
  const staff = demoStaff();
  return {
    province: DEMO_PROVINCE,
    directory: demoDirectory(),
    staff,
    accounts: demoAccounts(staff),
    events,
    summary: summarize(builder, byCode, events.length, seed),
  };
}

/** How many dossiers the walkthrough places itself; `dossiers` below this gives just these. */
export const DEMO_CATEGORY_COUNT = 21;

/**
 * The window the walkthrough plays: from `now` to the close of the first working day whose
 * opening is not before `now` — Monday 07:00 gives Monday; Saturday gives Monday; Wednesday
 * 15:00 gives the rest of Wednesday and Thursday. It holds that day's 07:30 digest and at least
 * one working day of office time.
 */
export function firstWorkingDayWindow(
  now: number,
  workingTime: WorkingTime,
): { from: number; until: number } {
  let day = localEpochDay(now);
  while (!workingTime.isWorkingDay(day) || workingTime.openingOf(day) < now) day++;
  return { from: now, until: workingTime.closingOf(day) };
}

class DemoBuilder {
  readonly drafts: Draft[] = [];
  /** Dossier codes, given by finalize(). */
  private readonly codes = new Map<Draft, string>();
  readonly nowOff: number;
  /** `now` in office time, rounded up to the half hour: the anchor of the placed dossiers. */
  readonly base: number;
  /** The latest office time an event may have: ten minutes before `now`. */
  readonly latest: number;
  private serial = 0;

  constructor(
    readonly rng: Random,
    readonly wt: WorkingTime,
    readonly now: number,
  ) {
    this.nowOff = wt.officeTimeAt(now);
    this.base = Math.ceil(this.nowOff / (30 * MINUTE)) * 30 * MINUTE;
    this.latest = floorToGrid(this.nowOff - 10 * MINUTE);
  }

  private at(office: number): number {
    return this.wt.instantAtOfficeTime(office);
  }

  private off(instant: number): number {
    return this.wt.officeTimeAt(instant);
  }

  /** An office time that is not a period's end (11:30, 17:00): nobody receives a dossier then. */
  private notAtClosing(office: number): number {
    return office % (4 * H) === 0 ? office + 15 * MINUTE : office;
  }

  // -------------------------------------------------------------------------------------------
  // The dossiers the walkthrough points at
  // -------------------------------------------------------------------------------------------

  categories(): void {
    const { base } = this;

    // Heading for late: due within one working day of now ("sắp đến hạn"); the apology duty
    // fired two working days before the due instant, apology-overdue on the previous working day,
    // and nobody acted.
    const heading: [string, number, string | undefined, ConsentKind][] = [
      ["thanh-lap-cong-ty", 2 * H, undefined, "both"],
      ["xac-nhan-hon-nhan", 4.5 * H, "ttpvhcc-tan-an", "sms"],
      ["chung-chi-xay-dung", 7 * H, undefined, "none"],
    ];
    for (const [key, ahead, agencyId, consent] of heading) {
      const d = this.placedReception(key, base + ahead, { agencyId, consent, highlight: "headingForLate" });
      this.step(d, d.template.route[0]!, this.off(d.receivedAt) + 20 * MINUTE);
    }

    // Due in two to three working days: the apology duty (2 working days before the due instant,
    // one before the law's last day) fires on the first day.
    const kh = this.placedReception("ket-hon", base + 18 * H, {
      agencyId: "ttpvhcc-ben-luc",
      consent: "sms",
      highlight: "apologyDutyToday",
    });
    this.step(kh, kh.template.route[0]!, this.off(kh.receivedAt) + 20 * MINUTE);
    const lltp = this.placedReception("ly-lich-tu-phap", base + 22.5 * H, {
      consent: "email",
      channel: "online",
      highlight: "apologyDutyToday",
    });
    this.liaison(lltp, [20 * MINUTE, D + 30 * MINUTE], true);

    // Overdue, no apology: escalation levels fall on the first day, the digest lists them.
    const b1 = this.placedReception("ho-kinh-doanh", base - 1 * H, {
      agencyId: "ttpvhcc-tan-an",
      consent: "sms",
      highlight: "overdue",
    });
    this.step(b1, b1.template.route[0]!, this.off(b1.receivedAt) + 30 * MINUTE);
    const b2 = this.placedReception("ly-lich-tu-phap", base - 12 * H, {
      consent: "none",
      channel: "postal",
      highlight: "overdue",
    });
    this.liaison(b2, [20 * MINUTE, D + H], false);
    const b3 = this.placedReception("dang-ky-bien-dong", base - 30 * H, {
      consent: "both",
      channel: "in-person",
      highlight: "overdue",
    });
    // The tax office kept it 1.5 working days past its own allotment: it caused the delay.
    this.liaison(b3, [30 * MINUTE, 3 * D + 30 * MINUTE, 7.5 * D], true);

    // The one apology: legal due 5 office hours before now, apologised for on the day before
    // (after the apology duty, 1 working day before the legal due instant).
    const c = this.placedReception("giay-phep-moi-truong", base - 5 * H, {
      consent: "both",
      channel: "in-person",
      highlight: "apologyIssued",
    });
    this.step(c, c.template.route[0]!, this.off(c.receivedAt) + 30 * MINUTE);
    const legalDueOff = this.off(c.receivedAt) + 15 * D;
    this.push(c, "apology-issued", this.at(legalDueOff - 6 * H), {
      reason:
        "Hồ sơ phải lấy ý kiến của cơ quan liên quan về phương án cải tạo, phục hồi môi trường; đến nay chưa nhận được văn bản trả lời",
      responsibleUnit: org(c.desk),
      newAppointment: formatInstant(this.at(base + 3 * D)),
      letterNumber: "27/XL-TTPVHCC",
    });

    // Waiting for a supplement (the clock stands still).
    const d1 = this.reception("chung-chi-xay-dung", this.at(base - 6 * D + 1.5 * H), {
      consent: "sms",
      channel: "in-person",
      highlight: "awaitingSupplement",
    });
    this.step(d1, d1.template.route[0]!, this.off(d1.receivedAt) + 30 * MINUTE);
    this.push(d1, "supplement-requested", this.at(this.off(d1.receivedAt) + 1.5 * D), {
      reason: "Bản sao văn bằng chuyên môn chưa được chứng thực; thiếu ảnh màu 4x6 cm",
      documents: ["Bản sao có chứng thực văn bằng chuyên môn", "02 ảnh màu 4x6 cm"],
    });
    const d2 = this.reception("giay-phep-moi-truong", this.at(base - 9 * D + 2 * H), {
      consent: "email",
      channel: "online",
      highlight: "awaitingSupplement",
    });
    this.step(d2, d2.template.route[0]!, this.off(d2.receivedAt) + 45 * MINUTE);
    this.push(d2, "supplement-requested", this.at(this.off(d2.receivedAt) + 3 * D + H), {
      reason: "Báo cáo đề xuất cấp giấy phép môi trường chưa đủ nội dung theo mẫu quy định",
      documents: ["Báo cáo đề xuất cấp giấy phép môi trường (bản hoàn chỉnh)"],
    });
    const d3 = this.reception("gpxd-nha-o", this.at(base - 5 * D + H), {
      agencyId: "ttpvhcc-ben-luc",
      consent: "both",
      channel: "in-person",
      highlight: "awaitingSupplement",
    });
    this.step(d3, d3.template.route[0]!, this.off(d3.receivedAt) + H);
    this.push(d3, "supplement-requested", this.at(this.off(d3.receivedAt) + 2 * D), {
      reason: "Bản vẽ thiết kế chưa thể hiện mặt bằng móng và giải pháp thoát nước",
      documents: ["Bản vẽ mặt bằng móng", "Bản vẽ hệ thống thoát nước"],
    });

    // Paused (status "Yêu cầu thực hiện nghĩa vụ tài chính", an inspection).
    const e1 = this.reception("dang-ky-bien-dong", this.at(base - 9 * D + 3 * H), {
      consent: "sms",
      channel: "in-person",
      highlight: "paused",
    });
    this.liaison(e1, [30 * MINUTE, 2.5 * D, 5 * D], true);
    this.push(e1, "paused", this.at(this.off(e1.receivedAt) + 5 * D + 2 * H), {
      reason: "Chờ người sử dụng đất thực hiện nghĩa vụ tài chính theo thông báo của Thuế tỉnh",
    });
    const e2 = this.reception("tham-dinh-thiet-ke", this.at(base - 12 * D + H), {
      consent: "email",
      channel: "online",
      highlight: "paused",
    });
    this.step(e2, e2.template.route[0]!, this.off(e2.receivedAt) + H);
    this.push(e2, "paused", this.at(this.off(e2.receivedAt) + 6 * D), {
      reason: "Tạm dừng để chủ đầu tư làm rõ giải pháp phòng cháy chữa cháy theo văn bản góp ý",
    });

    // Finished, with the clock stopped on the way.
    const f1 = this.reception("xac-nhan-hon-nhan", this.at(base - 14 * D + H), {
      agencyId: "ttpvhcc-ben-luc",
      consent: "sms",
      channel: "in-person",
    });
    this.step(f1, f1.template.route[0]!, this.off(f1.receivedAt) + 30 * MINUTE);
    this.push(f1, "supplement-requested", this.at(this.off(f1.receivedAt) + D), {
      reason: "Thiếu bản sao giấy tờ chứng minh việc ly hôn trước đây",
    });
    this.push(f1, "supplement-received", this.at(this.off(f1.receivedAt) + 4 * D + 30 * MINUTE), {});
    this.finishOnTime(f1);

    const f2 = this.reception("giay-phep-moi-truong", this.at(base - 19 * D + 2 * H), {
      consent: "email",
      channel: "online",
    });
    this.step(f2, f2.template.route[0]!, this.off(f2.receivedAt) + H);
    this.push(f2, "supplement-requested", this.at(this.off(f2.receivedAt) + 2 * D), {
      reason: "Thiếu kết quả quan trắc nước thải đợt gần nhất",
      documents: ["Kết quả quan trắc nước thải"],
    });
    this.push(f2, "supplement-received", this.at(this.off(f2.receivedAt) + 5 * D), {});
    this.finish(f2, this.off(this.legalDue(f2)) - 2 * D, true);

    const f3 = this.reception("gpxd-nha-o", this.at(base - 16 * D + H), {
      agencyId: "ttpvhcc-tan-an",
      consent: "none",
      channel: "in-person",
    });
    this.step(f3, f3.template.route[0]!, this.off(f3.receivedAt) + H);
    this.push(f3, "paused", this.at(this.off(f3.receivedAt) + 3 * D), {
      reason: "Kiểm tra thực địa: công trình đang có đơn phản ánh lấn chiếm lối đi chung",
    });
    this.push(f3, "resumed", this.at(this.off(f3.receivedAt) + 5 * D), {
      reason: "Đã kiểm tra thực địa, không có lấn chiếm",
    });
    this.finish(f3, this.off(this.legalDue(f3)) - D - 2 * H, true);

    // Finished late; the unit leader acknowledged the escalation on the way.
    const f4 = this.reception("dang-ky-bien-dong", this.at(base - 18 * D + H), {
      consent: "both",
      channel: "in-person",
    });
    this.step(f4, f4.template.route[0]!, this.off(f4.receivedAt) + 30 * MINUTE);
    const f4Due = this.off(this.legalDue(f4));
    this.push(f4, "alert-acknowledged", this.at(f4Due + 5 * H), {
      by: { id: f4.desk.leaders[0]!.id, role: "unit-leader" },
      note: "Đã nắm tình hình, chỉ đạo hoàn thành trong 02 ngày làm việc",
    });
    this.finish(f4, f4Due + 2 * D, true);

    // Long limits: 90 calendar days from the last two weeks, due after Tết 2027 (provisional).
    for (const back of [3, 6, 9]) {
      const long = this.reception("khai-thac-khoang-san", this.at(base - back * D + 2 * H), {
        consent: "email",
        channel: back === 6 ? "online" : "in-person",
        highlight: "longLimit",
      });
      this.step(long, long.template.route[0]!, this.off(long.receivedAt) + H);
    }
  }

  /**
   * A reception `limit` working days before `dueOffice`, at the same office time, so the receipt's
   * due instant is exactly there (the placed procedures count in working days, without a cut-off).
   */
  private placedReception(
    key: string,
    dueOffice: number,
    options: {
      agencyId?: string | undefined;
      consent?: ConsentKind;
      channel?: Channel;
      highlight: Highlight;
    },
  ): Draft {
    const template = procedureTemplate(key);
    const limit = template.procedure.timeLimit;
    if (limit.unit !== "working-days" || template.procedure.cutoff !== undefined) {
      throw new RangeError(`placed dossiers need a working-day limit without cut-off (${key})`);
    }
    const due = this.notAtClosing(dueOffice);
    return this.reception(key, this.at(due - limit.amount * D), options);
  }

  /** Follows the procedure's liên thông route, one step at each office time in `offsets` (from reception). */
  private liaison(d: Draft, offsets: readonly number[], partnerHandler: boolean): void {
    const route = d.template.liaison?.route ?? d.template.route;
    const start = this.off(d.receivedAt);
    offsets.forEach((offset, index) => {
      const plan = route[index]!;
      this.step(d, plan, start + offset, plan.kind === "transferred" ? partnerHandler : true);
    });
  }

  // -------------------------------------------------------------------------------------------
  // The rest, drawn at random and kept out of the walkthrough's categories
  // -------------------------------------------------------------------------------------------

  bulk(): void {
    const { rng } = this;
    const template = rng.weighted(DEMO_PROCEDURES.map((entry) => [entry, entry.weight] as const));
    const channel = this.pickChannel(template);
    const d = this.reception(template.key, this.pickReception(channel), { channel });
    const route =
      template.liaison && rng.chance(template.liaison.share) ? template.liaison.route : template.route;
    const recOff = this.off(d.receivedAt);
    const dueOff = this.off(this.legalDue(d));
    const latest = this.latest;

    type Fate = "open" | "early" | "on-time" | "late" | "closed";
    let fate: Fate;
    // Open dossiers stay more than two working days from their due instant: the dossiers due
    // soon and overdue are the placed ones, so the walkthrough's codes are the whole story.
    if (dueOff - this.nowOff > 2 * D) {
      fate = rng.weighted<Fate>([
        ["open", 60],
        ["early", 30],
        ["closed", 10],
      ]);
    } else if (dueOff > this.nowOff) {
      fate = rng.weighted<Fate>([
        ["early", 92],
        ["closed", 8],
      ]);
    } else {
      fate = rng.weighted<Fate>([
        ["early", 38],
        ["on-time", 37],
        ["late", 16],
        ["closed", 9],
      ]);
    }

    if (fate === "open") {
      this.route(d, route, recOff, latest, false);
      return;
    }
    if (fate === "closed") {
      const hi = Math.min(latest, Math.max(dueOff, recOff + H));
      const closeOff = this.between(recOff + 30 * MINUTE, hi);
      const kind = rng.weighted<"rejected" | "withdrawn" | "stopped">([
        ["rejected", 45],
        ["withdrawn", 35],
        ["stopped", 20],
      ]);
      this.route(d, route.slice(0, 1), recOff, closeOff, true);
      this.push(d, kind, this.at(closeOff), closureBody(kind, rng));
      return;
    }
    let finishOff: number | undefined;
    if (fate === "late") {
      const hi = Math.min(latest, dueOff + (0.5 + 2.5 * rng.next()) * D);
      if (hi >= dueOff + 30 * MINUTE) finishOff = this.between(dueOff + 30 * MINUTE, hi);
      else fate = "on-time";
    }
    if (fate === "on-time") {
      const opening = this.off(this.wt.openingOf(localEpochDay(this.at(dueOff))));
      const lo = Math.max(recOff + 30 * MINUTE, opening);
      const hi = Math.min(dueOff, latest);
      if (hi >= lo) finishOff = this.between(lo, hi);
      else fate = "early";
    }
    if (finishOff === undefined) {
      const lo = recOff + Math.max(30 * MINUTE, 0.3 * (Math.min(dueOff, latest) - recOff));
      const hi = Math.min(latest, dueOff - 2 * H);
      finishOff =
        hi >= lo ? this.between(lo, hi) : this.between(recOff + 15 * MINUTE, Math.min(latest, dueOff));
    }
    this.route(d, route, recOff, finishOff, true);
    this.complete(d, finishOff);
  }

  private pickChannel(template: ProcedureTemplate): Channel {
    const roll = this.rng.next();
    if (roll < template.online) return "online";
    if (roll < template.online + template.postal) return "postal";
    return "in-person";
  }

  /**
   * Between 1 and LOOKBACK_DAYS working days before now, in office hours; a share of online
   * dossiers arrive in the evening or at the weekend (the clock starts at the next opening).
   */
  private pickReception(channel: Channel): number {
    const { rng } = this;
    const latestOff = this.nowOff - D;
    if (channel === "online" && rng.chance(0.3)) {
      for (let tries = 0; tries < 20; tries++) {
        const day = localEpochDay(this.now) - rng.int(1, LOOKBACK_DAYS + 8);
        const minute = this.wt.isWorkingDay(day)
          ? rng.int(17 * 12 + 6, 22 * 12 + 11) * 5
          : rng.int(8 * 12, 21 * 12) * 5;
        const instant = instantOfLocal(day, minute);
        if (instant < this.now && this.off(instant) <= latestOff) return instant;
      }
    }
    const office = floorToGrid(latestOff - rng.next() * (LOOKBACK_DAYS - 1) * D);
    return this.at(this.notAtClosing(office));
  }

  // -------------------------------------------------------------------------------------------
  // Building blocks
  // -------------------------------------------------------------------------------------------

  private reception(
    key: string,
    receivedAt: number,
    options: {
      agencyId?: string | undefined;
      consent?: ConsentKind;
      channel?: Channel;
      highlight?: Highlight;
    } = {},
  ): Draft {
    const { rng } = this;
    const template = procedureTemplate(key);
    const agency = demoAgency(options.agencyId ?? rng.pick(template.agencyIds));
    const desk = demoUnit(agency, template.deskUnitId);
    const channel = options.channel ?? this.pickChannel(template);
    const applicant = makeApplicant(rng, {
      kind: template.applicant,
      serial: this.serial++,
      commune: agency.commune,
      online: channel === "online",
      ...(options.consent ? { consent: options.consent } : {}),
    });
    const receivers = desk.handlers.filter((person) => person.id.startsWith("cb-"));
    const receiver = rng.pick(receivers.length > 0 ? receivers : desk.handlers);
    const { procedure } = template;
    const appointment = this.wt.due(receivedAt, procedure.timeLimit, { cutoff: procedure.cutoff })!;
    const draft: Draft = {
      order: this.drafts.length,
      template,
      agency,
      desk,
      receivedAt,
      channel,
      events: [],
      highlights: options.highlight ? [options.highlight] : [],
    };
    this.push(draft, "received", receivedAt, {
      procedure: { ...procedure, timeLimit: { ...procedure.timeLimit } },
      agency: org(agency),
      unit: org(desk),
      channel,
      applicant,
      handler: org(receiver),
      receivedAt: formatInstant(receivedAt),
      appointment: formatInstant(appointment),
    });
    this.drafts.push(draft);
    return draft;
  }

  /** Opens a step at an office time (rounded down to five minutes). */
  private step(d: Draft, plan: StepPlan, office: number, named = true): void {
    const { rng } = this;
    const agency = plan.agencyId ? demoAgency(plan.agencyId) : d.agency;
    const unit = demoUnit(agency, plan.unitId);
    const processors = unit.handlers.filter((person) =>
      plan.handlers ? plan.handlers.includes(person.id) : !person.id.startsWith("cb-"),
    );
    const handler =
      plan.handler === "some" && !named
        ? undefined
        : rng.pick(processors.length > 0 ? processors : unit.handlers);
    const at = this.at(floorToGrid(office));
    if (plan.kind === "assigned") {
      this.push(d, "assigned", at, {
        handler: org(handler ?? unit.handlers[0]!),
        unit: org(unit),
        ...(agency.id === d.agency.id ? {} : { agency: org(agency) }),
        allotment: { ...plan.allotment },
        task: plan.task,
      });
    } else {
      this.push(d, "transferred", at, {
        agency: org(agency),
        unit: org(unit),
        ...(handler ? { handler: org(handler) } : {}),
        allotment: { ...plan.allotment },
        task: plan.task,
      });
    }
  }

  /**
   * Lays a route out from `fromOff`. `fit`: every step starts before `untilOff` (the route is
   * compressed when the dossier finished sooner than the allotments); otherwise steps that would
   * start after `untilOff` are left for later (an open dossier part-way along its route).
   */
  private route(d: Draft, plans: readonly StepPlan[], fromOff: number, untilOff: number, fit: boolean): void {
    const { rng } = this;
    if (plans.length === 0 || untilOff - fromOff < 20 * MINUTE) return;
    const first = fromOff + Math.min(rng.int(2, 12) * GRID, (untilOff - fromOff) / 3);
    // Each step takes about its allotment (half of it to 10 % over); a dossier that finished
    // sooner than that has its route compressed, the last step keeping its share.
    const gaps = plans.map((plan) => allotmentOffice(plan.allotment) * (0.5 + 0.6 * rng.next()));
    const span = gaps.reduce((sum, gap) => sum + gap, 0);
    const room = untilOff - 10 * MINUTE - first;
    const scale = fit && span > room ? room / span : 1;
    let office = first;
    let previous = -Infinity;
    plans.forEach((plan, index) => {
      const start = Math.max(floorToGrid(office), previous + GRID);
      if (start >= untilOff) return;
      if (!fit && start > this.latest) return;
      this.step(d, plan, start, rng.chance(0.6));
      previous = start;
      office += (gaps[index] ?? 0) * scale;
    });
  }

  /** Result ready at `finishOff`; handed over later when that is before now. */
  private complete(d: Draft, finishOff: number): void {
    const { rng } = this;
    this.push(
      d,
      "result-ready",
      this.at(finishOff),
      rng.chance(0.3) ? { note: "Kết quả đã ký số, chuyển Bộ phận Một cửa trả kết quả" } : {},
    );
    const returnOff = floorToGrid(finishOff + H + rng.next() * 2 * D);
    if (returnOff <= this.latest && rng.chance(0.85)) this.push(d, "returned", this.at(returnOff), {});
  }

  /** Finishes a placed dossier at an office time (clamped before now), returned or not. */
  private finish(d: Draft, finishOff: number, returned: boolean): void {
    const last = this.off(d.events[d.events.length - 1]!.at);
    const cap = returned ? this.latest - 2 * H : this.latest;
    const office = floorToGrid(Math.min(Math.max(finishOff, last + 30 * MINUTE), cap));
    this.push(d, "result-ready", this.at(office), {});
    if (returned) this.push(d, "returned", this.at(office + 2 * H), {});
  }

  /** Finishes on the due date, an hour or so before the due instant. */
  private finishOnTime(d: Draft): void {
    const due = this.off(this.legalDue(d));
    const opening = this.off(this.wt.openingOf(localEpochDay(this.at(due))));
    this.finish(d, Math.max(opening, due - H), true);
  }

  private push(d: Draft, type: DossierEventType, at: number, body: Record<string, unknown>): void {
    d.events.push({ type, at, body });
  }

  /** A random office time in [lo, hi] on the five-minute grid (never before lo). */
  private between(lo: number, hi: number): number {
    const office = floorToGrid(lo + this.rng.next() * Math.max(0, hi - lo));
    return office < lo ? Math.min(office + GRID, Math.max(lo, hi)) : office;
  }

  /** The legal due instant of a draft as its events stand. */
  private legalDue(d: Draft): number {
    const dossier = foldDossier(
      d.events.map((event, index) => parseDossierEvent(wire(event, "DEMO-0000", index))),
      this.wt,
    );
    if (dossier.legalDueAt === undefined)
      throw new RangeError("the demo folds a dossier with a stopped clock");
    return dossier.legalDueAt;
  }

  // -------------------------------------------------------------------------------------------
  // Codes, ids, validation
  // -------------------------------------------------------------------------------------------

  /**
   * Numbers the dossiers (TT 01/2018 Art. 19: unit code, receipt date, daily sequence), validates
   * every event and every dossier's set of events, and sorts the stream by occurredAt.
   */
  finalize(): { events: DossierEventJson[]; byCode: Map<string, DossierEvent[]> } {
    const sequence = new Map<string, number>();
    const ordered = [...this.drafts].sort((a, b) => a.receivedAt - b.receivedAt || a.order - b.order);
    const all: { json: DossierEventJson; event: DossierEvent }[] = [];
    const byCode = new Map<string, DossierEvent[]>();
    for (const d of ordered) {
      const { year, month, day } = ymdFromEpochDay(localEpochDay(d.receivedAt));
      const date = `${String(year % 100).padStart(2, "0")}${pad2(month)}${pad2(day)}`;
      const prefix = `${d.desk.codeUnit ?? "000.00.00"}.${DEMO_PROVINCE.codeSuffix}-${date}`;
      const next = (sequence.get(prefix) ?? 0) + 1;
      sequence.set(prefix, next);
      const code = `${prefix}-${String(next).padStart(4, "0")}`;
      this.codes.set(d, code);
      const events: DossierEvent[] = [];
      d.events.forEach((raw, index) => {
        if (raw.at >= this.now) {
          throw new RangeError(
            `demo event ${raw.type} of ${code} is not before now (${formatInstant(raw.at)})`,
          );
        }
        const json = wire(raw, code, index);
        const event = parseDossierEvent(json);
        events.push(event);
        all.push({ json, event });
      });
      assertValidEventSet(events);
      byCode.set(code, events);
    }
    all.sort((a, b) => compareEvents(a.event, b.event));
    return { events: all.map((entry) => entry.json), byCode };
  }

  codeOf(d: Draft): string {
    return this.codes.get(d)!;
  }
}

function wire(raw: RawEvent, code: string, index: number): DossierEventJson {
  return {
    id: `${code}/${pad2(index + 1)}`,
    dossierCode: code,
    type: raw.type,
    occurredAt: formatInstant(raw.at),
    ...raw.body,
  } as DossierEventJson;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

function allotmentOffice(limit: TimeLimit): number {
  if (limit.unit === "working-hours") return limit.amount * H;
  return limit.amount * D;
}

function closureBody(kind: "rejected" | "withdrawn" | "stopped", rng: Random): Record<string, unknown> {
  switch (kind) {
    case "rejected":
      return {
        reason: rng.pick([
          "Hồ sơ không đủ điều kiện giải quyết theo quy định",
          "Người yêu cầu không thuộc đối tượng được giải quyết thủ tục này",
        ]),
      };
    case "withdrawn":
      return rng.chance(0.7) ? { reason: "Người nộp hồ sơ đề nghị rút hồ sơ" } : {};
    case "stopped":
      return { reason: "Dừng giải quyết theo văn bản đề nghị của cơ quan có thẩm quyền" };
  }
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

function summarize(
  builder: DemoBuilder,
  byCode: Map<string, DossierEvent[]>,
  eventCount: number,
  seed: number,
): DemoSummary {
  const { wt, now } = builder;
  const window = firstWorkingDayWindow(now, wt);
  const summary: DemoSummary = {
    now: formatInstant(now),
    seed,
    province: DEMO_PROVINCE.name,
    notice: DEMO_PROVINCE.notice,
    firstDay: { from: formatInstant(window.from), until: formatInstant(window.until) },
    dossiers: byCode.size,
    events: eventCount,
    byChannel: { online: 0, "in-person": 0, postal: 0 },
    byAgency: {},
    open: { total: 0, trongHan: 0, sapDenHan: 0, quaHan: 0, awaitingSupplement: 0, paused: 0 },
    finished: { total: 0, truocHan: 0, dungHan: 0, quaHan: 0, returned: 0 },
    closed: { rejected: 0, withdrawn: 0, stopped: 0 },
    lienThong: 0,
    apologies: 0,
    acrossHolidays: 0,
    dueInProvisionalYear: 0,
    highlights: {
      headingForLate: [],
      apologyDutyToday: [],
      overdue: [],
      apologyIssued: "",
      awaitingSupplement: [],
      paused: [],
      longLimit: [],
      lienThong: [],
    },
  };
  for (const events of byCode.values()) {
    const dossier = foldDossier(events, wt);
    const progress = progressAt(dossier, now, wt);
    summary.byChannel[dossier.received.channel]++;
    const agencyId = dossier.received.agency.id;
    summary.byAgency[agencyId] = (summary.byAgency[agencyId] ?? 0) + 1;
    if (dossier.closure) summary.closed[dossier.closure.kind]++;
    else if (dossier.finishedAt !== undefined) {
      summary.finished.total++;
      if (progress.status === "truoc-han") summary.finished.truocHan++;
      else if (progress.status === "dung-han") summary.finished.dungHan++;
      else summary.finished.quaHan++;
      if (dossier.returnedAt !== undefined) summary.finished.returned++;
    } else {
      summary.open.total++;
      if (progress.awaitingSupplement) summary.open.awaitingSupplement++;
      else if (progress.paused) summary.open.paused++;
      else if (progress.status === "trong-han") summary.open.trongHan++;
      else if (progress.status === "sap-den-han") summary.open.sapDenHan++;
      else summary.open.quaHan++;
    }
    if (dossier.steps.some((step) => step.kind === "transferred")) {
      summary.lienThong++;
      summary.highlights.lienThong.push(dossier.code);
    }
    if (dossier.apology) summary.apologies++;
    if (spansHoliday(dossier, progress.projectedLegalDueAt, wt)) summary.acrossHolidays++;
    const dueYear = ymdFromEpochDay(localEpochDay(progress.projectedLegalDueAt)).year;
    if (wt.calendar.isProvisionalYear(dueYear)) summary.dueInProvisionalYear++;
  }
  for (const d of builder.drafts) {
    const code = builder.codeOf(d);
    for (const highlight of d.highlights) {
      if (highlight === "apologyIssued") summary.highlights.apologyIssued = code;
      else summary.highlights[highlight].push(code);
    }
  }
  for (const list of Object.values(summary.highlights)) if (Array.isArray(list)) list.sort();
  return summary;
}

/** Whether a weekday between the clock's start and the due instant is a day off (a holiday). */
function spansHoliday(dossier: Dossier, dueAt: number, wt: WorkingTime): boolean {
  const first = localEpochDay(dossier.appointments[0]!.startAt);
  const last = localEpochDay(dueAt);
  for (let day = first; day <= last; day++) {
    if (isoWeekday(day) <= 5 && !wt.isWorkingDay(day)) return true;
  }
  return false;
}
