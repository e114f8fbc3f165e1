import { CivilCalendar, formatInstant, parseInstant, WorkingTime } from "../../../shared/calendar/index.ts";
import {
  type DossierEvent,
  type DossierEventJson,
  type DossierEventType,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";

/**
 * Test data builders: each returns a validated event (through the same schema as the ingest
 * path) with readable defaults; pass only what a test is about. Instants are ISO strings.
 */

export const CODE = "000.00.12.H42-261120-0001";
export const AGENCY = { id: "so-nnmt", name: "Sở Nông nghiệp và Môi trường" };
export const DESK = { id: "mot-cua", name: "Bộ phận Một cửa" };
export const LAND_UNIT = { id: "phong-dat", name: "Phòng Quản lý đất đai" };
export const TAX_AGENCY = { id: "thue-tinh", name: "Thuế tỉnh" };

export const working = new WorkingTime(CivilCalendar.default());
export const at = parseInstant;
export const iso = (ms: number | undefined) => (ms === undefined ? undefined : formatInstant(ms));

type Json<T extends DossierEventType> = Extract<DossierEventJson, { type: T }>;
type Overrides<T extends DossierEventType> = Partial<Omit<Json<T>, "type">>;

export function procedure(
  overrides: Partial<Json<"received">["procedure"]> = {},
): Json<"received">["procedure"] {
  return {
    code: "1.004227",
    name: "Đăng ký biến động quyền sử dụng đất",
    field: "Đất đai",
    timeLimit: { amount: 3, unit: "working-days" },
    ...overrides,
  };
}

function build<T extends DossierEventType>(
  type: T,
  defaults: Omit<Json<T>, "type" | "id" | "dossierCode">,
  overrides: Overrides<T>,
) {
  const occurredAt = (overrides.occurredAt ?? defaults.occurredAt) as string;
  return parseDossierEvent({
    id: `${type}@${occurredAt}`,
    dossierCode: CODE,
    type,
    ...defaults,
    ...overrides,
  }) as Extract<DossierEvent, { type: T }>;
}

/** Received Fri 20/11/2026 09:00, 3 working days: due Thu 26/11/2026 09:00 (24/11 is a holiday). */
export function aReceivedEvent(overrides: Overrides<"received"> = {}) {
  const occurredAt = overrides.occurredAt ?? "2026-11-20T09:00:00+07:00";
  return build(
    "received",
    {
      occurredAt,
      receivedAt: overrides.receivedAt ?? occurredAt,
      procedure: procedure(),
      agency: AGENCY,
      unit: DESK,
      channel: "in-person",
      applicant: {
        name: "Nguyễn Văn An",
        honorific: "Ông",
        phone: "0912345678",
        email: "an.nguyen@example.vn",
        consent: { sms: true, email: false },
      },
      handler: { id: "cb-lan", name: "Trần Thị Lan" },
    },
    overrides,
  );
}

export function anAssignedEvent(overrides: Overrides<"assigned"> = {}) {
  return build(
    "assigned",
    {
      occurredAt: "2026-11-20T10:00:00+07:00",
      handler: { id: "cv-minh", name: "Lê Văn Minh" },
      unit: LAND_UNIT,
      allotment: { amount: 2, unit: "working-days" },
      task: "Thẩm định",
    },
    overrides,
  );
}

export function aTransferredEvent(overrides: Overrides<"transferred"> = {}) {
  return build(
    "transferred",
    {
      occurredAt: "2026-11-23T09:00:00+07:00",
      agency: TAX_AGENCY,
      allotment: { amount: 1, unit: "working-days" },
    },
    overrides,
  );
}

export function aSupplementRequest(overrides: Overrides<"supplement-requested"> = {}) {
  return build(
    "supplement-requested",
    { occurredAt: "2026-11-23T10:00:00+07:00", reason: "Thiếu bản sao giấy chứng nhận" },
    overrides,
  );
}

export function aSupplementReceipt(overrides: Overrides<"supplement-received"> = {}) {
  return build("supplement-received", { occurredAt: "2026-11-27T14:00:00+07:00" }, overrides);
}

export function aPause(overrides: Overrides<"paused"> = {}) {
  return build(
    "paused",
    { occurredAt: "2026-11-23T09:00:00+07:00", reason: "Chờ nghĩa vụ tài chính" },
    overrides,
  );
}

export function aResume(overrides: Overrides<"resumed"> = {}) {
  return build("resumed", { occurredAt: "2026-11-25T09:00:00+07:00" }, overrides);
}

export function anApology(overrides: Overrides<"apology-issued"> = {}) {
  return build(
    "apology-issued",
    {
      occurredAt: "2026-11-25T09:00:00+07:00",
      reason: "Chờ ý kiến cơ quan thuế",
      responsibleUnit: LAND_UNIT,
      newAppointment: "2026-12-02T09:00:00+07:00",
    },
    overrides,
  );
}

export function aResultReady(overrides: Overrides<"result-ready"> = {}) {
  return build("result-ready", { occurredAt: "2026-11-25T15:00:00+07:00" }, overrides);
}

export function aReturn(overrides: Overrides<"returned"> = {}) {
  return build("returned", { occurredAt: "2026-11-26T08:00:00+07:00" }, overrides);
}

export function aRejection(overrides: Overrides<"rejected"> = {}) {
  return build(
    "rejected",
    { occurredAt: "2026-11-23T09:00:00+07:00", reason: "Không đủ điều kiện" },
    overrides,
  );
}

export function aWithdrawal(overrides: Overrides<"withdrawn"> = {}) {
  return build(
    "withdrawn",
    { occurredAt: "2026-11-23T09:00:00+07:00", reason: "Công dân rút hồ sơ" },
    overrides,
  );
}

export function aStop(overrides: Overrides<"stopped"> = {}) {
  return build("stopped", { occurredAt: "2026-11-23T09:00:00+07:00", reason: "Dừng giải quyết" }, overrides);
}

export function anAcknowledgement(overrides: Overrides<"alert-acknowledged"> = {}) {
  return build(
    "alert-acknowledged",
    { occurredAt: "2026-11-26T10:00:00+07:00", by: { id: "tp-mai", role: "unit-leader" } },
    overrides,
  );
}

/** Leaders by agency and unit, for alert tests. */
export const DIRECTORY = {
  agencies: {
    "so-nnmt": {
      leaderIds: ["gd-hung"],
      units: { "mot-cua": { leaderIds: ["tp-mai"] }, "phong-dat": { leaderIds: ["tp-binh", "pp-cuc"] } },
    },
    "thue-tinh": { leaderIds: ["ct-son"], units: {} },
  },
};
