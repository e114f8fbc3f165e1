/**
 * Notices: the SMS and e-mails to handlers, leaders and citizens — what each needs, its wording as
 * data, SMS fitting within two parts, the leader's digest, contacts checked and masked.
 */

export { maskEmail, maskPhone, normalizeVietnamesePhone, validateEmail } from "./contacts.ts";
export { APOLOGY_STATUS_LABELS, type DigestApologyStatus, GLOSSARY } from "./glossary.ts";
export {
  type DigestRow,
  type DigestSummary,
  renderDigestTableHtml,
  renderDigestTableText,
  sortDigestRows,
  summarizeDigest,
} from "./leader-digest.ts";
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
} from "./templates.ts";
