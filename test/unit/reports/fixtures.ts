import { CivilCalendar, WorkingTime } from "../../../shared/calendar/index.ts";
import {
  type DossierEvent,
  type DossierEventJson,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";

/**
 * A fixed set of ten dossiers (November–December 2026) whose report figures are worked out by
 * hand in report.test.ts. Office hours 07:30–11:30 and 13:00–17:00 (8 h = 1 working day);
 * Tue 24/11/2026 is a holiday (Ngày Văn hóa Việt Nam). Due instants are in the comments.
 */

export const working = new WorkingTime(CivilCalendar.default());

export const NNMT = { id: "so-nnmt", name: "Sở Nông nghiệp và Môi trường" };
export const TP = { id: "so-tp", name: "Sở Tư pháp" };
const DESK = { id: "mot-cua", name: "Bộ phận Một cửa" };
const LAND = { id: "phong-dat", name: "Phòng Quản lý đất đai" };
const ENV = { id: "phong-mt", name: "Phòng Môi trường" };
const LAN = { id: "cb-lan", name: "Trần Thị Lan" };
const MINH = { id: "cv-minh", name: "Lê Văn Minh" };
const HOA = { id: "cv-hoa", name: "Phạm Thu Hoa" };

const P1 = { code: "1.004227", name: "Đăng ký biến động quyền sử dụng đất" };
const P2 = { code: "1.010727", name: "Cấp giấy phép môi trường" };
const P3 = { code: "1.000987", name: "Gia hạn giấy phép xả nước thải vào nguồn nước" };
const P4 = { code: "2.000635", name: "Cấp bản sao trích lục hộ tịch" };

const T = (text: string) => `2026-${text}:00+07:00`;

type Wire = Record<string, unknown>;

function dossier(
  letter: string,
  received: {
    at: string;
    procedure: { code: string; name: string };
    days: number;
    channel: "online" | "in-person" | "postal";
    applicant: string;
    agency?: typeof NNMT;
    handler?: { id: string; name: string };
  },
  later: Wire[],
): DossierEvent[] {
  const code = `000.00.12.H42-2611${letter === "I" ? "00" : "01"}-000${"ABCDEFGHIJ".indexOf(letter)}`;
  const wire: Wire[] = [
    {
      type: "received",
      occurredAt: T(received.at),
      receivedAt: T(received.at),
      procedure: { ...received.procedure, timeLimit: { amount: received.days, unit: "working-days" } },
      agency: received.agency ?? NNMT,
      unit: DESK,
      channel: received.channel,
      applicant: { name: received.applicant, consent: { sms: false, email: false } },
      handler: received.handler ?? LAN,
    },
    ...later.map((event) => ({ ...event, occurredAt: T(event.occurredAt as string) })),
  ];
  return wire.map((event, index) =>
    parseDossierEvent({ id: `${letter}${index + 1}`, dossierCode: code, ...event } as DossierEventJson),
  );
}

const assigned = (at: string, unit: typeof LAND, handler: typeof MINH) => ({
  type: "assigned",
  occurredAt: at,
  unit,
  handler,
});
const resultReady = (at: string) => ({ type: "result-ready", occurredAt: at });
const returned = (at: string) => ({ type: "returned", occurredAt: at });

export const DOSSIERS: Record<string, DossierEvent[]> = {
  // Early, online: 5 wd from Mon 02/11 09:00 → due Mon 09/11 09:00; result Thu 05/11 10:00
  // (6.5 + 8 + 8 + 2.5 = 25 office hours = 3.125 working days); returned 06/11.
  A: dossier(
    "A",
    { at: "11-02T09:00", procedure: P1, days: 5, channel: "online", applicant: "Nguyễn Văn An" },
    [assigned("11-02T10:00", LAND, MINH), resultReady("11-05T10:00"), returned("11-06T08:00")],
  ),
  // On the due date after the hour (đúng hạn), postal: 3 wd from Tue 03/11 14:00 → due Fri 06/11
  // 14:00; result 06/11 16:00 (3 + 8 + 8 + 7 = 26 h = 3.25 d); returned 09/11.
  B: dossier(
    "B",
    { at: "11-03T14:00", procedure: P2, days: 3, channel: "postal", applicant: "Trần Thị Bình" },
    [assigned("11-03T15:00", LAND, MINH), resultReady("11-06T16:00"), returned("11-09T08:00")],
  ),
  // Late with an apology: 2 wd from Wed 04/11 10:00 → due Fri 06/11 10:00; apology 05/11 15:00
  // (new date 10/11); result Mon 09/11 09:00 is still quá hạn (5.5 + 8 + 8 + 1.5 = 23 h = 2.875 d).
  C: dossier(
    "C",
    { at: "11-04T10:00", procedure: P1, days: 2, channel: "in-person", applicant: "Công ty TNHH Phú Lộc" },
    [
      assigned("11-04T11:00", ENV, HOA),
      {
        type: "apology-issued",
        occurredAt: "11-05T15:00",
        reason: "Chờ ý kiến liên thông",
        responsibleUnit: ENV,
        newAppointment: T("11-10T10:00"),
      },
      resultReady("11-09T09:00"),
    ],
  ),
  // Crosses the month: 10 wd from Mon 23/11 09:00 (24/11 skipped) → due Tue 08/12 09:00; open on
  // time at the end of November; result Thu 03/12 10:00, trước hạn (57 h = 7.125 d).
  D: dossier(
    "D",
    { at: "11-23T09:00", procedure: P1, days: 10, channel: "online", applicant: "Lê Văn Dũng" },
    [assigned("11-23T10:00", LAND, MINH), resultReady("12-03T10:00")],
  ),
  // Overdue in progress at the end of November: 3 wd from Mon 16/11 09:00 → due Thu 19/11 09:00;
  // result Wed 02/12 10:00, quá hạn (89 h = 11.125 d).
  E: dossier(
    "E",
    { at: "11-16T09:00", procedure: P1, days: 3, channel: "in-person", applicant: "Phạm Thị Em" },
    [assigned("11-16T10:00", ENV, HOA), resultReady("12-02T10:00")],
  ),
  // Awaiting a supplement at the end of November: 5 wd from Wed 25/11 09:00; requested 27/11
  // 10:00, back Thu 03/12 09:00 → restart, due Thu 10/12 09:00; result Wed 09/12 15:00, trước
  // hạn (from the restart: 6.5 + 8 + 8 + 8 + 6 = 36.5 h = 4.5625 d).
  F: dossier(
    "F",
    { at: "11-25T09:00", procedure: P2, days: 5, channel: "in-person", applicant: "Hoàng Văn Phúc" },
    [
      assigned("11-25T10:00", ENV, HOA),
      { type: "supplement-requested", occurredAt: "11-27T10:00", reason: "Thiếu bản vẽ" },
      { type: "supplement-received", occurredAt: "12-03T09:00" },
      resultReady("12-09T15:00"),
    ],
  ),
  // Paused at the end of November: 5 wd from Thu 26/11 08:00 → 03/12 08:00; paused Fri 27/11 14:00
  // – Tue 01/12 09:00 (12.5 office hours) → due Fri 04/12 14:00; result 04/12 16:00, đúng hạn
  // (54.5 − 12.5 = 42 h = 5.25 d).
  G: dossier(
    "G",
    { at: "11-26T08:00", procedure: P2, days: 5, channel: "online", applicant: "Đỗ Thị Giang" },
    [
      assigned("11-26T09:00", LAND, MINH),
      { type: "paused", occurredAt: "11-27T14:00", reason: "Chờ nghĩa vụ tài chính" },
      { type: "resumed", occurredAt: "12-01T09:00" },
      resultReady("12-04T16:00"),
    ],
  ),
  // Rejected at the desk (never assigned): counted apart, not resolved. The applicant's name starts
  // with "=" (a formula if exported as is).
  H: dossier(
    "H",
    { at: "11-10T09:00", procedure: P3, days: 5, channel: "in-person", applicant: "=Vũ Văn Hải" },
    [{ type: "rejected", occurredAt: "11-11T09:00", reason: "Không thuộc thẩm quyền" }],
  ),
  // Carried over into November: 3 wd from Thu 29/10 10:00 → due Tue 03/11 10:00; result 03/11
  // 11:00, đúng hạn (5.5 + 8 + 8 + 3.5 = 25 h = 3.125 d).
  I: dossier(
    "I",
    { at: "10-29T10:00", procedure: P2, days: 3, channel: "in-person", applicant: "Bùi Thị Ích" },
    [assigned("10-29T11:00", LAND, MINH), resultReady("11-03T11:00")],
  ),
  // Another agency, online: 1 wd from Tue 10/11 09:00 → due 11/11 09:00; result 10/11 16:00,
  // trước hạn (5.5 h = 0.6875 d).
  J: dossier(
    "J",
    {
      at: "11-10T09:00",
      procedure: P4,
      days: 1,
      channel: "online",
      applicant: "Ngô Thị Ánh",
      agency: TP,
      handler: { id: "cb-an", name: "Ngô Thị An" },
    },
    [resultReady("11-10T16:00")],
  ),
};

export const EVENTS: DossierEvent[] = Object.values(DOSSIERS).flat();
