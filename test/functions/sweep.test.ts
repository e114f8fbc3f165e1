import { afterEach, describe, expect, it } from "vitest";
import { INDEX } from "../../shared/adapters/dynamodb/table-design.ts";
import { parseInstant } from "../../shared/calendar/index.ts";
import { aDossierCode, assigned, directoryA, received } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function withDossiers(count: number): Promise<{ h: Harness; codes: string[] }> {
  const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
  harness = h;
  const codes = Array.from({ length: count }, () => aDossierCode());
  for (const code of codes) {
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
  }
  return { h, codes };
}

/** The agenda entries due at `now` and not overtaken, read straight from the stored dossiers. */
async function dueKeys(h: Harness, codes: readonly string[]): Promise<string[]> {
  const now = h.clock.now();
  const keys: string[] = [];
  for (const code of codes) {
    for (const entry of (await h.tables.dossiers.load(code))?.agenda ?? []) {
      const { alert } = entry;
      const expired = alert.expiresAt !== undefined && parseInstant(alert.expiresAt) <= now;
      if (entry.doneAt === undefined && parseInstant(alert.at) <= now && !expired) keys.push(alert.dedupeKey);
    }
  }
  return keys.sort();
}

const sentKeys = (h: Harness) =>
  [...h.notifyQueue.sent(), ...h.apologyQueue.sent()].map((m) => JSON.parse(m.body).dedupeKey as string);

describe("sweep", () => {
  it("sends each due alert once when two sweeps overlap (run concurrently)", async () => {
    const { h, codes } = await withDossiers(4);
    h.clock.set("2026-11-18T09:00:00+07:00");
    const expected = await dueKeys(h, codes);
    expect(expected.length).toBeGreaterThanOrEqual(4 * 3);

    const [first, second] = await Promise.all([h.sweep(), h.sweep()]);
    const third = await h.sweep();

    expect(sentKeys(h).sort()).toEqual(expected);
    expect(first.queued + second.queued).toBe(expected.length);
    expect(third).toMatchObject({ due: 0, queued: 0 });
    for (const key of expected) expect((await h.tables.alerts.get(key))?.status).toBe("queued");
    // The apology-draft requests went to the apology queue, the notices to the notify queue.
    expect(h.apologyQueue.sent().map((m) => JSON.parse(m.body).type)).toEqual(
      Array(4).fill("apology-draft-requested"),
    );
    expect(h.notifyQueue.sent().every((m) => JSON.parse(m.body).type === "alert")).toBe(true);
  });

  it("reads about one item per alert sent: only the due agenda entries, never the dossiers", async () => {
    const { h, codes } = await withDossiers(6);
    // A sweep every day at 09:00 (every minute in AWS): nothing is overtaken before it is sent.
    h.clock.set("2026-11-17T09:00:00+07:00");
    await h.sweep();
    h.clock.set("2026-11-18T09:00:00+07:00");
    const expected = await dueKeys(h, codes);
    h.reads.splice(0);

    const result = await h.sweep();

    const itemsRead = h.reads.reduce((sum, r) => sum + r.scannedCount, 0);
    expect(result.queued).toBe(expected.length);
    expect(itemsRead / result.queued).toBeLessThanOrEqual(1.2);
    // No dossier partition was read: every Query went to the agenda index.
    expect(h.reads.filter((r) => r.operation === "Query").every((r) => r.index === INDEX.agenda)).toBe(true);
  });

  it("drops a warning overtaken by its due instant without sending it", async () => {
    const { h, codes } = await withDossiers(1);
    // due-in-2-working-days was due at 11-17 09:00 and expires at 11-18 09:00 (when due-in-1 takes over).
    h.clock.set("2026-11-18T09:00:00+07:00");

    const result = await h.sweep();

    expect(result.expired).toBe(1);
    expect(sentKeys(h).some((key) => key.includes("due-in-2-working-days"))).toBe(false);
    const entry = (await h.tables.dossiers.load(codes[0]!))?.agenda.find(
      (e) => e.alert.rule === "due-in-2-working-days",
    );
    expect(entry?.doneAt).toBe("2026-11-18T09:00:00+07:00");
  });

  it("publishes the sweep lag as a CloudWatch EMF metric (namespace Dunghan, dimension Stage)", async () => {
    const { h } = await withDossiers(1);
    // The oldest due entry is the citizen receipt, planned for 11-16 09:00 (already past when saved).
    h.clock.set("2026-11-16T10:00:30+07:00");

    const result = await h.sweep();

    expect(result.lagSeconds).toBe(3630);
    const line = JSON.parse(h.metricLines.at(-1)!);
    expect(line).toEqual({
      _aws: {
        Timestamp: h.clock.now(),
        CloudWatchMetrics: [
          {
            Namespace: "Dunghan",
            Dimensions: [["Stage"]],
            Metrics: [{ Name: "SweepLagSeconds", Unit: "Seconds" }],
          },
        ],
      },
      Stage: "test",
      SweepLagSeconds: 3630,
    });
  });

  it("does not lose an alert when queueing fails after the claim: the next run sends it once", async () => {
    const { h, codes } = await withDossiers(2);
    // Before the apology duty (17/11 09:00 since the duty moved to two working days before the
    // due instant): a draft request queued in the same failed run would be queued again, at
    // least once by design (the drafts consumer dedupes); this test is about the notice lost.
    h.clock.set("2026-11-16T16:00:00+07:00");
    const expected = await dueKeys(h, codes);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    h.notifyQueue.failNext(1);

    await expect(h.sweep()).rejects.toThrow(/send refused/);
    const soon = await h.sweep();
    h.clock.advance(6 * 60_000);
    const later = await h.sweep();

    expect(soon.queued).toBe(0);
    expect(later.requeued).toBe(expected.length);
    expect(sentKeys(h).sort()).toEqual(expected);
    expect((await h.sweep()).due).toBe(0);
  });
});
