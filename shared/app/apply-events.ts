import { type AlertPolicyBook, DEFAULT_POLICY_BOOK, planAlerts, policyFor } from "../alerts/index.ts";
import { formatInstant, type WorkingTime } from "../calendar/index.ts";
import { canonicalJson } from "../canonical-json.ts";
import {
  DEFAULT_DOSSIER_POLICY,
  type Dossier,
  type DossierEvent,
  type DossierEventJson,
  type DossierPolicy,
  decide,
  dossierEventToJson,
  foldDossier,
  parseStoredDossierEvent,
  promisedAppointments,
  reevaluate,
} from "../dossier/index.ts";
import { DomainError } from "../errors.ts";
import { type CounterStore, counterDeltas } from "../reports/index.ts";
import { agenciesOf } from "./actor.ts";
import { type AppApologyDraftRepository, withdrawPendingDrafts } from "./apology-drafts.ts";
import { type BatchResult, processFifo, type QueueRecord } from "./batch.ts";
import type { CalendarReevaluation } from "./calendar-reevaluation.ts";
import type { Clock } from "./clock.ts";
import { type DirectoryRepository, DirectorySession } from "./directory.ts";
import {
  type AgendaAlert,
  type AppDossierRepository,
  type DossierSnapshot,
  listingOf,
  nextAgenda,
  sameAgenda,
  toAgendaAlert,
} from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { type CalendarCommand, parseEventsMessage, type ReevaluateCommand } from "./messages.ts";
import { ConcurrencyError, type DossierListing, type LoadedDossier } from "./ports.ts";
import type { MessageQueue } from "./queue.ts";
import { namedEvent, type RejectionLog, ruleOf } from "./rejections.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export type ApplyOutcome = "applied" | "duplicate" | "unchanged" | "dead-lettered";

export interface ApplyEventsPorts {
  readonly dossiers: AppDossierRepository;
  readonly directories: DirectoryRepository;
  readonly workingTime: WorkingTimeProvider;
  /** The events queue's dead-letter queue: poison messages go there with their reason. */
  readonly deadLetters: MessageQueue;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** The report counters (docs/reports.md), kept current with each change saved; none: not counted. */
  readonly counters?: CounterStore | undefined;
  /** Fans a calendar change out to the open dossiers (`reevaluate-all` / `reevaluate-batch`). */
  readonly reevaluation: CalendarReevaluation;
  /**
   * The apology drafts: a dossier that ends before its apology went out has its waiting draft
   * withdrawn (`withdrawPendingDrafts`). None: drafts are left as they are.
   */
  readonly drafts?: AppApologyDraftRepository | undefined;
  /**
   * Where a refused event is recorded for the agency's admins and the sender's status question
   * (shared/app/rejections.ts). None: the DLQ and the log line only.
   */
  readonly rejections?: RejectionLog | undefined;
}

export interface ApplyEventsOptions {
  readonly book?: AlertPolicyBook;
  readonly dossierPolicy?: DossierPolicy;
}

/** SQS message attribute values are at most 256 KB; a reason is kept short and readable. */
const MAX_REASON = 1000;

/**
 * The worker: applies each message of the events FIFO queue to its dossier — load, `decide`,
 * fold, plan the alerts, save with the version condition (state, log, agenda difference and
 * listing in one transaction).
 *
 * - duplicate event: nothing is written (state, version and agenda stay as they are);
 * - stale version (ConcurrencyError) or any non-domain error: transient — the record fails, and so
 *   do the later records of its group, for SQS to retry them in order;
 * - poison (not JSON, fails the schema, a refused fact such as a second apology): recorded as a
 *   refusal when it names a dossier and an event id, sent to the dead-letter queue with message
 *   attributes `reason` and `errorCode`, and reported done.
 */
export class ApplyEvents {
  readonly #ports: ApplyEventsPorts;
  readonly #book: AlertPolicyBook;
  readonly #dossierPolicy: DossierPolicy;

  constructor(ports: ApplyEventsPorts, options: ApplyEventsOptions = {}) {
    this.#ports = ports;
    this.#book = options.book ?? DEFAULT_POLICY_BOOK;
    this.#dossierPolicy = options.dossierPolicy ?? DEFAULT_DOSSIER_POLICY;
  }

  async applyBatch(records: readonly QueueRecord[]): Promise<BatchResult> {
    const session = new DirectorySession(this.#ports.directories);
    const result = await processFifo(records, (record) => this.#applyRecord(record, session));
    for (const failure of result.failures) {
      this.#ports.logger.warn("event left for SQS to retry", {
        messageId: failure.messageId,
        reason: failure.reason,
      });
    }
    return result;
  }

  async #applyRecord(record: QueueRecord, session: DirectorySession): Promise<ApplyOutcome> {
    try {
      const message = parseEventsMessage(record.body);
      const outcome =
        message.kind === "event"
          ? await this.#applyEvent(message.event, session)
          : message.kind === "reevaluate"
            ? await this.#reevaluate(message.command, session)
            : await this.#fanOut(message.command);
      this.#ports.logger.debug("message applied", { messageId: record.messageId, outcome });
      return outcome;
    } catch (error) {
      if (error instanceof DomainError && !(error instanceof ConcurrencyError)) {
        await this.#deadLetter(record, error);
        return "dead-lettered";
      }
      throw error;
    }
  }

  async #applyEvent(event: DossierEvent, session: DirectorySession): Promise<ApplyOutcome> {
    const { dossiers, clock } = this.#ports;
    const loaded = await dossiers.load(event.dossierCode);
    const stored = (loaded?.events ?? []).map((json) => parseStoredDossierEvent(json));
    if (decide(stored, normalized(event)).outcome === "duplicate") {
      await this.#recount(loaded, stored, event);
      // A retry of a record whose save succeeded and whose withdrawal did not: withdraw again.
      if (loaded?.state != null && loaded.events.at(-1)?.id === event.id) {
        await this.#withdrawDrafts(loaded.state);
      }
      return "duplicate";
    }

    const events = [...stored, event];
    const now = clock.now();
    let state: DossierSnapshot = null;
    let plan: AgendaAlert[] = [];
    let listing: DossierListing | undefined;
    let counted: (() => Promise<void>) | undefined;
    // Events may arrive before their dossier's reception: they are kept, and folded once it comes.
    if (events.some((e) => e.type === "received")) {
      const { workingTime } = await this.#ports.workingTime.current();
      const previous = loaded?.state ?? null;
      const keep = previous !== null && this.#dossierPolicy.keepPromisedAppointment;
      const dossier = foldDossier(
        events,
        workingTime,
        keep ? { promised: promisedAppointments(previous) } : {},
      );
      state = dossier;
      plan = await this.#plan(dossier, workingTime, session);
      listing = listingOf(dossier, now, workingTime);
      counted = () => this.#count(eventApplyId(event), previous ?? undefined, dossier, workingTime, now);
    }
    await this.#save(loaded, event.dossierCode, [event], state, listing, plan, now);
    // Only after the save: a refused save (stale version) counts nothing and is retried whole.
    await counted?.();
    if (state !== null) await this.#withdrawDrafts(state);
    return "applied";
  }

  /** A dossier that ended before its apology went out needs no apology: its waiting draft is withdrawn. */
  async #withdrawDrafts(dossier: Dossier): Promise<void> {
    const { drafts } = this.#ports;
    if (drafts === undefined) return;
    const withdrawn = await withdrawPendingDrafts(drafts, dossier, this.#ports.clock.now());
    if (withdrawn.length > 0) {
      this.#ports.logger.info("apology drafts withdrawn: the dossier ended", {
        dossierCode: dossier.code,
        draftIds: withdrawn.join(","),
      });
    }
  }

  /**
   * Re-reads an open dossier on the calendar now stored (a year announced or corrected): the
   * appointments already given stay (the domain's `reevaluate`), the plan follows the new working
   * days, and alerts already sent stay sent — their dedupe keys do not change and are claimed.
   */
  async #reevaluate(command: ReevaluateCommand, session: DirectorySession): Promise<ApplyOutcome> {
    const { dossiers, clock } = this.#ports;
    const loaded = await dossiers.load(command.dossierCode);
    if (loaded === undefined || loaded.state === null) return "unchanged";
    const { workingTime } = await this.#ports.workingTime.current({ version: command.calendarVersion });
    const events = loaded.events.map((json) => parseStoredDossierEvent(json));
    const { dossier } = reevaluate(events, loaded.state, workingTime, this.#dossierPolicy);
    const now = clock.now();
    const plan = await this.#plan(dossier, workingTime, session);
    const listing = listingOf(dossier, now, workingTime);
    if (
      canonicalJson(dossier) === canonicalJson(loaded.state) &&
      canonicalJson(listing) === canonicalJson(loaded.listing) &&
      sameAgenda(loaded.agenda, nextAgenda(loaded.agenda, plan))
    ) {
      return "unchanged";
    }
    await this.#save(loaded, command.dossierCode, [], dossier, listing, plan, now);
    // Moved due instants move the projected overdue figures.
    await this.#count(
      `REEVALUATE#${command.dossierCode}#${loaded.version}`,
      loaded.state,
      dossier,
      workingTime,
      now,
    );
    return "applied";
  }

  /** A calendar command queues re-evaluations; it changes no dossier itself. */
  async #fanOut(command: CalendarCommand): Promise<ApplyOutcome> {
    await this.#ports.reevaluation.handle(command);
    return "applied";
  }

  async #count(applyId: string, before: Dossier | undefined, after: Dossier, wt: WorkingTime, now: number) {
    const { counters } = this.#ports;
    if (counters === undefined) return;
    const deltas = counterDeltas(before, after, wt);
    if (deltas.length > 0) await counters.apply(deltas, { applyId, at: now });
  }

  /**
   * A duplicate of the LAST event saved may be the SQS retry of a record whose save succeeded and
   * whose counting failed (the record failed, so no later event of its FIFO group was applied):
   * count it again — the counter store adds a change once per apply id, so when it was counted
   * this adds nothing. The change is re-derived from the log: the state before it, folded from
   * the events before it, and the state saved with it.
   */
  async #recount(
    loaded: LoadedDossier<DossierEventJson, DossierSnapshot, AgendaAlert> | undefined,
    stored: readonly DossierEvent[],
    event: DossierEvent,
  ): Promise<void> {
    if (this.#ports.counters === undefined || loaded?.state == null) return;
    const last = stored.at(-1);
    if (last === undefined || last.id !== event.id) return;
    const { workingTime } = await this.#ports.workingTime.current();
    const earlier = stored.slice(0, -1);
    const before = earlier.some((e) => e.type === "received") ? foldDossier(earlier, workingTime) : undefined;
    await this.#count(eventApplyId(event), before, loaded.state, workingTime, this.#ports.clock.now());
  }

  async #plan(dossier: Dossier, workingTime: WorkingTime, session: DirectorySession): Promise<AgendaAlert[]> {
    const directory = await session.domain(agenciesOf(dossier));
    const policy = policyFor(this.#book, dossier.received.agency.id);
    return planAlerts(dossier, policy, { workingTime, directory }).map((alert) =>
      toAgendaAlert(alert, dossier),
    );
  }

  async #save(
    loaded: LoadedDossier<DossierEventJson, DossierSnapshot, AgendaAlert> | undefined,
    code: string,
    newEvents: readonly DossierEvent[],
    state: DossierSnapshot,
    listing: DossierListing | undefined,
    plan: readonly AgendaAlert[],
    now: number,
  ): Promise<void> {
    const previous = loaded?.agenda ?? [];
    await this.#ports.dossiers.save({
      code,
      expectedVersion: loaded?.version,
      newEvents: newEvents.map((event) => dossierEventToJson(event)),
      state,
      listing,
      agenda: { previous, next: nextAgenda(previous, plan) },
      savedAt: formatInstant(now),
    });
  }

  async #deadLetter(record: QueueRecord, error: DomainError): Promise<void> {
    const reason =
      error.message.length > MAX_REASON ? `${error.message.slice(0, MAX_REASON - 1)}…` : error.message;
    // First: a failure to record is transient, and the retry records and dead-letters it once.
    await this.#recordRefusal(record, error, reason);
    await this.#ports.deadLetters.send([
      {
        body: record.body,
        // The DLQ of a FIFO queue is FIFO too: keep the dossier's group.
        groupId: record.groupId ?? "unknown",
        deduplicationId: record.messageId,
        attributes: { reason, errorCode: error.code, sourceMessageId: record.messageId },
      },
    ]);
    this.#ports.logger.warn("poison message sent to the dead-letter queue", {
      messageId: record.messageId,
      errorCode: error.code,
      reason,
    });
  }

  /**
   * The refusal as the admins and the sender see it. The agency is the dossier's (the received
   * event's, when that is what was refused); a message naming no dossier and event id is not
   * recorded: it stays in the DLQ with its reason.
   */
  async #recordRefusal(record: QueueRecord, error: DomainError, reason: string): Promise<void> {
    const { rejections, dossiers, clock } = this.#ports;
    if (rejections === undefined) return;
    const named = namedEvent(record.body);
    if (named === undefined) return;
    const loaded = await dossiers.load(named.dossierCode);
    const agencyId = loaded?.state?.received.agency.id ?? named.agencyId;
    const rule = ruleOf(error);
    await rejections.record({
      eventId: named.eventId,
      dossierCode: named.dossierCode,
      ...(agencyId === undefined ? {} : { agencyId }),
      ...(named.type === undefined ? {} : { type: named.type }),
      reason,
      errorCode: error.code,
      ...(rule === undefined ? {} : { rule }),
      at: formatInstant(clock.now()),
    });
  }
}

/** One event is one change of the counters, whoever applies it and however often. */
function eventApplyId(event: DossierEvent): string {
  return `EVENT#${event.dossierCode}#${event.id}`;
}

/**
 * `decide` compares an incoming event with the stored one of the same id by content; the stored
 * one went through `dossierEventToJson` and is read back as stored, so the incoming one (already
 * checked at the edge) is compared in that form.
 */
function normalized(event: DossierEvent): DossierEvent {
  return parseStoredDossierEvent(dossierEventToJson(event));
}
