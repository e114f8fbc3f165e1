import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../shared/app/logger.ts";
import { type SyncDossiersPorts, syncDossiers } from "../../../shared/app/sync-dossiers.ts";
import { MemorySyncLedger } from "../../../shared/app/sync-ledger.ts";
import { type DossierEventJson, parseStoredDossierEvent } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { CODE, catalogue, hoSo, tienDo, working } from "../../fixtures/dvcqg/builders.ts";

const AGENCY = "000.00.17.H56";
const OTHER = "000.00.18.H56";

/**
 * A store holding events as the worker saves them, a spy on the ingest path, a read counter.
 * `worker: "later"`: what is sent waits in a queue until `work()` applies it (FIFO), as on the
 * stack, where the worker stores a request's events a moment after the reply.
 */
function harness(options: { worker?: "at-once" | "later"; ledger?: boolean } = {}) {
  const stored = new Map<string, DossierEventJson[]>();
  const sent: DossierEventJson[][] = [];
  const queue: DossierEventJson[] = [];
  let reads = 0;
  const store = (event: DossierEventJson) => {
    const parsed = parseStoredDossierEvent(event);
    const log = stored.get(parsed.dossierCode) ?? [];
    // The worker skips an event id already stored (shared/app/apply-events.ts).
    if (!log.some((held) => held.id === event.id)) stored.set(parsed.dossierCode, [...log, event]);
  };
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
        if (options.worker === "later") queue.push(...events);
        else for (const event of events) store(event);
        return { accepted: events.map((event) => ({ id: event.id, dossierCode: event.dossierCode })) };
      },
    },
    workingTime: { current: async () => ({ version: "test", workingTime: working }) },
    catalogue: { current: async () => catalogue },
    logger: silentLogger,
    ...(options.ledger === false ? {} : { ledger: new MemorySyncLedger() }),
  };
  const work = () => {
    for (const event of queue.splice(0)) store(event);
  };
  return { ports, sent, stored, reads: () => reads, work };
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

describe("syncDossiers: records sent before the worker stored the ones before them", () => {
  const tdCreate = (record: Record<string, unknown>) =>
    input([record], { route: "create", senderId: "td", allowedAgencies: [AGENCY], defaultAgency: AGENCY });
  const tdProgress = (rows: unknown[]) =>
    input(rows, { route: "progress", senderId: "td", allowedAgencies: [AGENCY], defaultAgency: AGENCY });

  it("takes the progress rows TD sends right after their dossier, and orders them after it", async () => {
    const { ports, sent, stored, work } = harness({ worker: "later" });
    expect(await syncDossiers(ports, tdCreate(hoSo()))).toMatchObject({ accepted: 1, refused: [] });
    // The next request, a moment later: the worker has not stored the dossier yet.
    const progress = await syncDossiers(ports, tdProgress([tienDo()]));
    expect(progress).toMatchObject({ accepted: 1, unchanged: 0, refused: [] });
    expect(sent.flat().map((event) => event.type)).toEqual(["received", "assigned"]);
    work();
    expect(stored.get(CODE)?.map((event) => event.type)).toEqual(["received", "assigned"]);
  });

  it("still refuses progress rows of a dossier never sent", async () => {
    const { ports, sent } = harness({ worker: "later" });
    const result = await syncDossiers(ports, tdProgress([tienDo()]));
    expect(result.refused).toMatchObject([{ index: 0, maHoSo: CODE, rule: "unknown-dossier" }]);
    expect(sent).toEqual([]);
  });

  it("answers a dossier sent again before the worker stored it as unchanged, and queues nothing", async () => {
    const { ports, sent } = harness({ worker: "later" });
    await syncDossiers(ports, tdCreate(hoSo()));
    const again = await syncDossiers(ports, tdCreate(hoSo()));
    expect(again).toMatchObject({ accepted: 0, unchanged: 1, refused: [] });
    expect(sent.length).toBe(1);
  });

  it("keeps a dossier queued for another agency out of this sender's reach", async () => {
    const { ports, sent } = harness({ worker: "later" });
    await syncDossiers(ports, input(envelope([hoSo()], OTHER), { allowedAgencies: [OTHER] }));
    const result = await syncDossiers(
      ports,
      input({ session: "s", madonvi: AGENCY, service: "CapNhatTienDoHoSoMC", data: [tienDo()] }),
    );
    expect(result.refused.map((refusal) => refusal.rule)).toEqual(["agency-not-allowed"]);
    expect(sent.length).toBe(1);
  });
});

describe("syncDossiers: an old snapshot sent late", () => {
  const A = hoSo({ TrangThaiHoSo: "4" });
  const finished = hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261106150000" });
  const paying = hoSo({ TrangThaiHoSo: "6" });
  const phases = (stored: Map<string, DossierEventJson[]>) => stored.get(CODE)?.map((event) => event.type);

  it("adds no event after a newer one (A status 4, B status 9, then A again)", async () => {
    const { ports, sent, stored, work } = harness({ worker: "later" });
    for (const record of [A, finished]) {
      await syncDossiers(ports, input(envelope([record])));
      work();
    }
    const before = sent.length;
    const late = await syncDossiers(ports, input(envelope([A])));
    expect(late).toMatchObject({ accepted: 0, unchanged: 1, refused: [] });
    expect(sent.length).toBe(before);
    work();
    expect(phases(stored)).toEqual(["received", "result-ready"]);
  });

  it("does not move the dossier back: A status 4 after B status 6 (paused) leaves it paused", async () => {
    const { ports, sent, stored, work } = harness({ worker: "later" });
    for (const record of [A, paying]) {
      await syncDossiers(ports, input(envelope([record])));
      work();
    }
    const before = sent.length;
    const late = await syncDossiers(ports, input(envelope([A])));
    expect(late).toMatchObject({ accepted: 0, unchanged: 1, refused: [] });
    expect(sent.length).toBe(before);
    work();
    expect(phases(stored)).toEqual(["received", "paused"]);
  });

  it("does not move the dossier back while the newer snapshot is still queued", async () => {
    const { ports, sent } = harness({ worker: "later" });
    for (const record of [A, paying, A]) await syncDossiers(ports, input(envelope([record])));
    expect(sent.flat().map((event) => event.type)).toEqual(["received", "paused"]);
  });
});

describe("syncDossiers: the sender's default agency", () => {
  const threeUrl = (record: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
    input([record], { route: "create", allowedAgencies: [AGENCY], defaultAgency: AGENCY, ...overrides });

  it("puts a record whose envelope names no madonvi under the sender's default agency, not its unit", async () => {
    const { ports, sent } = harness();
    const result = await syncDossiers(ports, threeUrl(hoSo()));
    expect(result).toMatchObject({ accepted: 1, refused: [] });
    expect(sent.flat()[0]).toMatchObject({ type: "received", agency: { id: AGENCY } });
  });

  it("lets the envelope's madonvi win over the default", async () => {
    const { ports, sent } = harness();
    await syncDossiers(
      ports,
      input(envelope([hoSo()], OTHER), { allowedAgencies: [AGENCY, OTHER], defaultAgency: AGENCY }),
    );
    expect(sent.flat()[0]).toMatchObject({ type: "received", agency: { id: OTHER } });
  });

  it("never writes a default agency the sender is not mapped to", async () => {
    const { ports, sent } = harness();
    const result = await syncDossiers(ports, threeUrl(hoSo(), { defaultAgency: OTHER }));
    expect(result.refused).toMatchObject([{ index: 0, rule: "agency-not-allowed" }]);
    expect(sent).toEqual([]);
  });
});
