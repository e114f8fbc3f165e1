/**
 * An in-process queue with the SQS FIFO semantics our Lambdas rely on, for the local runtime:
 *
 * - order within a MessageGroupId, one message of a group in flight at a time; other groups go on;
 * - deduplication by MessageDeduplicationId or SHA-256 of the body (content-based) for 5 minutes:
 *   a duplicate send is accepted, returns the first message's id and is not delivered again;
 * - the consumer receives SQS events and answers like a Lambda with partial batch responses
 *   (`ReportBatchItemFailures`): a throw fails the whole batch;
 * - a message that fails `maxReceiveCount` times moves to the dead-letter queue with the reason.
 *
 * Simplification: a batch holds at most one message per group, so a failure can never let a later
 * message of its group through (the pitfall AWS documents for FIFO partial batch responses).
 *
 * Durability: with a `journal` (local/runtime/queue-journal.ts) every send, delete, move to the
 * DLQ and redrive is written ahead, and a new queue on the same journal resumes where the last
 * one stopped — messages sent and not yet deleted (in flight included: delivered again, as SQS
 * does after a visibility timeout), dead letters and the deduplication window. `sendDurable`
 * resolves only once the message is on disk: what the ingest API answers 202 for.
 */
import { createHash, randomUUID } from "node:crypto";
import type { SQSBatchItemFailure, SQSEvent, SQSRecord } from "aws-lambda";
import { ConflictError, InvalidInputError } from "../../shared/errors.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { JournalRecord, JournalState, QueueJournal } from "./queue-journal.ts";

/** SQS limits (SQS Developer Guide, "Quotas"). */
const MAX_BODY_BYTES = 256 * 1024;
const ID_PATTERN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
/** SQS FIFO deduplication interval: 5 minutes. */
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

export interface FifoQueueOptions {
  /** Used in eventSourceARN; must end in ".fifo" like a real FIFO queue. Default "local-events.fifo". */
  readonly name?: string;
  readonly region?: string;
  /** Timestamps and the deduplication window follow this clock (a sped-up one shortens the window in real time). */
  readonly clock?: Clock;
  /** Receives before a message goes to the DLQ (the redrive policy's maxReceiveCount). Default 3. */
  readonly maxReceiveCount?: number;
  /** Records per event, as the event source mapping's BatchSize. Default 10. */
  readonly batchSize?: number;
  /** Batches the consumer may have in flight at once. Default 1. */
  readonly concurrency?: number;
  /** Real ms a failed message stays invisible (the visibility timeout, shortened). Default 100. */
  readonly retryDelayMs?: number;
  /** Default true, as `ContentBasedDeduplication: true` on the queue. */
  readonly contentBasedDeduplication?: boolean;
  /** Called when a message moves to the DLQ (log the id and reason, not the body). */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
  /** Write-ahead journal: replayed now, appended to from now on. Without it the queue is in memory. */
  readonly journal?: QueueJournal;
}

/** Journal records appended after which the journal is rewritten (when the queue is short). */
const COMPACT_AFTER_RECORDS = 20_000;
const COMPACT_BELOW_DEPTH = 1_000;

export interface FifoSendInput {
  readonly body: string;
  readonly messageGroupId: string;
  readonly messageDeduplicationId?: string;
  readonly messageAttributes?: Readonly<Record<string, string>>;
}

export interface FifoSendResult {
  readonly messageId: string;
  readonly sequenceNumber: string;
  /** True when this send was a duplicate within the window: accepted, not enqueued again. */
  readonly duplicate: boolean;
}

/** `itemIdentifier` is the record's messageId. `reason` is a local extension kept in the DLQ. */
export interface LocalBatchItemFailure extends SQSBatchItemFailure {
  readonly reason?: string;
}

/**
 * A Lambda-style SQS handler. It may return `{ batchItemFailures }` (items may carry a `reason`),
 * nothing (all succeeded) or throw (all failed).
 */
export type FifoHandler = (event: SQSEvent) => unknown;

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly messageGroupId: string;
  readonly messageDeduplicationId: string;
  readonly sequenceNumber: string;
  readonly sentAt: number;
  readonly receiveCount: number;
  /** The last failure: the thrown error's name and message, or the item's reason. */
  readonly reason: string;
  readonly movedAt: number;
}

export interface FifoQueueStats {
  /** Messages not yet deleted: waiting, in flight or waiting to be retried. */
  readonly depth: number;
  readonly inFlight: number;
  readonly deadLetters: number;
  readonly groups: number;
}

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequenceNumber: string;
  readonly sentAt: number;
  readonly attributes: Readonly<Record<string, string>>;
  firstReceivedAt: number | undefined;
  receiveCount: number;
}

const md5 = (text: string): string => createHash("md5").update(text, "utf8").digest("hex");
const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

export class FifoQueue {
  readonly name: string;
  readonly #arn: string;
  readonly #region: string;
  readonly #clock: Clock;
  readonly #maxReceiveCount: number;
  readonly #batchSize: number;
  readonly #concurrency: number;
  readonly #retryDelayMs: number;
  readonly #contentBased: boolean;
  readonly #onDeadLetter: ((letter: DeadLetter) => void) | undefined;

  /** Per group, in send order; the head is the one that may be in flight. */
  readonly #groups = new Map<string, Message[]>();
  /** Groups whose head is in flight or waiting out its retry delay. */
  readonly #busy = new Set<string>();
  readonly #dedup = new Map<string, { messageId: string; sequenceNumber: string; expiresAt: number }>();
  readonly #deadLetters: DeadLetter[] = [];
  readonly #retryTimers = new Set<ReturnType<typeof setTimeout>>();
  readonly #idleWaiters = new Set<() => void>();
  #handler: FifoHandler | undefined;
  #activeBatches = new Set<Promise<void>>();
  #inFlight = 0;
  #sequence = 0n;
  #pumpScheduled = false;
  readonly #journal: QueueJournal | undefined;
  #journalRecords = 0;

  constructor(options: FifoQueueOptions = {}) {
    this.name = options.name ?? "local-events.fifo";
    if (!this.name.endsWith(".fifo"))
      throw new InvalidInputError(`A FIFO queue name ends in .fifo: ${this.name}`);
    this.#region = options.region ?? "ap-southeast-1";
    this.#arn = `arn:aws:sqs:${this.#region}:000000000000:${this.name}`;
    this.#clock = options.clock ?? systemClock;
    this.#maxReceiveCount = positiveInteger("maxReceiveCount", options.maxReceiveCount ?? 3);
    this.#batchSize = positiveInteger("batchSize", options.batchSize ?? 10);
    this.#concurrency = positiveInteger("concurrency", options.concurrency ?? 1);
    this.#retryDelayMs = Math.max(0, options.retryDelayMs ?? 100);
    this.#contentBased = options.contentBasedDeduplication ?? true;
    this.#onDeadLetter = options.onDeadLetter;
    this.#journal = options.journal;
    if (this.#journal !== undefined) this.#restore(this.#journal.replay());
  }

  /** What the journal held: live messages back in their groups, dead letters, the dedupe window. */
  #restore(state: JournalState): void {
    for (const stored of state.messages) {
      const message: Message = {
        messageId: stored.id,
        body: stored.body,
        groupId: stored.group,
        deduplicationId: stored.dedup,
        sequenceNumber: stored.seq,
        sentAt: stored.sentAt,
        attributes: stored.attrs,
        firstReceivedAt: undefined,
        receiveCount: 0,
      };
      const group = this.#groups.get(message.groupId);
      if (group) group.push(message);
      else this.#groups.set(message.groupId, [message]);
    }
    for (const letter of state.deadLetters) {
      this.#deadLetters.push({
        messageId: letter.id,
        body: letter.body,
        messageGroupId: letter.group,
        messageDeduplicationId: letter.dedup,
        sequenceNumber: letter.seq,
        sentAt: letter.sentAt,
        receiveCount: letter.receiveCount,
        reason: letter.reason,
        movedAt: letter.movedAt,
      });
    }
    for (const entry of state.dedup) {
      const expiresAt = Number.isNaN(entry.expiresAt)
        ? (entry.sentAt ?? 0) + DEDUPLICATION_WINDOW_MS
        : entry.expiresAt;
      this.#dedup.set(entry.dedup, { messageId: entry.id, sequenceNumber: entry.seq, expiresAt });
    }
    let last = 0n;
    for (const seq of [...state.messages, ...state.deadLetters, ...state.dedup].map((m) => BigInt(m.seq)))
      if (seq > last) last = seq;
    this.#sequence = last;
    this.#compact();
  }

  /** Rewrites the journal as what is live now. */
  #compact(): void {
    if (this.#journal === undefined) return;
    this.#purgeDedup(this.#clock.now());
    // Group by group, each in its delivery order (a redriven message keeps its old sequence number
    // but comes after the ones sent since, as in memory).
    const messages = [...this.#groups.values()].flat();
    const state: JournalState = {
      messages: messages.map((message) => this.#stored(message)),
      deadLetters: this.#deadLetters.map((letter) => ({
        id: letter.messageId,
        body: letter.body,
        group: letter.messageGroupId,
        dedup: letter.messageDeduplicationId,
        seq: letter.sequenceNumber,
        sentAt: letter.sentAt,
        attrs: {},
        reason: letter.reason,
        movedAt: letter.movedAt,
        receiveCount: letter.receiveCount,
      })),
      dedup: [...this.#dedup].map(([dedup, entry]) => ({
        dedup,
        id: entry.messageId,
        seq: entry.sequenceNumber,
        expiresAt: entry.expiresAt,
      })),
    };
    this.#journal.compact(state);
    this.#journalRecords = 0;
  }

  #stored(message: Message) {
    return {
      id: message.messageId,
      body: message.body,
      group: message.groupId,
      dedup: message.deduplicationId,
      seq: message.sequenceNumber,
      sentAt: message.sentAt,
      attrs: message.attributes,
    };
  }

  #write(record: JournalRecord): void {
    if (this.#journal === undefined) return;
    this.#journal.append(record);
    this.#journalRecords++;
  }

  /** For deletes and moves: one the journal missed is delivered again after a restart (at least once). */
  #writeAfter(record: JournalRecord): void {
    try {
      this.#write(record);
    } catch {
      // Handlers are idempotent, as on SQS; the send path is where a failed write must refuse.
    }
  }

  get arn(): string {
    return this.#arn;
  }

  /** SendMessage. Validates like SQS; a duplicate within the window is accepted and dropped. */
  send(input: FifoSendInput): FifoSendResult {
    if (input.body === "" || Buffer.byteLength(input.body, "utf8") > MAX_BODY_BYTES) {
      throw new InvalidInputError(`Message body must be 1 byte to ${MAX_BODY_BYTES} bytes`);
    }
    if (!ID_PATTERN.test(input.messageGroupId)) {
      throw new InvalidInputError("MessageGroupId must be 1–128 printable ASCII characters");
    }
    const explicit = input.messageDeduplicationId;
    if (explicit !== undefined && !ID_PATTERN.test(explicit)) {
      throw new InvalidInputError("MessageDeduplicationId must be 1–128 printable ASCII characters");
    }
    if (explicit === undefined && !this.#contentBased) {
      throw new InvalidInputError(
        "The queue has no content-based deduplication: give a MessageDeduplicationId",
      );
    }
    const deduplicationId = explicit ?? sha256(input.body);
    const now = this.#clock.now();
    this.#purgeDedup(now);
    const seen = this.#dedup.get(deduplicationId);
    if (seen !== undefined) {
      return { messageId: seen.messageId, sequenceNumber: seen.sequenceNumber, duplicate: true };
    }
    const sequence = this.#sequence + 1n;
    const message: Message = {
      messageId: randomUUID(),
      body: input.body,
      groupId: input.messageGroupId,
      deduplicationId,
      sequenceNumber: sequence.toString().padStart(20, "0"),
      sentAt: now,
      attributes: input.messageAttributes ?? {},
      firstReceivedAt: undefined,
      receiveCount: 0,
    };
    // Written ahead: when the journal cannot take it, the send fails and nothing changes.
    this.#write({ t: "send", ...this.#stored(message) });
    this.#sequence = sequence;
    this.#dedup.set(deduplicationId, {
      messageId: message.messageId,
      sequenceNumber: message.sequenceNumber,
      expiresAt: now + DEDUPLICATION_WINDOW_MS,
    });
    const group = this.#groups.get(message.groupId);
    if (group) group.push(message);
    else this.#groups.set(message.groupId, [message]);
    this.#schedulePump();
    return { messageId: message.messageId, sequenceNumber: message.sequenceNumber, duplicate: false };
  }

  /**
   * SendMessage that resolves once the message is on disk (with a journal; at once without):
   * what a caller may acknowledge to its own client. A duplicate waits for its original too.
   */
  async sendDurable(input: FifoSendInput): Promise<FifoSendResult> {
    const result = this.send(input);
    await this.#journal?.sync();
    return result;
  }

  /** Stops the consumer and closes the journal; the queue is not used afterwards. */
  async close(): Promise<void> {
    await this.stop();
    await this.#journal?.sync().catch(() => {});
    this.#journal?.close();
  }

  /** Attaches the consumer (the event source mapping). One consumer per queue. */
  consume(handler: FifoHandler): void {
    if (this.#handler !== undefined) throw new ConflictError(`Queue ${this.name} already has a consumer`);
    this.#handler = handler;
    this.#schedulePump();
  }

  /** Detaches the consumer after the batches in flight settle; waiting messages stay queued. */
  async stop(): Promise<void> {
    this.#handler = undefined;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    await Promise.all(this.#activeBatches);
    this.#busy.clear();
  }

  /** Resolves when nothing is waiting, in flight or waiting to be retried. */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    if (this.#handler === undefined) {
      return Promise.reject(new ConflictError(`Queue ${this.name} has messages but no consumer`));
    }
    return new Promise((resolve) => this.#idleWaiters.add(resolve));
  }

  stats(): FifoQueueStats {
    let depth = 0;
    for (const messages of this.#groups.values()) depth += messages.length;
    return {
      depth,
      inFlight: this.#inFlight,
      deadLetters: this.#deadLetters.length,
      groups: this.#groups.size,
    };
  }

  /** The dead-letter queue, oldest first. */
  deadLetters(): readonly DeadLetter[] {
    return this.#deadLetters;
  }

  /** Moves every dead letter back to the end of its group, receive count reset (SQS DLQ redrive). */
  redriveDeadLetters(): number {
    if (this.#deadLetters.length === 0) return 0;
    this.#write({ t: "redrive" });
    const letters = this.#deadLetters.splice(0);
    for (const letter of letters) {
      const message: Message = {
        messageId: letter.messageId,
        body: letter.body,
        groupId: letter.messageGroupId,
        deduplicationId: letter.messageDeduplicationId,
        sequenceNumber: letter.sequenceNumber,
        sentAt: letter.sentAt,
        attributes: {},
        firstReceivedAt: undefined,
        receiveCount: 0,
      };
      const group = this.#groups.get(message.groupId);
      if (group) group.push(message);
      else this.#groups.set(message.groupId, [message]);
    }
    this.#schedulePump();
    return letters.length;
  }

  #purgeDedup(now: number): void {
    for (const [id, entry] of this.#dedup) {
      if (entry.expiresAt <= now) this.#dedup.delete(id);
    }
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#handler !== undefined && this.#activeBatches.size < this.#concurrency) {
      const heads: Message[] = [];
      for (const [groupId, messages] of this.#groups) {
        const head = messages[0];
        if (head !== undefined && !this.#busy.has(groupId)) heads.push(head);
      }
      if (heads.length === 0) break;
      // Oldest first across groups, as SQS tends to return them.
      heads.sort((a, b) => (a.sequenceNumber < b.sequenceNumber ? -1 : 1));
      const batch = heads.slice(0, this.#batchSize);
      const now = this.#clock.now();
      for (const message of batch) {
        this.#busy.add(message.groupId);
        message.receiveCount++;
        message.firstReceivedAt ??= now;
      }
      const handler = this.#handler;
      this.#inFlight += batch.length;
      const run = this.#runBatch(handler, batch).finally(() => {
        this.#inFlight -= batch.length;
        this.#activeBatches.delete(run);
        this.#schedulePump();
        this.#notifyIfIdle();
      });
      this.#activeBatches.add(run);
    }
    this.#notifyIfIdle();
  }

  async #runBatch(handler: FifoHandler, batch: Message[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((message) => this.#toRecord(message)) };
    let failures: Map<string, string>;
    try {
      failures = this.#failuresOf(batch, await handler(event));
    } catch (error) {
      const reason = describe(error);
      failures = new Map(batch.map((message) => [message.messageId, reason]));
    }
    for (const message of batch) {
      const reason = failures.get(message.messageId);
      if (reason === undefined) this.#delete(message);
      else this.#fail(message, reason);
    }
  }

  /** Lambda's rules for a partial batch response; anything malformed fails the whole batch. */
  #failuresOf(batch: Message[], result: unknown): Map<string, string> {
    const failures = new Map<string, string>();
    if (result === undefined || result === null) return failures;
    const items = (result as { batchItemFailures?: unknown }).batchItemFailures;
    if (items === undefined || items === null) return failures;
    const ids = new Set(batch.map((message) => message.messageId));
    const all = (reason: string) => new Map(batch.map((message) => [message.messageId, reason]));
    if (!Array.isArray(items)) return all("batchItemFailures is not a list");
    for (const item of items as unknown[]) {
      const id = (item as LocalBatchItemFailure | null)?.itemIdentifier;
      if (typeof id !== "string" || !ids.has(id)) {
        return all(`batchItemFailures names an unknown itemIdentifier: ${String(id)}`);
      }
      const reason = (item as LocalBatchItemFailure).reason;
      failures.set(id, typeof reason === "string" ? reason : "reported in batchItemFailures");
    }
    return failures;
  }

  #delete(message: Message): void {
    this.#writeAfter({ t: "del", id: message.messageId });
    this.#removeHead(message);
    this.#busy.delete(message.groupId);
    if (this.#journalRecords > COMPACT_AFTER_RECORDS && this.stats().depth < COMPACT_BELOW_DEPTH)
      this.#compact();
  }

  #fail(message: Message, reason: string): void {
    if (message.receiveCount >= this.#maxReceiveCount) {
      const movedAt = this.#clock.now();
      this.#writeAfter({
        t: "dead",
        id: message.messageId,
        reason,
        movedAt,
        receiveCount: message.receiveCount,
      });
      this.#removeHead(message);
      const letter: DeadLetter = {
        messageId: message.messageId,
        body: message.body,
        messageGroupId: message.groupId,
        messageDeduplicationId: message.deduplicationId,
        sequenceNumber: message.sequenceNumber,
        sentAt: message.sentAt,
        receiveCount: message.receiveCount,
        reason,
        movedAt,
      };
      this.#deadLetters.push(letter);
      this.#busy.delete(message.groupId);
      this.#onDeadLetter?.(letter);
      return;
    }
    if (this.#handler === undefined) {
      // Stopped: no retry to schedule; the message waits at its group's head for the next consumer.
      this.#busy.delete(message.groupId);
      return;
    }
    // The group stays locked while its head waits out the visibility timeout: order holds.
    const timer = setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#busy.delete(message.groupId);
      this.#schedulePump();
    }, this.#retryDelayMs);
    this.#retryTimers.add(timer);
  }

  #removeHead(message: Message): void {
    const messages = this.#groups.get(message.groupId);
    if (messages?.[0] === message) messages.shift();
    if (messages?.length === 0) this.#groups.delete(message.groupId);
  }

  #isIdle(): boolean {
    return this.#groups.size === 0 && this.#activeBatches.size === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    const waiters = [...this.#idleWaiters];
    this.#idleWaiters.clear();
    for (const resolve of waiters) resolve();
  }

  #toRecord(message: Message): SQSRecord {
    const messageAttributes: SQSRecord["messageAttributes"] = {};
    for (const [key, value] of Object.entries(message.attributes)) {
      messageAttributes[key] = { dataType: "String", stringValue: value };
    }
    return {
      messageId: message.messageId,
      receiptHandle: randomUUID(),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: "LOCAL",
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
        SequenceNumber: message.sequenceNumber,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      },
      messageAttributes,
      md5OfBody: md5(message.body),
      eventSource: "aws:sqs",
      eventSourceARN: this.#arn,
      awsRegion: this.#region,
    };
  }
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0))
    throw new InvalidInputError(`${name} must be a positive integer`);
  return value;
}
