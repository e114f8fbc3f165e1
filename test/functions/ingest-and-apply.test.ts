import { afterEach, describe, expect, it } from "vitest";
import type { AgendaAlert } from "../../shared/app/dossier-records.ts";
import { ConcurrencyError } from "../../shared/app/ports.ts";
import { AGENCY_A, aDossierCode, assigned, directoryA, received } from "./support/builders.ts";
import { Harness, lambdaContext } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const start = (options: Partial<Parameters<typeof Harness.start>[0]> = {}) =>
  Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA], ...options }).then((h) => {
    harness = h;
    return h;
  });

describe("ingest-api", () => {
  it("queues valid events on the FIFO queue grouped by dossier, deduplicated by dossier and event id", async () => {
    const h = await start();
    const code = aDossierCode();

    const response = await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);

    expect(response.status).toBe(202);
    expect(response.body.accepted).toEqual([
      { id: `${code}#received`, dossierCode: code },
      { id: `${code}#assigned`, dossierCode: code },
    ]);
    expect(h.eventsSent.sent.map((m) => [m.groupId, m.deduplicationId])).toEqual([
      [code, `${code}:${code}#received`],
      [code, `${code}:${code}#assigned`],
    ]);
    const stored = await h.tables.dossiers.load(code);
    expect(stored?.version).toBe(2);
    expect(stored?.events.map((e) => e.type)).toEqual(["received", "assigned"]);
    expect(stored?.listing).toMatchObject({ agencyId: AGENCY_A, status: "in-progress" });
  });

  it("refuses the whole request with per-event reasons when one event is invalid, and queues nothing", async () => {
    const h = await start();
    const code = aDossierCode();
    const bad = { ...assigned(code, "2026-11-16T09:30:00+07:00"), occurredAt: "16/11/2026" };
    const alsoBad = { ...received(code, { at: "2026-11-16T09:00:00+07:00" }), dossierCode: "x" };

    const response = await h.ingest([received(code, { at: "2026-11-16T09:00:00+07:00" }), bad, alsoBad]);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("INVALID_INPUT");
    expect(response.body.error.message).toMatch(/2 of 3 events are invalid; none was enqueued/);
    expect(response.body.error.details.rejected).toEqual([
      {
        index: 1,
        id: `${code}#assigned`,
        reasons: [expect.stringMatching(/^occurredAt: expected an ISO-8601 instant/)],
      },
      { index: 2, id: `${code}#received`, reasons: ["dossierCode: invalid dossier code"] },
    ]);
    expect(h.eventsSent.sent).toHaveLength(0);
    expect(await h.tables.dossiers.load(code)).toBeUndefined();
  });

  it("refuses more than 10 events and a body that is not JSON", async () => {
    const h = await start();
    const code = aDossierCode();
    const eleven = Array.from({ length: 11 }, (_, i) => ({
      ...assigned(code, "2026-11-16T09:30:00+07:00"),
      id: `a${i}`,
    }));

    expect((await h.ingest(eleven)).status).toBe(400);
    const notJson = await h.handlers.ingest(
      {
        routeKey: "POST /events",
        headers: { "content-type": "application/json" },
        body: "{not json",
        requestContext: {},
      } as never,
      lambdaContext,
    );
    expect(notJson).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((notJson as { body: string }).body).error.message).toMatch(/not JSON/);
    const wrongType = await h.handlers.ingest(
      {
        routeKey: "POST /events",
        headers: { "content-type": "text/plain" },
        body: "x",
        requestContext: {},
      } as never,
      lambdaContext,
    );
    expect(wrongType).toMatchObject({ statusCode: 415 });
    expect(h.eventsSent.sent).toHaveLength(0);
  });
});

describe("apply-events", () => {
  it("applies a duplicate delivery of an event harmlessly: state, version and agenda unchanged, no second alert", async () => {
    const h = await start();
    const code = aDossierCode();
    const events = [
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ];
    await h.ingest(events);
    h.clock.set("2026-11-17T09:00:00+07:00");
    const firstSweep = await h.sweep();
    expect(firstSweep.queued).toBeGreaterThan(0);
    const before = await h.tables.dossiers.load(code);
    const notifyBefore = h.notifyQueue.sent().length;

    // Past SQS's 5-minute deduplication window, the producer sends the same events again.
    h.clock.advance(10 * 60_000);
    const again = await h.ingest(events);
    const after = await h.tables.dossiers.load(code);
    const secondSweep = await h.sweep();

    expect(again.status).toBe(202);
    expect(h.eventsSent.sent).toHaveLength(4);
    expect(after?.version).toBe(before?.version);
    expect(after?.state).toEqual(before?.state);
    expect(sortAgenda(after?.agenda)).toEqual(sortAgenda(before?.agenda));
    expect(secondSweep.queued).toBe(0);
    expect(h.notifyQueue.sent()).toHaveLength(notifyBefore);
    expect(h.eventsDlq.sent()).toHaveLength(0);
  });

  it("sends a message that is not JSON, or not an event, to the DLQ with its reason and reports it done", async () => {
    const h = await start();
    const code = aDossierCode();

    h.events.send({ body: "{oops", messageGroupId: code, messageDeduplicationId: "m1" });
    h.events.send({
      body: JSON.stringify({
        id: "e1",
        type: "paused",
        dossierCode: code,
        occurredAt: "2026-11-16T09:00:00+07:00",
      }),
      messageGroupId: code,
      messageDeduplicationId: "m2",
    });
    await h.drainEvents();

    const letters = h.eventsDlq.sent();
    expect(letters.map((m) => m.attributes)).toEqual([
      {
        reason: "the message body is not JSON",
        errorCode: "INVALID_INPUT",
        sourceMessageId: expect.any(String),
      },
      {
        reason: expect.stringMatching(/^invalid dossier event — reason: /),
        errorCode: "INVALID_INPUT",
        sourceMessageId: expect.any(String),
      },
    ]);
    expect(letters.map((m) => [m.body, m.groupId])).toEqual([
      ["{oops", code],
      [expect.stringContaining('"paused"'), code],
    ]);
    // Reported done: nothing left for SQS's own redrive.
    expect(h.events.deadLetters()).toHaveLength(0);
    expect(h.events.stats().depth).toBe(0);
  });

  it("fails a record on a stale version, and the later records of its dossier, but not other dossiers", async () => {
    let failOnce = true;
    let stale = "";
    const h = await start({
      wrapTables: (tables) => ({
        ...tables,
        dossiers: {
          load: (code) => tables.dossiers.load(code),
          save: async (change) => {
            if (failOnce && change.code === stale && change.newEvents[0]?.type === "assigned") {
              failOnce = false;
              throw new ConcurrencyError("saved by someone else", { reason: "stale-version" });
            }
            return tables.dossiers.save(change);
          },
        },
      }),
    });
    const [a, b] = [aDossierCode(), aDossierCode()];
    stale = a;
    await h.ingest([
      received(a, { at: "2026-11-16T09:00:00+07:00" }),
      received(b, { at: "2026-11-16T09:00:00+07:00" }),
    ]);
    const record = (body: unknown, group: string, id: string) => ({
      messageId: id,
      receiptHandle: id,
      body: JSON.stringify(body),
      attributes: { MessageGroupId: group } as never,
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn",
      awsRegion: "ap-southeast-1",
    });
    const pause = (code: string) => ({
      id: `${code}#paused`,
      type: "paused",
      dossierCode: code,
      occurredAt: "2026-11-16T10:00:00+07:00",
      reason: "Chờ nghĩa vụ tài chính",
    });

    const response = await h.handlers.applyEvents(
      {
        Records: [
          record(assigned(a, "2026-11-16T09:30:00+07:00"), a, "a1"),
          record(assigned(b, "2026-11-16T09:30:00+07:00"), b, "b1"),
          record(pause(a), a, "a2"),
          record(pause(b), b, "b2"),
        ],
      },
      lambdaContext,
    );

    // a's "assigned" meets a stale version: it and a's later "paused" go back to SQS; b goes on.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "a1" }, { itemIdentifier: "a2" }]);
    expect((await h.tables.dossiers.load(a))?.events.map((e) => e.type)).toEqual(["received"]);
    expect((await h.tables.dossiers.load(b))?.events.map((e) => e.type)).toEqual([
      "received",
      "assigned",
      "paused",
    ]);
    expect(h.eventsDlq.sent()).toHaveLength(0);
  });

  it("keeps events that arrive before their dossier's reception and plans once it comes", async () => {
    const h = await start();
    const code = aDossierCode();

    await h.ingest(assigned(code, "2026-11-16T09:30:00+07:00"));
    const early = await h.tables.dossiers.load(code);
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    const late = await h.tables.dossiers.load(code);

    expect(early?.state).toBeNull();
    expect(early?.agenda).toEqual([]);
    expect(late?.state?.current.handler?.id).toBe("cv-hoa");
    expect(late?.agenda.map((e) => e.alert.rule)).toContain("due-today");
  });
});

function sortAgenda(agenda: readonly { alert: AgendaAlert; doneAt: string | undefined }[] | undefined) {
  return [...(agenda ?? [])].sort((x, y) => (x.alert.dedupeKey < y.alert.dedupeKey ? -1 : 1));
}
