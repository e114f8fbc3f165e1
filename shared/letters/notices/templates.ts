import { InvalidInputError } from "../../errors.ts";
import { parseTemplate, type Template } from "../render/index.ts";

/**
 * Wording of every SMS and e-mail, as data (docs/architecture.md). Written once with diacritics; the GSM-7
 * variant is derived by `unaccent`. Placeholders are {names} filled by notices.ts.
 *
 * SMS parts are concatenated; a part whose optional value is empty is left out. `shrink` lists, in
 * order, what the renderer may do to keep a message within MAX_SMS_SEGMENTS: truncate a free-text
 * value at a word boundary (never below `min` characters) or drop a part by its id. Codes, dates,
 * counts and links are never truncated — they only appear in parts that are kept whole or dropped.
 */

export type NoticeKind =
  | "handler-due-soon"
  | "apology-duty"
  | "apology-overdue"
  | "escalation"
  | "leader-digest"
  | "citizen-receipt"
  | "citizen-apology"
  | "citizen-supplement-requested"
  | "citizen-result-ready";

export const NOTICE_KINDS: readonly NoticeKind[] = [
  "handler-due-soon",
  "apology-duty",
  "apology-overdue",
  "escalation",
  "leader-digest",
  "citizen-receipt",
  "citizen-apology",
  "citizen-supplement-requested",
  "citizen-result-ready",
];

export type Audience = "handler" | "leader" | "citizen";

export interface SmsPart {
  readonly text: string;
  /** Set when a shrink step may drop the part. */
  readonly id?: string;
}

export type ShrinkStep = { readonly truncate: string; readonly min: number } | { readonly drop: string };

export interface SmsTemplate {
  readonly kind: NoticeKind;
  readonly audience: Audience;
  readonly parts: readonly SmsPart[];
  readonly shrink: readonly ShrinkStep[];
}

export interface EmailTemplate {
  readonly kind: NoticeKind;
  readonly audience: Audience;
  readonly subject: string;
  /** Paragraphs; one using an empty optional value is left out. */
  readonly paragraphs: readonly string[];
  readonly signOff: string;
}

const CITIZEN = ["agencyName", "dossierCode", "procedureName", "honorific", "addressee"] as const;
const APOLOGY_DUTY = [
  "dossierCode",
  "procedureName",
  "dueAt",
  "dueAtLong",
  "responsibleUnit",
  "apologyDueBy",
  "apologyDueByLong",
] as const;

/**
 * The placeholders each kind's wording may use; notices.ts gives exactly these values. A `{name}`
 * outside its kind's list stops this module from loading (readNoticeWording).
 */
export const NOTICE_PLACEHOLDERS = {
  "handler-due-soon": ["dossierCode", "procedureName", "dueAt", "dueAtLong", "handlerName", "legalBasis"],
  "apology-duty": APOLOGY_DUTY,
  "apology-overdue": APOLOGY_DUTY,
  escalation: [
    "dossierCode",
    "procedureName",
    "dueAt",
    "dueAtLong",
    "daysOverdue",
    "responsibleUnit",
    "handlerName",
  ],
  "leader-digest": [
    "addressee",
    "date",
    "unitName",
    "overdueCount",
    "dueSoonCount",
    "pendingApprovalCount",
    "worstDossierCode",
    "worstDaysOverdue",
    "link",
  ],
  "citizen-receipt": [...CITIZEN, "receivedAt", "appointment", "appointmentLong"],
  "citizen-apology": [...CITIZEN, "reason", "newAppointment", "newAppointmentLong"],
  "citizen-supplement-requested": [
    ...CITIZEN,
    "requestedAtLong",
    "reason",
    "details",
    "documents",
    "clockNote",
  ],
  "citizen-result-ready": [...CITIZEN, "readyAt", "readyAtLong", "pickupPlace", "pickupInstruction"],
} as const satisfies Record<NoticeKind, readonly string[]>;

export type NoticePlaceholder<K extends NoticeKind = NoticeKind> = (typeof NOTICE_PLACEHOLDERS)[K][number];

/** Values that may be absent; a part or paragraph using one that is absent is left out. */
export const OPTIONAL_NOTICE_PLACEHOLDERS: readonly NoticePlaceholder[] = [
  "documents",
  "handlerName",
  "link",
  "pickupPlace",
  "worstDossierCode",
  "worstDaysOverdue",
];

/** Two parts at most: beyond that carriers may split or drop, and cost doubles again. */
export const MAX_SMS_SEGMENTS = 2;

export const SMS_TEMPLATES: Readonly<Record<NoticeKind, SmsTemplate>> = {
  "handler-due-soon": {
    kind: "handler-due-soon",
    audience: "handler",
    parts: [
      { text: "Hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " sắp đến hạn xử lý: {dueAt}." },
      {
        id: "advice",
        text: " Đề nghị xử lý kịp thời; nếu có thể trễ hạn, báo lãnh đạo để xin lỗi trước hạn 01 ngày.",
      },
    ],
    shrink: [
      { truncate: "procedureName", min: 24 },
      { drop: "advice" },
      { truncate: "procedureName", min: 12 },
    ],
  },
  "apology-duty": {
    kind: "apology-duty",
    audience: "leader",
    parts: [
      { text: "Hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " sẽ trễ hạn {dueAt}, cần ký văn bản xin lỗi trước {apologyDueBy}." },
      { id: "unit", text: " Đơn vị: {responsibleUnit}." },
    ],
    shrink: [
      { truncate: "procedureName", min: 20 },
      { truncate: "responsibleUnit", min: 20 },
      { drop: "procedure" },
      { truncate: "responsibleUnit", min: 12 },
      { drop: "unit" },
    ],
  },
  "apology-overdue": {
    kind: "apology-overdue",
    audience: "leader",
    parts: [
      { text: "Hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " sẽ trễ hạn {dueAt}, chưa có văn bản xin lỗi (phải gửi trước {apologyDueBy})." },
      { id: "unit", text: " Đơn vị: {responsibleUnit}." },
      { id: "advice", text: " Đề nghị chỉ đạo ký, gửi ngay." },
    ],
    shrink: [
      { truncate: "procedureName", min: 20 },
      { drop: "advice" },
      { truncate: "responsibleUnit", min: 20 },
      { drop: "procedure" },
      { truncate: "responsibleUnit", min: 12 },
      { drop: "unit" },
    ],
  },
  escalation: {
    kind: "escalation",
    audience: "leader",
    parts: [
      { text: "Hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " đã quá hạn {daysOverdue} ngày (hạn {dueAt})." },
      { text: " Đơn vị xử lý: {responsibleUnit}." },
      { id: "handler", text: " Người xử lý: {handlerName}." },
      { id: "advice", text: " Đề nghị lãnh đạo chỉ đạo giải quyết." },
    ],
    shrink: [
      { truncate: "procedureName", min: 24 },
      { drop: "advice" },
      { drop: "procedure" },
      { drop: "handler" },
      { truncate: "responsibleUnit", min: 12 },
    ],
  },
  "leader-digest": {
    kind: "leader-digest",
    audience: "leader",
    parts: [
      { text: "Tổng hợp {date}, {unitName}: {overdueCount} hồ sơ quá hạn, {dueSoonCount} sắp đến hạn," },
      { text: " {pendingApprovalCount} văn bản xin lỗi chờ duyệt." },
      { id: "worst", text: " Trễ nhất: {worstDossierCode} ({worstDaysOverdue} ngày)." },
      { id: "link", text: " Chi tiết: {link}" },
    ],
    shrink: [
      { truncate: "unitName", min: 20 },
      { drop: "link" },
      { drop: "worst" },
      { truncate: "unitName", min: 8 },
    ],
  },
  "citizen-apology": {
    kind: "citizen-apology",
    audience: "citizen",
    parts: [
      { text: "{agencyName} xin lỗi" },
      { id: "address", text: " Ông/Bà" },
      { text: " vì hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " trễ hẹn. Hẹn trả mới: {newAppointment}. Lý do: {reason}." },
    ],
    shrink: [
      { truncate: "procedureName", min: 24 },
      { truncate: "reason", min: 40 },
      { drop: "procedure" },
      { truncate: "agencyName", min: 24 },
      { drop: "address" },
      { truncate: "reason", min: 22 },
      { truncate: "agencyName", min: 14 },
    ],
  },
  "citizen-receipt": {
    kind: "citizen-receipt",
    audience: "citizen",
    parts: [
      { text: "{agencyName} đã tiếp nhận hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " lúc {receivedAt}. Hẹn trả kết quả: {appointment}." },
    ],
    shrink: [
      { truncate: "procedureName", min: 24 },
      { truncate: "agencyName", min: 24 },
      { drop: "procedure" },
      { truncate: "agencyName", min: 14 },
    ],
  },
  // The supplement request (TT 01/2018/TT-VPCP Mẫu 02, "Phiếu yêu cầu bổ sung, hoàn thiện hồ
  // sơ"): which dossier, that documents are asked for, what (the list, else the reason), and what
  // happens to the time limit (SUPPLEMENT_CLOCK_NOTES). Worst case in UCS-2 the list keeps ~16
  // characters; GSM-7 (the default) keeps far more.
  "citizen-supplement-requested": {
    kind: "citizen-supplement-requested",
    audience: "citizen",
    parts: [
      { text: "{agencyName} yêu cầu bổ sung hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: ": {details}." },
      { text: " {clockNote}" },
      { id: "advice", text: " Mời Ông/Bà nộp bổ sung tại nơi đã nộp hồ sơ." },
    ],
    shrink: [
      { drop: "advice" },
      { truncate: "procedureName", min: 24 },
      { truncate: "details", min: 60 },
      { drop: "procedure" },
      { truncate: "agencyName", min: 24 },
      { truncate: "details", min: 30 },
      { truncate: "agencyName", min: 14 },
      { truncate: "details", min: 12 },
    ],
  },
  "citizen-result-ready": {
    kind: "citizen-result-ready",
    audience: "citizen",
    parts: [
      { text: "{agencyName} thông báo: hồ sơ {dossierCode}" },
      { id: "procedure", text: " ({procedureName})" },
      { text: " đã có kết quả từ {readyAt}. Mời Ông/Bà nhận kết quả" },
      { id: "pickup", text: " tại {pickupPlace}" },
      { text: "." },
    ],
    shrink: [
      { truncate: "procedureName", min: 24 },
      { truncate: "pickupPlace", min: 20 },
      { drop: "procedure" },
      { truncate: "agencyName", min: 24 },
      { drop: "pickup" },
      { truncate: "agencyName", min: 14 },
    ],
  },
};

export const EMAIL_TEMPLATES: Readonly<Record<NoticeKind, EmailTemplate>> = {
  "handler-due-soon": {
    kind: "handler-due-soon",
    audience: "handler",
    subject: "[Sắp đến hạn] Hồ sơ {dossierCode} - hạn {dueAt}",
    paragraphs: [
      "Kính gửi đồng chí {handlerName},",
      "Hồ sơ {dossierCode} ({procedureName}) sắp đến hạn xử lý: {dueAtLong}.",
      "Đề nghị xử lý kịp thời. Nếu hồ sơ có thể trễ hạn, báo lãnh đạo ngay để kịp ký văn bản xin lỗi " +
        "và hẹn lại ngày trả kết quả chậm nhất 01 ngày trước hạn ({legalBasis}).",
    ],
    signOff: "Hệ thống theo dõi hạn giải quyết hồ sơ",
  },
  "apology-duty": {
    kind: "apology-duty",
    audience: "leader",
    subject: "[Cần xin lỗi] Hồ sơ {dossierCode} sẽ trễ hạn {dueAt}",
    paragraphs: [
      "Kính gửi lãnh đạo đơn vị,",
      "Hồ sơ {dossierCode} ({procedureName}) sẽ không được giải quyết xong trước hạn {dueAtLong}.",
      "Đơn vị chịu trách nhiệm: {responsibleUnit}.",
      "Văn bản xin lỗi và hẹn lại ngày trả kết quả cần được ký và gửi trước {apologyDueByLong}. " +
        "Ngày hẹn chỉ được điều chỉnh một lần.",
    ],
    signOff: "Hệ thống theo dõi hạn giải quyết hồ sơ",
  },
  "apology-overdue": {
    kind: "apology-overdue",
    audience: "leader",
    subject: "[Chưa xin lỗi] Hồ sơ {dossierCode} sẽ trễ hạn {dueAt}",
    paragraphs: [
      "Kính gửi lãnh đạo,",
      "Hồ sơ {dossierCode} ({procedureName}) sẽ không được giải quyết xong trước hạn {dueAtLong}, " +
        "nhưng đến {apologyDueByLong} vẫn chưa có văn bản xin lỗi và hẹn lại ngày trả kết quả.",
      "Đơn vị chịu trách nhiệm: {responsibleUnit}.",
      "Thời điểm phải xin lỗi (chậm nhất 01 ngày trước ngày hết hạn) đã qua; văn bản xin lỗi vẫn " +
        "phải được ký và gửi ngay. Ngày hẹn chỉ được điều chỉnh một lần.",
    ],
    signOff: "Hệ thống theo dõi hạn giải quyết hồ sơ",
  },
  escalation: {
    kind: "escalation",
    audience: "leader",
    subject: "[Quá hạn {daysOverdue} ngày] Hồ sơ {dossierCode}",
    paragraphs: [
      "Kính gửi lãnh đạo đơn vị,",
      "Hồ sơ {dossierCode} ({procedureName}) đã quá hạn {daysOverdue} ngày; hạn xử lý là {dueAtLong}.",
      "Đơn vị xử lý: {responsibleUnit}.",
      "Người xử lý: {handlerName}.",
      "Đề nghị lãnh đạo chỉ đạo giải quyết.",
    ],
    signOff: "Hệ thống theo dõi hạn giải quyết hồ sơ",
  },
  "leader-digest": {
    kind: "leader-digest",
    audience: "leader",
    subject: "Tổng hợp hồ sơ ngày {date} - {unitName}: {overdueCount} quá hạn, {dueSoonCount} sắp đến hạn",
    paragraphs: [
      "Kính gửi {addressee},",
      "Tình hình hồ sơ của {unitName} ngày {date}: {overdueCount} hồ sơ quá hạn, {dueSoonCount} hồ sơ " +
        "sắp đến hạn, {pendingApprovalCount} văn bản xin lỗi chờ duyệt.",
      "Danh sách dưới đây xếp theo mức độ khẩn: quá hạn lâu nhất trước, sau đó đến hạn sớm nhất.",
      "Xem chi tiết: {link}",
    ],
    signOff: "Hệ thống theo dõi hạn giải quyết hồ sơ",
  },
  "citizen-apology": {
    kind: "citizen-apology",
    audience: "citizen",
    subject: "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossierCode}",
    paragraphs: [
      "Kính gửi {addressee},",
      "{agencyName} trân trọng xin lỗi {honorific} vì hồ sơ {dossierCode} ({procedureName}) chưa được " +
        "giải quyết xong theo đúng thời gian đã hẹn.",
      "Lý do: {reason}.",
      "Thời gian hẹn trả kết quả mới: {newAppointmentLong}.",
      "Rất mong nhận được sự thông cảm của {honorific}.",
    ],
    signOff: "{agencyName}",
  },
  "citizen-receipt": {
    kind: "citizen-receipt",
    audience: "citizen",
    subject: "Đã tiếp nhận hồ sơ {dossierCode} - hẹn trả kết quả {appointment}",
    paragraphs: [
      "Kính gửi {addressee},",
      "{agencyName} đã tiếp nhận hồ sơ {dossierCode} ({procedureName}) của {honorific} lúc {receivedAt}.",
      "Thời gian hẹn trả kết quả: {appointmentLong}.",
      "Nếu hồ sơ không thể giải quyết đúng hạn, {honorific} sẽ nhận được văn bản xin lỗi và ngày hẹn mới.",
    ],
    signOff: "{agencyName}",
  },
  "citizen-supplement-requested": {
    kind: "citizen-supplement-requested",
    audience: "citizen",
    subject: "Yêu cầu bổ sung, hoàn thiện hồ sơ {dossierCode}",
    paragraphs: [
      "Kính gửi {addressee},",
      "Lúc {requestedAtLong}, {agencyName} yêu cầu bổ sung, hoàn thiện hồ sơ {dossierCode} " +
        "({procedureName}) của {honorific}.",
      "Lý do: {reason}.",
      "Giấy tờ, nội dung cần bổ sung, hoàn thiện: {documents}.",
      "{clockNote}",
      "Mời {honorific} bổ sung, hoàn thiện hồ sơ và nộp tại nơi đã nộp hồ sơ. Nếu có vướng mắc, " +
        "{honorific} vui lòng liên hệ {agencyName} để được hướng dẫn.",
    ],
    signOff: "{agencyName}",
  },
  "citizen-result-ready": {
    kind: "citizen-result-ready",
    audience: "citizen",
    subject: "Hồ sơ {dossierCode} đã có kết quả",
    paragraphs: [
      "Kính gửi {addressee},",
      "Hồ sơ {dossierCode} ({procedureName}) của {honorific} đã có kết quả từ {readyAtLong}.",
      "Mời {honorific} nhận kết quả {pickupInstruction}.",
    ],
    signOff: "{agencyName}",
  },
};

/** What a supplement request does to the time limit: the procedure's `supplementPolicy`. */
export const SUPPLEMENT_CLOCKS = ["restart", "pause"] as const;
export type SupplementClock = (typeof SUPPLEMENT_CLOCKS)[number];

/**
 * What the applicant is told about the time limit when a supplement is asked for. NĐ 61/2018/NĐ-CP
 * Art. 19(4), as read from the codified text (docs/law.md, "Time limits"): the
 * dossier goes back with a Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (TT 01/2018/TT-VPCP Mẫu 02)
 * and "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ" — "restart", the default.
 * Some provinces' systems pause the clock instead and count on from where it stopped — "pause"
 * (then the appointment moves by the time waited). The NĐ 118/2025 wording is unconfirmed.
 * In the SMS the note is kept whole: it is the next step the applicant must know.
 */
export const SUPPLEMENT_CLOCK_NOTES: Readonly<Record<SupplementClock, { sms: string; email: string }>> = {
  restart: {
    sms: "Thời hạn giải quyết tính lại từ đầu khi nhận đủ hồ sơ.",
    email:
      "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ; khi đó {honorific} sẽ nhận " +
      "được giấy hẹn trả kết quả mới.",
  },
  pause: {
    sms: "Thời hạn giải quyết tạm dừng đến khi nhận đủ hồ sơ.",
    email:
      "Thời hạn giải quyết tạm dừng trong thời gian chờ bổ sung và được tính tiếp sau khi nhận đủ " +
      "hồ sơ; ngày hẹn trả kết quả lùi lại tương ứng.",
  },
};

/** The wording of one kind, read: every text a template, every shrink step naming a real value or part. */
export interface NoticeWording {
  readonly sms: {
    readonly parts: readonly { readonly id?: string; readonly text: Template }[];
  };
  readonly email: {
    readonly subject: Template;
    readonly paragraphs: readonly Template[];
    readonly signOff: Template;
  };
}

/**
 * Reads every kind's SMS and e-mail wording against its placeholders (NOTICE_PLACEHOLDERS). Throws
 * InvalidInputError naming the wording on an unknown or malformed placeholder, a shrink step on a
 * value the kind does not have or a part id it does not have: at load time, not in a citizen's SMS.
 */
export function readNoticeWording(
  sms: Readonly<Record<NoticeKind, SmsTemplate>>,
  email: Readonly<Record<NoticeKind, EmailTemplate>>,
): Readonly<Record<NoticeKind, NoticeWording>> {
  const read = (kind: NoticeKind): NoticeWording => {
    const known: readonly string[] = NOTICE_PLACEHOLDERS[kind];
    const parse = (text: string, channel: string) => parseTemplate(text, known, `${channel} ${kind}`);
    const ids = sms[kind].parts.flatMap((part) => (part.id ? [part.id] : []));
    for (const step of sms[kind].shrink) {
      const bad = "drop" in step ? !ids.includes(step.drop) : !known.includes(step.truncate);
      if (bad) {
        throw new InvalidInputError(`Mẫu sms ${kind}: bước rút gọn ${JSON.stringify(step)} không khớp mẫu`, {
          template: `sms ${kind}`,
        });
      }
    }
    return {
      sms: {
        parts: sms[kind].parts.map((part) => ({
          ...(part.id ? { id: part.id } : {}),
          text: parse(part.text, "sms"),
        })),
      },
      email: {
        subject: parse(email[kind].subject, "email"),
        paragraphs: email[kind].paragraphs.map((paragraph) => parse(paragraph, "email")),
        signOff: parse(email[kind].signOff, "email"),
      },
    };
  };
  return Object.fromEntries(NOTICE_KINDS.map((kind) => [kind, read(kind)])) as Record<
    NoticeKind,
    NoticeWording
  >;
}

/** Every kind's wording, read when this module loads. */
export const NOTICE_WORDING = readNoticeWording(SMS_TEMPLATES, EMAIL_TEMPLATES);

/** The clock notes, read likewise; `{honorific}` is their one placeholder. */
export const SUPPLEMENT_CLOCK_WORDING: Readonly<Record<SupplementClock, { sms: Template; email: Template }>> =
  Object.fromEntries(
    SUPPLEMENT_CLOCKS.map((clock) => [
      clock,
      {
        sms: parseTemplate(SUPPLEMENT_CLOCK_NOTES[clock].sms, ["honorific"], `sms ${clock}`),
        email: parseTemplate(SUPPLEMENT_CLOCK_NOTES[clock].email, ["honorific"], `email ${clock}`),
      },
    ]),
  ) as Record<SupplementClock, { sms: Template; email: Template }>;
