import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../shared/app/logger.ts";
import { type SyncDossiersPorts, syncDossiers } from "../../../shared/app/sync-dossiers.ts";
import { type DossierEventJson, parseStoredDossierEvent } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { CODE, catalogue, hoSo, tienDo, working } from "../../fixtures/dvcqg/builders.ts";

const AGENCY = "000.00.17.H56";
const OTHER = "000.00.18.H56";

/** A store holding events as the worker saves them, a spy on the ingest path, a read counter. */
function harness() {
  const stored = new Map<string, DossierEventJson[]>();
  const sent: DossierEventJson[][] = [];
  let reads = 0;
  const ports: SyncDossiersPorts = {
    dossiers: {
      load: async (code: string) => {
        reads++;
        const events = stored.get(code);
        return events === undefined
          ? undefined
          : { code, events, state: null, version: events.length, agenda: [], listing: undefined };
      },
    },
    ingest: {
      ingest: async (body: unknown) => {
        const events = body as DossierEventJson[];
        sent.push(events);
        // What the worker then stores (shared/app/apply-events.ts), in the stored form.
        for (const event of events) {
          const parsed = parseStoredDossierEvent(event);
          stored.set(parsed.dossierCode, [...(stored.get(parsed.dossierCode) ?? []), event]);
        }
        return { accepted: events.map((event) => ({ id: event.id, dossierCode: event.dossierCode })) };
      },
    },
    workingTime: { current: async () => ({ version: "test", workingTime: working }) },
    catalogue: { current: async () => catalogue },
    logger: silentLogger,
  };
  return { ports, sent, stored, reads: () => reads };
}

const input = (body: unknown, overrides: Record<string, unknown> = {}) => ({
  senderId: "opencps-h56",
  allowedAgencies: [AGENCY],
  route: "service" as const,
  body,
  receivedAt: Date.parse("2026-11-02T10:00:00+07:00"),
  ...overrides,
});
const envelope = (data: unknown[], madonvi = AGENCY) => ({
  session: "s",
  madonvi,
  service: "DongBoHoSoMC",
  isUpdating: "False",
  data,
});

describe("syncDossiers", () => {
  it("sends a new dossier's events through the ingest path", async () => {
    const { ports, sent } = harness();
    const result = await syncDossiers(ports, input(envelope([hoSo()])));
    expect(result).toMatchObject({ accepted: 1, unchanged: 0, refused: [] });
    expect(sent.flat().map((event) => event.type)).toEqual(["received"]);
  });

  it("costs an unchanged re-send one read and no write", async () => {
    const { ports, sent, reads } = harness();
    await syncDossiers(ports, input(envelope([hoSo()])));
    const before = { reads: reads(), sends: sent.length };
    const result = await syncDossiers(ports, input(envelope([hoSo()])));
    expect(result).toMatchObject({ accepted: 0, unchanged: 1, refused: [] });
    expect(reads() - before.reads).toBe(1);
    expect(sent.length).toBe(before.sends);
  });

  it("never lets a sender write another agency's dossier", async () => {
    const { ports, sent } = harness();
    const result = await syncDossiers(ports, input(envelope([hoSo()], OTHER)));
    expect(result.refused).toEqual([
      { index: 0, maHoSo: CODE, rule: "agency-not-allowed", reason: expect.any(String) },
    ]);
    expect(sent).toEqual([]);
  });

  it("refuses progress rows for a dossier held for another agency, whatever the envelope says", async () => {
    const { ports } = harness();
    await syncDossiers(ports, input(envelope([hoSo()], OTHER), { allowedAgencies: [OTHER] }));
    const result = await syncDossiers(
      ports,
      input({ session: "s", madonvi: AGENCY, service: "CapNhatTienDoHoSoMC", data: [tienDo()] }),
    );
    expect(result.refused.map((refusal) => refusal.rule)).toEqual(["agency-not-allowed"]);
  });

  it("refuses a bad record with its position and still takes the others", async () => {
    const { ports, sent } = harness();
    const other = hoSo({ MaHoSo: "000.00.17.H56-261102-0002" });
    const result = await syncDossiers(ports, input(envelope([hoSo({ NgayTiepNhan: "2026-11-02" }), other])));
    expect(result.accepted).toBe(1);
    expect(result.refused).toMatchObject([{ index: 0, maHoSo: CODE, rule: "date" }]);
    expect(sent.flat().map((event) => event.dossierCode)).toEqual(["000.00.17.H56-261102-0002"]);
  });

  it("lets a later record of the same request see the events of an earlier one", async () => {
    const { ports, sent } = harness();
    const finished = hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261106150000" });
    const result = await syncDossiers(ports, input(envelope([hoSo(), finished])));
    expect(result).toMatchObject({ accepted: 2, unchanged: 0 });
    expect(sent.flat().map((event) => event.type)).toEqual(["received", "result-ready"]);
  });

  it("sends at most 10 events a call (the ingest path's limit)", async () => {
    const { ports, sent } = harness();
    const many = Array.from({ length: 12 }, (_, i) => hoSo({ MaHoSo: `000.00.17.H56-261102-${1000 + i}` }));
    await syncDossiers(ports, input(envelope(many)));
    expect(sent.map((chunk) => chunk.length)).toEqual([10, 2]);
  });

  it("throws on a malformed envelope", async () => {
    const { ports } = harness();
    await expect(syncDossiers(ports, input({ service: "DongBoHoSoMC" }))).rejects.toThrow(InvalidInputError);
  });

  it("hands the flags to the sink", async () => {
    const { ports } = harness();
    const recorded: unknown[] = [];
    const withSink = {
      ...ports,
      flags: { record: async (flags: readonly unknown[]) => void recorded.push(...flags) },
    };
    await syncDossiers(withSink, input(envelope([hoSo({ MaTTHC: "9.000001" })])));
    expect(recorded).toMatchObject([
      { rule: "unknown-procedure", agencyId: AGENCY, procedureCode: "9.000001" },
    ]);
  });
});
