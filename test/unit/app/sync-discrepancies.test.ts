import { describe, expect, it } from "vitest";
import {
  discrepancyKey,
  discrepancySink,
  SyncDiscrepancies,
  type SyncDiscrepancy,
} from "../../../shared/app/sync-discrepancies.ts";
import type { SyncFlag } from "../../../shared/sync/flags.ts";

const disagreement = (catalogueVersion: string): SyncFlag => ({
  rule: "appointment-disagrees-with-catalogue",
  dossierCode: "000.00.17.H56-261102-0001",
  agencyId: "so-nnmt",
  procedureCode: "1.001612",
  details: {
    legalDueAt: "2026-11-09T09:00:00+07:00",
    appointment: "2026-11-16T09:00:00+07:00",
    catalogueVersion,
  },
});

describe("discrepancyKey", () => {
  it("is the same for the same disagreement under another catalogue version, and differs for another promise", () => {
    expect(discrepancyKey(disagreement("cat-a"))).toBe(discrepancyKey(disagreement("cat-b")));
    const moved = {
      ...disagreement("cat-a"),
      details: { ...disagreement("cat-a").details, appointment: "x" },
    };
    expect(discrepancyKey(moved)).not.toBe(discrepancyKey(disagreement("cat-a")));
    expect(discrepancyKey(disagreement("cat-a"))).toMatch(
      /^appointment-disagrees-with-catalogue#[0-9a-f]{16}$/,
    );
  });
});

describe("discrepancySink", () => {
  it("hands the log one item per agency, dossier and key, dated at the request's arrival", async () => {
    const recorded: SyncDiscrepancy[][] = [];
    const sink = discrepancySink({
      record: async (items) => {
        recorded.push([...items]);
      },
      listByAgency: async () => [],
    });

    await sink.record([disagreement("cat-a"), disagreement("cat-b")], {
      senderId: "mot-cua-tinh",
      receivedAt: Date.parse("2026-11-02T03:00:00Z"),
    });

    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.map((item) => [item.dossierCode, item.senderId, item.firstSeenAt])).toEqual([
      ["000.00.17.H56-261102-0001", "mot-cua-tinh", "2026-11-02T03:00:00.000Z"],
    ]);
  });
});

describe("SyncDiscrepancies.report", () => {
  const admin = { userId: "a", name: "A", agencyId: "so-nnmt", groups: ["admin"] as const };
  const report = new SyncDiscrepancies({ log: { record: async () => {}, listByAgency: async () => [] } });

  it("refuses a period that ends before it starts, or runs past 366 days", async () => {
    await expect(report.report(admin, { from: "2026-11-30", to: "2026-11-01" })).rejects.toThrow(
      "to must not be before from",
    );
    await expect(report.report(admin, { from: "2025-01-01", to: "2026-01-02" })).rejects.toThrow(
      "the period is at most 366 days",
    );
  });
});
