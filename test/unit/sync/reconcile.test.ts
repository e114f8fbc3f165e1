import { describe, expect, it } from "vitest";
import { ConflictError } from "../../../shared/errors.ts";
import { changedFactFlags, mapSyncRecord, reconcileEvents } from "../../../shared/sync/index.ts";
import { CODE, context, dossierRecord, hoSo } from "../../fixtures/dvcqg/builders.ts";

function eventsOf(overrides: Record<string, unknown>) {
  const result = mapSyncRecord(dossierRecord(hoSo(overrides)), context());
  if (!result.ok) throw new Error(result.reason);
  return result.events;
}

describe("reconcileEvents", () => {
  const first = eventsOf({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261111150000" });

  it("passes everything through for a new dossier", () => {
    expect(reconcileEvents([], first).fresh).toEqual(first);
  });

  it("skips an unchanged re-send whole", () => {
    expect(reconcileEvents(first, first)).toEqual({
      fresh: [],
      duplicates: first.map((event) => event.id),
      changed: [],
    });
  });

  it("keeps the first version of a fact sent again with other content", () => {
    const rewritten = eventsOf({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261109090000" });
    const result = reconcileEvents(first, rewritten);
    expect(result.fresh).toEqual([]);
    expect(result.changed).toEqual([rewritten[1]!.id]);
  });

  it("refuses a fact the dossier cannot take (a result after a closure)", () => {
    const rejected = eventsOf({ TrangThaiHoSo: "3", NgayTuChoi: "20261102100000" });
    expect(() => reconcileEvents(rejected, first)).toThrow(ConflictError);
  });
});

describe("changedFactFlags", () => {
  it("flags each changed fact but the finish, which the mapper flags itself", () => {
    const flags = changedFactFlags({ dossierCode: CODE, agencyId: "a", flags: [] }, [
      `${CODE}/dvcqg/received`,
      `${CODE}/dvcqg/result-ready`,
    ]);
    expect(flags).toEqual([
      { rule: "changed-after-sync", dossierCode: CODE, agencyId: "a", details: { fact: "received" } },
    ]);
  });
});
