/**
 * Notices: the SMS and e-mails to handlers, leaders and citizens — what each needs, its wording as
 * data, SMS fitting within two parts, the leader's digest, contacts checked and masked.
 */

export { maskEmail, maskPhone, normalizeVietnamesePhone, validateEmail } from "./contacts.ts";
export {
  APOLOGY_STATUS_LABELS,
  DIGEST_APOLOGY_STATUSES,
  type DigestApologyStatus,
  GLOSSARY,
} from "./glossary.ts";
export {
  type DigestSummary,
  renderDigestBlocksHtml,
  renderDigestTableText,
  sortDigestRows,
  summarizeDigest,
} from "./leader-digest.ts";
export type {
  ApologyDutyNotice,
  CitizenApologyNotice,
  CitizenReceiptNotice,
  CitizenRecipient,
  CitizenResultReadyNotice,
  CitizenSupplementRequestedNotice,
  DigestRow,
  EscalationNotice,
  HandlerDueSoonNotice,
  LeaderDigestNotice,
  NoticeData,
} from "./notice-data.ts";
export {
  type EmailMessage,
  type EmailRendering,
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
  NOTICE_PLACEHOLDERS,
  type NoticeKind,
  type NoticePlaceholder,
  type NoticeWording,
  OPTIONAL_NOTICE_PLACEHOLDERS,
  readNoticeWording,
  SMS_TEMPLATES,
  type SmsTemplate,
  SUPPLEMENT_CLOCK_NOTES,
  SUPPLEMENT_CLOCKS,
  type SupplementClock,
} from "./templates.ts";
