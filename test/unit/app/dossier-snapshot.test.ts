import { describe, expect, it } from "vitest";
import {
  DOSSIER_SNAPSHOT_VERSION,
  dossierSnapshotPolicy,
  isDossierSnapshot,
} from "../../../shared/app/dossier-snapshot.ts";
import { type DossierEvent, dossierEventToJson, foldDossier } from "../../../shared/dossier/index.ts";
import { anAssignedEvent, aPause, aReceivedEvent, working } from "../dossier/builders.ts";

const provider = { current: async () => ({ version: "test", workingTime: working }) };
const log = (events: readonly DossierEvent[]) => events.map(dossierEventToJson);
/** The snapshot as DynamoDB gives it back: JSON (no undefined, no prototypes). */
const stored = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("isDossierSnapshot", () => {
  const dossier = foldDossier([aReceivedEvent(), anAssignedEvent()], working);

  it("accepts a stored fold and null (events before the reception)", () => {
    expect(isDossierSnapshot(stored(dossier))).toBe(true);
    expect(isDossierSnapshot(null)).toBe(true);
  });

  it.each([
    ["another entity's state", { status: "in-progress", eventCount: 2 }],
    ["a dossier without appointments", { ...(stored(dossier) as object), appointments: [] }],
    ["a dossier whose received fact is not one", { ...(stored(dossier) as object), received: { type: "x" } }],
    ["a dossier with instants as strings", { ...(stored(dossier) as object), lastEventAt: "2026-11-20" }],
    ["an array", [dossier]],
    ["a string", "dossier"],
    ["undefined", undefined],
  ])("refuses %s", (_name, value) => {
    expect(isDossierSnapshot(value)).toBe(false);
  });
});

describe("dossierSnapshotPolicy", () => {
  it("carries the current snapshot version", () => {
    expect(dossierSnapshotPolicy(provider).version).toBe(DOSSIER_SNAPSHOT_VERSION);
  });

  it("folds the log again on the current calendar", async () => {
    const events = [aReceivedEvent(), anAssignedEvent(), aPause()];

    const refolded = await dossierSnapshotPolicy(provider).refold(log(events));

    expect(refolded).toEqual(foldDossier(events, working));
    expect(refolded?.stops).toHaveLength(1);
  });

  it("gives null for a log without its reception yet", async () => {
    await expect(dossierSnapshotPolicy(provider).refold(log([anAssignedEvent()]))).resolves.toBeNull();
  });
});
