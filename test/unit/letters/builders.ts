import type { ApologyLetterInput } from "../../../shared/letters/apology/index.ts";
import type { DigestRow, NoticeData } from "../../../shared/letters/notices/index.ts";

/** Realistic worst cases: the longest land procedure name and a TT 01/2018 dossier code. */
export const LONG_PROCEDURE =
  "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu";
export const CODE = "000.00.12.H42-261120-0001";
export const LONG_AGENCY = "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh";
export const LONG_UNIT = "Văn phòng Đăng ký đất đai tỉnh Tây Ninh - Chi nhánh Tân An";
export const LONG_REASON =
  "Hồ sơ cần lấy ý kiến của Sở Tài chính và Cục Thuế về giá đất cụ thể để xác định nghĩa vụ tài chính";
export const SUPPLEMENT_REASON =
  "Bản vẽ sơ đồ thửa đất chưa thể hiện đúng ranh giới, diện tích theo kết quả đo đạc thực tế";
export const SUPPLEMENT_DOCUMENTS = [
  "Bản vẽ sơ đồ thửa đất có xác nhận của đơn vị đo đạc",
  "Giấy ủy quyền có công chứng hoặc chứng thực",
  "Tờ khai lệ phí trước bạ nhà, đất (bản chính)",
];

export function anApologyLetterInput(overrides: Partial<ApologyLetterInput> = {}): ApologyLetterInput {
  return {
    agency: { parentName: "UBND tỉnh Tây Ninh", unitName: "Sở Nông nghiệp và Môi trường" },
    letterNumber: "125/XL-SNNMT",
    placeName: "Tân An",
    issueDate: "2026-11-20T09:00:00+07:00",
    recipient: {
      honorific: "Bà",
      name: "Nguyễn Thị Ánh Tuyết",
      address: "Số 12, đường Hùng Vương, phường Tân An, tỉnh Tây Ninh",
      phone: "0912 345 667",
    },
    receivedAt: "2026-11-02T14:15:00+07:00",
    dossierCode: CODE,
    procedure: { name: LONG_PROCEDURE, field: "Đất đai" },
    originalAppointment: "2026-11-23T16:00:00+07:00",
    responsibleUnit: LONG_UNIT,
    reason: LONG_REASON,
    newAppointment: "2026-11-26T08:30:00+07:00",
    signer: { authority: "KT. Giám đốc", title: "Phó Giám đốc", name: "Trần Quốc Việt" },
    recipients: ["Như trên", "Bộ phận Một cửa", "Lưu: VT, VPĐKĐĐ"],
    ...overrides,
  };
}

export function aDigestRow(overrides: Partial<DigestRow> = {}): DigestRow {
  return {
    dossierCode: CODE,
    procedureName: LONG_PROCEDURE,
    handlerName: "Nguyễn Thị Ánh",
    dueAt: "2026-11-26T08:30:00+07:00",
    daysOverdue: 0,
    apologyStatus: "none",
    ...overrides,
  };
}

/** One notice of each kind, with the longest realistic values. */
export function worstCaseNotices(): NoticeData[] {
  return [
    {
      kind: "handler-due-soon",
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      dueAt: "2026-11-26T08:30:00+07:00",
      handlerName: "Nguyễn Thị Ánh",
    },
    {
      kind: "apology-duty",
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      dueAt: "2026-11-26T08:30:00+07:00",
      responsibleUnit: LONG_UNIT,
      apologyDueBy: "2026-11-25T08:30:00+07:00",
    },
    {
      kind: "apology-overdue",
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      dueAt: "2026-11-26T08:30:00+07:00",
      responsibleUnit: LONG_UNIT,
      apologyDueBy: "2026-11-25T08:30:00+07:00",
    },
    {
      kind: "escalation",
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      dueAt: "2026-11-26T08:30:00+07:00",
      daysOverdue: 12.5,
      responsibleUnit: LONG_UNIT,
      handlerName: "Tôn Nữ Thị Phương Thảo",
    },
    {
      kind: "leader-digest",
      date: "2026-11-27",
      unitName: "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh",
      recipientName: "Nguyễn Văn Minh",
      link: "https://dunghan.tayninh.gov.vn/tong-hop/2026-11-27",
      rows: [
        aDigestRow({ daysOverdue: 12, apologyStatus: "draft" }),
        aDigestRow({
          dossierCode: "000.00.12.H42-261120-0002",
          procedureName: "Đăng ký biến động quyền sử dụng đất",
          handlerName: "Trần Văn Đức",
          dueAt: "2026-11-28T08:30:00+07:00",
        }),
      ],
    },
    {
      kind: "citizen-apology",
      agencyName: LONG_AGENCY,
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      reason: LONG_REASON,
      newAppointment: "2026-12-03T08:30:00+07:00",
      recipient: { honorific: "Bà", name: "Nguyễn Thị Ánh Tuyết" },
    },
    {
      kind: "citizen-receipt",
      agencyName: LONG_AGENCY,
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      receivedAt: "2026-11-20T14:15:00+07:00",
      appointment: "2026-11-26T14:15:00+07:00",
      recipient: { honorific: "Bà", name: "Nguyễn Thị Ánh Tuyết" },
    },
    {
      kind: "citizen-supplement-requested",
      agencyName: LONG_AGENCY,
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      requestedAt: "2026-11-23T10:00:00+07:00",
      reason: SUPPLEMENT_REASON,
      documents: SUPPLEMENT_DOCUMENTS,
      clock: "restart",
      recipient: { honorific: "Bà", name: "Nguyễn Thị Ánh Tuyết" },
    },
    {
      kind: "citizen-result-ready",
      agencyName: LONG_AGENCY,
      dossierCode: CODE,
      procedureName: LONG_PROCEDURE,
      readyAt: "2026-12-03T08:30:00+07:00",
      pickupPlace: "Bộ phận Một cửa, số 1 đường Nguyễn Huệ, phường Tân An",
      recipient: { honorific: "Ông", name: "Lê Văn Đạt" },
    },
  ];
}
