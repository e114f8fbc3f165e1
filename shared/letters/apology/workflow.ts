import * as z from "zod";
import { ConflictError, InvalidInputError } from "../../errors.ts";
import { dossierCode, isoInstant, nonEmptyText, parseOrThrow, typedApologyReason } from "../fields/index.ts";
import { oneLine, toVietnamIso, toVietnamTime } from "../render/index.ts";

/**
 * The apology's life (NĐ 61/2018 Art. 19(9); practice in docs/law.md): a draft waits for a
 * leader's approval, the leader may correct the reason and the new date, then it is sent; a
 * draft or approved apology may be withdrawn. Pure functions: `now` and the actor come in.
 */
export const APOLOGY_STATUSES = ["draft", "approved", "sent", "withdrawn"] as const;
export type ApologyStatus = (typeof APOLOGY_STATUSES)[number];

export interface ApologyEdit {
  readonly field: "reason" | "newAppointment";
  /** null: the draft had no reason yet (a person writes the first one). */
  readonly from: string | null;
  readonly to: string;
  readonly by: string;
  readonly at: string;
}

export interface ApologyDraft {
  readonly id: string;
  readonly dossierCode: string;
  readonly status: ApologyStatus;
  /**
   * Why the dossier is late, as a person wrote it; null until someone does. An automatic draft
   * never carries placeholder text here: a letter must not reach an applicant with a reason
   * nobody wrote (approve and send refuse a draft without one, rule "reason-required").
   */
  readonly reason: string | null;
  readonly responsibleUnit: string;
  /** ISO instant with +07:00. */
  readonly originalAppointment: string;
  /** ISO instant with +07:00; only once per dossier ("không quá một lần"). */
  readonly newAppointment: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  /** Who signs the letter: the approving person (name and title as the directory has them). */
  readonly signer?: ApologySigner;
  readonly sentBy?: string;
  readonly sentAt?: string;
  readonly withdrawnBy?: string;
  readonly withdrawnAt?: string;
  readonly withdrawalReason?: string;
  /** Set when a withdrawn draft was taken back (`reopenApology`). */
  readonly reopenedBy?: string;
  readonly reopenedAt?: string;
  /** Changes the approving leader made to the handler's draft. */
  readonly edits: readonly ApologyEdit[];
}

/** The signature block of the letter: the person who approved it. */
export interface ApologySigner {
  /** Signing on behalf, e.g. "KT. GIÁM ĐỐC", only when the directory says so. */
  readonly authority?: string;
  readonly title: string;
  readonly name: string;
}

/**
 * What a leader is told to write as the reason (shown beside the empty field, never printed as
 * the reason): NĐ 61/2018 Art. 19(9) / NĐ 118/2025 ask for the actual reason for the delay.
 */
export const APOLOGY_REASON_HINT =
  "Ghi lý do cụ thể của việc chậm trễ (ví dụ: chờ kết quả xác minh thực địa, chờ ý kiến của cơ quan phối hợp); " +
  "lý do này được in trong văn bản gửi tổ chức, cá nhân.";

/** Payload the dossier domain records when the apology goes out. */
export interface ApologyIssuedEvent {
  readonly type: "apology-issued";
  readonly dossierCode: string;
  readonly reason: string;
  readonly responsibleUnit: string;
  /** ISO instant with +07:00. */
  readonly newAppointment: string;
}

export interface CreateApologyDraftInput {
  /** Id from the caller (no randomness in shared/). */
  readonly id: string;
  readonly dossierCode: string;
  /** Absent or null for an automatic draft: a person writes the reason. */
  readonly reason?: string | null;
  readonly responsibleUnit: string;
  readonly originalAppointment: string;
  readonly newAppointment: string;
  readonly createdBy: string;
  readonly now: string;
}

const createSchema = z.object({
  id: nonEmptyText,
  dossierCode,
  reason: typedApologyReason.nullable().optional(),
  responsibleUnit: nonEmptyText,
  originalAppointment: isoInstant,
  newAppointment: isoInstant,
  createdBy: nonEmptyText,
  now: isoInstant,
});

const actorSchema = z.object({ actor: nonEmptyText, now: isoInstant });

function assertNewAfterOriginal(originalAppointment: string, newAppointment: string): void {
  if (toVietnamTime(newAppointment) <= toVietnamTime(originalAppointment)) {
    throw new InvalidInputError("Ngày hẹn trả kết quả mới phải sau ngày hẹn ban đầu", {
      field: "newAppointment",
    });
  }
}

const ACTIONS = {
  approve: { vi: "duyệt", en: "approve" },
  edit: { vi: "sửa", en: "edit" },
  send: { vi: "gửi", en: "send" },
  withdraw: { vi: "thu hồi", en: "withdraw" },
  reopen: { vi: "mở lại", en: "reopen" },
} as const;

/** Approve and send need a reason a person wrote. */
function assertReason(reason: string | null, action: "approve" | "send"): asserts reason is string {
  if (reason === null || reason.trim() === "") {
    throw new InvalidInputError(
      `Chưa có lý do chậm trễ: lãnh đạo cần ghi lý do cụ thể trước khi ${ACTIONS[action].vi} văn bản xin lỗi ` +
        `(cannot ${ACTIONS[action].en} an apology without a reason written by a person)`,
      { field: "reason", rule: "reason-required" },
    );
  }
}

function assertStatus(
  draft: ApologyDraft,
  allowed: readonly ApologyStatus[],
  action: keyof typeof ACTIONS,
): void {
  if (!allowed.includes(draft.status)) {
    const verb = ACTIONS[action];
    throw new ConflictError(
      `Không thể ${verb.vi} văn bản xin lỗi ở trạng thái "${draft.status}" ` +
        `(cannot ${verb.en} an apology that is ${draft.status}; allowed from: ${allowed.join(", ")})`,
      { apologyId: draft.id, status: draft.status, action },
    );
  }
}

export function createApologyDraft(input: CreateApologyDraftInput): ApologyDraft {
  parseOrThrow(createSchema, input, "Dự thảo văn bản xin lỗi");
  assertNewAfterOriginal(input.originalAppointment, input.newAppointment);
  return {
    id: input.id.trim(),
    dossierCode: input.dossierCode.trim(),
    status: "draft",
    reason: input.reason ? oneLine(input.reason) : null,
    responsibleUnit: oneLine(input.responsibleUnit),
    originalAppointment: toVietnamIso(input.originalAppointment),
    newAppointment: toVietnamIso(input.newAppointment),
    createdBy: oneLine(input.createdBy),
    createdAt: toVietnamIso(input.now),
    edits: [],
  };
}

export interface ApologyEditsInput {
  readonly reason?: string;
  /**
   * ISO instant with offset, already checked by the caller against the working calendar
   * (`resolveNewAppointment` in appointment.ts).
   */
  readonly newAppointment?: string;
}

export interface ApproveApologyInput {
  readonly actor: string;
  readonly now: string;
  /** The leader's corrections; unchanged values are not recorded as edits. */
  readonly edits?: ApologyEditsInput | undefined;
  /** Who signs the letter (the approving person); recorded on the draft. */
  readonly signer?: ApologySigner;
}

/** Applies a leader's corrections, recording each change; the status is unchanged. */
function applyEdits(draft: ApologyDraft, actor: string, at: string, input?: ApologyEditsInput): ApologyDraft {
  const edits: ApologyEdit[] = [];
  let reason = draft.reason;
  let newAppointment = draft.newAppointment;
  if (input?.reason !== undefined) {
    const edited = oneLine(parseOrThrow(typedApologyReason, input.reason, "Lý do"));
    if (edited !== reason) edits.push({ field: "reason", from: reason, to: edited, by: actor, at });
    reason = edited;
  }
  if (input?.newAppointment !== undefined) {
    const edited = toVietnamIso(parseOrThrow(isoInstant, input.newAppointment, "Ngày hẹn mới"));
    assertNewAfterOriginal(draft.originalAppointment, edited);
    if (toVietnamTime(edited).toMillis() !== toVietnamTime(newAppointment).toMillis()) {
      edits.push({ field: "newAppointment", from: newAppointment, to: edited, by: actor, at });
    }
    newAppointment = edited;
  }
  return { ...draft, reason, newAppointment, edits: [...draft.edits, ...edits] };
}

/** Corrects a draft before approval (reason, new appointment); it stays a draft. */
export function editApologyDraft(
  draft: ApologyDraft,
  input: { readonly actor: string; readonly now: string; readonly edits: ApologyEditsInput },
): ApologyDraft {
  assertStatus(draft, ["draft"], "edit");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Sửa văn bản xin lỗi");
  return applyEdits(draft, oneLine(input.actor), toVietnamIso(input.now), input.edits);
}

/**
 * draft → approved, recording who approved, when, what they changed and who signs. Refused
 * without a reason a person wrote (rule "reason-required"): the edits may carry it.
 */
export function approveApology(draft: ApologyDraft, input: ApproveApologyInput): ApologyDraft {
  assertStatus(draft, ["draft"], "approve");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Duyệt văn bản xin lỗi");
  const actor = oneLine(input.actor);
  const at = toVietnamIso(input.now);
  const edited = applyEdits(draft, actor, at, input.edits);
  assertReason(edited.reason, "approve");
  return {
    ...edited,
    status: "approved",
    approvedBy: actor,
    approvedAt: at,
    ...(input.signer ? { signer: input.signer } : {}),
  };
}

/**
 * Refuses a second sent apology for a dossier: the appointment may be moved only once
 * (NĐ 61/2018 Art. 19(9), "không quá một lần"). Withdrawn and unsent ones do not count. Without
 * `dossierCode`, `existingDrafts` is taken to be one dossier's apologies.
 */
export function assertNoPriorApology(
  existingDrafts: readonly ApologyDraft[],
  dossierCode?: string,
  citation = "NĐ 61/2018 Art. 19(9)",
): void {
  const code = dossierCode?.trim();
  const prior = existingDrafts.find(
    (d) => d.status === "sent" && (code === undefined || d.dossierCode === code),
  );
  if (prior) {
    throw new ConflictError(
      `Hồ sơ ${prior.dossierCode} đã có văn bản xin lỗi được gửi; chỉ được hẹn lại một lần ` +
        `(${citation}: a dossier may receive only one apology)`,
      { dossierCode: prior.dossierCode, priorApologyId: prior.id },
    );
  }
}

export interface SendApologyInput {
  readonly actor: string;
  readonly now: string;
  /** The dossier's other apologies, to enforce "only once". */
  readonly priorApologies: readonly ApologyDraft[];
  /** The rules the dossier falls under, cited in a refusal (default: NĐ 61/2018's). */
  readonly legalBasis?: { readonly apologyCitation: string };
}

/** approved → sent; returns the event the dossier records. */
export function markApologySent(
  draft: ApologyDraft,
  input: SendApologyInput,
): { readonly draft: ApologyDraft; readonly event: ApologyIssuedEvent } {
  assertStatus(draft, ["approved"], "send");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Gửi văn bản xin lỗi");
  assertReason(draft.reason, "send");
  assertNoPriorApology(
    input.priorApologies.filter((d) => d.id !== draft.id),
    draft.dossierCode,
    input.legalBasis?.apologyCitation,
  );
  const sent: ApologyDraft = {
    ...draft,
    status: "sent",
    sentBy: oneLine(input.actor),
    sentAt: toVietnamIso(input.now),
  };
  return {
    draft: sent,
    event: {
      type: "apology-issued",
      dossierCode: sent.dossierCode,
      reason: draft.reason,
      responsibleUnit: sent.responsibleUnit,
      newAppointment: toVietnamIso(sent.newAppointment),
    },
  };
}

export interface WithdrawApologyInput {
  readonly actor: string;
  readonly now: string;
  readonly reason?: string;
}

/** draft | approved → withdrawn. A sent apology cannot be unsent. */
export function withdrawApology(draft: ApologyDraft, input: WithdrawApologyInput): ApologyDraft {
  assertStatus(draft, ["draft", "approved"], "withdraw");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Thu hồi văn bản xin lỗi");
  return {
    ...draft,
    status: "withdrawn",
    withdrawnBy: oneLine(input.actor),
    withdrawnAt: toVietnamIso(input.now),
    ...(input.reason?.trim() ? { withdrawalReason: oneLine(input.reason) } : {}),
  };
}

/**
 * withdrawn → draft: a leader takes back a withdrawal. The approval and the withdrawal are
 * cleared (the draft must be approved again, by whoever may approve it then); `reopenedBy` and
 * `reopenedAt` record the step.
 */
export function reopenApology(
  draft: ApologyDraft,
  input: { readonly actor: string; readonly now: string },
): ApologyDraft {
  assertStatus(draft, ["withdrawn"], "reopen");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Mở lại văn bản xin lỗi");
  const reopened: ApologyDraft = {
    ...draft,
    status: "draft",
    reopenedBy: oneLine(input.actor),
    reopenedAt: toVietnamIso(input.now),
  };
  const cleared: Partial<Record<keyof ApologyDraft, unknown>> = { ...reopened };
  for (const key of [
    "approvedBy",
    "approvedAt",
    "signer",
    "withdrawnBy",
    "withdrawnAt",
    "withdrawalReason",
  ] as const)
    delete cleared[key];
  return cleared as ApologyDraft;
}

/** Adds n working days to an ISO instant; provided by the working-calendar module. */
export type AddWorkingDays = (fromIsoInstant: string, n: number) => string;

export interface ProposeNewAppointmentInput {
  readonly now: string;
  /** Working days the unit still needs; may be fractional (0,5 ngày) if the calendar supports it. */
  readonly extraWorkingDays: number;
  readonly addWorkingDays: AddWorkingDays;
}

/** The new appointment to propose: `now` plus the working days still needed, as +07:00. */
export function proposeNewAppointment(input: ProposeNewAppointmentInput): string {
  const from = toVietnamIso(input.now, "now");
  if (!Number.isFinite(input.extraWorkingDays) || input.extraWorkingDays <= 0) {
    throw new InvalidInputError("Số ngày làm việc cần thêm phải là số dương", { field: "extraWorkingDays" });
  }
  const proposed = toVietnamIso(input.addWorkingDays(from, input.extraWorkingDays), "Ngày hẹn đề xuất");
  if (toVietnamTime(proposed) <= toVietnamTime(from)) {
    throw new InvalidInputError("Lịch làm việc trả về ngày hẹn không sau thời điểm hiện tại", {
      field: "addWorkingDays",
    });
  }
  return proposed;
}
