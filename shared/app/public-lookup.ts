import { type DossierState, describeDossier, isDossierCode } from "../dossier/index.ts";
import { InvalidInputError, NotFoundError, RateLimitedError } from "../errors.ts";
import { appointmentIcs } from "../letters/render/index.ts";
import type { Clock } from "./clock.ts";
import type { AppDossierRepository } from "./dossier-records.ts";
import type { RateLimiter, RateWindow } from "./rate-limit.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

/**
 * Tra cứu hồ sơ: an applicant looks up their own dossier with its code and the last four digits
 * of the phone number on the receipt (docs/public-lookup.md).
 *
 * What the answer holds, and only that: the procedure and agency names, the status, the reception
 * and appointment instants with the appointment's history (supplement restart, apology), what a
 * supplement request asks for, and the apology's reason, letter number and new date. Never the
 * applicant's name, address, phone or e-mail (NĐ 13/2023/NĐ-CP: data minimisation), never staff.
 *
 * No enumeration: a code that does not exist, a dossier without a phone on file and a wrong phone
 * all get the same NotFoundError, after the same read; both limits count them alike.
 * Limits: per client (its source address) every attempt; per dossier code the failed ones, so
 * guessing 4 digits (10,000 values) takes longer than the dossier lives. The price: someone who
 * fails on purpose can lock a code for the rest of the hour; the desk still answers by phone.
 */
export interface PublicLookupPorts {
  readonly dossiers: AppDossierRepository;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
}

export interface PublicLookupLimits {
  /** Every lookup from one client. */
  readonly perClient: RateWindow;
  /** Failed lookups of one dossier code, from anyone. */
  readonly failuresPerCode: RateWindow;
}

export const DEFAULT_PUBLIC_LOOKUP_LIMITS: PublicLookupLimits = {
  perClient: { limit: 30, windowMs: 10 * 60_000 },
  failuresPerCode: { limit: 5, windowMs: 60 * 60_000 },
};

export interface PublicLookupQuery {
  readonly code: string;
  /** The last four digits of the phone number given at reception. */
  readonly phoneLast4: string;
  /** Who asks: the source address (never logged with the code). */
  readonly client: string;
}

export type PublicStatus =
  | "dang-giai-quyet"
  | "qua-han"
  | "tam-dung"
  | "cho-bo-sung"
  | "co-ket-qua"
  | "da-tra-ket-qua"
  | "tu-choi"
  | "da-rut"
  | "dung-giai-quyet";

/** What the applicant reads (Vietnamese labels: citizens read them). */
export const PUBLIC_STATUS_LABELS: Readonly<Record<PublicStatus, string>> = {
  "dang-giai-quyet": "Đang giải quyết",
  "qua-han": "Đang giải quyết, đã quá ngày hẹn trả",
  "tam-dung": "Tạm dừng tính thời gian giải quyết",
  "cho-bo-sung": "Chờ bổ sung hồ sơ",
  "co-ket-qua": "Đã có kết quả, mời đến nhận",
  "da-tra-ket-qua": "Đã trả kết quả",
  "tu-choi": "Không giải quyết (đã có văn bản trả lời)",
  "da-rut": "Đã rút hồ sơ",
  "dung-giai-quyet": "Dừng giải quyết",
};

export const APPOINTMENT_KIND_LABELS = {
  receipt: "Ngày hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
  restart: "Hẹn lại sau khi bổ sung hồ sơ",
  apology: "Hẹn lại kèm Thư xin lỗi",
} as const;

export interface PublicDossierView {
  readonly dossierCode: string;
  readonly procedureName: string;
  readonly agencyName: string;
  readonly status: PublicStatus;
  readonly statusLabel: string;
  readonly receivedAt: string;
  /** The appointment that holds now. */
  readonly appointment: string;
  readonly appointments: readonly {
    readonly version: number;
    readonly kind: keyof typeof APPOINTMENT_KIND_LABELS;
    readonly label: string;
    readonly at: string;
    readonly givenAt: string;
  }[];
  /** The open supplement request: what to bring. */
  readonly supplement: {
    readonly requestedAt: string;
    readonly reason: string;
    readonly documents: readonly string[];
  } | null;
  readonly apology: {
    readonly issuedAt: string;
    readonly letterNumber: string | null;
    readonly reason: string;
    readonly responsibleUnit: string;
    readonly newAppointment: string;
  } | null;
  readonly finishedAt: string | null;
  readonly returnedAt: string | null;
  readonly asOf: string;
}

const LAST4 = /^\d{4}$/;

function publicStatus(state: DossierState): PublicStatus {
  switch (state.phase) {
    case "paused":
      return "tam-dung";
    case "awaiting-supplement":
      return "cho-bo-sung";
    case "finished":
      return "co-ket-qua";
    case "returned":
      return "da-tra-ket-qua";
    case "rejected":
      return "tu-choi";
    case "withdrawn":
      return "da-rut";
    case "stopped":
      return "dung-giai-quyet";
    default:
      return Date.parse(state.currentAppointment) < Date.parse(state.asOf) ? "qua-han" : "dang-giai-quyet";
  }
}

/** Compares the last four digits without an early exit (no timing difference between wrong digits). */
function sameLast4(phone: string | undefined, last4: string): boolean {
  const digits = (phone ?? "").replace(/\D/g, "");
  const tail = digits.length >= 4 ? digits.slice(-4) : "\u0000\u0000\u0000\u0000";
  let diff = 0;
  for (let i = 0; i < 4; i++) diff |= tail.charCodeAt(i) ^ last4.charCodeAt(i);
  return diff === 0 && phone !== undefined;
}

export function toPublicView(state: DossierState): PublicDossierView {
  const status = publicStatus(state);
  const open = state.awaitingSupplement ? state.supplements.at(-1) : undefined;
  return {
    dossierCode: state.dossierCode,
    procedureName: state.procedure.name,
    agencyName: state.agency.name,
    status,
    statusLabel: PUBLIC_STATUS_LABELS[status],
    receivedAt: state.receivedAt,
    appointment: state.currentAppointment,
    appointments: state.appointments.map((a) => ({ ...a, label: APPOINTMENT_KIND_LABELS[a.kind] })),
    supplement:
      open === undefined
        ? null
        : { requestedAt: open.requestedAt, reason: open.reason, documents: [...open.documents] },
    apology:
      state.apology === null
        ? null
        : {
            issuedAt: state.apology.issuedAt,
            letterNumber: state.apology.letterNumber,
            reason: state.apology.reason,
            responsibleUnit: state.apology.responsibleUnit.name,
            newAppointment: state.apology.newAppointment,
          },
    finishedAt: state.finishedAt,
    returnedAt: state.returnedAt,
    asOf: state.asOf,
  };
}

export class PublicLookup {
  readonly #ports: PublicLookupPorts;
  readonly #limits: PublicLookupLimits;

  constructor(ports: PublicLookupPorts, limits: PublicLookupLimits = DEFAULT_PUBLIC_LOOKUP_LIMITS) {
    this.#ports = ports;
    this.#limits = limits;
  }

  /** The applicant's view, or NotFoundError (the same for every miss), or RateLimitedError. */
  async lookup(query: PublicLookupQuery): Promise<PublicDossierView> {
    const state = await this.#verified(query);
    return toPublicView(state);
  }

  /** The current appointment as an iCalendar file (same checks and limits as `lookup`). */
  async calendar(query: PublicLookupQuery): Promise<{ filename: string; body: string }> {
    const state = await this.#verified(query);
    const last = state.appointments.at(-1);
    return {
      filename: `hen-tra-${state.dossierCode}.ics`,
      body: appointmentIcs({
        dossierCode: state.dossierCode,
        version: last?.version ?? 1,
        at: Date.parse(state.currentAppointment),
        now: this.#ports.clock.now(),
        procedureName: state.procedure.name,
        agencyName: state.agency.name,
      }),
    };
  }

  async #verified(query: PublicLookupQuery): Promise<DossierState> {
    const code = query.code.trim();
    if (!isDossierCode(code)) throw new InvalidInputError("invalid dossier code", { field: "code" });
    if (!LAST4.test(query.phoneLast4))
      throw new InvalidInputError("phoneLast4 must be 4 digits", { field: "phoneLast4" });
    const now = this.#ports.clock.now();
    const { limiter } = this.#ports;
    const client = await limiter.hit(`lookup:client:${query.client}`, this.#limits.perClient, now);
    if (!client.allowed) throw limited(client.retryAfterMs);
    const codeKey = `lookup:code:${code.toUpperCase()}`;
    const failures = await limiter.peek(codeKey, this.#limits.failuresPerCode, now);
    if (failures.count >= this.#limits.failuresPerCode.limit) throw limited(failures.retryAfterMs);

    // Codes are printed in capitals ("…H42-…"); one typed in small letters is read as printed too.
    const loaded =
      (await this.#ports.dossiers.load(code)) ??
      (code === code.toUpperCase() ? undefined : await this.#ports.dossiers.load(code.toUpperCase()));
    const dossier = loaded?.state ?? null;
    const matches = sameLast4(dossier?.received.applicant.phone, query.phoneLast4);
    if (dossier === null || !matches) {
      await limiter.hit(codeKey, this.#limits.failuresPerCode, now);
      throw new NotFoundError("no dossier matches this code and phone number");
    }
    const { workingTime } = await this.#ports.workingTime.current();
    return describeDossier(dossier, now, workingTime);
  }
}

function limited(retryAfterMs: number): RateLimitedError {
  return new RateLimitedError("too many lookups; try again later", {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}
