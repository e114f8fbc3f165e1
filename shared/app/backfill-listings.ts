import { InvalidInputError } from "../errors.ts";
import type { DossierListingRepair } from "./ports.ts";

export interface BackfillListingsPorts {
  readonly listings: DossierListingRepair;
}

export interface BackfillListingsOptions {
  readonly agencyId?: string | undefined;
  /** Count what would be written, write nothing. */
  readonly dryRun?: boolean | undefined;
  /** Start where an earlier run stopped (its `cursor`). */
  readonly cursor?: string | undefined;
  /** Table items read per page (default 100). */
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
  /** Listing items put or deleted (a dry run: would be). */
  readonly itemsWritten: number;
  /** Dossiers whose listing items already matched. */
  readonly alreadyCurrent: number;
  /** Dossiers saved again while the run read them: that save wrote their listing items. */
  readonly movedOn: number;
  readonly dryRun: boolean;
  /** Where to resume; absent once every stored dossier was read. */
  readonly cursor?: string | undefined;
}

/**
 * Writes the listing items of stored dossiers that lack them or hold stale ones: the items under
 * the dossier's handler and its unit that `GET /dossiers?handler=…`, `mine=1` and `unit=…` read.
 * Dossiers saved before those items existed have none until their next event. Each dossier gets
 * the items its last save would have written beside its state item (from the listing saved with
 * the snapshot, at its version), only where they differ, conditional on that version: the event
 * log and the state item are never written, and a second run writes nothing. Page by page,
 * resumable with the cursor.
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
        const relisted = await this.#ports.listings.relist(stored, { dryRun });
        if (relisted.outcome === "current") counts.alreadyCurrent += 1;
        else if (relisted.outcome === "moved-on") counts.movedOn += 1;
        else {
          counts.written += 1;
          counts.itemsWritten += relisted.items;
        }
      }
      cursor = page.cursor;
      pages += 1;
    } while (cursor !== undefined && pages < maxPages);
    return { ...counts, dryRun, ...(cursor === undefined ? {} : { cursor }) };
  }
}
