import * as z from "zod";
import {
  formatInstant,
  localEpochDay,
  WORKING_DAY_MS,
  WORKING_HOUR_MS,
  type WorkingTime,
} from "../../calendar/index.ts";
import {
  type DossierEvent,
  type DossierEventJson,
  type DossierState,
  isDossierCode,
  type Organisation,
  parseDossierEvent,
  type TimeLimitSchema,
} from "../../dossier/index.ts";
import { DomainError } from "../../errors.ts";
import { lookupProcedure, type ProcedureCatalogue } from "../catalogue.ts";
import type { SyncFlag, SyncFlagRule } from "../flags.ts";
import {
  type HoSo,
  HoSoSchema,
  parseSenderDate,
  type SyncRecord,
  type TienDo,
  TienDoSchema,
} from "./payload.ts";

/** What the mapper needs besides the record. */
export interface MapContext {
  readonly catalogue: ProcedureCatalogue;
  readonly workingTime: WorkingTime;
  /** The dossier as dunghan holds it before this record (for re-sends, moved dates, rewrites). */
  readonly previous?: DossierState | undefined;
  /** The envelope's `madonvi`, when it named one. */
  readonly madonvi?: string | undefined;
  /**
   * Which agency (and receiving unit) a dossier belongs to. Default: the envelope's `madonvi`,
   * else the dossier's `DonViXuLy`, as both id and name (docs/dvcqg-mapping.md, "Agencies").
   */
  readonly agencyOf?:
    | ((hoSo: { readonly madonvi?: string; readonly donViXuLy?: string }) => AgencyOfDossier | undefined)
    | undefined;
  /**
   * The consent to assume for the payload's phone and e-mail, per agency: the payload carries no
   * consent (docs/dvcqg-mapping.md, "Contacts"). Default: none (no citizen notice is sent).
   */
  readonly consentFor?:
    | ((agencyId: string) => { readonly sms: boolean; readonly email: boolean })
    | undefined;
}

export interface AgencyOfDossier {
  readonly agency: Organisation;
  readonly unit: Organisation;
}

export type MapResult =
  | {
      readonly ok: true;
      readonly dossierCode: string;
      readonly agencyId: string;
      readonly events: DossierEvent[];
      readonly flags: SyncFlag[];
    }
  | {
      readonly ok: false;
      readonly index: number;
      readonly maHoSo?: string;
      /** Names the field and the rule, never a value (it may be a phone number). */
      readonly reason: string;
      readonly rule: string;
    };

type Refusal = Extract<MapResult, { ok: false }>;

/** Thrown inside the mapper, turned into a refusal at its edge. */
class Refused extends Error {
  constructor(
    readonly rule: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Status codes (`TrangThaiHoSo`), as TD's seeder and OpenCPS's status words give them
 * (HuanVu201/DichVuCong_KhoaLuan_PASETO DichVuCongApi/src/Core/Application/Common/KetNoi/Classes/FormatTrangThaiHoSoDVCQG.cs:
 * receiving 1, new 2, denied 3, processing 4, waiting 5, paying 6, cancelled 7, unresolved 8,
 * releasing 9, done 10).
 */
export const DVCQG_STATUSES = {
  1: "Mới đăng ký",
  2: "Được tiếp nhận",
  3: "Không được tiếp nhận",
  4: "Đang xử lý",
  5: "Yêu cầu bổ sung giấy tờ",
  6: "Yêu cầu thực hiện nghĩa vụ tài chính",
  7: "Công dân yêu cầu rút hồ sơ",
  8: "Dừng xử lý",
  9: "Đã xử lý xong",
  10: "Đã trả kết quả",
} as const;

/** The receiving desk's handler is not in the payload: the reception is recorded under this id. */
export const SYNC_HANDLER_ID = "dvcqg-sync";

/**
 * Maps one record of the national sync payload to dunghan's events (docs/dvcqg-mapping.md).
 * Pure and deterministic: the same record and context give the same events with the same ids
 * (`<MaHoSo>/dvcqg/<fact>[/<instant or key>]`), so a re-send is a replay.
 */
export function mapSyncRecord(record: SyncRecord, ctx: MapContext): MapResult {
  const maHoSo = maHoSoOf(record.raw);
  try {
    return record.kind === "dossier" ? mapDossier(record.raw, ctx) : mapProgress(record.raw, ctx);
  } catch (error) {
    const refusal = (rule: string, reason: string): Refusal => ({
      ok: false,
      index: record.index,
      ...(maHoSo === undefined ? {} : { maHoSo }),
      reason,
      rule,
    });
    if (error instanceof Refused) return refusal(error.rule, error.reason);
    if (error instanceof DomainError) return refusal("invalid-event", error.message);
    throw error;
  }
}

function maHoSoOf(raw: unknown): string | undefined {
  const code = raw !== null && typeof raw === "object" ? (raw as { MaHoSo?: unknown }).MaHoSo : undefined;
  return typeof code === "string" ? code.trim().slice(0, 100) : undefined;
}

function shapeOf<T extends z.ZodType>(schema: T, raw: unknown, what: string): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || `(${what})`}: ${issue.message}`,
  );
  throw new Refused("record-shape", `not a ${what} record — ${problems.join("; ")}`);
}

function dossierCodeOf(maHoSo: string): string {
  const code = maHoSo.trim();
  if (!isDossierCode(code)) {
    throw new Refused(
      "dossier-code",
      "MaHoSo: expected letters and digits in groups joined by . or - (4 to 40 characters)",
    );
  }
  return code;
}

/** A date field: epoch ms, undefined when empty; a malformed value refuses the record. */
function dateOf(field: string, value: string | undefined): number | undefined {
  const parsed = parseSenderDate(value);
  if (parsed === "invalid") {
    throw new Refused("date", `${field}: expected yyyyMMddHHmmss (Asia/Ho_Chi_Minh)`);
  }
  return parsed;
}

/** `yyyyMMddHHmmss` of an instant in Asia/Ho_Chi_Minh: the key of a dated fact in its event id. */
function stamp(instant: number): string {
  return formatInstant(instant).slice(0, 19).replace(/\D/g, "");
}

/** A short, stable hash (FNV-1a, 32 bits) for keys built from free text. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

const nonEmpty = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

class EventList {
  readonly events: DossierEvent[] = [];
  readonly flags: SyncFlag[] = [];

  constructor(
    readonly code: string,
    readonly agencyId: string,
    readonly procedureCode: string | undefined,
  ) {}

  add(fact: string, json: Record<string, unknown>): void {
    const wire = { id: `${this.code}/dvcqg/${fact}`, dossierCode: this.code, ...json } as DossierEventJson;
    this.events.push(parseDossierEvent(wire));
  }

  flag(rule: SyncFlagRule, details: Record<string, string | number | boolean>): void {
    this.flags.push({
      rule,
      dossierCode: this.code,
      agencyId: this.agencyId,
      ...(this.procedureCode === undefined ? {} : { procedureCode: this.procedureCode }),
      details,
    });
  }
}

const iso = formatInstant;

function statusOf(value: string): number {
  const status = Number(value.trim());
  if (!Number.isInteger(status) || status < 1 || status > 10) {
    throw new Refused("status", "TrangThaiHoSo: expected a status code 1 to 10");
  }
  return status;
}

/** KenhThucHien: 1 in person, 2 online, 3 by post (BCCI) — TD's one-stop constants and QĐ 766 indicator text. */
function channelOf(kenhThucHien: string | undefined): "online" | "in-person" | "postal" {
  const value = kenhThucHien?.trim();
  if (value === "2") return "online";
  if (value === "3") return "postal";
  return "in-person";
}

function defaultAgencyOf(hoSo: { madonvi?: string; donViXuLy?: string }): AgencyOfDossier | undefined {
  const id = hoSo.madonvi ?? hoSo.donViXuLy;
  if (id === undefined) return undefined;
  const agency = { id: id.slice(0, 200), name: (hoSo.donViXuLy ?? id).slice(0, 500) };
  return { agency, unit: agency };
}

const PHONE = /^(?:\+84|0)\d{9,10}$/;
const Email = z.email();

/** A supplement round with its dates parsed. */
interface Round {
  readonly key: string;
  readonly requestedAt: number | undefined;
  readonly receivedAt: number | undefined;
  readonly before: number | undefined;
  readonly after: number | undefined;
  readonly reason: string | undefined;
}

function roundsOf(hoSo: HoSo): Round[] {
  const rounds = (hoSo.DanhSachHoSoBoSung ?? []).map((round, i) => {
    const where = `DanhSachHoSoBoSung.${i}`;
    const requestedAt =
      dateOf(`${where}.NgayBoSung`, round.NgayBoSung) ??
      dateOf(`${where}.NgayYeuCauBoSung`, round.NgayYeuCauBoSung);
    if (requestedAt === undefined) throw new Refused("date", `${where}.NgayBoSung: missing`);
    return {
      key: stamp(requestedAt),
      requestedAt,
      receivedAt: dateOf(`${where}.NgayTiepNhanBoSung`, round.NgayTiepNhanBoSung),
      before: dateOf(`${where}.NgayHenTraTruoc`, round.NgayHenTraTruoc),
      after: dateOf(`${where}.NgayHenTraMoi`, round.NgayHenTraMoi),
      reason: nonEmpty(round.NoiDungBoSung),
    };
  });
  return rounds.sort((a, b) => a.requestedAt! - b.requestedAt!);
}

function mapDossier(raw: unknown, ctx: MapContext): MapResult {
  const hoSo = shapeOf(HoSoSchema, raw, "HoSo");
  const code = dossierCodeOf(hoSo.MaHoSo);
  const status = statusOf(hoSo.TrangThaiHoSo);
  const donViXuLy = nonEmpty(hoSo.DonViXuLy);
  const madonvi = nonEmpty(ctx.madonvi);
  const where = {
    ...(madonvi === undefined ? {} : { madonvi }),
    ...(donViXuLy === undefined ? {} : { donViXuLy }),
  };
  const place = (ctx.agencyOf ?? defaultAgencyOf)(where);
  if (place === undefined)
    throw new Refused("agency", "DonViXuLy: missing, and the envelope names no madonvi");
  const procedureCode = nonEmpty(hoSo.MaTTHC);
  const out = new EventList(code, place.agency.id, procedureCode);

  const dates = {
    submittedAt: dateOf("NgayNopHoSo", hoSo.NgayNopHoSo),
    receivedAt: dateOf("NgayTiepNhan", hoSo.NgayTiepNhan),
    appointment: dateOf("NgayHenTra", hoSo.NgayHenTra),
    supplementAskedAt: dateOf("NgayYeuCauBoSung", hoSo.NgayYeuCauBoSung),
    finishedAt: dateOf("NgayKetThucXuLy", hoSo.NgayKetThucXuLy),
    returnedAt: dateOf("NgayTra", hoSo.NgayTra),
    rejectedAt: dateOf("NgayTuChoi", hoSo.NgayTuChoi),
  };
  const rounds = roundsOf(hoSo);

  // Not received (yet): registered online and waiting (1), or refused at the desk (3) — no clock ever ran.
  if (dates.receivedAt === undefined) {
    if (status === 1 || status === 3) {
      return { ok: true, dossierCode: code, agencyId: place.agency.id, events: [], flags: [] };
    }
    throw new Refused("reception-date", "NgayTiepNhan: missing for a received dossier");
  }
  const receivedAt = dates.receivedAt;
  const previous = ctx.previous;

  // The latest instant the record (and the dossier as held) knows: the date of a fact the payload does not date.
  const known = [
    receivedAt,
    dates.submittedAt,
    dates.supplementAskedAt,
    dates.finishedAt,
    dates.returnedAt,
    dates.rejectedAt,
    ...rounds.flatMap((round) => [round.requestedAt, round.receivedAt]),
    ...(previous === undefined ? [] : previousInstants(previous)),
  ].filter((value): value is number => value !== undefined);
  const latest = Math.max(...known);
  const inferred = (fact: string) => {
    out.flag("instant-inferred", { fact, at: iso(latest) });
    return latest;
  };

  // The receipt's appointment: before any supplement restart moved it.
  const receiptAppointment = rounds[0]?.before ?? dates.appointment;
  const channel = channelOf(hoSo.KenhThucHien);
  const { procedure, lawDueAt } = procedureFor(hoSo, ctx, out, { receivedAt, receiptAppointment, channel });
  // The sender's promise is the receipt's appointment, unless it falls on a later day than the
  // law allows: the domain judges timeliness on the receipt's appointment, and a generous promise
  // must not turn a late dossier into an on-time one (the promise stays in the flag).
  const keepPromise =
    receiptAppointment !== undefined &&
    receiptAppointment > receivedAt &&
    (lawDueAt === undefined || localEpochDay(receiptAppointment) <= localEpochDay(lawDueAt));

  out.add("received", {
    type: "received",
    occurredAt: iso(receivedAt),
    receivedAt: iso(receivedAt),
    ...(keepPromise ? { appointment: iso(receiptAppointment) } : {}),
    procedure,
    agency: place.agency,
    unit: place.unit,
    channel,
    applicant: applicantOf(hoSo, ctx, out),
    handler: { id: SYNC_HANDLER_ID },
  });

  // Supplement rounds (DanhSachHoSoBoSung): a request stops the clock, the complete dossier restarts it.
  for (const round of rounds) {
    out.add(`supplement/${round.key}/requested`, {
      type: "supplement-requested",
      occurredAt: iso(round.requestedAt!),
      reason: round.reason ?? "Yêu cầu bổ sung hồ sơ",
    });
    if (round.receivedAt !== undefined) {
      out.add(`supplement/${round.key}/received`, {
        type: "supplement-received",
        occurredAt: iso(round.receivedAt),
        ...(round.after !== undefined && round.after > round.receivedAt
          ? { appointment: iso(round.after) }
          : {}),
      });
    }
  }
  const openRound = rounds.length > 0 && rounds[rounds.length - 1]!.receivedAt === undefined;
  const waiting = openRound || (previous?.awaitingSupplement ?? false);

  // TD pushes its local 5, 6 and 8 as 9: a "finished" dossier with an open supplement round and no
  // finish date is still waiting on the applicant (dvcqg-mapping.md, "Quirks").
  let effective = status;
  if (status === 9 && dates.finishedAt === undefined && (openRound || previous?.paused)) {
    effective = openRound ? 5 : 6;
    out.flag("status-collapsed", { sent: 9, kept: effective });
  }

  if (effective === 5 && !waiting) {
    const at = dates.supplementAskedAt ?? inferred("supplement-requested");
    out.add(`supplement/${stamp(at)}/requested`, {
      type: "supplement-requested",
      occurredAt: iso(at),
      reason: nonEmpty(hoSo.GhiChu) ?? "Yêu cầu bổ sung hồ sơ",
    });
  }
  const resumedWork = [2, 4, 6, 9, 10].includes(effective);
  if (resumedWork && !openRound && previous?.awaitingSupplement && !rounds.some((r) => r.receivedAt)) {
    // The applicant's answer shows only as the status leaving 5 for work (not for a closure).
    const at = inferred("supplement-received");
    out.add(`supplement/${stamp(at)}/received`, { type: "supplement-received", occurredAt: iso(at) });
  }
  if (effective === 6 && !previous?.paused) {
    const at = inferred("paused");
    out.add(`paused/${stamp(at)}`, {
      type: "paused",
      occurredAt: iso(at),
      reason: DVCQG_STATUSES[6],
    });
  }
  if (effective !== 6 && previous?.paused) {
    const at = (effective === 9 || effective === 10 ? dates.finishedAt : undefined) ?? inferred("resumed");
    out.add(`resumed/${stamp(at)}`, { type: "resumed", occurredAt: iso(at) });
  }

  switch (effective) {
    case 3:
      out.add("rejected", {
        type: "rejected",
        occurredAt: iso(dates.rejectedAt ?? dates.finishedAt ?? inferred("rejected")),
        reason: nonEmpty(hoSo.GhiChu) ?? DVCQG_STATUSES[3],
      });
      break;
    case 7:
      out.add("withdrawn", {
        type: "withdrawn",
        occurredAt: iso(dates.finishedAt ?? dates.returnedAt ?? inferred("withdrawn")),
        reason: nonEmpty(hoSo.GhiChu) ?? DVCQG_STATUSES[7],
      });
      break;
    case 8:
      out.add("stopped", {
        type: "stopped",
        occurredAt: iso(dates.finishedAt ?? inferred("stopped")),
        reason: nonEmpty(hoSo.GhiChu) ?? DVCQG_STATUSES[8],
      });
      break;
    case 9:
    case 10: {
      const finishedAt = dates.finishedAt ?? dates.returnedAt ?? inferred("result-ready");
      const first = previous?.finishedAt ? Date.parse(previous.finishedAt) : undefined;
      if (first !== undefined && first !== finishedAt) {
        // TD's "Đặt lại hồ sơ quá hạn" rewrites an overdue finish to the appointment: the first finish stays.
        out.flag("finish-rewritten", { first: iso(first), sent: iso(finishedAt) });
      }
      out.add("result-ready", { type: "result-ready", occurredAt: iso(finishedAt) });
      if (effective === 10) {
        out.add("returned", {
          type: "returned",
          occurredAt: iso(Math.max(dates.returnedAt ?? inferred("returned"), finishedAt)),
        });
      }
      break;
    }
  }

  // A moved appointment that no supplement restart (NgayHenTraMoi) and no apology explains. A
  // round-less promise later than the law was never recorded (see keepPromise): dunghan cannot
  // tell it from the promise first sent, and the catalogue flag above already reports it with
  // the date now sent.
  const unrecordedPromise = rounds.length === 0 && !keepPromise && lawDueAt !== undefined;
  if (previous !== undefined && dates.appointment !== undefined && !unrecordedPromise) {
    const current = Date.parse(previous.currentAppointment);
    const explained =
      rounds.some((round) => round.after === dates.appointment) ||
      (previous.apology !== null && Date.parse(previous.apology.newAppointment) === dates.appointment);
    if (dates.appointment !== current && !explained) {
      out.flag("appointment-moved", { from: iso(current), to: iso(dates.appointment) });
    }
  }

  return { ok: true, dossierCode: code, agencyId: place.agency.id, events: out.events, flags: out.flags };
}

function previousInstants(previous: DossierState): number[] {
  return [
    previous.receivedAt,
    ...previous.steps.map((step) => step.startedAt),
    ...previous.supplements.flatMap((s) => [s.requestedAt, s.receivedAt]),
    ...previous.pauses.flatMap((p) => [p.start, p.end]),
  ]
    .filter((text): text is string => text !== null)
    .map((text) => Date.parse(text));
}

type TimeLimit = z.output<typeof TimeLimitSchema>;

/**
 * The procedure as the catalogue knows it, with the law's due instant; an unknown one takes its
 * allotment from the sender's appointment (the working time between reception and NgayHenTra) and
 * is flagged. A catalogue limit that gives another due date than NgayHenTra is flagged too, per
 * agency and procedure, with both instants.
 */
function procedureFor(
  hoSo: HoSo,
  ctx: MapContext,
  out: EventList,
  dossier: { receivedAt: number; receiptAppointment: number | undefined; channel: string },
): { procedure: Record<string, unknown>; lawDueAt?: number } {
  const entry = lookupProcedure(ctx.catalogue, hoSo.MaTTHC);
  if (entry !== undefined) {
    const { onlineTimeLimit, ...procedure } = entry;
    const timeLimit =
      dossier.channel === "online" && onlineTimeLimit !== undefined ? onlineTimeLimit : entry.timeLimit;
    const appointment = dossier.receiptAppointment;
    const legal = ctx.workingTime.due(dossier.receivedAt, timeLimit, {
      ...(entry.cutoff === undefined ? {} : { cutoff: entry.cutoff }),
    });
    if (
      appointment !== undefined &&
      legal !== undefined &&
      localEpochDay(legal) !== localEpochDay(appointment)
    ) {
      out.flag("appointment-disagrees-with-catalogue", {
        legalDueAt: iso(legal),
        appointment: iso(appointment),
        catalogueVersion: ctx.catalogue.version,
      });
    }
    return { procedure: { ...procedure, timeLimit }, ...(legal === undefined ? {} : { lawDueAt: legal }) };
  }
  const code = nonEmpty(hoSo.MaTTHC) ?? "unknown";
  const appointment = dossier.receiptAppointment;
  if (appointment === undefined || appointment <= dossier.receivedAt) {
    throw new Refused(
      "unknown-procedure",
      "MaTTHC: not in the procedure catalogue, and no NgayHenTra after NgayTiepNhan to take the time limit from",
    );
  }
  const officeMs = ctx.workingTime.workingTimeBetween(dossier.receivedAt, appointment);
  const timeLimit: TimeLimit =
    officeMs % WORKING_DAY_MS === 0
      ? { amount: officeMs / WORKING_DAY_MS, unit: "working-days" }
      : { amount: officeMs / WORKING_HOUR_MS, unit: "working-hours" };
  out.flag("unknown-procedure", {
    allotmentUnit: timeLimit.unit,
    allotmentAmount: timeLimit.amount,
    appointment: iso(appointment),
  });
  const name = nonEmpty(hoSo.TenTTHC) ?? `Thủ tục ${code}`;
  const field = nonEmpty(hoSo.TenLinhVuc);
  return { procedure: { code, name, ...(field === undefined ? {} : { field }), timeLimit } };
}

/**
 * The applicant from the payload (ChuHoSo, SoDienThoai, Email). The payload carries no consent:
 * the agency's configured default applies (none unless configured; docs/dvcqg-mapping.md).
 */
function applicantOf(hoSo: HoSo, ctx: MapContext, out: EventList): Record<string, unknown> {
  const phone = nonEmpty(hoSo.SoDienThoai)?.replace(/[\s.()-]/g, "");
  const email = nonEmpty(hoSo.Email);
  const keptPhone = phone !== undefined && PHONE.test(phone) ? phone : undefined;
  const keptEmail = email !== undefined && Email.safeParse(email).success ? email : undefined;
  if (phone !== undefined && keptPhone === undefined) out.flag("contact-dropped", { field: "SoDienThoai" });
  if (email !== undefined && keptEmail === undefined) out.flag("contact-dropped", { field: "Email" });
  return {
    name: nonEmpty(hoSo.ChuHoSo) ?? "(không ghi tên)",
    ...(keptPhone === undefined ? {} : { phone: keptPhone }),
    ...(keptEmail === undefined ? {} : { email: keptEmail }),
    consent: ctx.consentFor?.(out.agencyId) ?? { sms: false, email: false },
  };
}

/**
 * A progress row (TienDo): a step with its own due instant (`NgayKetThucTheoQuyDinh`), or — when
 * its status shows one — a stop of the clock that the dossier record may hide (TD's collapse to 9).
 */
function mapProgress(raw: unknown, ctx: MapContext): MapResult {
  const row: TienDo = shapeOf(TienDoSchema, raw, "TienDo");
  const code = dossierCodeOf(row.MaHoSo);
  const previous = ctx.previous;
  if (previous === undefined) {
    throw new Refused(
      "unknown-dossier",
      "MaHoSo: progress for a dossier not synced yet (send the dossier first)",
    );
  }
  const out = new EventList(code, previous.agency.id, previous.procedure.code);
  const startedAt = dateOf("NgayBatDau", row.NgayBatDau);
  const actedAt = dateOf("ThoiDiemXuLy", row.ThoiDiemXuLy);
  const dueAt = dateOf("NgayKetThucTheoQuyDinh", row.NgayKetThucTheoQuyDinh);
  const at = startedAt ?? actedAt;
  if (at === undefined) throw new Refused("date", "NgayBatDau, ThoiDiemXuLy: both missing");
  const status = nonEmpty(row.TrangThai) === undefined ? undefined : Number(row.TrangThai);
  const note = nonEmpty(row.NoiDungXuLy);
  const ended =
    previous.phase !== "in-progress" &&
    previous.phase !== "paused" &&
    previous.phase !== "awaiting-supplement";

  if (status === 5) {
    if (!previous.awaitingSupplement && !ended) {
      out.add(`supplement/${stamp(at)}/requested`, {
        type: "supplement-requested",
        occurredAt: iso(at),
        reason: note ?? "Yêu cầu bổ sung hồ sơ",
      });
    }
  } else if (status === 6) {
    if (!previous.paused && !ended) {
      out.add(`paused/${stamp(at)}`, {
        type: "paused",
        occurredAt: iso(at),
        reason: note ?? DVCQG_STATUSES[6],
      });
    }
  } else if (status === 8) {
    if (!ended)
      out.add("stopped", { type: "stopped", occurredAt: iso(at), reason: note ?? DVCQG_STATUSES[8] });
  } else if (status === 9 || status === 10) {
    // TD's synthetic "Kết thúc xử lý hồ sơ" row: the dossier record carries the finish.
  } else if (!ended) {
    if (previous.paused) out.add(`resumed/${stamp(at)}`, { type: "resumed", occurredAt: iso(at) });
    const unitName = nonEmpty(row.PhongBanXuLy);
    const handlerName = nonEmpty(row.NguoiXuLy);
    if (unitName !== undefined || handlerName !== undefined) {
      const unit =
        unitName === undefined ? previous.unit : { id: unitName.slice(0, 200), name: unitName.slice(0, 500) };
      out.add(`step/${stamp(at)}/${fnv1a(`${unitName ?? ""}|${handlerName ?? ""}`)}`, {
        type: "assigned",
        occurredAt: iso(at),
        handler:
          handlerName === undefined
            ? { id: unit.id }
            : { id: handlerName.slice(0, 200), name: handlerName.slice(0, 500) },
        unit,
        ...(dueAt !== undefined && dueAt > at ? { dueAt: iso(dueAt) } : {}),
        ...(note === undefined ? {} : { task: note }),
      });
    }
  }
  return { ok: true, dossierCode: code, agencyId: previous.agency.id, events: out.events, flags: out.flags };
}
