import { createHash } from "node:crypto";
import * as z from "zod";
import { type DossierEvent, parseDossierEvent } from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";
import { DIGEST_APOLOGY_STATUSES, type DigestRow } from "../letters/notices/index.ts";
import { parseWith } from "../parse.ts";
import type { AgendaAlert } from "./dossier-records.ts";
import type { QueueMessage } from "./queue.ts";

/**
 * The bodies of the app's queue messages, produced and consumed here only (one place to change).
 *
 * events FIFO queue  — a dossier event (wire form), or `{"command":"reevaluate",…}`; grouped by
 *                      dossier code so commands serialise with the dossier's events. A calendar
 *                      change first sends `reevaluate-all`, which lists the open dossiers and sends
 *                      `reevaluate-batch` commands, each of which sends its dossiers' `reevaluate`.
 * notify queue       — `{"type":"alert",…}` or `{"type":"digest",…}`.
 * apology queue      — `{"type":"apology-draft-requested",…}`.
 * No contacts travel in these messages: the notify function looks them up at send time.
 */

// ---------------------------------------------------------------------------------------------
// Events queue

export interface ReevaluateCommand {
  readonly command: "reevaluate";
  readonly dossierCode: string;
  /** The stored announcements' version the command was issued for (see WorkingTimeProvider). */
  readonly calendarVersion: string;
}

/** Re-evaluate every open dossier on this calendar version: list them, then queue them in batches. */
export interface ReevaluateAllCommand {
  readonly command: "reevaluate-all";
  readonly calendarVersion: string;
}

/** Queue one `reevaluate` per dossier code (a slice of the open dossiers listed by `reevaluate-all`). */
export interface ReevaluateBatchCommand {
  readonly command: "reevaluate-batch";
  readonly calendarVersion: string;
  readonly batch: number;
  readonly dossierCodes: readonly string[];
}

export type CalendarCommand = ReevaluateAllCommand | ReevaluateBatchCommand;

export type EventsMessage =
  | { readonly kind: "event"; readonly event: DossierEvent }
  | { readonly kind: "reevaluate"; readonly command: ReevaluateCommand }
  | { readonly kind: "calendar"; readonly command: CalendarCommand };

/** Codes per `reevaluate-batch`: 500 codes of ≤ 40 characters stay far below SQS's 256 KB. */
export const REEVALUATE_BATCH_SIZE = 500;

const version = z.string().min(1).max(128);
const code = z.string().min(1).max(40);
const CommandSchema = z.discriminatedUnion("command", [
  z.strictObject({ command: z.literal("reevaluate"), dossierCode: code, calendarVersion: version }),
  z.strictObject({ command: z.literal("reevaluate-all"), calendarVersion: version }),
  z.strictObject({
    command: z.literal("reevaluate-batch"),
    calendarVersion: version,
    batch: z.number().int().min(0),
    dossierCodes: z.array(code).min(1).max(REEVALUATE_BATCH_SIZE),
  }),
]);

/** @throws InvalidInputError for a body that is not JSON, not an event, or a malformed command. */
export function parseEventsMessage(body: string): EventsMessage {
  const json = parseJson(body);
  if (json !== null && typeof json === "object" && "command" in json) {
    const command = parseWith(CommandSchema, json, "invalid command");
    return command.command === "reevaluate" ? { kind: "reevaluate", command } : { kind: "calendar", command };
  }
  return { kind: "event", event: parseDossierEvent(json) };
}

/**
 * MessageDeduplicationId of an event: its id qualified by its dossier, since event ids are unique
 * per dossier only and SQS deduplicates across the whole queue (default scope). SHA-256 when the
 * result is not a valid SQS id (over 128 characters, or not printable ASCII).
 */
export function eventDeduplicationId(dossierCode: string, eventId: string): string {
  const id = `${dossierCode}:${eventId}`;
  return SQS_ID.test(id) ? id : sha256(id);
}

export function reevaluateMessage(dossierCode: string, calendarVersion: string): QueueMessage {
  const command: ReevaluateCommand = { command: "reevaluate", dossierCode, calendarVersion };
  return {
    body: JSON.stringify(command),
    groupId: dossierCode,
    deduplicationId: sha256(`reevaluate:${dossierCode}:${calendarVersion}`),
  };
}

/** One per stored calendar version; its own FIFO group, so it never waits behind a dossier. */
export function reevaluateAllMessage(calendarVersion: string): QueueMessage {
  const command: ReevaluateAllCommand = { command: "reevaluate-all", calendarVersion };
  return {
    body: JSON.stringify(command),
    groupId: `calendar:${sha256(calendarVersion).slice(0, 16)}`,
    deduplicationId: sha256(`reevaluate-all:${calendarVersion}`),
  };
}

/** Batches in their own groups, so the worker fans them out in parallel. */
export function reevaluateBatchMessage(
  calendarVersion: string,
  batch: number,
  dossierCodes: readonly string[],
): QueueMessage {
  const command: ReevaluateBatchCommand = {
    command: "reevaluate-batch",
    calendarVersion,
    batch,
    dossierCodes,
  };
  return {
    body: JSON.stringify(command),
    groupId: `calendar:${sha256(calendarVersion).slice(0, 16)}:${batch}`,
    deduplicationId: sha256(`reevaluate-batch:${calendarVersion}:${batch}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Notify and apology queues

export interface AlertMessage {
  readonly type: "alert";
  readonly dedupeKey: string;
  readonly alert: AgendaAlert;
}

/** One leader's digest for one local date (alerts' buildDigests, rendered with letters' digest table). */
export interface DigestMessage {
  readonly type: "digest";
  readonly dedupeKey: string;
  readonly date: string;
  readonly recipientRole: string;
  readonly recipientId?: string;
  readonly agencyId?: string;
  readonly unitId?: string;
  readonly channel: "sms" | "email";
  readonly unitName: string;
  readonly rows: readonly DigestRow[];
}

export type NotifyMessage = AlertMessage | DigestMessage;

export interface ApologyRequestMessage {
  readonly type: "apology-draft-requested";
  readonly dedupeKey: string;
  readonly alert: AgendaAlert;
}

const AgendaAlertSchema = z.looseObject({
  at: z.string(),
  dedupeKey: z.string().min(1),
  rule: z.string().min(1),
  kind: z.enum(["notice", "apology-draft-requested"]),
  recipientRole: z.string().min(1),
  recipientId: z.string().optional(),
  channel: z.enum(["sms", "email"]),
  dossierCode: z.string().min(1),
  agencyId: z.string().min(1),
  appointmentVersion: z.number().int(),
  dueAt: z.string().optional(),
  expiresAt: z.string().optional(),
  context: z.looseObject({ procedureName: z.string(), agencyName: z.string(), unitName: z.string() }),
});

const NotifySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("alert"), dedupeKey: z.string().min(1), alert: AgendaAlertSchema }),
  z.strictObject({
    type: z.literal("digest"),
    dedupeKey: z.string().min(1),
    date: z.string(),
    recipientRole: z.string(),
    recipientId: z.string().optional(),
    agencyId: z.string().optional(),
    unitId: z.string().optional(),
    channel: z.enum(["sms", "email"]),
    unitName: z.string(),
    rows: z.array(
      z.strictObject({
        dossierCode: z.string(),
        procedureName: z.string(),
        handlerName: z.string(),
        dueAt: z.string(),
        daysOverdue: z.number(),
        apologyStatus: z.enum(DIGEST_APOLOGY_STATUSES),
        clockStopped: z.enum(["paused", "awaiting-supplement"]).optional(),
      }),
    ),
  }),
]);

const ApologyRequestSchema = z.strictObject({
  type: z.literal("apology-draft-requested"),
  dedupeKey: z.string().min(1),
  alert: AgendaAlertSchema,
});

export function parseNotifyMessage(body: string): NotifyMessage {
  return parseBody(NotifySchema, body, "notify message");
}

export function parseApologyRequest(body: string): ApologyRequestMessage {
  return parseBody(ApologyRequestSchema, body, "apology request");
}

export function alertMessage(alert: AgendaAlert): QueueMessage {
  if (alert.kind === "apology-draft-requested") {
    const message: ApologyRequestMessage = {
      type: "apology-draft-requested",
      dedupeKey: alert.dedupeKey,
      alert,
    };
    return { body: JSON.stringify(message) };
  }
  const message: AlertMessage = { type: "alert", dedupeKey: alert.dedupeKey, alert };
  return { body: JSON.stringify(message) };
}

// ---------------------------------------------------------------------------------------------

/** SQS MessageGroupId / MessageDeduplicationId: 1–128 printable ASCII characters. */
const SQS_ID = /^[!-~]{1,128}$/;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidInputError("the message body is not JSON");
  }
}

function parseBody<T extends z.ZodType>(schema: T, body: string, what: string): z.output<T> {
  return parseWith(schema, parseJson(body), `invalid ${what}`);
}
