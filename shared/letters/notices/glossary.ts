/**
 * Message vocabulary: the Vietnamese words every letter, SMS and e-mail uses, in one place so a
 * wording change is a data change. `en` is for developers; users only ever see `vi`.
 */
export const GLOSSARY = {
  dossier: { vi: "hồ sơ", en: "dossier (application file)" },
  dossierCode: { vi: "mã hồ sơ", en: "dossier code (TT 01/2018 Art. 19; TT 04/2025)" },
  procedure: { vi: "thủ tục hành chính", en: "administrative procedure (TTHC)" },
  field: { vi: "lĩnh vực", en: "field of the procedure" },
  oneStopDesk: { vi: "Bộ phận Một cửa", en: "one-stop desk" },
  handler: { vi: "người xử lý", en: "handler (cán bộ, chuyên viên xử lý)" },
  leader: { vi: "lãnh đạo", en: "leader who signs and receives escalations" },
  responsibleUnit: { vi: "đơn vị chịu trách nhiệm", en: "unit responsible for the delay" },
  dueSoon: { vi: "sắp đến hạn", en: "due soon" },
  overdue: { vi: "quá hạn", en: "overdue" },
  appointment: { vi: "ngày hẹn trả kết quả", en: "appointment to return the result" },
  newAppointment: { vi: "ngày hẹn trả kết quả mới", en: "new appointment" },
  apology: { vi: "văn bản xin lỗi", en: "apology letter" },
  reason: { vi: "lý do", en: "reason for the delay" },
  resultReady: { vi: "đã có kết quả", en: "result ready" },
  daysOverdue: { vi: "số ngày quá hạn", en: "days overdue" },
  dailyDigest: { vi: "tổng hợp hằng ngày", en: "daily digest" },
  pendingApproval: { vi: "chờ duyệt", en: "awaiting approval" },
  citizenAddress: { vi: "Ông/Bà", en: "Sir/Madam (neutral address of an applicant)" },
} as const satisfies Record<string, { vi: string; en: string }>;

/** Apology status as shown in the leader's digest. */
export const DIGEST_APOLOGY_STATUSES = [
  "none",
  "not-required",
  "draft",
  "approved",
  "sent",
  "withdrawn",
] as const;
export type DigestApologyStatus = (typeof DIGEST_APOLOGY_STATUSES)[number];

export const APOLOGY_STATUS_LABELS: Readonly<Record<DigestApologyStatus, string>> = {
  none: "Chưa lập",
  "not-required": "Không phải xin lỗi",
  draft: "Dự thảo, chờ duyệt",
  approved: "Đã duyệt, chưa gửi",
  sent: "Đã gửi",
  withdrawn: "Đã thu hồi",
};
