import { InvalidInputError } from "../errors.ts";
import type { Clock } from "./clock.ts";
import { type AppDossierRepository, type DossierSnapshot, listingOf } from "./dossier-records.ts";
import { DOSSIER_SNAPSHOT_VERSION, isDossierSnapshot } from "./dossier-snapshot.ts";
import type { DossierListing, DossierListingRepair, StoredDossierState } from "./ports.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

export interface BackfillListingsPorts {
  readonly listings: DossierListingRepair;
  /** Reads a dossier whose stored snapshot is of an older shape (folded again from its log). */
  readonly dossiers: Pick<AppDossierRepository, "load">;
  readonly workingTime: Pick<WorkingTimeProvider, "current">;
  readonly clock: Clock;
}

export interface BackfillListingsOptions {
  readonly agencyId?: string | undefined;
  /** Count what would be written, write nothing. */
  readonly dryRun?: boolean | undefined;
  /** Start where an earlier run stopped (its `cursor`). */
  readonly cursor?: string | undefined;
  /** State items read per page (default 100). */
  readonly pageSize?: number | undefined;
  /** Stop after this many pages; the result's `cursor` resumes. Default: to the end. */
  readonly maxPages?: number | undefined;
}

/** Counts only: no codes, names or phone numbers leave the run. */
export interface BackfillListingsResult {
  /** Stored dossiers read (of the agency, when one was given). */
  readonly scanned: number;
  /** Dossiers whose listing items were written (a dry run: would be written). */
  readonly written: number;
  /** Listing items put or deleted, the state item's listing included (a dry run: would be). */
  readonly itemsWritten: number;
  /** Dossiers whose listing items already matched. */
  readonly alreadyCurrent: number;
  /** Dossiers saved again while the run read them: that save wrote their listing items. */
  readonly movedOn: number;
  readonly dryRun: boolean;
  /** Where to resume; undefined once every stored dossier was read. */
  readonly cursor: string | undefined;
}

/**
 * Puts right the listing of every stored dossier (the state item's listing, and the items under
 * its handler and its unit that `GET /dossiers?handler=…`, `mine=1` and `unit=…` read):
 * dossiers saved before those items existed have none until their next event. The listing is the
 * one a save would write now (`listingOf` on the stored snapshot, as the worker computes it);
 * the repository writes it with the save's own item builders, only where it differs, conditional
 * on the dossier's version. The event log and the snapshot are never written; a second run
 * writes nothing. Page by page, resumable with the cursor.
 */
export class BackfillListings {
  readonly #ports: BackfillListingsPorts;

  constructor(ports: BackfillListingsPorts) {
    this.#ports = ports;
  }

  async run(options: BackfillListingsOptions = {}): Promise<BackfillListingsResult> {
    const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
    if (maxPages !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxPages) || maxPages < 1)) {
      throw new InvalidInputError("pages must be a positive integer", { maxPages });
    }
    const dryRun = options.dryRun ?? false;
    const { workingTime } = await this.#ports.workingTime.current();
    const now = this.#ports.clock.now();
    const counts = { scanned: 0, written: 0, itemsWritten: 0, alreadyCurrent: 0, movedOn: 0 };
    let cursor = options.cursor;
    let pages = 0;
    do {
      const page = await this.#ports.listings.storedDossiers({
        agencyId: options.agencyId,
        limit: options.pageSize,
        cursor,
      });
      for (const stored of page.items) {
        counts.scanned += 1;
        const snapshot = await this.#snapshotOf(stored);
        if (snapshot === "moved-on") {
          counts.movedOn += 1;
          continue;
        }
        const listing: DossierListing | undefined =
          snapshot === null ? undefined : listingOf(snapshot, now, workingTime);
        const outcome = await this.#ports.listings.relist(stored, listing, { dryRun });
        if (outcome.outcome === "current") counts.alreadyCurrent += 1;
        else if (outcome.outcome === "moved-on") counts.movedOn += 1;
        else {
          counts.written += 1;
          counts.itemsWritten += outcome.items;
        }
      }
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined && pages < maxPages);
    return { ...counts, dryRun, cursor };
  }

  /** The stored snapshot when it is of the current shape; else the log folded again, as a load does. */
  async #snapshotOf(stored: StoredDossierState): Promise<DossierSnapshot | "moved-on"> {
    if (stored.snapshotVersion === DOSSIER_SNAPSHOT_VERSION && isDossierSnapshot(stored.state)) {
      return stored.state;
    }
    const loaded = await this.#ports.dossiers.load(stored.dossierCode);
    if (loaded === undefined || loaded.version !== stored.version) return "moved-on";
    return loaded.state;
  }
}
