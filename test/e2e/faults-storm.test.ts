import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/harness.ts";
import { receivedEvent } from "../../local/runtime/child-stack.ts";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { parseNotifyMessage } from "../../shared/app/messages.ts";

// The same dossiers' events sent twice over: once in order, one at a time; once as a storm —
// every event three times, shuffled, 12 requests at once. The storm must end where the ordered
// send ends, and no alert may go out twice.
const START = "2026-11-20T08:05:00+07:00";
const DOSSIERS = 12;
const HOUR = 3_600_000;

const code = (set: "A" | "B", n: number) =>
  `000.00.12.H42-2611${set === "A" ? "20" : "21"}-${String(n).padStart(4, "0")}`;
const at = (minutes: number) =>
  new Date(Date.parse("2026-11-20T01:00:00Z") + minutes * 60_000).toISOString().replace("Z", "+00:00");

/** One dossier's life so far: received, assigned, for some a supplement round trip or a pause. */
function lifeOf(dossierCode: string, n: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [
    { ...receivedEvent(dossierCode, at(n), 8 + (n % 3) * 4) },
    {
      id: `${dossierCode}#assigned`,
      type: "assigned",
      dossierCode,
      occurredAt: at(n + 30),
      handler: { id: "cv-khang", name: "Đỗ Minh Khang" },
      unit: { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" },
      task: "Thẩm định hồ sơ",
    },
  ];
  if (n % 3 === 1) {
    events.push(
      {
        id: `${dossierCode}#sr`,
        type: "supplement-requested",
        dossierCode,
        occurredAt: at(n + 60),
        reason: "Thiếu tờ khai",
      },
      { id: `${dossierCode}#sv`, type: "supplement-received", dossierCode, occurredAt: at(n + 90) },
    );
  }
  if (n % 3 === 2) {
    events.push(
      { id: `${dossierCode}#p`, type: "paused", dossierCode, occurredAt: at(n + 60), reason: "Chờ xác minh" },
      { id: `${dossierCode}#r`, type: "resumed", dossierCode, occurredAt: at(n + 120) },
    );
  }
  return events;
}

describe("faults: duplicate and shuffled storms", () => {
  let stack: LocalStack;
  const clock = new ManualClock(START);
  const notified: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ inMemory: true, port: 0, clock, demo: "people", timers: false });
    // Every alert the sweep hands to notify, by dedupe key (what the outbox is checked against).
    const send = stack.notify.send.bind(stack.notify);
    stack.notify.send = (input) => {
      const message = parseNotifyMessage(input.body);
      notified.push(message.dedupeKey);
      return send(input);
    };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const post = async (body: unknown) => {
    const response = await fetch(`${stack.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
  };

  it("ends each dossier where the ordered send ends, and sends no alert twice", async () => {
    const ordered = Array.from({ length: DOSSIERS }, (_, n) => lifeOf(code("A", n), n));
    for (const life of ordered) for (const event of life) await post(event);
    await stack.settle();

    const random = seededRandom(16);
    const storm = Array.from({ length: DOSSIERS }, (_, n) => lifeOf(code("B", n), n))
      .flat()
      .flatMap((event) => [event, event, event]);
    for (let i = storm.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [storm[i], storm[j]] = [storm[j]!, storm[i]!];
    }
    const requests: Record<string, unknown>[][] = [];
    for (let i = 0; i < storm.length; ) {
      const size = 1 + Math.floor(random() * 3);
      requests.push(storm.slice(i, i + size));
      i += size;
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < requests.length) await post(requests[next++]);
      }),
    );
    await stack.settle();

    const normalise = (value: unknown, from: string, to: string) =>
      JSON.parse(JSON.stringify(value).replaceAll(from, to));
    for (let n = 0; n < DOSSIERS; n++) {
      const a = await stack.tables.dossiers.load(code("A", n));
      const b = await stack.tables.dossiers.load(code("B", n));
      expect(a?.state).not.toBeNull();
      const view = (loaded: typeof a) => ({
        version: loaded?.version,
        state: loaded?.state,
        listing: loaded?.listing,
        agenda: loaded?.agenda,
        events: loaded?.events.map((event) => event.id).sort(),
      });
      expect(normalise(view(b), code("B", n), code("A", n))).toEqual(view(a));
    }

    // Three days on, a sweep every 3 hours: warnings, due, escalations of both sets.
    for (let hours = 0; hours < 72; hours += 3) {
      clock.advance(3 * HOUR);
      await stack.sweepNow();
      await stack.settle();
      await stack.sweepNow();
      await stack.settle();
    }

    const outbox = (await (await fetch(`${stack.url}/outbox.json`)).json()) as {
      sms: { id: string; to: string; text: string }[];
      emails: { messageId?: string; to: string[]; subject: string; text: string }[];
    };
    const sent = [
      ...outbox.sms.map((sms) => ({ id: sms.id, key: `${sms.to}\n${sms.text}` })),
      ...outbox.emails.map((mail) => ({
        id: /^<?([^@>]+)/.exec(mail.messageId ?? "")?.[1] ?? "",
        key: `${mail.to.join(",")}\n${mail.subject}\n${mail.text}`,
      })),
    ];
    expect(sent.length).toBeGreaterThan(4 * DOSSIERS);

    // By dedupe key: each message sent is the one delivery its alert record names, and no key was
    // handed to notify twice.
    const keys = [...new Set(notified)];
    expect(keys.length).toBe(notified.length);
    const records = await Promise.all(keys.map((key) => stack.tables.alerts.get(key)));
    const delivered = records.filter((record) => record?.status === "sent");
    const providerIds = delivered.flatMap((record) =>
      (record?.deliveries ?? [])
        .filter((delivery) => delivery.status === "sent")
        .map((delivery) => String(delivery.detail?.providerMessageId)),
    );
    expect(new Set(sent.map((message) => message.id))).toEqual(new Set(providerIds));
    expect(sent.length).toBe(delivered.length);

    // By message body per recipient: a body sent twice to the same person must be two different
    // alerts (a half-time and a three-quarters warning caught up in one sweep read alike), never
    // one alert twice.
    const keyOf = new Map<string, string>();
    for (const record of delivered)
      for (const delivery of record?.deliveries ?? [])
        if (delivery.status === "sent")
          keyOf.set(String(delivery.detail?.providerMessageId), record!.dedupeKey);
    const alertsByBody = new Map<string, string[]>();
    for (const message of sent)
      alertsByBody.set(message.key, [...(alertsByBody.get(message.key) ?? []), keyOf.get(message.id) ?? "?"]);
    const repeated = [...alertsByBody].filter(([, alerts]) => new Set(alerts).size < alerts.length);
    expect(repeated).toEqual([]);

    // And the storm's dossiers were told exactly what the ordered ones were.
    const told = (set: "A" | "B") =>
      sent
        .filter((message) => message.key.includes(`-2611${set === "A" ? "20" : "21"}-`))
        .map((message) => message.key.replaceAll("-261121-", "-261120-"))
        .sort();
    expect(told("B")).toEqual(told("A"));
    expect(told("A").length).toBeGreaterThan(0);
  }, 60_000);
});
