/**
 * The write-ahead journal that makes the local FIFO queue durable, as SQS is on AWS: a message
 * answered "sent" survives a crash of the process (and, once `sync()` resolved, of the machine).
 *
 * One JSON Lines file per queue under the data folder. Every change is appended with one
 * `write()` before it takes effect in memory — a SIGKILL cannot lose an appended line, the
 * kernel holds it — and `sync()` is a group commit: one `fdatasync` covers every line appended
 * before it, so concurrent senders share the cost. A torn last line (a crash mid-write of a
 * line nobody was answered for) is ignored on replay.
 *
 * On open the journal is replayed and rewritten with only what is still live (compaction), so
 * it never grows past one run's traffic plus the waiting messages.
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

export interface JournalMessage {
  readonly id: string;
  readonly body: string;
  readonly group: string;
  readonly dedup: string;
  readonly seq: string;
  readonly sentAt: number;
  readonly attrs: Readonly<Record<string, string>>;
}

export interface JournalDeadLetter extends JournalMessage {
  readonly reason: string;
  readonly movedAt: number;
  readonly receiveCount: number;
}

export interface JournalDedup {
  readonly dedup: string;
  readonly id: string;
  readonly seq: string;
  /** NaN when replayed from a send: the queue counts its window from `sentAt`. */
  readonly expiresAt: number;
  readonly sentAt?: number;
}

export type JournalRecord =
  | ({ readonly t: "send" } & JournalMessage)
  | { readonly t: "del"; readonly id: string }
  | {
      readonly t: "dead";
      readonly id: string;
      readonly reason: string;
      readonly movedAt: number;
      readonly receiveCount: number;
    }
  | ({ readonly t: "dl" } & JournalDeadLetter)
  | { readonly t: "redrive" }
  | ({ readonly t: "dedup" } & JournalDedup);

/** What a replay leaves: live messages in delivery order, dead letters oldest first. */
export interface JournalState {
  readonly messages: JournalMessage[];
  readonly deadLetters: JournalDeadLetter[];
  readonly dedup: JournalDedup[];
}

/** Where a queue keeps its journal; a test can pass one that fails (a full disk). */
export interface QueueJournal {
  /** Reads what the journal holds (once, before any append). */
  replay(): JournalState;
  /** Appends one record; throws when it cannot (then the change must not happen). */
  append(record: JournalRecord): void;
  /** Resolves once every record appended so far is on disk (fdatasync). */
  sync(): Promise<void>;
  /** Rewrites the journal as `state` only (compaction). */
  compact(state: JournalState): void;
  close(): void;
}

interface SyncWaiter {
  readonly upTo: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class FileQueueJournal implements QueueJournal {
  readonly #file: string;
  #fd: number | undefined;
  /** Records appended / known to be on disk (monotonic counters). */
  #appended = 0;
  #synced = 0;
  #syncing = false;
  #waiters: SyncWaiter[] = [];

  constructor(file: string) {
    this.#file = file;
    mkdirSync(dirname(file), { recursive: true });
  }

  replay(): JournalState {
    if (!existsSync(this.#file)) return { messages: [], deadLetters: [], dedup: [] };
    const live = new Map<string, JournalMessage>();
    const dead = new Map<string, JournalDeadLetter>();
    const dedup = new Map<string, JournalDedup>();
    for (const line of readFileSync(this.#file, "utf8").split("\n")) {
      if (line === "") continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch {
        continue; // a torn last line: its sender was never answered
      }
      switch (record.t) {
        case "send": {
          const { t: _, ...message } = record;
          live.set(message.id, message);
          dedup.set(message.dedup, {
            dedup: message.dedup,
            id: message.id,
            seq: message.seq,
            expiresAt: Number.NaN,
            sentAt: message.sentAt,
          });
          break;
        }
        case "del":
          live.delete(record.id);
          break;
        case "dead": {
          const message = live.get(record.id);
          if (message === undefined) break;
          live.delete(record.id);
          dead.set(record.id, {
            ...message,
            reason: record.reason,
            movedAt: record.movedAt,
            receiveCount: record.receiveCount,
          });
          break;
        }
        case "dl": {
          const { t: _, ...letter } = record;
          dead.set(letter.id, letter);
          break;
        }
        case "redrive":
          for (const letter of dead.values()) {
            const { reason: _r, movedAt: _m, receiveCount: _c, ...message } = letter;
            live.delete(message.id);
            live.set(message.id, message);
          }
          dead.clear();
          break;
        case "dedup": {
          const { t: _, ...entry } = record;
          dedup.set(entry.dedup, entry);
          break;
        }
      }
    }
    return { messages: [...live.values()], deadLetters: [...dead.values()], dedup: [...dedup.values()] };
  }

  append(record: JournalRecord): void {
    const line = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    const fd = this.#open();
    let offset = 0;
    while (offset < line.length) offset += writeSync(fd, line, offset);
    this.#appended++;
  }

  sync(): Promise<void> {
    if (this.#synced >= this.#appended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ upTo: this.#appended, resolve, reject });
      this.#flush();
    });
  }

  compact(state: JournalState): void {
    this.close();
    const temporary = `${this.#file}.compact`;
    const fd = openSync(temporary, "w");
    try {
      const lines: string[] = [];
      for (const entry of state.dedup) lines.push(JSON.stringify({ t: "dedup", ...entry }));
      for (const message of state.messages) lines.push(JSON.stringify({ t: "send", ...message }));
      for (const letter of state.deadLetters) lines.push(JSON.stringify({ t: "dl", ...letter }));
      const text = Buffer.from(lines.length ? `${lines.join("\n")}\n` : "", "utf8");
      let offset = 0;
      while (offset < text.length) offset += writeSync(fd, text, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.#file);
    // The rename itself is durable only once the folder is synced.
    const dir = openSync(dirname(this.#file), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    closeSync(fd);
    const waiters = this.#waiters.splice(0);
    for (const waiter of waiters) waiter.reject(new Error(`queue journal ${this.#file} closed before sync`));
  }

  #open(): number {
    this.#fd ??= openSync(this.#file, "a");
    return this.#fd;
  }

  /** Group commit: one fdatasync at a time; waiters whose records it covered are released. */
  #flush(): void {
    if (this.#syncing || this.#fd === undefined) return;
    this.#syncing = true;
    const upTo = this.#appended;
    fdatasync(this.#fd, (error) => {
      this.#syncing = false;
      if (error === null) this.#synced = Math.max(this.#synced, upTo);
      const pending: SyncWaiter[] = [];
      for (const waiter of this.#waiters) {
        if (error !== null) waiter.reject(error);
        else if (waiter.upTo <= this.#synced) waiter.resolve();
        else pending.push(waiter);
      }
      this.#waiters = pending;
      if (pending.length > 0) this.#flush();
    });
  }
}
