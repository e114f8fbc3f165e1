import fc from "fast-check";
import { formatInstant, parseInstant } from "../../../shared/calendar/index.ts";
import {
  type DossierEvent,
  type DossierEventJson,
  parseDossierEvent,
} from "../../../shared/dossier/index.ts";

/**
 * Random valid dossiers for the report properties: several agencies, units and handlers (so a
 * reassignment moves a dossier between report lines), every kind of limit, cut-offs, both
 * supplement policies, pauses and supplement waits left open or closed, apologies, liên thông
 * transfers, and every ending (or none).
 */

const MINUTE = 60_000;
const START = parseInstant("2026-11-02T07:00:00+07:00");

const AGENCIES = [
  { id: "so-nnmt", name: "Sở Nông nghiệp và Môi trường" },
  { id: "so-tp", name: "Sở Tư pháp" },
];
const UNITS = [
  { id: "phong-dat", name: "Phòng Quản lý đất đai" },
  { id: "phong-mt", name: "Phòng Môi trường" },
  { id: "phong-hc", name: "Phòng Hành chính" },
];
const HANDLERS = [
  { id: "cv-minh", name: "Lê Văn Minh" },
  { id: "cv-hoa", name: "Phạm Thu Hoa" },
  { id: "cv-tuan", name: "Đỗ Anh Tuấn" },
];
const PROCEDURES = [
  { code: "1.004227", name: "Đăng ký biến động quyền sử dụng đất" },
  { code: "1.010727", name: "Cấp giấy phép môi trường" },
];
const LIMITS = [
  { amount: 1, unit: "working-days" },
  { amount: 3, unit: "working-days" },
  { amount: 5, unit: "working-days" },
  { amount: 0.5, unit: "working-days" },
  { amount: 6, unit: "working-hours" },
  { amount: 7, unit: "calendar-days" },
] as const;

type Fact = "assign" | "transfer" | "pause" | "resume" | "request" | "supplement" | "apology" | "ack";
type Ending = "none" | "result" | "result+return" | "rejected" | "withdrawn" | "stopped";

const dossierSpec = fc.record({
  agency: fc.nat({ max: AGENCIES.length - 1 }),
  procedure: fc.nat({ max: PROCEDURES.length - 1 }),
  limit: fc.nat({ max: LIMITS.length - 1 }),
  cutoff: fc.boolean(),
  policy: fc.constantFrom("restart" as const, "pause" as const),
  channel: fc.constantFrom("online" as const, "in-person" as const, "postal" as const),
  startMinutes: fc.integer({ min: 0, max: 40 * 24 * 60 }),
  facts: fc.array(
    fc.record({
      fact: fc.constantFrom<Fact>(
        "assign",
        "transfer",
        "pause",
        "resume",
        "request",
        "supplement",
        "apology",
        "ack",
      ),
      unit: fc.nat({ max: UNITS.length - 1 }),
      handler: fc.nat({ max: HANDLERS.length - 1 }),
    }),
    { maxLength: 7 },
  ),
  ending: fc.constantFrom<Ending>("none", "result", "result+return", "rejected", "withdrawn", "stopped"),
  gaps: fc.array(fc.integer({ min: 0, max: 4 * 24 * 60 }), { minLength: 12, maxLength: 12 }),
});

type Spec = typeof dossierSpec extends fc.Arbitrary<infer T> ? T : never;

function buildDossier(spec: Spec, n: number): DossierEvent[] {
  const code = `000.00.12.H42-261102-${String(n).padStart(4, "0")}`;
  let t = START + spec.startMinutes * MINUTE;
  let k = 0;
  const wire: Record<string, unknown>[] = [];
  const add = (type: string, fields: Record<string, unknown> = {}) => {
    wire.push({
      id: `${code}#${wire.length}`,
      dossierCode: code,
      type,
      occurredAt: formatInstant(t),
      ...fields,
    });
  };
  const next = () => {
    t += (spec.gaps[k++ % spec.gaps.length] ?? 0) * MINUTE;
  };
  add("received", {
    procedure: {
      ...PROCEDURES[spec.procedure]!,
      timeLimit: LIMITS[spec.limit]!,
      ...(spec.cutoff ? { cutoff: "15:00" } : {}),
      supplementPolicy: spec.policy,
    },
    agency: AGENCIES[spec.agency]!,
    unit: { id: "mot-cua", name: "Bộ phận Một cửa" },
    channel: spec.channel,
    applicant: { name: "Nguyễn Văn An", consent: { sms: false, email: false } },
    handler: { id: "cb-lan", name: "Trần Thị Lan" },
    receivedAt: formatInstant(t),
  });
  let pauseOpen = false;
  let supplementOpen = false;
  let apology = false;
  for (const { fact, unit, handler } of spec.facts) {
    next();
    if (fact === "assign") add("assigned", { unit: UNITS[unit]!, handler: HANDLERS[handler]! });
    if (fact === "transfer") add("transferred", { agency: { id: "thue-tinh", name: "Thuế tỉnh" } });
    if (fact === "pause" && !pauseOpen) {
      add("paused", { reason: "Chờ nghĩa vụ tài chính" });
      pauseOpen = true;
    }
    if (fact === "resume" && pauseOpen) {
      add("resumed");
      pauseOpen = false;
    }
    if (fact === "request" && !supplementOpen) {
      add("supplement-requested", { reason: "Thiếu giấy tờ" });
      supplementOpen = true;
    }
    if (fact === "supplement" && supplementOpen) {
      add("supplement-received");
      supplementOpen = false;
    }
    if (fact === "apology" && !apology) {
      add("apology-issued", {
        reason: "Chờ ý kiến liên thông",
        responsibleUnit: UNITS[unit]!,
        newAppointment: formatInstant(t + 5 * 24 * 60 * MINUTE),
      });
      apology = true;
    }
    if (fact === "ack") add("alert-acknowledged", { by: { id: "tp-binh", role: "unit-leader" } });
  }
  next();
  if (spec.ending === "result" || spec.ending === "result+return") add("result-ready");
  if (spec.ending === "result+return") {
    next();
    add("returned");
  }
  if (spec.ending === "rejected") add("rejected", { reason: "Không đủ điều kiện" });
  if (spec.ending === "withdrawn") add("withdrawn");
  if (spec.ending === "stopped") add("stopped", { reason: "Dừng giải quyết" });
  return wire.map((json) => parseDossierEvent(json as DossierEventJson));
}

/** 1–6 dossiers, each a valid event set in time order. */
export const dossierSets = fc
  .array(dossierSpec, { minLength: 1, maxLength: 6 })
  .map((specs) => specs.map((spec, n) => buildDossier(spec, n)));
