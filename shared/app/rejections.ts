import type { DomainError } from "../errors.ts";
import { type Actor, requireGroup } from "./actor.ts";
import type { AppDossierRepository } from "./dossier-records.ts";
import type { Page } from "./ports.ts";

/**
 * The events the worker refused (docs/dossier-events.md, "Refused events"): a refusal is kept
 * beside the events DLQ so that the agency's admins can list it and the sending system can ask
 * what became of an event. No personal data: ids, the event type, the error's code, rule and
 * message (a domain error's message names ids, types, instants and rules, never a person).
 */
export interface Rejection {
  readonly eventId: string;
  readonly dossierCode: string;
  /** The agency that received the dossier; absent when the table knows no such dossier. */
  readonly agencyId?: string | undefined;
  /** The event's type as sent; absent when the message was not an event at all. */
  readonly type?: string | undefined;
  readonly reason: string;
  /** `INVALID_INPUT`, `CONFLICT`, … (shared/errors.ts). */
  readonly errorCode: string;
  /** The domain rule that refused it (`once:apology-issued`, `after-received`, …), when it names one. */
  readonly rule?: string | undefined;
  /** When the worker refused it (ISO instant). */
  readonly at: string;
}

/**
 * A refusal as the admins' list shows it: with whether the dossier it names is stored now (so the
 * dashboard links its page only when there is one: a refused `received` leaves no dossier).
 */
export interface RejectionView extends Rejection {
  readonly dossierKnown: boolean;
}

/** `GET /rejections`: one page of the agency's refused events, newest first. */
export type RejectionPage = Page<RejectionView>;

export const DEFAULT_REJECTION_PAGE_SIZE = 50;
export const MAX_REJECTION_PAGE_SIZE = 100;
/** How long a refusal is kept (TTL): long enough to be noticed and resent. */
export const REJECTION_RETENTION_DAYS = 90;

/** The store of refusals (shared/adapters/dynamodb/rejection-log.dynamodb.ts). */
export interface RejectionLog {
  /**
   * Records a refusal, once: a second record of the same dossier and event id keeps the first
   * (a retried worker record lists it once).
   */
  record(rejection: Rejection): Promise<void>;
  find(dossierCode: string, eventId: string): Promise<Rejection | undefined>;
  /** One agency's refusals, newest first. */
  listByAgency(
    agencyId: string,
    options?: { readonly limit?: number | undefined; readonly cursor?: string | undefined },
  ): Promise<Page<Rejection>>;
}

/** What the sender learns of one event id. */
export type EventStatus =
  | { readonly eventId: string; readonly dossierCode: string; readonly status: "applied" }
  | {
      readonly eventId: string;
      readonly dossierCode: string;
      readonly status: "refused";
      readonly reason: string;
      readonly errorCode: string;
      readonly rule?: string | undefined;
      readonly at: string;
    }
  /** Neither applied nor refused yet: still queued (or never received, which the sender knows). */
  | { readonly eventId: string; readonly dossierCode: string; readonly status: "accepted" };

export interface RejectionsPorts {
  readonly rejections: RejectionLog;
  readonly dossiers: Pick<AppDossierRepository, "load">;
}

export class Rejections {
  constructor(private readonly ports: RejectionsPorts) {}

  /**
   * The caller's agency's refused events, newest first, each saying whether its dossier is stored
   * (one load per distinct dossier code of the page): admins only.
   */
  async list(
    actor: Actor,
    request: { readonly limit?: number | undefined; readonly cursor?: string | undefined } = {},
  ): Promise<RejectionPage> {
    requireGroup(actor, "admin");
    const page = await this.ports.rejections.listByAgency(actor.agencyId, request);
    const codes = [...new Set(page.items.map((item) => item.dossierCode))];
    const known = new Set<string>();
    await Promise.all(
      codes.map(async (code) => {
        const loaded = await this.ports.dossiers.load(code);
        if (loaded !== undefined && loaded.state !== null) known.add(code);
      }),
    );
    return {
      items: page.items.map((item) => ({ ...item, dossierKnown: known.has(item.dossierCode) })),
      cursor: page.cursor,
    };
  }

  /**
   * The status of one event the e-one-stop system sent: applied when the dossier's log holds its
   * id, refused when a refusal was recorded, else accepted (still in the queue).
   */
  async status(dossierCode: string, eventId: string): Promise<EventStatus> {
    const loaded = await this.ports.dossiers.load(dossierCode);
    if (loaded?.events.some((event) => event.id === eventId)) {
      return { eventId, dossierCode, status: "applied" };
    }
    const refused = await this.ports.rejections.find(dossierCode, eventId);
    if (refused !== undefined) {
      return {
        eventId,
        dossierCode,
        status: "refused",
        reason: refused.reason,
        errorCode: refused.errorCode,
        ...(refused.rule === undefined ? {} : { rule: refused.rule }),
        at: refused.at,
      };
    }
    return { eventId, dossierCode, status: "accepted" };
  }
}

/**
 * The ids a refused message names, read without trusting it: a body that is not JSON, or that
 * names no dossier code and event id, gives undefined (its refusal stays in the DLQ only).
 */
export function namedEvent(
  body: string,
): { eventId: string; dossierCode: string; type?: string; agencyId?: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { id, dossierCode, type, agency } = value as Record<string, unknown>;
  if (typeof id !== "string" || id.length === 0 || id.length > 200) return undefined;
  if (typeof dossierCode !== "string" || !/^[^#]{1,100}$/.test(dossierCode)) return undefined;
  const agencyId =
    type === "received" && typeof agency === "object" && agency !== null
      ? (agency as Record<string, unknown>).id
      : undefined;
  return {
    eventId: id,
    dossierCode,
    ...(typeof type === "string" && type.length <= 50 ? { type } : {}),
    ...(typeof agencyId === "string" && /^[^#]{1,100}$/.test(agencyId) ? { agencyId } : {}),
  };
}

/** The rule a domain error names in its details, if any. */
export function ruleOf(error: DomainError): string | undefined {
  const rule = error.details?.rule;
  return typeof rule === "string" ? rule : undefined;
}
