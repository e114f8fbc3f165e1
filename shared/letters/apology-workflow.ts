import * as z from "zod";
import { ConflictError, InvalidInputError } from "../errors.ts";
import { dossierCode, isoInstant, nonEmptyText, parseOrThrow } from "./validation.ts";
import { nfc, toVietnamIso, toVietnamTime } from "./vietnamese-format.ts";

/**
 * The apology's life (NĐ 61/2018 Art. 19(9); practice in the domain README): a draft waits for a
 * leader's approval, the leader may correct the reason and the new date, then it is sent; a
 * draft or approved apology may be withdrawn. Pure functions: `now` and the actor come in.
 */
export const APOLOGY_STATUSES = ["draft", "approved", "sent", "withdrawn"] as const;
export type ApologyStatus = (typeof APOLOGY_STATUSES)[number];

export interface ApologyEdit {
  readonly field: "reason" | "newAppointment";
  readonly from: string;
  readonly to: string;
  readonly by: string;
  readonly at: string;
}

export interface ApologyDraft {
  readonly id: string;
  readonly dossierCode: string;
  readonly status: ApologyStatus;
  readonly reason: string;
  readonly responsibleUnit: string;
  /** ISO instant with +07:00. */
  readonly originalAppointment: string;
  /** ISO instant with +07:00; only once per dossier ("không quá một lần"). */
  readonly newAppointment: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly sentBy?: string;
  readonly sentAt?: string;
  readonly withdrawnBy?: string;
  readonly withdrawnAt?: string;
  readonly withdrawalReason?: string;
  /** Changes the approving leader made to the handler's draft. */
  readonly edits: readonly ApologyEdit[];
}

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
  readonly reason: string;
  readonly responsibleUnit: string;
  readonly originalAppointment: string;
  readonly newAppointment: string;
  readonly createdBy: string;
  readonly now: string;
}

const createSchema = z.object({
  id: nonEmptyText,
  dossierCode,
  reason: nonEmptyText,
  responsibleUnit: nonEmptyText,
  originalAppointment: isoInstant,
  newAppointment: isoInstant,
  createdBy: nonEmptyText,
  now: isoInstant,
});

const actorSchema = z.object({ actor: nonEmptyText, now: isoInstant });

const clean = (text: string): string => nfc(text.trim().replace(/\s+/g, " "));

function assertNewAfterOriginal(originalAppointment: string, newAppointment: string): void {
  if (toVietnamTime(newAppointment) <= toVietnamTime(originalAppointment)) {
    throw new InvalidInputError("Ngày hẹn trả kết quả mới phải sau ngày hẹn ban đầu", {
      field: "newAppointment",
    });
  }
}

const ACTIONS = {
  approve: { vi: "duyệt", en: "approve" },
  send: { vi: "gửi", en: "send" },
  withdraw: { vi: "thu hồi", en: "withdraw" },
} as const;

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
    reason: clean(input.reason),
    responsibleUnit: clean(input.responsibleUnit),
    originalAppointment: toVietnamIso(input.originalAppointment),
    newAppointment: toVietnamIso(input.newAppointment),
    createdBy: clean(input.createdBy),
    createdAt: toVietnamIso(input.now),
    edits: [],
  };
}

export interface ApproveApologyInput {
  readonly actor: string;
  readonly now: string;
  /** The leader's corrections; unchanged values are not recorded as edits. */
  readonly edits?: { readonly reason?: string; readonly newAppointment?: string };
}

/** draft → approved, recording who approved, when, and what they changed. */
export function approveApology(draft: ApologyDraft, input: ApproveApologyInput): ApologyDraft {
  assertStatus(draft, ["draft"], "approve");
  parseOrThrow(actorSchema, input, "Duyệt văn bản xin lỗi");
  const actor = clean(input.actor);
  const at = toVietnamIso(input.now);
  const edits: ApologyEdit[] = [];
  let reason = draft.reason;
  let newAppointment = draft.newAppointment;
  if (input.edits?.reason !== undefined) {
    const edited = clean(parseOrThrow(nonEmptyText, input.edits.reason, "Lý do"));
    if (edited !== reason) edits.push({ field: "reason", from: reason, to: edited, by: actor, at });
    reason = edited;
  }
  if (input.edits?.newAppointment !== undefined) {
    const edited = toVietnamIso(parseOrThrow(isoInstant, input.edits.newAppointment, "Ngày hẹn mới"));
    assertNewAfterOriginal(draft.originalAppointment, edited);
    if (toVietnamTime(edited).toMillis() !== toVietnamTime(newAppointment).toMillis()) {
      edits.push({ field: "newAppointment", from: newAppointment, to: edited, by: actor, at });
    }
    newAppointment = edited;
  }
  return {
    ...draft,
    status: "approved",
    reason,
    newAppointment,
    approvedBy: actor,
    approvedAt: at,
    edits: [...draft.edits, ...edits],
  };
}

/**
 * Refuses a second sent apology for a dossier: the appointment may be moved only once
 * (NĐ 61/2018 Art. 19(9), "không quá một lần"). Withdrawn and unsent ones do not count. Without
 * `dossierCode`, `existingDrafts` is taken to be one dossier's apologies.
 */
export function assertNoPriorApology(existingDrafts: readonly ApologyDraft[], dossierCode?: string): void {
  const code = dossierCode?.trim();
  const prior = existingDrafts.find(
    (d) => d.status === "sent" && (code === undefined || d.dossierCode === code),
  );
  if (prior) {
    throw new ConflictError(
      `Hồ sơ ${prior.dossierCode} đã có văn bản xin lỗi được gửi; chỉ được hẹn lại một lần ` +
        "(a dossier may receive only one apology)",
      { dossierCode: prior.dossierCode, priorApologyId: prior.id },
    );
  }
}

export interface SendApologyInput {
  readonly actor: string;
  readonly now: string;
  /** The dossier's other apologies, to enforce "only once". */
  readonly priorApologies: readonly ApologyDraft[];
}

/** approved → sent; returns the event the dossier records. */
export function markApologySent(
  draft: ApologyDraft,
  input: SendApologyInput,
): { readonly draft: ApologyDraft; readonly event: ApologyIssuedEvent } {
  assertStatus(draft, ["approved"], "send");
  parseOrThrow(actorSchema, { actor: input.actor, now: input.now }, "Gửi văn bản xin lỗi");
  assertNoPriorApology(
    input.priorApologies.filter((d) => d.id !== draft.id),
    draft.dossierCode,
  );
  const sent: ApologyDraft = {
    ...draft,
    status: "sent",
    sentBy: clean(input.actor),
    sentAt: toVietnamIso(input.now),
  };
  return {
    draft: sent,
    event: {
      type: "apology-issued",
      dossierCode: sent.dossierCode,
      reason: sent.reason,
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
    withdrawnBy: clean(input.actor),
    withdrawnAt: toVietnamIso(input.now),
    ...(input.reason?.trim() ? { withdrawalReason: clean(input.reason) } : {}),
  };
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
