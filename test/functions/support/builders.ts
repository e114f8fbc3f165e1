import type { AgencyDirectory } from "../../../shared/app/directory.ts";

let counter = 0;
/** A dossier code of the TT 01/2018 shape, unique per call. */
export function aDossierCode(day = "261116"): string {
  counter += 1;
  return `000.00.12.H42-${day}-${String(counter).padStart(4, "0")}${Math.random().toString(36).slice(2, 5).toUpperCase()}`;
}

export const AGENCY_A = "so-nnmt";
export const AGENCY_B = "so-tp";

export const directoryA: AgencyDirectory = {
  agencyId: AGENCY_A,
  name: "Sở Nông nghiệp và Môi trường",
  shortName: "So NN&MT",
  parentName: "UBND tỉnh Tây Ninh",
  placeName: "Tân An",
  leaderIds: ["gd-hung"],
  units: {
    "mot-cua": { name: "Bộ phận Một cửa", leaderIds: ["tp-mai"] },
    "phong-mt": { name: "Phòng Môi trường", leaderIds: ["tp-tuan"] },
  },
  people: {
    "gd-hung": {
      name: "Nguyễn Văn Hùng",
      title: "Giám đốc",
      email: "hung.gd@snnmt.example.gov.vn",
      phone: "0903000001",
    },
    "tp-mai": { name: "Lê Thị Mai", email: "mai.tp@snnmt.example.gov.vn" },
    "tp-tuan": { name: "Đỗ Minh Tuấn", email: "tuan.tp@snnmt.example.gov.vn" },
    "cb-lan": { name: "Trần Thị Lan", email: "lan.cb@snnmt.example.gov.vn" },
    "cv-hoa": { name: "Phạm Thu Hoa", email: "hoa.cv@snnmt.example.gov.vn", phone: "0912000002" },
  },
  signer: { authority: "KT. GIÁM ĐỐC", title: "PHÓ GIÁM ĐỐC", name: "Nguyễn Văn Hùng" },
};

export const directoryB: AgencyDirectory = {
  agencyId: AGENCY_B,
  name: "Sở Tư pháp",
  leaderIds: ["gd-b"],
  units: { "mot-cua-b": { name: "Một cửa Sở Tư pháp", leaderIds: ["tp-b"] } },
  people: { "gd-b": { name: "Giám đốc B", email: "gd@stp.example.gov.vn" } },
};

export const handlerA = {
  sub: "cv-hoa",
  agencyId: AGENCY_A,
  groups: ["handler"],
  name: "Phạm Thu Hoa",
} as const;
export const leaderA = {
  sub: "tp-tuan",
  agencyId: AGENCY_A,
  groups: ["leader"],
  name: "Đỗ Minh Tuấn",
} as const;
/** Giám đốc of agency A (an agency leader; the directory's signer block names him). */
export const directorA = {
  sub: "gd-hung",
  agencyId: AGENCY_A,
  groups: ["leader"],
  name: "Nguyễn Văn Hùng",
} as const;
/** Leader of agency A's one-stop desk (unit "mot-cua"), signed in with a Cognito subject and `custom:staffId`. */
export const deskLeaderA = {
  sub: "3f9c2a1e-cognito-sub",
  staffId: "tp-mai",
  agencyId: AGENCY_A,
  groups: ["leader"],
  name: "Lê Thị Mai",
} as const;
export const adminA = { sub: "admin-a", agencyId: AGENCY_A, groups: ["admin"], name: "Quản trị A" } as const;
export const handlerB = { sub: "cv-b", agencyId: AGENCY_B, groups: ["handler"], name: "Cán bộ B" } as const;

export interface ReceivedOptions {
  readonly id?: string;
  readonly at: string;
  /** Working days (default 3). */
  readonly limit?: number;
  readonly agencyId?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly consent?: { readonly sms: boolean; readonly email: boolean };
}

/** A `received` event in the wire form (docs/dossier-events.md). */
export function received(code: string, options: ReceivedOptions): Record<string, unknown> {
  const agencyId = options.agencyId ?? AGENCY_A;
  const agency = agencyId === AGENCY_A ? directoryA : directoryB;
  const unitId = Object.keys(agency.units)[0]!;
  return {
    id: options.id ?? `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: options.at,
    receivedAt: options.at,
    procedure: {
      code: "1.010727",
      name: "Cấp giấy phép môi trường",
      field: "Môi trường",
      timeLimit: { amount: options.limit ?? 3, unit: "working-days" },
    },
    agency: { id: agencyId, name: agency.name },
    unit: { id: unitId, name: agency.units[unitId]!.name },
    channel: "online",
    applicant: {
      name: "Lê Thị Bích",
      honorific: "Bà",
      address: "12 Nguyễn Huệ, Tân An",
      phone: options.phone ?? "0987654321",
      ...(options.email === undefined ? {} : { email: options.email }),
      consent: options.consent ?? { sms: true, email: false },
    },
    handler: { id: "cb-lan", name: "Trần Thị Lan" },
  };
}

export function assigned(code: string, at: string, id = `${code}#assigned`): Record<string, unknown> {
  return {
    id,
    type: "assigned",
    dossierCode: code,
    occurredAt: at,
    handler: { id: "cv-hoa", name: "Phạm Thu Hoa" },
    unit: { id: "phong-mt", name: "Phòng Môi trường" },
    task: "Thẩm định hồ sơ",
  };
}

export function resultReady(code: string, at: string): Record<string, unknown> {
  return { id: `${code}#result-ready`, type: "result-ready", dossierCode: code, occurredAt: at };
}
