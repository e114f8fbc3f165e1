import * as z from "zod";
import {
  formatInstant,
  type InstantOptions,
  parseClock,
  TIME_LIMIT_UNITS,
  tryParseInstant,
} from "../calendar/index.ts";
import { canonicalJson } from "../canonical-json.ts";
import { parseWith } from "../parse.ts";
import { unsafeTextProblem } from "../text-safety.ts";
import { isDossierCode } from "./dossier-code.ts";

/**
 * Dossier events: the facts a dossier's state is folded from (docs/dossier-events.md).
 *
 * The wire form (JSON lines, storage) carries instants as ISO-8601 strings with an explicit
 * offset; `parseDossierEvent` validates it at the edge and turns every instant into epoch
 * milliseconds, the form the fold and the alert planner work on; `parseStoredDossierEvent` reads
 * stored events back with the same structure but without the edge's text rules.
 * `dossierEventToJson` is the inverse (instants written with +07:00).
 */

export const DOSSIER_EVENT_TYPES = [
  "received",
  "assigned",
  "transferred",
  "supplement-requested",
  "supplement-received",
  "paused",
  "resumed",
  "apology-issued",
  "result-ready",
  "returned",
  "rejected",
  "withdrawn",
  "stopped",
  "alert-acknowledged",
] as const;
export type DossierEventType = (typeof DOSSIER_EVENT_TYPES)[number];

/**
 * Instants on events come from other systems, so a local time without an offset is refused
 * rather than guessed; otherwise the one instant grammar (calendar/local-date.ts).
 */
export const EVENT_INSTANT: InstantOptions = { offset: "required" };

/** The instant, or undefined when the text is not an instant with an offset. */
export function parseEventInstant(text: string): number | undefined {
  const instant = tryParseInstant(text, EVENT_INSTANT);
  return typeof instant === "number" ? instant : undefined;
}

const INSTANT_EXPECTED = "expected an ISO-8601 instant with an offset, e.g. 2026-11-20T09:00:00+07:00";

const instant = z.string().transform((text, ctx) => {
  const ms = tryParseInstant(text, EVENT_INSTANT);
  if (typeof ms !== "number") {
    ctx.issues.push({
      code: "custom",
      message: ms.reason.startsWith("expected") ? ms.reason : `${INSTANT_EXPECTED}: ${ms.reason}`,
      input: text,
    });
    return z.NEVER;
  }
  return ms;
});

/** Length limits (characters) at the edge: a name, a free text, an identifier, the `documents` list. */
export const EVENT_TEXT_LIMITS = { name: 500, text: 2000, id: 200, documents: 50 } as const;

/**
 * How an entry point treats free text. The event schemas are built once per rule set from one
 * definition (`eventSchemas`), so the edge and the store never disagree on structure.
 */
interface TextRules {
  /** A free-text field of at most `max` characters (a limit the rule may ignore). */
  readonly text: (max: number) => z.ZodType<string, string>;
  readonly dossierCode: z.ZodType<string, string>;
  /** At most this many `documents`, or undefined for no limit. */
  readonly documents: number | undefined;
}

/**
 * Input from outside (POST /events, the events queue, the CLI): free text is checked by
 * `unsafeTextProblem` (no control characters, lone surrogates or bidi overrides), trimmed and
 * normalised to NFC — the same name typed on a keyboard that sends combining marks (NFD) is then
 * the same string everywhere (search, dedupe, reports) —, with the limits above. docs/security.md.
 */
const EDGE_RULES: TextRules = {
  text: (max) =>
    z
      .string()
      .max(max * 4) // refuse a megabyte string before scanning or normalising it
      .superRefine((value, ctx) => {
        const problem = unsafeTextProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
      })
      .transform((value) => value.normalize("NFC").trim())
      .pipe(z.string().min(1, "must not be empty").max(max)),
  dossierCode: z.string().max(100).trim(),
  documents: EVENT_TEXT_LIMITS.documents,
};

/**
 * Events read back from our own store passed the edge rules of their day, and the rules have
 * tightened since (text safety, NFC, names 500 instead of 2,000, `documents` 50). Re-checking
 * them on load would make a dossier stored before a tightening unloadable — never updated again,
 * its alerts stopped — so stored text is only required to be a string, and is read back exactly
 * as stored: no trim, no NFC, no limit. Replays and conflicts then compare the stored bytes, and
 * folding an old dossier again gives the state it had. Structure is still checked (types, the
 * discriminated union, unknown fields, instants with an offset, the dossier code's outline).
 */
const STORED_RULES: TextRules = {
  text: () => z.string(),
  dossierCode: z.string(),
  documents: undefined,
};

/** A wall-clock time "HH:MM" as `parseClock` reads it (office hours, cut-offs, quiet hours). */
export const ClockTextSchema = z.string().refine((value) => {
  try {
    parseClock(value);
    return true;
  } catch {
    return false;
  }
}, "expected HH:MM");

export const TimeLimitSchema = z
  .strictObject({ amount: z.number().finite().min(0), unit: z.enum(TIME_LIMIT_UNITS) })
  .refine((limit) => limit.unit !== "calendar-days" || Number.isInteger(limit.amount), {
    message: "calendar days must be a whole number",
    path: ["amount"],
  });

/** Mobile or landline, +84 or 0 followed by 9–10 digits (docs/law.md, "Messaging"). */
const phone = z.string().regex(/^(?:\+84|0)\d{9,10}$/, "expected +84 or 0 followed by 9–10 digits");

export const SUPPLEMENT_POLICIES = ["restart", "pause"] as const;
export type SupplementPolicy = (typeof SUPPLEMENT_POLICIES)[number];

export const CHANNELS_OF_RECEPTION = ["online", "in-person", "postal"] as const;

/** The event schemas under one set of text rules: the one definition both entry points share. */
function eventSchemas(rules: TextRules) {
  const text = rules.text(EVENT_TEXT_LIMITS.text);
  const name = rules.text(EVENT_TEXT_LIMITS.name);
  const id = rules.text(EVENT_TEXT_LIMITS.id);
  const documents = rules.documents === undefined ? z.array(text) : z.array(text).max(rules.documents);

  /** A named organisation: an agency (cơ quan) or one of its units (đơn vị, phòng). */
  const Organisation = z.strictObject({ id, name });
  /** A person acting for an agency; the name is optional (the directory knows it). */
  const Person = z.strictObject({ id, name: name.optional() });

  const ProcedureSchema = z.strictObject({
    code: id,
    name,
    /** Lĩnh vực, printed on the apology letter. */
    field: name.optional(),
    timeLimit: TimeLimitSchema,
    /** Per-procedure cut-off: receptions after it count from the next working day (NĐ 61/2018 Art. 18(2),(3)). */
    cutoff: ClockTextSchema.optional(),
    /**
     * NĐ 61/2018 Art. 19(4): the limit is counted again from zero once the complete dossier is back
     * ("restart", the default); some systems pause the clock while waiting instead ("pause").
     */
    supplementPolicy: z.enum(SUPPLEMENT_POLICIES).optional(),
  });

  const ApplicantSchema = z.strictObject({
    name,
    honorific: z.enum(["Ông", "Bà", "Ông/Bà"]).optional(),
    address: name.optional(),
    phone: phone.optional(),
    email: z.email("expected an e-mail address").optional(),
    /** What the applicant agreed to be contacted by (NĐ 13/2023/NĐ-CP: consent per purpose). */
    consent: z.strictObject({ sms: z.boolean(), email: z.boolean() }).default({ sms: false, email: false }),
  });

  const base = { id, dossierCode: rules.dossierCode, occurredAt: instant };

  const ReceivedSchema = z.strictObject({
    ...base,
    type: z.literal("received"),
    procedure: ProcedureSchema,
    agency: Organisation,
    unit: Organisation,
    channel: z.enum(CHANNELS_OF_RECEPTION),
    applicant: ApplicantSchema,
    handler: Person,
    /** When the complete, valid dossier was received (NĐ 61/2018 Art. 17(1)(c)): the clock starts here. */
    receivedAt: instant,
    /** The appointment printed on the receipt (Mẫu 01), when the receiving system recorded it. */
    appointment: instant.optional(),
  });

  const AssignedSchema = z.strictObject({
    ...base,
    type: z.literal("assigned"),
    handler: Person,
    unit: Organisation,
    /** Defaults to the receiving agency (an assignment after a liên thông step names its agency when it differs). */
    agency: Organisation.optional(),
    /** This step's own allotment (Phiếu kiểm soát); without one the step has no due instant of its own. */
    allotment: TimeLimitSchema.optional(),
    /** The step's due instant as written on the slip; wins over `allotment`. */
    dueAt: instant.optional(),
    task: text.optional(),
  });

  const TransferredSchema = z.strictObject({
    ...base,
    type: z.literal("transferred"),
    /** Liên thông: the agency the dossier goes to (NĐ 61/2018 Art. 19(5)–(7)). */
    agency: Organisation,
    unit: Organisation.optional(),
    handler: Person.optional(),
    allotment: TimeLimitSchema.optional(),
    dueAt: instant.optional(),
    task: text.optional(),
  });

  const SupplementRequestedSchema = z.strictObject({
    ...base,
    type: z.literal("supplement-requested"),
    reason: text,
    documents: documents.optional(),
  });

  const SupplementReceivedSchema = z.strictObject({
    ...base,
    type: z.literal("supplement-received"),
    /** The new appointment given on the new receipt, when recorded. */
    appointment: instant.optional(),
  });

  const PausedSchema = z.strictObject({ ...base, type: z.literal("paused"), reason: text });
  const ResumedSchema = z.strictObject({ ...base, type: z.literal("resumed"), reason: text.optional() });

  const ApologyIssuedSchema = z.strictObject({
    ...base,
    type: z.literal("apology-issued"),
    reason: text,
    /** The unit that caused the delay (NĐ 61/2018 Art. 19(7)). */
    responsibleUnit: Organisation,
    newAppointment: instant,
    letterNumber: text.optional(),
  });

  const ResultReadySchema = z.strictObject({
    ...base,
    type: z.literal("result-ready"),
    note: text.optional(),
  });
  const ReturnedSchema = z.strictObject({ ...base, type: z.literal("returned") });
  const RejectedSchema = z.strictObject({ ...base, type: z.literal("rejected"), reason: text });
  const WithdrawnSchema = z.strictObject({ ...base, type: z.literal("withdrawn"), reason: text.optional() });
  /** Dừng giải quyết (TT 03/2025 Mẫu 05): ends the dossier. */
  const StoppedSchema = z.strictObject({ ...base, type: z.literal("stopped"), reason: text });

  const AlertAcknowledgedSchema = z.strictObject({
    ...base,
    type: z.literal("alert-acknowledged"),
    by: z.strictObject({ id, role: z.enum(["handler", "unit-leader", "agency-leader"]) }),
    note: text.optional(),
  });

  const DossierEventSchema = z
    .discriminatedUnion("type", [
      ReceivedSchema,
      AssignedSchema,
      TransferredSchema,
      SupplementRequestedSchema,
      SupplementReceivedSchema,
      PausedSchema,
      ResumedSchema,
      ApologyIssuedSchema,
      ResultReadySchema,
      ReturnedSchema,
      RejectedSchema,
      WithdrawnSchema,
      StoppedSchema,
      AlertAcknowledgedSchema,
    ])
    .superRefine((event, ctx) => {
      if (!isDossierCode(event.dossierCode)) {
        ctx.addIssue({ code: "custom", message: "invalid dossier code", path: ["dossierCode"] });
      }
      if (event.type === "apology-issued" && event.newAppointment <= event.occurredAt) {
        ctx.addIssue({
          code: "custom",
          message: "the new appointment must be after the apology",
          path: ["newAppointment"],
        });
      }
    });

  return { DossierEventSchema, ProcedureSchema, ApplicantSchema, Organisation, Person };
}

const edge = eventSchemas(EDGE_RULES);
const stored = eventSchemas(STORED_RULES);

/** The strict schema for input from outside; `parseDossierEvent` wraps it. */
export const DossierEventSchema = edge.DossierEventSchema;
export const ProcedureSchema = edge.ProcedureSchema;
export const ApplicantSchema = edge.ApplicantSchema;
/** The lenient schema for events read back from our own store; `parseStoredDossierEvent` wraps it. */
export const StoredDossierEventSchema = stored.DossierEventSchema;
const Organisation = edge.Organisation;
const Person = edge.Person;

/** A validated event: instants are epoch milliseconds. */
export type DossierEvent = z.output<typeof DossierEventSchema>;
/** The wire form of an event (JSON lines, storage): instants are ISO-8601 strings. */
export type DossierEventJson = z.input<typeof DossierEventSchema>;
export type EventOfType<T extends DossierEventType> = Extract<DossierEvent, { type: T }>;
export type ReceivedEvent = EventOfType<"received">;
export type Procedure = ReceivedEvent["procedure"];
export type Applicant = ReceivedEvent["applicant"];
export type Organisation = z.output<typeof Organisation>;
export type Person = z.output<typeof Person>;

/**
 * Validates one event from outside: POST /events, a message on the events queue, the CLI's input
 * (the edge rules: text safety, NFC, limits). The error names the fields at fault and the rule
 * broken, never the values (they may be a phone number or an e-mail: NĐ 13/2023/NĐ-CP).
 */
export function parseDossierEvent(input: unknown): DossierEvent {
  return parseWith(DossierEventSchema, input, "invalid dossier event");
}

/**
 * Reads back an event from our own store: structure only (types, instants, the union, unknown
 * fields), text exactly as stored — an event the edge accepted under older rules still loads, so
 * its dossier is never dropped (docs/security.md). Never use it on input from outside.
 */
export function parseStoredDossierEvent(input: unknown): DossierEvent {
  return parseWith(StoredDossierEventSchema, input, "unreadable stored dossier event");
}

const INSTANT_FIELDS = new Set(["occurredAt", "receivedAt", "appointment", "newAppointment", "dueAt"]);

/** The wire form of an event, instants written with +07:00. */
export function dossierEventToJson(event: DossierEvent): DossierEventJson {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    out[key] = INSTANT_FIELDS.has(key) && typeof value === "number" ? formatInstant(value) : value;
  }
  return out as DossierEventJson;
}

/**
 * Two events are the same fact when their canonical JSON is equal (key order does not matter) up
 * to Unicode normalisation: an event stored before the edge normalised text to NFC, replayed now,
 * arrives in NFC and is still a replay, not a conflict.
 */
export function sameEvent(a: DossierEvent, b: DossierEvent): boolean {
  const left = canonicalJson(a);
  const right = canonicalJson(b);
  return left === right || left.normalize("NFC") === right.normalize("NFC");
}
