import { formatInstant } from "../calendar/index.ts";
import { type DossierEventJson, type DossierState, describeDossier } from "../dossier/index.ts";
import { maskEmail, maskPhone } from "../letters/notices/index.ts";
import { type Actor, assertVisible, inScope, readScope, requireGroup } from "./actor.ts";
import type { Clock } from "./clock.ts";
import type { DirectoryRepository } from "./directory.ts";
import type { AgendaAlert, AppAlertLog, AppDossierRepository } from "./dossier-records.ts";
import type { DeliveryAttempt, DossierListingRow, DossierQuery, Page } from "./ports.ts";
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
  /** The event log as stored, the applicant's contacts masked. */
  readonly timeline: readonly DossierEventJson[];
  readonly alerts: {
    readonly sent: readonly SentAlertView[];
    readonly planned: readonly Pick<AgendaAlert, "dedupeKey" | "rule" | "recipientRole" | "channel" | "at">[];
  };
}

export interface ListQuery {
  readonly status: string;
  /** Only those past their legal due instant now. */
  readonly overdue?: boolean;
  readonly limit?: number;
  readonly cursor?: string;
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
    const records = await Promise.all(done.map((entry) => this.#ports.alerts.get(entry.alert.dedupeKey)));
    return {
      dossier: { ...state, applicant: maskApplicant(state.applicant) },
      version: loaded?.version ?? 0,
      timeline: (loaded?.events ?? []).map(maskEvent),
      alerts: {
        sent: done.map((entry, i) => ({
          dedupeKey: entry.alert.dedupeKey,
          rule: entry.alert.rule,
          recipientRole: entry.alert.recipientRole,
          recipientId: entry.alert.recipientId,
          channel: entry.alert.channel,
          at: entry.alert.at,
          doneAt: entry.doneAt!,
          status: records[i]?.status ?? "unknown",
          deliveries: records[i]?.deliveries ?? [],
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
   * The agency's dossiers in one status; a unit leader's only those their unit holds or made late
   * (the listing's `unitId` and `delayUnitId`), read page after page of the index until a page
   * of theirs is full (at most MAX_SCOPED_PAGES index pages; the cursor continues from there).
   */
  async list(actor: Actor, query: ListQuery): Promise<Page<DossierListingRow>> {
    requireGroup(actor, "handler", "leader", "admin");
    const scope = readScope(actor, await this.#ports.directories.get(actor.agencyId));
    const read = (cursor: string | undefined) =>
      this.#ports.dossierQuery.byAgencyStatus(actor.agencyId, query.status, {
        ...(query.overdue ? { dueBefore: formatInstant(this.#ports.clock.now()) } : {}),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
    if (scope.kind === "agency") return read(query.cursor);
    const items: DossierListingRow[] = [];
    let cursor = query.cursor;
    for (let pages = 0; pages < MAX_SCOPED_PAGES; pages++) {
      const page = await read(cursor);
      items.push(
        ...page.items.filter((row) =>
          inScope(scope, [unitIdOf(row, "unitId"), unitIdOf(row, "delayUnitId")]),
        ),
      );
      cursor = page.cursor;
      // A page of theirs is full at the page size asked (the listing's default, 100, otherwise).
      if (cursor === undefined || items.length >= (query.limit ?? 100)) break;
    }
    return { items, cursor };
  }
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
