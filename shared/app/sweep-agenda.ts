import { formatInstant, parseInstant } from "../calendar/index.ts";
import { forEachLimit } from "../concurrency.ts";
import type { Clock } from "./clock.ts";
import type { AgendaAlert, AppAgendaRepository, AppAlertLog } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { alertMessage } from "./messages.ts";
import type { Metrics } from "./metrics.ts";
import type { AgendaEntryRef, AlertRecord, DueAgendaEntry } from "./ports.ts";
import type { MessageQueue, QueueMessage } from "./queue.ts";

export interface SweepPorts {
  readonly agenda: AppAgendaRepository;
  readonly alerts: AppAlertLog;
  readonly notifyQueue: MessageQueue;
  readonly apologyQueue: MessageQueue;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: AppLogger;
}

export interface SweepOptions {
  /** Due entries read per page (default 500). */
  readonly pageSize?: number;
  /** Pages per run (default 40: 20,000 alerts a minute); the rest waits for the next minute. */
  readonly maxPages?: number;
  /** Claims and writes in flight at once (default 16). */
  readonly concurrency?: number;
  /**
   * A claim older than this whose alert was never queued belongs to a sweep that died between
   * claiming and enqueueing: it is queued again (default 5 minutes, longer than a sweep may run).
   */
  readonly staleClaimMs?: number;
}

export interface SweepResult {
  /** Due entries read. */
  readonly due: number;
  /** Alerts this run claimed and queued (notices and apology-draft requests). */
  readonly queued: number;
  /** Warnings overtaken by their due instant before they were sent: dropped, not sent. */
  readonly expired: number;
  /** Already claimed by another (or an earlier) sweep. */
  readonly alreadyClaimed: number;
  /** Stale claims queued again. */
  readonly requeued: number;
  /** SMS held by notify for the quiet hours whose time has come: queued again. */
  readonly released: number;
  /** now − the oldest due entry's `at`, in seconds (0 when nothing was due). */
  readonly lagSeconds: number;
  readonly pages: number;
  readonly hasMore: boolean;
}

interface Work {
  readonly entry: DueAgendaEntry<AgendaAlert>;
  outcome: "queue" | "expired" | "claimed-elsewhere" | "requeue" | "release" | "wait";
}

/**
 * The sweep: reads only the due agenda entries, and for each one claims its alert record with a
 * conditional write on the dedupe key (in one transaction with a strongly consistent check that
 * the entry is still planned as read), queues the send, records "queued" and marks the entry done.
 *
 * Whether the alert still makes sense — the dossier open, not yet acknowledged, still late — is the
 * worker's business: every event re-plans the dossier and removes the entries the new plan drops,
 * and the claim's guard refuses an entry removed or moved since the index was read. So the sweep
 * reads nothing but the agenda (about one item per alert sent; see bench/sweep.bench.ts).
 *
 * Order per alert: claim → queue → record "queued" → mark done. A run that dies after claiming
 * leaves the entry due; the next run finds the claim unqueued and, once it is stale, queues it.
 * Overlapping runs lose the claim and never send twice.
 *
 * An SMS that notify held for the quiet hours comes back on the agenda at the end of them
 * (`heldUntil`); its claim is lost (the record exists), and the run that moves the record from
 * "held" to "queued" — one conditional write — queues it again.
 */
export class SweepAgenda {
  readonly #ports: SweepPorts;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #concurrency: number;
  readonly #staleClaimMs: number;

  constructor(ports: SweepPorts, options: SweepOptions = {}) {
    this.#ports = ports;
    this.#pageSize = options.pageSize ?? 500;
    this.#maxPages = options.maxPages ?? 40;
    this.#concurrency = options.concurrency ?? 16;
    this.#staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
  }

  async run(): Promise<SweepResult> {
    const { agenda, clock, metrics, logger } = this.#ports;
    const now = clock.now();
    const nowIso = formatInstant(now);
    const totals = { due: 0, queued: 0, expired: 0, alreadyClaimed: 0, requeued: 0, released: 0 };
    let oldest: number | undefined;
    let pages = 0;
    let hasMore = true;
    // Entries left due on purpose (another run's fresh claim) must not be read again in this run.
    const waiting = new Set<string>();
    while (hasMore && pages < this.#maxPages) {
      const page = await agenda.due(nowIso, this.#pageSize + waiting.size);
      pages += 1;
      hasMore = page.hasMore;
      const fresh = page.entries.filter((entry) => !waiting.has(entry.ref.dedupeKey));
      if (fresh.length === 0) break;
      for (const entry of fresh) {
        // A held SMS is late from the end of the quiet hours, not from its planned instant.
        const at = parseInstant(entry.heldUntil ?? entry.ref.at);
        if (oldest === undefined || at < oldest) oldest = at;
      }
      const work = await this.#handle(fresh, now, nowIso);
      totals.due += fresh.length;
      for (const item of work) {
        if (item.outcome === "queue") totals.queued += 1;
        else if (item.outcome === "expired") totals.expired += 1;
        else if (item.outcome === "requeue") totals.requeued += 1;
        else if (item.outcome === "release") totals.released += 1;
        else totals.alreadyClaimed += 1;
        if (item.outcome === "wait") waiting.add(item.entry.ref.dedupeKey);
      }
    }
    const lagSeconds = oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000);
    metrics.publish("SweepLagSeconds", lagSeconds, "Seconds");
    const result: SweepResult = { ...totals, lagSeconds, pages, hasMore };
    logger.info("sweep done", { ...result });
    return result;
  }

  async #handle(
    entries: readonly DueAgendaEntry<AgendaAlert>[],
    now: number,
    nowIso: string,
  ): Promise<Work[]> {
    const { alerts, agenda } = this.#ports;
    const work: Work[] = entries.map((entry) => ({ entry, outcome: "wait" }));
    await forEachLimit(work, this.#concurrency, async (item) => {
      const { alert, ref, heldUntil } = item.entry;
      if (alert.expiresAt !== undefined && parseInstant(alert.expiresAt) <= now) {
        item.outcome = "expired";
        // A held SMS overtaken while it waited: its record says so.
        if (heldUntil !== undefined) {
          await alerts.transition(alert.dedupeKey, "held", {
            status: "expired",
            at: nowIso,
            detail: { code: "OVERTAKEN", reason: "the warning was overtaken while held" },
          });
        }
        return;
      }
      if (await alerts.claim(alert.dedupeKey, { alert, claimedAt: nowIso, agendaEntry: ref })) {
        item.outcome = "queue";
        return;
      }
      // Lost the claim: another run has it, it was handled before, or the entry changed meanwhile.
      const record = await alerts.get(alert.dedupeKey);
      if (heldUntil !== undefined && record?.status === "held") {
        // An SMS notify held for the quiet hours: queued again once, by the run that moves it.
        const released = await alerts.transition(alert.dedupeKey, "held", {
          status: "queued",
          at: nowIso,
          detail: { released: true },
        });
        item.outcome = released ? "release" : "claimed-elsewhere";
      } else if (
        heldUntil !== undefined &&
        record?.status === "queued" &&
        staleRelease(record, now, this.#staleClaimMs)
      ) {
        // Released by a run that died before queueing it: the entry is still due, queue it now.
        item.outcome = "requeue";
      } else if (record === undefined || record.status !== "claimed") item.outcome = "claimed-elsewhere";
      else if (now - parseInstant(record.claimedAt) >= this.#staleClaimMs) item.outcome = "requeue";
      else item.outcome = "wait";
    });

    const toSend = work.filter(
      (item) => item.outcome === "queue" || item.outcome === "requeue" || item.outcome === "release",
    );
    await this.#enqueue(toSend.map((item) => item.entry.alert));
    // A released SMS was recorded "queued" by its transition. Otherwise "queued" is recorded only
    // over "claimed": notify may already have sent, held or expired the message (the queue does
    // not wait for this write), and its outcome must not be overwritten.
    const toRecord = toSend.filter((item) => item.outcome !== "release");
    await forEachLimit(toRecord, this.#concurrency, (item) =>
      alerts.transition(item.entry.alert.dedupeKey, "claimed", {
        status: "queued",
        at: nowIso,
        detail: item.outcome === "requeue" ? { requeued: true } : undefined,
      }),
    );
    const done: AgendaEntryRef[] = work
      .filter((item) => item.outcome !== "wait")
      .map((item) => item.entry.ref);
    await agenda.markDone(done, nowIso);
    return work;
  }

  async #enqueue(alerts: readonly AgendaAlert[]): Promise<void> {
    const notices: QueueMessage[] = [];
    const drafts: QueueMessage[] = [];
    for (const alert of alerts) {
      (alert.kind === "apology-draft-requested" ? drafts : notices).push(alertMessage(alert));
    }
    await Promise.all([
      notices.length > 0 ? this.#ports.notifyQueue.send(notices) : undefined,
      drafts.length > 0 ? this.#ports.apologyQueue.send(drafts) : undefined,
    ]);
  }
}

/** A release ("queued" with detail.released) older than the stale-claim age. */
function staleRelease(record: AlertRecord<AgendaAlert>, now: number, staleMs: number): boolean {
  const last = record.deliveries.at(-1);
  return last?.detail?.released === true && now - parseInstant(last.at) >= staleMs;
}
