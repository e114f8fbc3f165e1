import { afterEach, describe, expect, it } from "vitest";
import type { DossierView } from "../../shared/app/api-types.ts";
import { aDossierCode, assigned, directorA, directoryA, received } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

// Ingesting through the queue takes seconds on a loaded machine.
describe("GET /dossiers/{code}: the alerts sent", { timeout: 90_000 }, () => {
  it("reads the records of every alert sent in one batch read, not one read per alert", async () => {
    harness = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    const code = aDossierCode();
    await harness.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    harness.clock.set("2026-11-17T09:00:00+07:00");
    await harness.sweep();
    harness.clock.set("2026-11-18T09:00:00+07:00");
    await harness.sweep();
    harness.reads.splice(0);

    const view = (await harness.api("GET /dossiers/{code}", { claims: directorA, path: { code } }))
      .body as DossierView;

    expect(view.alerts.sent.length).toBeGreaterThanOrEqual(3);
    expect(view.alerts.sent.map((alert) => alert.status)).not.toContain("unknown");
    const batches = harness.reads.filter((read) => read.operation === "BatchGetItem");
    expect(batches.map((read) => read.count)).toEqual([view.alerts.sent.length]);
  });
});
