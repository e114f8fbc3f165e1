import { formatInstant, parseInstant, type WorkingTime } from "../calendar/index.ts";
import {
  type DossierEventJson,
  type DossierState,
  describeDossier,
  dueSoonBound,
  type InProgressStatus,
  inProgressStatus,
  timeLeftText,
} from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";
import { maskEmail, maskPhone } from "../letters/notices/index.ts";
import { type Actor, assertVisible, inScope, readScope, requireGroup } from "./actor.ts";
import type { Clock } from "./clock.ts";
import type { DirectoryRepository } from "./directory.ts";
import type { AgendaAlert, AppAlertLog, AppDossierRepository, OpenStatus } from "./dossier-records.ts";
import type {
  DeliveryAttempt,
  DossierHolder,
  DossierListing,
  DossierListingRow,
  DossierQuery,
} from "./ports.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface DossierLookupPorts {
  readonly dossiers: AppDossierRepository;
  readonly dossierQuery: DossierQuery;
  readonly alerts: AppAlertLog;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  /** Tells a unit leader from an agency leader (`readScope`). */
  readonly directories: DirectoryRepository;
}

/** A unit leader's listing reads at most this many index pages to fill one page of theirs. */
const MAX_SCOPED_PAGES = 10;

export interface SentAlertView {
  readonly dedupeKey: string;
  readonly rule: string;
  readonly recipientRole: string;
  readonly recipientId: string | undefined;
  readonly channel: string;
  readonly at: string;
  readonly doneAt: string;
  readonly status: string;
  readonly deliveries: readonly DeliveryAttempt[];
}

export interface DossierView {
  readonly dossier: DossierState;
  readonly version: number;
  /**
   * Office time left until the legal due instant, or past it, in words ("còn 2 ngày 3 giờ",
   * "quá hạn 1 ngày 4 giờ"); null once the dossier is finished or closed. While the clock is
   * stopped it is the time left when it stopped.
   */
  readonly timeLeft: string | null;
  /** The event log as stored, the applicant's contacts masked. */
  readonly timeline: readonly DossierEventJson[];
  readonly alerts: {
    readonly sent: readonly SentAlertView[];
    readonly planned: readonly Pick<AgendaAlert, "dedupeKey" | "rule" | "recipientRole" | "channel" | "at">[];
  };
}

export interface ListQuery {
  readonly status: OpenStatus;
  /**
   * Only those past their legal due instant now ("overdue"), or still on time and due within
   * the domain's warning window, one working day of office time ("soon": sắp đến hạn).
   */
  readonly due?: "overdue" | "soon";
  /** Only those a handler holds (their staff id); `mine` is the caller's own staff id. */
  readonly handler?: string;
  readonly mine?: boolean;
  /** Only those a unit holds. */
  readonly unit?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** What the listing says of a dossier (dossier-records.ts `listingOf`), each field checked when read. */
export interface DossierListSummary {
  readonly procedureName: string | null;
  readonly unitId: string | null;
  /** The unit that made it late (a unit leader's scope includes it). */
  readonly delayUnitId: string | null;
  readonly handlerId: string | null;
  /** The current appointment (ISO). */
  readonly appointment: string | null;
  readonly apologyIssued: boolean;
  /** The open step's task ("Thẩm định hồ sơ"): the holder's next piece of work. */
  readonly stepTask: string | null;
  /** The open step's own due instant (its allotment), when the transfer gave one. */
  readonly stepDueAt: string | null;
}

/** One row of `GET /dossiers`. */
export interface DossierListItem {
  readonly dossierCode: string;
  readonly version: number;
  readonly status: OpenStatus;
  /** The legal due instant; null while the clock is stopped. */
  readonly dueAt: string | null;
  /** Its class now, by the domain's rule (timeliness.ts); null while the clock is stopped. */
  readonly timeliness: InProgressStatus | null;
  /** Office time left until the legal due instant now (negative once overdue); null while stopped. */
  readonly remainingOfficeMs: number | null;
  /** The same in words ("còn 2 ngày 3 giờ", "quá hạn 1 ngày 4 giờ"); null while stopped. */
  readonly timeLeft: string | null;
  readonly summary: DossierListSummary;
  /** The stored listing as the index holds it. */
  readonly listing: DossierListing;
}

export interface DossierListPage {
  readonly items: readonly DossierListItem[];
  readonly cursor: string | undefined;
}

/** What staff read about dossiers, always within their own agency (another agency's dossier is "not found"). */
export class DossierLookup {
  readonly #ports: DossierLookupPorts;

  constructor(ports: DossierLookupPorts) {
    this.#ports = ports;
  }

  async get(actor: Actor, code: string): Promise<DossierView> {
    requireGroup(actor, "handler", "leader", "admin");
    const loaded = await this.#ports.dossiers.load(code);
    const dossier = assertVisible(actor, code, loaded?.state);
    const { workingTime } = await this.#ports.workingTime.current();
    const state = describeDossier(dossier, this.#ports.clock.now(), workingTime);
    const agenda = loaded?.agenda ?? [];
    const done = agenda.filter((entry) => entry.doneAt !== undefined);
    // One batch read for every alert sent (hundreds on a long dossier), not one read each.
    const records = await this.#ports.alerts.getMany(done.map((entry) => entry.alert.dedupeKey));
    return {
      dossier: { ...state, applicant: maskApplicant(state.applicant) },
      version: loaded?.version ?? 0,
      timeLeft:
        state.phase === "in-progress" || state.phase === "paused" || state.phase === "awaiting-supplement"
          ? timeLeftText(state.remaining.officeMs, state.status === "qua-han")
          : null,
      timeline: (loaded?.events ?? []).map(maskEvent),
      alerts: {
        sent: done.map((entry) => ({
          dedupeKey: entry.alert.dedupeKey,
          rule: entry.alert.rule,
          recipientRole: entry.alert.recipientRole,
          recipientId: entry.alert.recipientId,
          channel: entry.alert.channel,
          at: entry.alert.at,
          doneAt: entry.doneAt!,
          status: records.get(entry.alert.dedupeKey)?.status ?? "unknown",
          deliveries: records.get(entry.alert.dedupeKey)?.deliveries ?? [],
        })),
        planned: agenda
          .filter((entry) => entry.doneAt === undefined)
          .map(({ alert }) => ({
            dedupeKey: alert.dedupeKey,
            rule: alert.rule,
            recipientRole: alert.recipientRole,
            channel: alert.channel,
            at: alert.at,
          }))
          .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
      },
    };
  }

  /**
   * The agency's dossiers in one status, soonest due first: all of them, or those one handler or
   * one unit holds, optionally only the overdue or the due-soon ones — each page one index Query
   * (dossier-query port). A unit leader's only those their unit holds or made late (the listing's
   * `unitId` and `delayUnitId`), read page after page of the index until a page of theirs is full
   * (at most MAX_SCOPED_PAGES index pages; the cursor continues from there).
   */
  async list(actor: Actor, query: ListQuery): Promise<DossierListPage> {
    requireGroup(actor, "handler", "leader", "admin");
    const holder = holderOf(actor, query);
    const scope = readScope(actor, await this.#ports.directories.get(actor.agencyId));
    const now = this.#ports.clock.now();
    const { workingTime } = await this.#ports.workingTime.current();
    const window =
      query.due === "overdue"
        ? { dueBefore: formatInstant(now) }
        : query.due === "soon"
          ? { dueFrom: formatInstant(now), dueBefore: formatInstant(dueSoonBound(now, workingTime)) }
          : {};
    const read = (cursor: string | undefined) =>
      this.#ports.dossierQuery.byAgencyStatus(actor.agencyId, query.status, {
        ...window,
        ...(holder === undefined ? {} : { holder }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    const item = (row: DossierListingRow) => listItem(row, query.status, now, workingTime);
    if (scope.kind === "agency") {
      const page = await read(query.cursor);
      return { items: page.items.map(item), cursor: page.cursor };
    }
    const items: DossierListItem[] = [];
    let cursor = query.cursor;
    for (let pages = 0; pages < MAX_SCOPED_PAGES; pages++) {
      const page = await read(cursor);
      items.push(
        ...page.items
          .filter((row) => inScope(scope, [unitIdOf(row, "unitId"), unitIdOf(row, "delayUnitId")]))
          .map(item),
      );
      cursor = page.cursor;
      // A page of theirs is full at the page size asked (the listing's default, 100, otherwise).
      if (cursor === undefined || items.length >= (query.limit ?? 100)) break;
    }
    return { items, cursor };
  }
}

/** At most one holder: a handler (named, or the caller with `mine`) or a unit. */
function holderOf(actor: Actor, query: ListQuery): DossierHolder | undefined {
  const asked = [query.handler !== undefined, query.mine === true, query.unit !== undefined];
  if (asked.filter(Boolean).length > 1) {
    throw new InvalidInputError("choose one of handler, mine and unit");
  }
  if (query.mine === true) {
    if (actor.staffId === undefined) {
      throw new InvalidInputError("mine=1 needs a staff id (custom:staffId) on the caller's token");
    }
    return { handlerId: actor.staffId };
  }
  if (query.handler !== undefined) return { handlerId: query.handler };
  if (query.unit !== undefined) return { unitId: query.unit };
  return undefined;
}

function listItem(
  row: DossierListingRow,
  status: OpenStatus,
  now: number,
  workingTime: WorkingTime,
): DossierListItem {
  const dueAt = row.listing.dueAt ?? null;
  const due = dueAt === null ? undefined : parseInstant(dueAt);
  const summary = row.listing.summary ?? {};
  const text = (key: string) => {
    const value = summary[key];
    return typeof value === "string" ? value : null;
  };
  const timeliness = due === undefined ? null : inProgressStatus(due, now, workingTime);
  const remainingOfficeMs =
    due === undefined ? null : workingTime.officeTimeAt(due) - workingTime.officeTimeAt(now);
  return {
    dossierCode: row.dossierCode,
    version: row.version,
    status,
    dueAt,
    timeliness,
    remainingOfficeMs,
    timeLeft: remainingOfficeMs === null ? null : timeLeftText(remainingOfficeMs, timeliness === "qua-han"),
    summary: {
      procedureName: text("procedureName"),
      unitId: text("unitId"),
      delayUnitId: text("delayUnitId"),
      handlerId: text("handlerId"),
      appointment: text("appointment"),
      apologyIssued: summary.apologyIssued === true,
      stepTask: text("stepTask"),
      stepDueAt: text("stepDueAt"),
    },
    listing: row.listing,
  };
}

function unitIdOf(row: DossierListingRow, key: "unitId" | "delayUnitId"): string | undefined {
  const value = row.listing.summary?.[key];
  return typeof value === "string" ? value : undefined;
}

type Applicant = DossierState["applicant"];

/** NĐ 13/2023/NĐ-CP: staff see that a contact exists and its shape, not the contact. */
export function maskApplicant(applicant: Applicant): Applicant {
  return {
    ...applicant,
    ...(applicant.phone === undefined ? {} : { phone: maskPhone(applicant.phone) }),
    ...(applicant.email === undefined ? {} : { email: maskEmail(applicant.email) }),
    ...(applicant.address === undefined ? {} : { address: "***" }),
  };
}

function maskEvent(event: DossierEventJson): DossierEventJson {
  if (event.type !== "received") return event;
  const applicant = event.applicant;
  return {
    ...event,
    applicant: {
      ...applicant,
      ...(applicant.phone === undefined ? {} : { phone: maskPhone(applicant.phone) }),
      ...(applicant.email === undefined ? {} : { email: maskEmail(applicant.email) }),
      ...(applicant.address === undefined ? {} : { address: "***" }),
    },
  };
}
