import { formatInstant, localEpochDay, parseIsoDate, type WorkingTime } from "../calendar/index.ts";
import {
  DEFAULT_DOSSIER_POLICY,
  type Dossier,
  type DossierPolicy,
  legalAppointment,
  progressAt,
} from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";

/**
 * The dossier register (Sổ theo dõi hồ sơ): one line per dossier received in a period, with its
 * dates and outcome. TT 03/2025/TT-VPCP has a form for it (Mẫu 07, docs/law.md); its official
 * layout was NOT obtained, so the columns below are the ones docs/law.md and provincial registers
 * show, and the output never prints "Mẫu 07" while `verified` is false (as for the apology letter).
 */
export const REGISTER_LAYOUT = {
  id: "so-theo-doi-ho-so",
  title: "SỔ THEO DÕI HỒ SƠ",
  formLabel: "Mẫu 07 — Thông tư 03/2025/TT-VPCP",
  verified: false,
  note: "verified: false — the official layout of TT 03/2025/TT-VPCP Mẫu 07 was not obtained; columns as far as known (STT, mã hồ sơ, tên TTHC, người nộp, ngày tiếp nhận, ngày hẹn trả, ngày chuyển/hoàn thành, trạng thái, ghi chú)",
  columns: [
    { id: "no", header: "STT" },
    { id: "dossierCode", header: "Mã hồ sơ" },
    { id: "procedure", header: "Tên thủ tục hành chính" },
    { id: "applicant", header: "Tổ chức, cá nhân nộp hồ sơ" },
    { id: "receivedAt", header: "Ngày, giờ tiếp nhận" },
    { id: "appointmentAt", header: "Ngày, giờ hẹn trả kết quả" },
    { id: "transferredAt", header: "Ngày chuyển xử lý" },
    { id: "finishedAt", header: "Ngày hoàn thành" },
    { id: "returnedAt", header: "Ngày trả kết quả" },
    { id: "outcome", header: "Trạng thái, kết quả" },
    { id: "note", header: "Ghi chú" },
  ],
} as const;

export type RegisterColumnId = (typeof REGISTER_LAYOUT.columns)[number]["id"];

export type RegisterOutcome =
  | "truoc-han"
  | "dung-han"
  | "qua-han"
  | "dang-giai-quyet-trong-han"
  | "dang-giai-quyet-qua-han"
  | "cho-bo-sung"
  | "tam-dung"
  | "rejected"
  | "withdrawn"
  | "stopped";

export const REGISTER_OUTCOME_LABELS: Record<RegisterOutcome, string> = {
  "truoc-han": "Đã giải quyết trước hạn",
  "dung-han": "Đã giải quyết đúng hạn",
  "qua-han": "Đã giải quyết quá hạn",
  "dang-giai-quyet-trong-han": "Đang giải quyết (trong hạn)",
  "dang-giai-quyet-qua-han": "Đang giải quyết (quá hạn)",
  "cho-bo-sung": "Chờ bổ sung hồ sơ",
  "tam-dung": "Tạm dừng",
  rejected: "Từ chối tiếp nhận",
  withdrawn: "Công dân rút hồ sơ",
  stopped: "Dừng giải quyết",
};

export interface RegisterEntry {
  readonly no: number;
  readonly dossierCode: string;
  readonly agencyId: string;
  readonly procedure: string;
  /** The applicant's name (the register holds it; no phone or e-mail: NĐ 13/2023/NĐ-CP). */
  readonly applicant: string;
  readonly channel: "online" | "in-person" | "postal";
  readonly receivedAt: number;
  /** The appointment on the receipt (Mẫu 01); later ones are in the note. */
  readonly appointmentAt: number;
  /** When the desk handed the dossier to the processing unit (the first step). */
  readonly transferredAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly returnedAt: number | undefined;
  readonly outcome: RegisterOutcome;
  readonly note: string;
}

export interface RegisterQuery {
  readonly from: string;
  readonly to: string;
  readonly agencyIds?: readonly string[];
  /** The instant the register is read at; the dossiers must be folded from the events known then. */
  readonly asOf: number;
}

/**
 * The register for the dossiers received (local date of `receivedAt`) in the period, in order
 * of reception, each read at `asOf` — for a period already over, the end of its last day.
 */
export function buildRegister(
  dossiers: readonly Dossier[],
  query: RegisterQuery,
  working: WorkingTime,
  policy: DossierPolicy = DEFAULT_DOSSIER_POLICY,
): RegisterEntry[] {
  const from = parseIsoDate(query.from);
  const to = parseIsoDate(query.to);
  if (to < from)
    throw new InvalidInputError(`the period ends (${query.to}) before it starts (${query.from})`);
  const agencies = query.agencyIds ? new Set(query.agencyIds) : undefined;
  const chosen = dossiers
    .filter((dossier) => {
      const day = localEpochDay(dossier.received.receivedAt);
      return day >= from && day <= to && (!agencies || agencies.has(dossier.received.agency.id));
    })
    .sort((a, b) => a.received.receivedAt - b.received.receivedAt || (a.code < b.code ? -1 : 1));
  return chosen.map((dossier, index) => registerEntry(dossier, index + 1, query.asOf, working, policy));
}

function registerEntry(
  dossier: Dossier,
  no: number,
  asOf: number,
  working: WorkingTime,
  policy: DossierPolicy,
): RegisterEntry {
  const { received } = dossier;
  const progress = progressAt(dossier, asOf, working, policy);
  let outcome: RegisterOutcome;
  if (dossier.closure) outcome = dossier.closure.kind;
  else if (dossier.finishedAt !== undefined)
    outcome = progress.status as "truoc-han" | "dung-han" | "qua-han";
  else if (progress.awaitingSupplement) outcome = "cho-bo-sung";
  else if (progress.paused) outcome = "tam-dung";
  else outcome = progress.status === "qua-han" ? "dang-giai-quyet-qua-han" : "dang-giai-quyet-trong-han";

  const notes: string[] = [];
  const legal = legalAppointment(dossier);
  if (legal.kind === "restart") notes.push(`Bổ sung hồ sơ, hẹn lại ${shortDateTime(legal.at)}`);
  if (dossier.apology) notes.push(`Đã xin lỗi, hẹn lại ${shortDateTime(dossier.apology.newAppointment)}`);
  if (dossier.closure?.reason) notes.push(dossier.closure.reason);
  return {
    no,
    dossierCode: dossier.code,
    agencyId: received.agency.id,
    procedure: received.procedure.name,
    applicant: received.applicant.name,
    channel: received.channel,
    receivedAt: received.receivedAt,
    appointmentAt: dossier.appointments[0]!.at,
    transferredAt: dossier.steps[0]?.startedAt,
    finishedAt: dossier.finishedAt,
    returnedAt: dossier.returnedAt,
    outcome,
    note: notes.join("; "),
  };
}

/** "02/11/2026 09:00" in Vietnam's zone. */
export function shortDateTime(instant: number): string {
  const text = formatInstant(instant);
  return `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)} ${text.slice(11, 16)}`;
}

/** "02/11/2026". */
export function shortDate(instant: number): string {
  return shortDateTime(instant).slice(0, 10);
}
