import { describe, expect, it, onTestFinished } from "vitest";
import { DynamoDbAgendaRepository } from "../../../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "../../../shared/adapters/dynamodb/alert-log.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { createTestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anAlert, anEvent } from "./builders.ts";

/** An SMS held for the quiet hours: back on the due list at `until`, done for the planner. */
async function setUp() {
  const table = await createTestTable();
  onTestFinished(() => table.dispose());
  const options = { client: table.doc, design: table.design };
  const dossiers = new DynamoDbDossierRepository(options);
  const agenda = new DynamoDbAgendaRepository(options);
  const alerts = new DynamoDbAlertLog(options);
  const code = aDossierCode();
  const alert = anAlert(code, "receipt-sms", "2026-11-17T20:50:00+07:00", { channel: "sms" });
  await dossiers.save({
    code,
    expectedVersion: undefined,
    newEvents: [anEvent(code, "received", { type: "received", occurredAt: alert.at })],
    state: {},
    listing: undefined,
    agenda: { previous: [], next: [alert] },
    savedAt: alert.at,
  });
  const ref = { dossierCode: code, dedupeKey: alert.dedupeKey, at: alert.at };
  return { dossiers, agenda, alerts, code, alert, ref };
}

const keysDue = async (agenda: DynamoDbAgendaRepository, now: string) =>
  (await agenda.due(now, 50)).entries.map((entry) => [entry.ref.dedupeKey, entry.heldUntil]);

describe("agenda hold (an SMS waiting for the end of the quiet hours)", () => {
  it("comes due again at `until`, not before, and leaves the due list once marked done then", async () => {
    const { agenda, alert, ref } = await setUp();
    await agenda.markDone([ref], "2026-11-17T21:00:00+07:00");

    expect(await agenda.hold(ref, "2026-11-18T07:00:00+07:00", "2026-11-17T21:00:05+07:00")).toBe(true);

    expect(await keysDue(agenda, "2026-11-18T06:59:59+07:00")).toEqual([]);
    expect(await keysDue(agenda, "2026-11-18T07:00:00+07:00")).toEqual([
      [alert.dedupeKey, "2026-11-18T07:00:00+07:00"],
    ]);
    await agenda.markDone([ref], "2026-11-18T07:00:00+07:00");
    expect(await keysDue(agenda, "2026-11-18T08:00:00+07:00")).toEqual([]);
  });

  it("survives the sweep marking the entry done after notify held it (they race on the local queues)", async () => {
    const { agenda, alert, ref } = await setUp();
    await agenda.hold(ref, "2026-11-18T07:00:00+07:00", "2026-11-17T21:00:05+07:00");

    await agenda.markDone([ref], "2026-11-17T21:00:06+07:00");

    expect(await keysDue(agenda, "2026-11-18T07:00:00+07:00")).toEqual([
      [alert.dedupeKey, "2026-11-18T07:00:00+07:00"],
    ]);
  });

  it("is done for the planner: a re-plan neither rewrites nor drops it", async () => {
    const { dossiers, agenda, code, alert, ref } = await setUp();
    await agenda.hold(ref, "2026-11-18T07:00:00+07:00", "2026-11-17T21:00:05+07:00");
    const loaded = await dossiers.load(code);
    expect(loaded?.agenda.map((entry) => entry.doneAt)).toEqual(["2026-11-17T21:00:05+07:00"]);

    await dossiers.save({
      code,
      expectedVersion: loaded!.version,
      newEvents: [],
      state: {},
      listing: undefined,
      agenda: { previous: loaded!.agenda, next: [{ ...alert, rule: "changed" }] },
      savedAt: "2026-11-17T22:00:00+07:00",
    });

    expect(await keysDue(agenda, "2026-11-18T07:00:00+07:00")).toEqual([
      [alert.dedupeKey, "2026-11-18T07:00:00+07:00"],
    ]);
  });

  it("refuses an entry that is gone or re-planned", async () => {
    const { agenda, ref } = await setUp();
    expect(
      await agenda.hold({ ...ref, at: "2026-11-17T20:51:00+07:00" }, "2026-11-18T07:00:00+07:00", ref.at),
    ).toBe(false);
    expect(
      await agenda.hold({ ...ref, dossierCode: aDossierCode() }, "2026-11-18T07:00:00+07:00", ref.at),
    ).toBe(false);
  });
});

describe("alert record transition", () => {
  it("moves the status only from the expected one: one of two releases wins", async () => {
    const { alerts, alert } = await setUp();
    await alerts.claim(alert.dedupeKey, { alert, claimedAt: "2026-11-17T21:00:00+07:00" });
    await alerts.recordDelivery(alert.dedupeKey, { status: "held", at: "2026-11-17T21:00:05+07:00" });

    const release = {
      status: "queued" as const,
      at: "2026-11-18T07:00:00+07:00",
      detail: { released: true },
    };
    const results = await Promise.all([
      alerts.transition(alert.dedupeKey, "held", release),
      alerts.transition(alert.dedupeKey, "held", release),
    ]);

    expect(results.sort()).toEqual([false, true]);
    const record = await alerts.get(alert.dedupeKey);
    expect(record?.status).toBe("queued");
    expect(record?.deliveries.map((d) => d.status)).toEqual(["held", "queued"]);
    expect(await alerts.transition("no-such-key", "held", release)).toBe(false);
  });
});
