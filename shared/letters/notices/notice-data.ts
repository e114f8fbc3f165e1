import * as z from "zod";
import { dossierCode, isoInstant, nonEmptyText, type Parsed } from "../fields/index.ts";
import { DIGEST_APOLOGY_STATUSES } from "./glossary.ts";
import { SUPPLEMENT_CLOCKS } from "./templates.ts";

/**
 * What each notice needs, declared once as a schema; the types are derived from it. Instants are
 * ISO 8601 and shown in Asia/Ho_Chi_Minh.
 */

/** One dossier in a leader's daily digest. */
export const digestRowSchema = z.object({
  dossierCode,
  procedureName: nonEmptyText,
  handlerName: nonEmptyText,
  /** Due instant (ISO 8601). */
  dueAt: isoInstant,
  /** Days past due as counted by the calendar module (working or calendar days); 0 when not yet due. */
  daysOverdue: z.number().finite().min(0),
  apologyStatus: z.enum(DIGEST_APOLOGY_STATUSES),
  /** The clock is stopped (the escalation waits with it): the row says so. */
  clockStopped: z.enum(["paused", "awaiting-supplement"]).optional(),
});
export type DigestRow = Parsed<typeof digestRowSchema>;

const citizenRecipientSchema = z.object({ honorific: z.enum(["Ông", "Bà", "Ông/Bà"]), name: nonEmptyText });
export type CitizenRecipient = Parsed<typeof citizenRecipientSchema>;

/** To a handler: a dossier is due soon (sắp đến hạn). */
const handlerDueSoonSchema = z.object({
  kind: z.literal("handler-due-soon"),
  dossierCode,
  procedureName: nonEmptyText,
  dueAt: isoInstant,
  handlerName: nonEmptyText.optional(),
  /** The reception: the decree cited follows it (NĐ 61/2018 or NĐ 118/2025); the current one when absent. */
  receivedAt: isoInstant.optional(),
});
export type HandlerDueSoonNotice = Parsed<typeof handlerDueSoonSchema>;

/**
 * To a leader: a dossier will be late, an apology is owed before `apologyDueBy` ("apology-duty");
 * or that instant has come without one ("apology-overdue"): the apology is still owed.
 */
const apologyDutyFields = {
  dossierCode,
  procedureName: nonEmptyText,
  dueAt: isoInstant,
  responsibleUnit: nonEmptyText,
  /** Latest time to send the apology (NĐ 61/2018 Art. 19(9): no later than 01 day before due). */
  apologyDueBy: isoInstant,
};
const apologyDutySchema = z.object({ kind: z.literal("apology-duty"), ...apologyDutyFields });
const apologyOverdueSchema = z.object({ kind: z.literal("apology-overdue"), ...apologyDutyFields });
export type ApologyDutyNotice = Parsed<typeof apologyDutySchema | typeof apologyOverdueSchema>;

/** To a leader: a dossier is overdue. */
const escalationSchema = z.object({
  kind: z.literal("escalation"),
  dossierCode,
  procedureName: nonEmptyText,
  dueAt: isoInstant,
  daysOverdue: z.number().finite().positive(),
  responsibleUnit: nonEmptyText,
  handlerName: nonEmptyText.optional(),
});
export type EscalationNotice = Parsed<typeof escalationSchema>;

/** To a leader: the day's dossiers needing attention. */
const leaderDigestSchema = z.object({
  kind: z.literal("leader-digest"),
  /** The digest's day (ISO date). */
  date: isoInstant,
  unitName: nonEmptyText,
  /** The leader's name from the staff directory: greeted by name ("Kính gửi ông/bà …"). */
  recipientName: nonEmptyText.optional(),
  rows: z.array(digestRowSchema),
  /** Link to the dashboard; never shortened, dropped from an SMS when space is short. */
  link: z.url({ protocol: /^https?$/ }).optional(),
});
export type LeaderDigestNotice = Parsed<typeof leaderDigestSchema>;

/** What every notice to the applicant carries. */
const toCitizen = {
  agencyName: nonEmptyText,
  /** Used in SMS instead of agencyName when given, e.g. "UBND phường Tân An". */
  agencyShortName: nonEmptyText.optional(),
  dossierCode,
  procedureName: nonEmptyText,
};

/** To the applicant: the receipt with the appointment (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
const citizenReceiptSchema = z.object({
  kind: z.literal("citizen-receipt"),
  ...toCitizen,
  receivedAt: isoInstant,
  appointment: isoInstant,
  recipient: citizenRecipientSchema.optional(),
});
export type CitizenReceiptNotice = Parsed<typeof citizenReceiptSchema>;

/** To the applicant: the apology with the new date. */
const citizenApologySchema = z.object({
  kind: z.literal("citizen-apology"),
  ...toCitizen,
  reason: nonEmptyText,
  newAppointment: isoInstant,
  recipient: citizenRecipientSchema.optional(),
});
export type CitizenApologyNotice = Parsed<typeof citizenApologySchema>;

/**
 * To the applicant: the agency asks for documents to supplement or complete the dossier (TT
 * 01/2018/TT-VPCP Mẫu 02, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ; NĐ 61/2018 Art. 19(4)).
 */
const citizenSupplementRequestedSchema = z.object({
  kind: z.literal("citizen-supplement-requested"),
  ...toCitizen,
  requestedAt: isoInstant,
  /** Why the dossier is not complete. */
  reason: nonEmptyText,
  /** The documents or contents to add, when the request lists them (the SMS names these first). */
  documents: z.array(nonEmptyText).max(100).optional(),
  /** What the request does to the time limit (the procedure's supplement policy). */
  clock: z.enum(SUPPLEMENT_CLOCKS),
  recipient: citizenRecipientSchema.optional(),
});
export type CitizenSupplementRequestedNotice = Parsed<typeof citizenSupplementRequestedSchema>;

/** To the applicant: the result is ready. */
const citizenResultReadySchema = z.object({
  kind: z.literal("citizen-result-ready"),
  ...toCitizen,
  readyAt: isoInstant,
  /** Where to collect it; omitted when the result is sent the way the applicant registered. */
  pickupPlace: nonEmptyText.optional(),
  recipient: citizenRecipientSchema.optional(),
});
export type CitizenResultReadyNotice = Parsed<typeof citizenResultReadySchema>;

export const noticeSchema = z.discriminatedUnion("kind", [
  handlerDueSoonSchema,
  apologyDutySchema,
  apologyOverdueSchema,
  escalationSchema,
  leaderDigestSchema,
  citizenReceiptSchema,
  citizenApologySchema,
  citizenSupplementRequestedSchema,
  citizenResultReadySchema,
]);
export type NoticeData = Parsed<typeof noticeSchema>;
