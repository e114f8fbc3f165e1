import { DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbAgendaRepository } from "../../../shared/adapters/dynamodb/agenda-repository.dynamodb.ts";
import { DynamoDbAlertLog } from "../../../shared/adapters/dynamodb/alert-log.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { keys, TTL_ATTRIBUTE } from "../../../shared/adapters/dynamodb/table-design.ts";
import { ConcurrencyError, type PlannedAlert } from "../../../shared/app/ports.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anAlert, anEvent } from "./builders.ts";

const table = useTestTable();
const log = () => new DynamoDbAlertLog({ client: table.doc, design: table.design });
const CLAIMED_AT = "2026-11-20T07:30:05+07:00";

async function planned(alert: PlannedAlert): Promise<void> {
  await new DynamoDbDossierRepository({ client: table.doc, design: table.design }).save({
    code: alert.dossierCode,
    expectedVersion: undefined,
    newEvents: [anEvent(alert.dossierCode, "received", { type: "received" })],
    state: {},
    listing: undefined,
    agenda: { previous: [], next: [alert] },
    savedAt: "2026-11-19T10:00:00+07:00",
  });
}

describe("DynamoDbAlertLog", () => {
  it("lets exactly one of many overlapping claims of a dedupe key win", async () => {
    const rounds = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const alert = anAlert(aDossierCode(), "due-soon", "2026-11-20T07:30:00+07:00");
        return Promise.all(
          Array.from({ length: 5 }, () => log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT })),
        );
      }),
    );

    for (const results of rounds) expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("refuses a second claim after the first, and keeps the first record", async () => {
    const alert = anAlert(aDossierCode(), "due-soon", "2026-11-20T07:30:00+07:00");

    const first = await log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT });
    const retry = await log().claim(alert.dedupeKey, { alert, claimedAt: "2026-11-20T07:31:05+07:00" });

    expect([first, retry]).toEqual([true, false]);
    expect((await log().get(alert.dedupeKey))?.claimedAt).toBe(CLAIMED_AT);
  });

  it("sets the TTL attribute the table expires records by", async () => {
    const alert = anAlert(aDossierCode(), "due-soon", "2026-11-20T07:30:00+07:00");
    const shortLog = new DynamoDbAlertLog({ client: table.doc, design: table.design, retentionDays: 30 });

    await shortLog.claim(alert.dedupeKey, { alert, claimedAt: "2026-11-20T00:00:00Z" });
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.design.tableName, Key: keys.alertRecord(alert.dedupeKey) }),
    );
    const ttl = await table.client.send(new DescribeTimeToLiveCommand({ TableName: table.design.tableName }));

    expect(Item?.[TTL_ATTRIBUTE]).toBe(Date.UTC(2026, 11, 20) / 1000);
    expect(ttl.TimeToLiveDescription).toMatchObject({
      AttributeName: TTL_ATTRIBUTE,
      TimeToLiveStatus: "ENABLED",
    });
    expect((await log().get(alert.dedupeKey))?.expiresAt).toBe(Date.UTC(2026, 11, 20) / 1000);
  });

  it("with the agenda entry as guard, claims only an entry still pending at the time read", async () => {
    const alert = anAlert(aDossierCode(), "due-soon", "2026-11-20T07:30:00+07:00");
    await planned(alert);
    const ref = { dossierCode: alert.dossierCode, dedupeKey: alert.dedupeKey, at: alert.at };
    const movedRef = { ...ref, at: "2026-11-20T07:00:00+07:00" };

    const stale = await log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT, agendaEntry: movedRef });
    const afterStale = await log().get(alert.dedupeKey);
    const overlapping = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT, agendaEntry: ref }),
      ),
    );
    await new DynamoDbAgendaRepository({ client: table.doc, design: table.design }).markDone(
      [ref],
      CLAIMED_AT,
    );
    const afterDone = await log().claim(`${alert.dedupeKey}:other`, {
      alert,
      claimedAt: CLAIMED_AT,
      agendaEntry: ref,
    });

    expect(stale).toBe(false);
    expect(afterStale).toBeUndefined();
    const won = overlapping.filter((r) => r.status === "fulfilled" && r.value === true);
    const failed = overlapping.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    for (const r of failed) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    expect(afterDone).toBe(false);
  });

  it("records each delivery attempt and the latest status", async () => {
    const alert = anAlert(aDossierCode(), "due-soon", "2026-11-20T07:30:00+07:00");
    await log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT });

    await log().recordDelivery(alert.dedupeKey, { status: "queued", at: "2026-11-20T07:30:06+07:00" });
    await log().recordDelivery(alert.dedupeKey, {
      status: "failed",
      at: "2026-11-20T07:30:09+07:00",
      detail: { errorCode: "Throttling", attempt: 1 },
    });
    await log().recordDelivery(alert.dedupeKey, {
      status: "sent",
      at: "2026-11-20T07:31:00+07:00",
      detail: { messageId: "m-1" },
    });
    const record = await log().get(alert.dedupeKey);

    expect(record?.status).toBe("sent");
    expect(record?.alert).toEqual(alert);
    expect(record?.deliveries.map((d) => d.status)).toEqual(["queued", "failed", "sent"]);
    expect(record?.deliveries[1]?.detail).toEqual({ errorCode: "Throttling", attempt: 1 });
  });

  it("refuses a delivery for an alert never claimed, with a NotFoundError", async () => {
    await expect(
      log().recordDelivery("never-claimed", { status: "sent", at: "2026-11-20T07:31:00+07:00" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("reads many records in one call by dedupe key, past the 100 keys of one batch, leaving out keys never claimed", async () => {
    const code = aDossierCode();
    const alerts = Array.from({ length: 150 }, (_, n) =>
      anAlert(code, `step-due-${n}`, "2026-11-20T07:30:00+07:00"),
    );
    await Promise.all(alerts.map((alert) => log().claim(alert.dedupeKey, { alert, claimedAt: CLAIMED_AT })));
    await log().recordDelivery(alerts[120]!.dedupeKey, { status: "sent", at: "2026-11-20T07:31:00+07:00" });

    const records = await log().getMany([...alerts.map((alert) => alert.dedupeKey), "never-claimed"]);

    expect([...records.keys()].sort()).toEqual(alerts.map((alert) => alert.dedupeKey).sort());
    expect(records.get(alerts[120]!.dedupeKey)?.status).toBe("sent");
    expect(records.get(alerts[0]!.dedupeKey)).toMatchObject({ status: "claimed", claimedAt: CLAIMED_AT });
  });
});
