import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Blob, BlobStore } from "../../shared/app/blob-store.ts";
import { InvalidInputError } from "../../shared/errors.ts";
import type { ProcedureCatalogue } from "../../shared/sync/catalogue.ts";
import { DEMO_PROCEDURES } from "../demo/province.ts";

/** As the bucket's lifecycle rule on AWS (cdk/dvcqg-sync.ts, SYNC_PAYLOAD_RETENTION). */
export const SYNC_PAYLOAD_RETENTION_DAYS = 90;

/** The demo province's procedures as a catalogue (what a province loads from the national database). */
export function demoCatalogue(): ProcedureCatalogue {
  return {
    version: "demo",
    procedures: new Map(DEMO_PROCEDURES.map(({ procedure }) => [procedure.code, procedure])),
  };
}

/**
 * The sync payload archive of the local runtime: the raw payloads senders pushed (names, phone
 * numbers, e-mail addresses), one file per request under `<data>/sync-payloads/`, each sealed with
 * AES-256-GCM under the folder's key (`.key`, 32 random bytes, mode 0600) — what the KMS-encrypted
 * S3 bucket is on AWS. Day folders older than the retention are removed (the bucket's lifecycle
 * rule on AWS), checked at most once per local day.
 */
export class SyncPayloadArchive implements BlobStore {
  readonly #root: string;
  readonly #retentionDays: number;
  readonly #now: () => number;
  #key: Buffer | undefined;
  #prunedDay = "";

  constructor(options: { root: string; retentionDays: number; now: () => number }) {
    this.#root = resolve(options.root);
    this.#retentionDays = options.retentionDays;
    this.#now = options.now;
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const sealed = await this.#seal(
      Buffer.from(JSON.stringify({ contentType, body: Buffer.from(body).toString("base64") })),
    );
    await writeFile(path, sealed, { mode: 0o600 });
    await this.prune();
  }

  async get(key: string): Promise<Blob | undefined> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.#path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const opened = JSON.parse((await this.#open(sealed)).toString("utf8")) as {
      contentType: string;
      body: string;
    };
    return { contentType: opened.contentType, body: new Uint8Array(Buffer.from(opened.body, "base64")) };
  }

  /** Every key under `prefix` ("dvcqg/<sender>/<day>/"), in key order (= arrival order within a day). */
  async list(prefix: string): Promise<string[]> {
    const found: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      if (!existsSync(folder)) return;
      const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const entry of entries) {
        const full = join(folder, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.name !== ".key") found.push(relative(this.#root, full).split(sep).join("/"));
      }
    };
    await walk(this.#root);
    return found.filter((key) => key.startsWith(prefix));
  }

  /** Removes the day folders (`dvcqg/<sender>/<yyyy-mm-dd>`) older than the retention. */
  async prune(): Promise<number> {
    const today = new Date(this.#now() + 7 * 3_600_000).toISOString().slice(0, 10);
    if (today === this.#prunedDay) return 0;
    this.#prunedDay = today;
    const oldest = new Date(Date.parse(today) - this.#retentionDays * 86_400_000).toISOString().slice(0, 10);
    const senders = join(this.#root, "dvcqg");
    if (!existsSync(senders)) return 0;
    let removed = 0;
    for (const sender of await readdir(senders)) {
      for (const day of await readdir(join(senders, sender))) {
        if (/^\d{4}-\d{2}-\d{2}$/.test(day) && day < oldest) {
          await rm(join(senders, sender, day), { recursive: true, force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  async #seal(clear: Buffer): Promise<Buffer> {
    const key = await this.#loadKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(clear), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async #open(sealed: Buffer): Promise<Buffer> {
    const key = await this.#loadKey();
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  }

  async #loadKey(): Promise<Buffer> {
    if (this.#key) return this.#key;
    const file = join(this.#root, ".key");
    await mkdir(this.#root, { recursive: true });
    if (!existsSync(file)) {
      try {
        await writeFile(file, randomBytes(32), { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    const key = await readFile(file);
    if (key.length !== 32) throw new Error(`sync archive key ${file} holds ${key.length} bytes, not 32`);
    this.#key = key;
    return key;
  }

  #path(key: string): string {
    const path = resolve(join(this.#root, key));
    if (!path.startsWith(this.#root + sep)) throw new InvalidInputError("invalid archive key", { key });
    return path;
  }
}
