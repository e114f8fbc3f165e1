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
 *
 * Encrypted at rest, as SQS is with KMS: the messages carry applicants' phones and e-mails
 * (docs/security.md: no contact in any file the stack writes outside the table). Each line is one record
 * sealed with AES-256-GCM under a fresh 12-byte IV — `e1:<iv>:<tag>:<ciphertext>`, base64 — with
 * the journal's file name as additional data (a line moved to another queue's journal does not
 * open). The key is 32 random bytes in the queues folder (`.key`, mode 0600), made on first use;
 * without it an encrypted journal cannot be read, and opening one says so instead of starting
 * empty. A line in clear (a journal written before encryption) is still read, and the compaction
 * on open rewrites it sealed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

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

/** A sealed line: `e1:` then IV, GCM tag and ciphertext, base64, colon-separated. */
const SEALED = "e1:";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key file of the journals in `folder` (one key per data folder's queues). */
export function journalKeyFile(folder: string): string {
  return join(folder, ".key");
}

/**
 * Reads the queues' key, or makes it (0600, synced with its folder before any record is sealed
 * with it). Refuses to make a new one while a journal sealed with the old one is there: its
 * messages would be unreadable and dropped without a word.
 */
function loadOrCreateKey(keyFile: string): Buffer {
  if (existsSync(keyFile)) {
    const key = readFileSync(keyFile);
    if (key.length !== KEY_BYTES)
      throw new Error(`queue journal key ${keyFile} holds ${key.length} bytes, not ${KEY_BYTES}`);
    return key;
  }
  const folder = dirname(keyFile);
  const sealed = readdirSync(folder).filter(
    (name) => name.endsWith(".jsonl") && readFileSync(join(folder, name), "utf8").startsWith(SEALED),
  );
  if (sealed.length > 0)
    throw new Error(
      `queue journal key ${keyFile} is missing but ${sealed.join(", ")} in ${folder} ${sealed.length === 1 ? "is" : "are"} encrypted with it: restore the key, or remove the journals (their queued messages are lost)`,
    );
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(keyFile, "wx", 0o600);
  } catch (error) {
    // Another journal of the same folder made it first.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateKey(keyFile);
    throw error;
  }
  try {
    let offset = 0;
    while (offset < key.length) offset += writeSync(fd, key, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncFolder(folder);
  return key;
}

function syncFolder(folder: string): void {
  const dir = openSync(folder, "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Seals and opens the lines of one journal file. */
class LineCipher {
  readonly #key: Buffer;
  readonly #aad: Buffer;

  constructor(key: Buffer, file: string) {
    this.#key = key;
    this.#aad = Buffer.from(`dunghan queue journal ${basename(file)}`, "utf8");
  }

  seal(text: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(this.#aad);
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SEALED}${iv.toString("base64")}:${tag.toString("base64")}:${body.toString("base64")}`;
  }

  /** The clear text of a sealed line; undefined when it does not open (torn, wrong key, altered). */
  open(line: string): string | undefined {
    const [iv, tag, body] = line.slice(SEALED.length).split(":");
    if (iv === undefined || tag === undefined || body === undefined) return undefined;
    const ivBytes = Buffer.from(iv, "base64");
    const tagBytes = Buffer.from(tag, "base64");
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(this.#aad);
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }
}

/**
 * The records of a journal file in clear, in order (a torn last line left out) — for tests and
 * for an operator looking into a queue; the queue itself reads through `replay()`.
 */
export function readJournalRecords(file: string, keyFile = journalKeyFile(dirname(file))): JournalRecord[] {
  if (!existsSync(file)) return [];
  return openLines(new LineCipher(loadOrCreateKey(keyFile), file), file);
}

function openLines(cipher: LineCipher, file: string): JournalRecord[] {
  const lines = readFileSync(file, "utf8").split("\n");
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const records: JournalRecord[] = [];
  lines.forEach((line, index) => {
    const last = index === lines.length - 1;
    const text = line.startsWith(SEALED) ? cipher.open(line) : line;
    if (text === undefined) {
      // A torn last line: its sender was never answered. Anywhere else the key is wrong or the
      // file was altered: starting without those messages would lose them silently.
      if (last) return;
      throw new Error(
        `queue journal ${file}: line ${index + 1} does not decrypt with ${journalKeyFile(dirname(file))} (wrong key or altered file)`,
      );
    }
    try {
      records.push(JSON.parse(text) as JournalRecord);
    } catch {
      // a torn last line in clear (a journal written before encryption)
    }
  });
  return records;
}

export class FileQueueJournal implements QueueJournal {
  readonly #file: string;
  readonly #cipher: LineCipher;
  #fd: number | undefined;
  /** Records appended / known to be on disk (monotonic counters). */
  #appended = 0;
  #synced = 0;
  #syncing = false;
  #waiters: SyncWaiter[] = [];

  /** `keyFile`: where the AES-256-GCM key is kept (default `.key` beside the journal). */
  constructor(file: string, options: { readonly keyFile?: string } = {}) {
    this.#file = file;
    mkdirSync(dirname(file), { recursive: true });
    this.#cipher = new LineCipher(loadOrCreateKey(options.keyFile ?? journalKeyFile(dirname(file))), file);
  }

  replay(): JournalState {
    if (!existsSync(this.#file)) return { messages: [], deadLetters: [], dedup: [] };
    const live = new Map<string, JournalMessage>();
    const dead = new Map<string, JournalDeadLetter>();
    const dedup = new Map<string, JournalDedup>();
    for (const record of openLines(this.#cipher, this.#file)) {
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
    const line = Buffer.from(`${this.#cipher.seal(JSON.stringify(record))}\n`, "utf8");
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
      const seal = (record: JournalRecord) => this.#cipher.seal(JSON.stringify(record));
      for (const entry of state.dedup) lines.push(seal({ t: "dedup", ...entry }));
      for (const message of state.messages) lines.push(seal({ t: "send", ...message }));
      for (const letter of state.deadLetters) lines.push(seal({ t: "dl", ...letter }));
      const text = Buffer.from(lines.length ? `${lines.join("\n")}\n` : "", "utf8");
      let offset = 0;
      while (offset < text.length) offset += writeSync(fd, text, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.#file);
    // The rename itself is durable only once the folder is synced.
    syncFolder(dirname(this.#file));
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
