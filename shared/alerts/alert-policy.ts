import * as z from "zod";
import {
  ClockTextSchema as clock,
  DEFAULT_DOSSIER_POLICY,
  type DossierPolicy,
  type Offset,
} from "../dossier/index.ts";
import { parseWith } from "../parse.ts";
import { ALERT_CHANNELS, type StaffRole } from "./alert.ts";

/**
 * The alert policy as data (docs/architecture.md): thresholds, recipients and channels per agency, with
 * defaults. Code interprets it in plan.ts and digest.ts.
 */

const channel = z.enum(ALERT_CHANNELS);
const OffsetSchema = z.strictObject({
  amount: z.number().finite().min(0),
  unit: z.enum(["working-days", "working-hours"]),
}) satisfies z.ZodType<Offset>;
const rule = z.string().regex(/^[a-z0-9-]+$/, "expected a rule id of a-z, 0-9 and -");
const fraction = z.number().gt(0).lt(1);
const staffRole = z.enum(["handler", "unit-leader", "agency-leader"]) satisfies z.ZodType<StaffRole>;
const leaderRole = z.enum(["unit-leader", "agency-leader"]);

/** A warning moment, relative to the due instant it warns about. */
const WarningMarkSchema = z.union([
  /** `before` the due instant, in office time (2 working days before…). */
  z.strictObject({ rule, before: OffsetSchema }),
  /** At the opening of the due day. */
  z.strictObject({ rule, atOpeningOfDueDay: z.literal(true) }),
  /** When this fraction of the allotment has elapsed (short limits). */
  z.strictObject({ rule, elapsedFraction: fraction }),
]);
export type WarningMark = z.output<typeof WarningMarkSchema>;

const WarningScheduleSchema = z.strictObject({
  enabled: z.boolean(),
  channel,
  marks: z.array(WarningMarkSchema),
  /** Used instead of `marks` when the allotment is no longer than `shortAllotment`. */
  shortMarks: z.array(WarningMarkSchema),
  shortAllotment: OffsetSchema,
});
export type WarningSchedule = z.output<typeof WarningScheduleSchema>;

const EscalationLevelSchema = z.strictObject({
  role: staffRole,
  /** Office time after the due instant. */
  after: OffsetSchema,
  channel,
});
export type EscalationLevel = z.output<typeof EscalationLevelSchema>;

/** The whole policy of an agency: the one definition its type and its override are derived from. */
export const AlertPolicySchema = z.strictObject({
  /** To the dossier's handler, before the due instant of the current appointment. */
  handlerWarnings: WarningScheduleSchema,
  /** To a step's handler (or its unit's leaders), before the step's own due instant. */
  stepWarnings: WarningScheduleSchema,
  /**
   * A step past its own due instant is reported to the leader of the receiving unit (the one-stop
   * desk), NĐ 61/2018 Art. 19(5)–(7).
   */
  stepOverdue: z.strictObject({ enabled: z.boolean(), channel }),
  /**
   * NĐ 61/2018 Art. 19(9), restated by NĐ 118/2025: for a dossier that will be late, the unit
   * tells the desk in writing and apologises "chậm nhất 01 ngày trước ngày hết hạn" — by L, one
   * working day before the legal due instant. So that a leader can approve the letter by then, the
   * duty comes `before` the legal due instant (default 2 working days: L − 1 working day): if the
   * dossier is still open without an apology, the holder's unit leaders are told and a draft is
   * requested. Allotments no longer than `shortAllotment` cannot give that notice: the duty comes
   * when `shortElapsedFraction` of the allotment has elapsed (also when the `before` instant would
   * not fall after the start of the clock).
   */
  apologyDuty: z.strictObject({
    enabled: z.boolean(),
    before: OffsetSchema,
    channel,
    requestDraft: z.boolean(),
    shortAllotment: OffsetSchema,
    shortElapsedFraction: fraction,
    /**
     * Also tell the receiving desk's unit leaders when another unit or agency holds the dossier
     * (liên thông): the processing body must tell the one-stop desk in writing, Art. 19(9).
     */
    notifyDesk: z.boolean(),
  }),
  /**
   * At L (`before` the legal due instant, default 1 working day), a dossier still open without an
   * apology has missed the legal duty — the apology is still owed: the holder's leaders of `roles`
   * are told (and the desk's unit leaders under liên thông). For a short allotment (as for the
   * duty) at `shortElapsedFraction` of it, also when the `before` instant would not fall after the
   * duty's.
   */
  apologyOverdue: z.strictObject({
    enabled: z.boolean(),
    before: OffsetSchema,
    roles: z.array(leaderRole),
    channel,
    shortElapsedFraction: fraction,
    notifyDesk: z.boolean(),
  }),
  /**
   * Levels after the due instant of the current appointment while the dossier is open. Stopped
   * time (a pause, a supplement wait) moves every pending level, whether the stop began before or
   * after the due instant; a leader's acknowledgement at or after the due instant stops the
   * remaining levels of that appointment version (a handler's does not).
   */
  escalation: z.strictObject({ enabled: z.boolean(), levels: z.array(EscalationLevelSchema) }),
  /** One message per leader and working day listing the overdue dossiers. */
  digest: z.strictObject({ enabled: z.boolean(), at: clock, roles: z.array(leaderRole), channel }),
  citizen: z.strictObject({
    receipt: z.boolean(),
    supplementRequested: z.boolean(),
    apology: z.boolean(),
    resultReady: z.boolean(),
    /** Channels to use, each only with the applicant's consent and contact. */
    channels: z.array(channel),
    /**
     * A notice not sent within this many hours of its planned time is recorded `expired`, not
     * sent (notice-expiry.ts): news of days ago misleads more than it helps.
     */
    staleAfterHours: z.number().positive(),
  }),
  /** SMS are sent only inside this local-time window, every day (the recipient's night is quiet). */
  smsWindow: z.strictObject({ start: clock, end: clock }),
});
export type AlertPolicy = z.output<typeof AlertPolicySchema>;

export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  handlerWarnings: {
    enabled: true,
    channel: "email",
    marks: [
      { rule: "due-in-2-working-days", before: { amount: 2, unit: "working-days" } },
      { rule: "due-in-1-working-day", before: { amount: 1, unit: "working-days" } },
      { rule: "due-today", atOpeningOfDueDay: true },
    ],
    shortMarks: [
      { rule: "half-time-elapsed", elapsedFraction: 0.5 },
      { rule: "three-quarters-elapsed", elapsedFraction: 0.75 },
    ],
    shortAllotment: { amount: 1, unit: "working-days" },
  },
  stepWarnings: {
    enabled: true,
    channel: "email",
    marks: [
      { rule: "step-due-in-1-working-day", before: { amount: 1, unit: "working-days" } },
      { rule: "step-due-today", atOpeningOfDueDay: true },
    ],
    shortMarks: [
      { rule: "step-half-time-elapsed", elapsedFraction: 0.5 },
      { rule: "step-three-quarters-elapsed", elapsedFraction: 0.75 },
    ],
    shortAllotment: { amount: 1, unit: "working-days" },
  },
  stepOverdue: { enabled: true, channel: "email" },
  apologyDuty: {
    enabled: true,
    before: { amount: 2, unit: "working-days" },
    channel: "email",
    requestDraft: true,
    shortAllotment: { amount: 1, unit: "working-days" },
    shortElapsedFraction: 0.5,
    notifyDesk: true,
  },
  apologyOverdue: {
    enabled: true,
    before: { amount: 1, unit: "working-days" },
    roles: ["agency-leader"],
    channel: "email",
    shortElapsedFraction: 0.75,
    notifyDesk: true,
  },
  escalation: {
    enabled: true,
    levels: [
      { role: "handler", after: { amount: 0, unit: "working-hours" }, channel: "email" },
      { role: "unit-leader", after: { amount: 4, unit: "working-hours" }, channel: "email" },
      { role: "agency-leader", after: { amount: 2, unit: "working-days" }, channel: "email" },
    ],
  },
  digest: { enabled: true, at: "07:30", roles: ["unit-leader", "agency-leader"], channel: "email" },
  citizen: {
    receipt: true,
    supplementRequested: true,
    apology: true,
    resultReady: true,
    channels: ["sms", "email"],
    // Three days: a notice held over a weekend night still goes, a backlog a week old does not.
    staleAfterHours: 72,
  },
  smsWindow: { start: "07:00", end: "21:00" },
};

/** The policies of a deployment: defaults, and whole policies for agencies that differ. */
export interface AlertPolicyBook {
  defaults: AlertPolicy;
  agencies: Readonly<Record<string, AlertPolicy>>;
}

export const DEFAULT_POLICY_BOOK: AlertPolicyBook = { defaults: DEFAULT_ALERT_POLICY, agencies: {} };

export function policyFor(book: AlertPolicyBook, agencyId: string): AlertPolicy {
  return book.agencies[agencyId] ?? book.defaults;
}

const POLICY = AlertPolicySchema.shape;

/** Every section optional, every field of a section optional: an override of the defaults. */
const PolicyOverrideSchema = z.strictObject({
  handlerWarnings: POLICY.handlerWarnings.partial().optional(),
  stepWarnings: POLICY.stepWarnings.partial().optional(),
  stepOverdue: POLICY.stepOverdue.partial().optional(),
  apologyDuty: POLICY.apologyDuty.partial().optional(),
  apologyOverdue: POLICY.apologyOverdue.partial().optional(),
  escalation: POLICY.escalation.partial().optional(),
  digest: POLICY.digest.partial().optional(),
  citizen: POLICY.citizen.partial().optional(),
  /** A window is replaced whole: half a window means nothing. */
  smsWindow: POLICY.smsWindow.optional(),
});
export type AlertPolicyOverride = z.infer<typeof PolicyOverrideSchema>;

export const PolicyFileSchema = z.strictObject({
  defaults: PolicyOverrideSchema.optional(),
  agencies: z.record(z.string().min(1), PolicyOverrideSchema).optional(),
  dossier: z
    .strictObject({ warningWindow: OffsetSchema, keepPromisedAppointment: z.boolean() })
    .partial()
    .optional(),
});

/** An override applied section by section; lists are replaced, not merged. */
export function overridePolicy(base: AlertPolicy, override: AlertPolicyOverride): AlertPolicy {
  return {
    handlerWarnings: overrideSection(base.handlerWarnings, override.handlerWarnings),
    stepWarnings: overrideSection(base.stepWarnings, override.stepWarnings),
    stepOverdue: overrideSection(base.stepOverdue, override.stepOverdue),
    apologyDuty: overrideSection(base.apologyDuty, override.apologyDuty),
    apologyOverdue: overrideSection(base.apologyOverdue, override.apologyOverdue),
    escalation: overrideSection(base.escalation, override.escalation),
    digest: overrideSection(base.digest, override.digest),
    citizen: overrideSection(base.citizen, override.citizen),
    smsWindow: override.smsWindow ?? base.smsWindow,
  };
}

/** The fields the override gives replace the base's; the others stay. */
function overrideSection<T extends object>(
  base: T,
  override: { [K in keyof T]?: T[K] | undefined } | undefined,
): T {
  if (override === undefined) return base;
  const out = { ...base };
  for (const key of Object.keys(override) as (keyof T)[]) {
    const value = override[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Reads a deployment's policy file: `{"defaults"?: override, "agencies"?: {id: override},
 * "dossier"?: {warningWindow?, keepPromisedAppointment?}}`. Agency overrides apply on top of the
 * deployment's defaults, which apply on top of dunghan's.
 */
export function parsePolicyFile(input: unknown): { book: AlertPolicyBook; dossier: DossierPolicy } {
  const file = parseWith(PolicyFileSchema, input, "invalid policy");
  const defaults = overridePolicy(DEFAULT_ALERT_POLICY, file.defaults ?? {});
  const agencies: Record<string, AlertPolicy> = {};
  for (const [agencyId, override] of Object.entries(file.agencies ?? {})) {
    agencies[agencyId] = overridePolicy(defaults, override);
  }
  return { book: { defaults, agencies }, dossier: { ...DEFAULT_DOSSIER_POLICY, ...file.dossier } };
}
