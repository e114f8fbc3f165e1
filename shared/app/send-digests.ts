import { type AlertPolicyBook, buildDigests, DEFAULT_POLICY_BOOK, type Digest } from "../alerts/index.ts";
import {
  formatInstant,
  instantOfLocal,
  isoDate,
  localEpochDay,
  parseClock,
  WORKING_DAY_MS,
} from "../calendar/index.ts";
import { forEachLimit } from "../concurrency.ts";
import { DEFAULT_DOSSIER_POLICY, type Dossier, type DossierPolicy } from "../dossier/index.ts";
import type { DigestRow } from "../letters/notices/index.ts";
import type { Clock } from "./clock.ts";
import { type AgencyDirectory, type DirectoryRepository, toDomainDirectory } from "./directory.ts";
import {
  type AgendaAlert,
  type AppAlertLog,
  type AppDossierRepository,
  OPEN_STATUSES,
} from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import type { DigestMessage } from "./messages.ts";
import type { DossierQuery } from "./ports.ts";
import type { MessageQueue } from "./queue.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface SendDigestsPorts {
  readonly dossierQuery: DossierQuery;
  readonly dossiers: AppDossierRepository;
  readonly directories: DirectoryRepository;
  readonly alerts: AppAlertLog;
  readonly notifyQueue: MessageQueue;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  readonly logger: AppLogger;
}

export interface SendDigestsOptions {
  readonly book?: AlertPolicyBook;
  readonly dossierPolicy?: DossierPolicy;
}

export type DigestRun =
  | { readonly date: string; readonly skipped: "day-off" | "disabled" | "too-early" }
  | {
      readonly date: string;
      readonly skipped?: undefined;
      /** Overdue open dossiers found through the listing index. */
      readonly overdue: number;
      readonly digests: number;
      /** Digests this run claimed and queued; the others were claimed before (a retry, an overlap). */
      readonly queued: number;
    };

/**
 * The leaders' daily digest. The schedule fires at 07:30 Monday to Saturday; this decides whether
 * today is a working day (a làm bù Saturday is; a holiday or a swapped day off is not), lists the
 * overdue open dossiers through the `by-agency-status` index, folds them into one digest per leader
 * (alerts' buildDigests) and queues each one for the notify function, claimed per leader per date
 * so a retried or repeated run sends nothing twice.
 */
export class SendDigests {
  readonly #ports: SendDigestsPorts;
  readonly #book: AlertPolicyBook;
  readonly #dossierPolicy: DossierPolicy;

  constructor(ports: SendDigestsPorts, options: SendDigestsOptions = {}) {
    this.#ports = ports;
    this.#book = options.book ?? DEFAULT_POLICY_BOOK;
    this.#dossierPolicy = options.dossierPolicy ?? DEFAULT_DOSSIER_POLICY;
  }

  async run(): Promise<DigestRun> {
    const { clock, logger } = this.#ports;
    const now = clock.now();
    const day = localEpochDay(now);
    const date = isoDate(day);
    const policy = this.#book.defaults;
    const { workingTime } = await this.#ports.workingTime.current({ fresh: true });
    let skipped: "day-off" | "disabled" | "too-early" | undefined;
    if (!policy.digest.enabled) skipped = "disabled";
    else if (!workingTime.isWorkingDay(day)) skipped = "day-off";
    else if (now < instantOfLocal(day, parseClock(policy.digest.at))) skipped = "too-early";
    if (skipped !== undefined) {
      logger.info("digest skipped", { date, skipped });
      return { date, skipped };
    }

    const directories = await this.#ports.directories.list();
    const codes = await this.#overdueCodes(directories, formatInstant(now));
    const dossiers: Dossier[] = [];
    await forEachLimit(codes, 8, async (code) => {
      const state = (await this.#ports.dossiers.load(code))?.state;
      if (state) dossiers.push(state);
    });
    const directory = toDomainDirectory(directories);
    const digests = buildDigests(dossiers, now, policy, { workingTime, directory }, this.#dossierPolicy);

    const people = new Map(directories.map((d) => [d.agencyId, d]));
    let queued = 0;
    for (const digest of digests) {
      const claimed = await this.#ports.alerts.claim(digest.dedupeKey, {
        alert: digestRecord(digest),
        claimedAt: formatInstant(now),
      });
      if (!claimed) continue;
      await this.#ports.notifyQueue.send([{ body: JSON.stringify(digestMessage(digest, people)) }]);
      // Only over "claimed": notify may have handled it already, and its outcome stands.
      await this.#ports.alerts.transition(digest.dedupeKey, "claimed", {
        status: "queued",
        at: formatInstant(now),
      });
      queued += 1;
    }
    const result = { date, overdue: dossiers.length, digests: digests.length, queued };
    logger.info("digest done", result);
    return result;
  }

  /** The codes of open dossiers whose legal due instant has passed, agency by agency. */
  async #overdueCodes(directories: readonly AgencyDirectory[], nowIso: string): Promise<string[]> {
    const codes = new Set<string>();
    for (const { agencyId } of directories) {
      for (const status of OPEN_STATUSES) {
        let cursor: string | undefined;
        do {
          const page = await this.#ports.dossierQuery.byAgencyStatus(agencyId, status, {
            dueBefore: nowIso,
            limit: 500,
            ...(cursor === undefined ? {} : { cursor }),
          });
          for (const row of page.items) codes.add(row.dossierCode);
          cursor = page.cursor;
        } while (cursor !== undefined);
      }
    }
    return [...codes];
  }
}

/** The alert record a digest is claimed under (one per leader per local date). */
function digestRecord(digest: Digest): AgendaAlert {
  return {
    at: formatInstant(digest.at),
    dedupeKey: digest.dedupeKey,
    rule: digest.rule,
    kind: "notice",
    recipientRole: digest.recipientRole,
    recipientId: digest.recipientId,
    channel: digest.channel,
    // A digest is about many dossiers; the record names none.
    dossierCode: "digest",
    agencyId: digest.agencyId ?? "-",
    unitId: digest.unitId,
    appointmentVersion: 0,
    context: { procedureName: "-", agencyName: "-", unitName: "-" },
  };
}

function digestMessage(digest: Digest, directories: ReadonlyMap<string, AgencyDirectory>): DigestMessage {
  const agency = digest.agencyId === undefined ? undefined : directories.get(digest.agencyId);
  const unitName =
    (digest.unitId === undefined ? undefined : agency?.units[digest.unitId]?.name) ??
    agency?.name ??
    "Lãnh đạo";
  const rows: DigestRow[] = digest.entries.map((entry) => {
    const handler =
      entry.handlerId === undefined ? undefined : directories.get(entry.agencyId)?.people[entry.handlerId];
    return {
      dossierCode: entry.dossier,
      procedureName: entry.procedure,
      handlerName: handler?.name ?? entry.handlerId ?? "Chưa phân công",
      dueAt: formatInstant(entry.legalDueAt),
      daysOverdue: Math.max(0, Math.round((entry.overdueOfficeMs / WORKING_DAY_MS) * 10) / 10),
      apologyStatus: entry.apologyIssued ? "sent" : "none",
      ...(entry.clockStopped === undefined ? {} : { clockStopped: entry.clockStopped }),
    };
  });
  return {
    type: "digest",
    dedupeKey: digest.dedupeKey,
    date: digest.date,
    recipientRole: digest.recipientRole,
    recipientId: digest.recipientId,
    agencyId: digest.agencyId,
    unitId: digest.unitId,
    channel: digest.channel,
    unitName,
    rows,
  };
}
