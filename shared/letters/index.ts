/**
 * Letters and notices: everything a person reads, in Vietnamese (docs/letters/). Pure: no clock, no
 * environment; dates are shown in Asia/Ho_Chi_Minh; every output string is NFC.
 */

export {
  type AppointmentDay,
  type AppointmentOptions,
  appointmentOptions,
  earliestNewAppointment,
  NEW_APPOINTMENT_RULES,
  type NewAppointmentContext,
  type NewAppointmentRule,
  resolveNewAppointment,
} from "./apology-appointment.ts";
export {
  type ApologyLetter,
  type ApologyLetterInput,
  type BuildApologyLetterOptions,
  buildApologyLetter,
  fillApologyText,
  type Honorific,
  NATIONAL_MOTTO,
  REASON_BLANK,
  renderApologyLetterHtml,
  renderApologyLetterText,
} from "./apology-letter.ts";
export {
  apologyLetterDocumentXml,
  DOCX_CONTENT_TYPE,
  renderApologyLetterDocx,
} from "./apology-letter-docx.ts";
export {
  APOLOGY_PLACEHOLDERS,
  APOLOGY_TEMPLATES,
  type ApologyPlaceholder,
  type ApologyTemplate,
  type ApologyTemplateId,
  type ApologyTemplateOverride,
  type ApologyUnitConfig,
  chooseApologyTemplate,
  DEFAULT_TT03_EFFECTIVE_FROM,
  mergeApologyTemplate,
  TT01_2018_APOLOGY,
  TT03_2025_APOLOGY,
} from "./apology-templates.ts";
export {
  type AddWorkingDays,
  APOLOGY_REASON_HINT,
  APOLOGY_STATUSES,
  type ApologyDraft,
  type ApologyEdit,
  type ApologyEditsInput,
  type ApologyIssuedEvent,
  type ApologySigner,
  type ApologyStatus,
  type ApproveApologyInput,
  approveApology,
  assertNoPriorApology,
  type CreateApologyDraftInput,
  createApologyDraft,
  editApologyDraft,
  markApologySent,
  type ProposeNewAppointmentInput,
  proposeNewAppointment,
  reopenApology,
  type SendApologyInput,
  type WithdrawApologyInput,
  withdrawApology,
} from "./apology-workflow.ts";
export {
  type AppointmentIcsInput,
  appointmentIcs,
  escapeIcsText,
  foldIcsLine,
  ICS_CONTENT_TYPE,
} from "./appointment-ics.ts";
export { maskEmail, maskPhone, normalizeVietnamesePhone, validateEmail } from "./contacts.ts";
export { assertDossierCode, isDossierCode } from "./dossier-code.ts";
export { type ApologyDetails, apologyLetterInputFromState, type LetterOffice } from "./from-dossier-state.ts";
export { APOLOGY_STATUS_LABELS, type DigestApologyStatus, GLOSSARY } from "./glossary.ts";
export { escapeHtml } from "./html.ts";
export {
  type DigestRow,
  type DigestSummary,
  renderDigestTableHtml,
  renderDigestTableText,
  sortDigestRows,
  summarizeDigest,
} from "./leader-digest.ts";
export {
  type Audience,
  EMAIL_TEMPLATES,
  type EmailTemplate,
  MAX_SMS_SEGMENTS,
  NOTICE_KINDS,
  type NoticeKind,
  SMS_TEMPLATES,
  type SmsTemplate,
  SUPPLEMENT_CLOCK_NOTES,
  type SupplementClock,
} from "./notice-templates.ts";
export {
  type ApologyDutyNotice,
  type CitizenApologyNotice,
  type CitizenRecipient,
  type CitizenResultReadyNotice,
  type CitizenSupplementRequestedNotice,
  type EmailMessage,
  type EmailRendering,
  type EscalationNotice,
  type HandlerDueSoonNotice,
  type LeaderDigestNotice,
  type NoticeData,
  type NoticeFailureCode,
  type NoticeRequest,
  type NoticeResult,
  renderEmail,
  renderNotice,
  renderSms,
  type SmsMessage,
  type SmsOptions,
  type SmsRendering,
  truncateAtWord,
} from "./notices.ts";
export {
  countSegments,
  isGsm7Char,
  SEGMENT_LIMITS,
  type SegmentCount,
  type SmsEncoding,
  smsEncoding,
  unaccent,
} from "./sms-encoding.ts";
export { textWidthEm } from "./text-width.ts";
export { APOLOGY_REASON_MAX_EM, APOLOGY_REASON_MAX_WORD_EM } from "./validation.ts";
export {
  formatDateLongVi,
  formatDateTimeShortVi,
  formatDateTimeVi,
  formatDateVi,
  formatNumberVi,
  formatPlaceDate,
  isVietnamTime,
  type LongDateOptions,
  type MonthPadding,
  nfc,
  toVietnamIso,
  toVietnamTime,
  VietnamTime,
  VN_ZONE,
} from "./vietnamese-format.ts";
