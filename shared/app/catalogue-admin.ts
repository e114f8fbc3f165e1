import { createHash } from "node:crypto";
import { canonicalJson } from "../canonical-json.ts";
import { ProcedureSchema, TimeLimitSchema } from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";
import {
  type CatalogueProcedure,
  EMPTY_CATALOGUE,
  type ProcedureCatalogue,
  parseCatalogue,
} from "../sync/catalogue.ts";
import { type Actor, requireGroup } from "./actor.ts";
import type { BlobStore } from "./blob-store.ts";
import type { Clock } from "./clock.ts";
import type { AppLogger } from "./logger.ts";

/**
 * The province's procedure catalogue (docs/reports.md, "The procedure catalogue"), kept as one
 * JSON document in the blob store — a province's catalogue runs to thousands of procedures, past
 * DynamoDB's 400 KB item — under `catalogue/current.json`, each version also under
 * `catalogue/versions/<version>.json` so an earlier one can be read back. The version is a digest
 * of the procedures (as the calendar's is of its announcements): the same catalogue, the same
 * version, whatever the order of its rows.
 *
 * A new catalogue applies to the dossiers received after it: a dossier carries its procedure's
 * limit in its `received` event, so nothing already received is re-evaluated.
 */
export const CATALOGUE_KEY = "catalogue/current.json";
export const catalogueVersionKey = (version: string) => `catalogue/versions/${version}.json`;

export interface StoredCatalogueFile {
  readonly version: string;
  readonly procedures: readonly CatalogueProcedure[];
}

/** A digest of the procedures, sorted by code. */
export function catalogueVersion(procedures: readonly CatalogueProcedure[]): string {
  const sorted = [...procedures].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return `cat-${createHash("sha256").update(canonicalJson(sorted)).digest("hex").slice(0, 16)}`;
}

export interface CatalogueStoreOptions {
  /** How long a read catalogue is trusted (default 60 s, as the calendar). */
  readonly maxAgeMs?: number | undefined;
}

/**
 * The catalogue as the sync and the reports read it (`current()`; the empty catalogue until one is
 * stored) and as the admin route writes it.
 */
export class BlobCatalogueStore {
  readonly #blobs: BlobStore;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  #held: { catalogue: ProcedureCatalogue; readAt: number } | undefined;

  constructor(blobs: BlobStore, clock: Clock, options: CatalogueStoreOptions = {}) {
    this.#blobs = blobs;
    this.#clock = clock;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  async current(): Promise<ProcedureCatalogue> {
    const now = this.#clock.now();
    if (this.#held !== undefined && now - this.#held.readAt < this.#maxAgeMs) return this.#held.catalogue;
    const file = await this.stored();
    const catalogue = file === undefined ? EMPTY_CATALOGUE : parseCatalogue(file);
    this.#held = { catalogue, readAt: now };
    return catalogue;
  }

  async stored(version?: string): Promise<StoredCatalogueFile | undefined> {
    const blob = await this.#blobs.get(version === undefined ? CATALOGUE_KEY : catalogueVersionKey(version));
    if (blob === undefined) return undefined;
    return JSON.parse(new TextDecoder().decode(blob.body)) as StoredCatalogueFile;
  }

  /** Stores the version first, then points `current` at it. */
  async put(file: StoredCatalogueFile): Promise<void> {
    const text = JSON.stringify(file);
    await this.#blobs.put(catalogueVersionKey(file.version), text, "application/json");
    await this.#blobs.put(CATALOGUE_KEY, text, "application/json");
    this.#held = undefined;
  }
}

export interface CatalogueView {
  /** "empty" until a catalogue is stored. */
  readonly version: string;
  readonly count: number;
  readonly procedures: readonly CatalogueProcedure[];
}

export interface CatalogueUpdate {
  readonly version: string;
  readonly previousVersion: string;
  readonly count: number;
  /** False when the same catalogue was already current (nothing written). */
  readonly changed: boolean;
}

/** `GET /catalogue`, `PUT /catalogue`: admins only (the catalogue is the province's, one for all agencies). */
export class CatalogueAdmin {
  readonly #store: BlobCatalogueStore;
  readonly #logger: AppLogger;

  constructor(ports: { readonly store: BlobCatalogueStore; readonly logger: AppLogger }) {
    this.#store = ports.store;
    this.#logger = ports.logger;
  }

  async get(actor: Actor): Promise<CatalogueView> {
    requireGroup(actor, "admin");
    const file = await this.#store.stored();
    if (file === undefined) return { version: EMPTY_CATALOGUE.version, count: 0, procedures: [] };
    return { version: file.version, count: file.procedures.length, procedures: file.procedures };
  }

  /**
   * Body: the catalogue JSON (an array of procedures, or `{version?, procedures}`; the version it
   * names is ignored — the stored version is the digest). Validated whole: one bad entry refuses it.
   */
  async put(actor: Actor, body: unknown): Promise<CatalogueUpdate> {
    requireGroup(actor, "admin");
    const list =
      body !== null && typeof body === "object" && !Array.isArray(body) && "procedures" in body
        ? (body as { procedures: unknown }).procedures
        : body;
    if (!Array.isArray(list)) {
      throw new InvalidInputError("send the catalogue: an array of procedures or {procedures: [...]}");
    }
    if (list.length === 0) throw new InvalidInputError("the catalogue has no procedure");
    checkEntries(list);
    const parsed = parseCatalogue(list);
    const procedures = [...parsed.procedures.values()];
    const version = catalogueVersion(procedures);
    const previous = await this.#store.stored();
    const previousVersion = previous?.version ?? EMPTY_CATALOGUE.version;
    if (previousVersion === version) {
      return { version, previousVersion, count: procedures.length, changed: false };
    }
    await this.#store.put({ version, procedures });
    this.#logger.info("procedure catalogue stored", {
      catalogueVersion: version,
      previousVersion,
      procedures: procedures.length,
      by: actor.userId,
    });
    return { version, previousVersion, count: procedures.length, changed: true };
  }
}

const EntrySchema = ProcedureSchema.extend({ onlineTimeLimit: TimeLimitSchema.optional() });

/** Names the first entries at fault and their fields (the whole-file parse only says "invalid"). */
function checkEntries(list: readonly unknown[]): void {
  const problems: string[] = [];
  list.forEach((entry, index) => {
    const result = EntrySchema.safeParse(entry);
    if (result.success || problems.length >= 20) return;
    for (const issue of result.error.issues)
      problems.push(`${[index, ...issue.path].join(".")}: ${issue.message}`);
  });
  if (problems.length > 0) {
    throw new InvalidInputError(`invalid procedure catalogue — ${problems.join("; ")}`, {
      fields: problems.map((problem) => problem.slice(0, problem.indexOf(":"))),
    });
  }
}
