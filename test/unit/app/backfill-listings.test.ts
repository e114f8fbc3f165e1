import { describe, expect, it } from "vitest";
import { BackfillListings } from "../../../shared/app/backfill-listings.ts";
import type {
  DossierListingRepair,
  RelistOutcome,
  StoredDossierScanOptions,
  StoredDossierState,
} from "../../../shared/app/ports.ts";

/** Stored dossiers in pages of two; each code says what `relist` finds for it. */
function store(outcomes: Record<string, RelistOutcome>) {
  const codes = Object.keys(outcomes);
  const asked: StoredDossierScanOptions[] = [];
  const relisted: { code: string; dryRun: boolean }[] = [];
  const listings: DossierListingRepair = {
    async storedDossiers(options) {
      asked.push(options);
      const from = options.cursor === undefined ? 0 : Number(options.cursor);
      const items: StoredDossierState[] = codes
        .slice(from, from + 2)
        .map((dossierCode) => ({ dossierCode, version: 1, listing: undefined }));
      return { items, cursor: from + 2 < codes.length ? String(from + 2) : undefined };
    },
    async relist(dossier, options) {
      relisted.push({ code: dossier.dossierCode, dryRun: options.dryRun });
      return outcomes[dossier.dossierCode]!;
    },
  };
  return { listings, asked, relisted };
}

const outcomes: Record<string, RelistOutcome> = {
  a: { outcome: "written", items: 2 },
  b: { outcome: "current" },
  c: { outcome: "written", items: 1 },
  d: { outcome: "moved-on" },
  e: { outcome: "current" },
};

describe("BackfillListings", () => {
  it("walks every page and counts each dossier once by what was found", async () => {
    const { listings, asked } = store(outcomes);

    const result = await new BackfillListings({ listings }).run({ agencyId: "so-nnmt", pageSize: 2 });

    expect(result).toEqual({
      scanned: 5,
      written: 2,
      itemsWritten: 3,
      alreadyCurrent: 2,
      movedOn: 1,
      dryRun: false,
    });
    expect(asked).toEqual([
      { agencyId: "so-nnmt", limit: 2, cursor: undefined },
      { agencyId: "so-nnmt", limit: 2, cursor: "2" },
      { agencyId: "so-nnmt", limit: 2, cursor: "4" },
    ]);
  });

  it("stops after maxPages with the cursor, and resumes from it without reading a dossier twice", async () => {
    const { listings, relisted } = store(outcomes);
    const backfill = new BackfillListings({ listings });

    const first = await backfill.run({ maxPages: 2 });
    const rest = await backfill.run({ cursor: first.cursor });

    expect(first).toMatchObject({ scanned: 4, cursor: "4" });
    expect(rest).toMatchObject({ scanned: 1 });
    expect(rest.cursor).toBeUndefined();
    expect(relisted.map((entry) => entry.code)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("passes the dry run to every relist", async () => {
    const { listings, relisted } = store(outcomes);

    const result = await new BackfillListings({ listings }).run({ dryRun: true });

    expect(result.dryRun).toBe(true);
    expect(relisted.every((entry) => entry.dryRun)).toBe(true);
  });

  it("refuses a page count that is not a positive integer", async () => {
    const { listings, asked } = store(outcomes);

    await expect(new BackfillListings({ listings }).run({ maxPages: 0 })).rejects.toThrow(
      "pages must be a positive integer",
    );
    expect(asked).toEqual([]);
  });
});
