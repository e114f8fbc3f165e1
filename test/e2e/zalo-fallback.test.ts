import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receivedEvent } from "../../local/runtime/child-stack.ts";
import { ManualClock } from "../../local/runtime/clock.ts";
import { EXAMPLE_CITIZEN_CHANNELS } from "../../local/runtime/fake-zalo.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ZALO_TOKEN_REFRESH_FAILED } from "../../shared/adapters/zalo/zns-client.ts";

// The local stack with Zalo on: each citizen receipt goes by Zalo ZNS, or — no Zalo account, quota,
// template rejected, token gone — by the next channel, never by two. One dossier per case.
const START = "2026-11-20T08:05:00+07:00";
const PHONES = {
  zalo: "0900002001",
  noAccount: "0900002002",
  quota: "0900002003",
  rejected: "0900002004",
  emailOnly: "0900002005",
  renewed: "0900002006",
  revoked: "0900002007",
} as const;
const e164 = (local: string) => `+84${local.slice(1)}`;
const code = (n: number) => `000.00.12.H42-261120-${String(9000 + n).padStart(4, "0")}`;
const receiptKey = (dossier: string, channel = "sms") => `${dossier}/citizen-receipt/v1/citizen/${channel}`;

describe("Zalo ZNS with fallback, on the local stack", () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock(START),
      demo: "people",
      timers: false,
      zalo: {
        noAccount: [PHONES.noAccount],
        quotaExceeded: [PHONES.quota],
        templateRejected: [PHONES.rejected],
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** Receives a dossier for `phone` and runs the sweep until its notices are handled. */
  async function receive(n: number, phone: string, consent = { sms: true, email: true }) {
    const event = receivedEvent(code(n), "2026-11-20T08:00:00+07:00");
    const applicant = { ...(event.applicant as Record<string, unknown>), phone, consent };
    const response = await fetch(`${stack.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...event, applicant }),
    });
    expect(response.status).toBe(202);
    await stack.settle();
    await stack.sweepNow();
    await stack.settle();
  }
  const last = async (key: string) => (await stack.tables.alerts.get(key))?.deliveries.at(-1);
  const smsTo = (phone: string) => stack.outbox.list().filter((sms) => sms.to === e164(phone));
  const zaloTo = (phone: string) =>
    (stack.zalo?.fake.list() ?? []).filter((m) => m.phone === `84${phone.slice(1)}`);

  it("a number with Zalo gets the receipt by ZNS only: no SMS, the e-mail alert skipped", async () => {
    await receive(1, PHONES.zalo);

    expect(zaloTo(PHONES.zalo)).toHaveLength(1);
    expect(zaloTo(PHONES.zalo)[0]).toMatchObject({
      templateId: "400001",
      trackingId: receiptKey(code(1)),
      templateData: { ma_ho_so: code(1), ngay_hen: expect.stringMatching(/^\d\dh\d\d \d\d\/\d\d\/2026$/) },
    });
    expect(smsTo(PHONES.zalo)).toEqual([]);
    expect(await last(receiptKey(code(1)))).toMatchObject({
      status: "sent",
      detail: { channel: "zalo", order: "zalo>sms>email", costVnd: 300 },
    });
    expect(await last(receiptKey(code(1), "email"))).toMatchObject({
      status: "skipped",
      detail: { code: "ONE_CHANNEL_PER_NOTICE" },
    });
  });

  it.each([
    ["NO_ZALO_ACCOUNT", 2, PHONES.noAccount],
    ["QUOTA_EXCEEDED", 3, PHONES.quota],
    ["TEMPLATE_REJECTED", 4, PHONES.rejected],
  ])("Zalo answers %s → one SMS, and the record says why not Zalo", async (why, n, phone) => {
    await receive(n, phone);

    expect(zaloTo(phone)).toEqual([]);
    expect(smsTo(phone)).toHaveLength(1);
    expect(await last(receiptKey(code(n)))).toMatchObject({
      status: "sent",
      detail: { channel: "sms", "notBy.zalo": why },
    });
  });

  it("an applicant who agreed to e-mail only gets the e-mail; Zalo and SMS are not tried", async () => {
    await receive(5, PHONES.emailOnly, { sms: false, email: true });

    expect(zaloTo(PHONES.emailOnly)).toEqual([]);
    expect(smsTo(PHONES.emailOnly)).toEqual([]);
    expect(await last(receiptKey(code(5), "email"))).toMatchObject({
      status: "sent",
      detail: { channel: "email", "notBy.zalo": "NO_CONSENT", "notBy.sms": "NO_CONSENT" },
    });
  });

  it("an access token Zalo no longer accepts is renewed with the refresh token, and the message goes by Zalo", async () => {
    const before = stack.zalo?.fake.refreshCount ?? 0;
    stack.zalo?.fake.expireAccessToken();

    await receive(6, PHONES.renewed);

    expect(stack.zalo?.fake.refreshCount).toBe(before + 1);
    expect(zaloTo(PHONES.renewed)).toHaveLength(1);
    expect(smsTo(PHONES.renewed)).toEqual([]);
  });

  it("a refresh Zalo refuses raises ZaloTokenRefreshFailed and the notice goes by SMS", async () => {
    stack.zalo?.fake.expireAccessToken();
    stack.zalo?.fake.revokeRefreshToken();

    await receive(7, PHONES.revoked);

    expect(stack.zalo?.metrics.get(ZALO_TOKEN_REFRESH_FAILED)).toBeGreaterThan(0);
    expect(smsTo(PHONES.revoked)).toHaveLength(1);
    expect(await last(receiptKey(code(7)))).toMatchObject({ detail: { "notBy.zalo": "TOKEN_UNAVAILABLE" } });
  });

  it("the outbox page and its JSON list the Zalo messages", async () => {
    const page = await (await fetch(`${stack.url}/outbox`)).text();
    const json = (await (await fetch(`${stack.url}/outbox.json`)).json()) as {
      zalo: { trackingId: string }[];
      sms: { segments: number }[];
      emails: unknown[];
      cost: { zalo: { messages: number; vnd: number }; sms: { vnd: number }; totalVnd: number };
    };

    expect(page).toContain("Tin Zalo ZNS (2)");
    expect(page).toContain(code(1));
    expect(json.zalo.map((m) => m.trackingId)).toEqual([receiptKey(code(1)), receiptKey(code(6))]);
    // The cost at the example configuration's prices (300 đ a ZNS, 1,800 đ an SMS segment, 3 đ an e-mail).
    const segments = json.sms.reduce((sum, sms) => sum + sms.segments, 0);
    expect(json.cost.zalo).toEqual({ messages: 2, vnd: 600 });
    expect(json.cost.totalVnd).toBe(600 + segments * 1800 + json.emails.length * 3);
    expect(page).toContain("Chi phí ước tính");
  });
});

describe("Zalo ZNS not delivered within the configured time, on the local stack", () => {
  let stack: LocalStack;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    const example = JSON.parse(await readFile(EXAMPLE_CITIZEN_CHANNELS, "utf8"));
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock,
      demo: "people",
      timers: false,
      zalo: { undelivered: ["0900003002"], config: { ...example, deliveryTimeoutMinutes: 30 } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("waits for Zalo's delivery; delivered → recorded delivered, not delivered in 30 minutes → one SMS", async () => {
    for (const [n, phone] of [
      [1, "0900003001"],
      [2, "0900003002"],
    ] as const) {
      const event = receivedEvent(code(100 + n), "2026-11-20T08:00:00+07:00");
      const response = await fetch(`${stack.url}/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...event, applicant: { ...(event.applicant as object), phone } }),
      });
      expect(response.status).toBe(202);
    }
    await stack.settle();
    await stack.sweepNow();
    await stack.settle();
    const statuses = async () =>
      Promise.all(
        [1, 2].map(async (n) => (await stack.tables.alerts.get(receiptKey(code(100 + n))))?.status),
      );
    expect(await statuses()).toEqual(["held", "held"]);
    expect(stack.outbox.list().filter((sms) => sms.to.startsWith("+8490000300"))).toEqual([]);

    clock.set(Date.parse("2026-11-20T08:36:00+07:00"));
    await stack.sweepNow();
    await stack.settle();

    expect(await statuses()).toEqual(["delivered", "sent"]);
    expect(
      stack.outbox
        .list()
        .filter((sms) => sms.to.startsWith("+8490000300"))
        .map((sms) => sms.to),
    ).toEqual(["+84900003002"]);
    const late = await stack.tables.alerts.get(receiptKey(code(102)));
    expect(late?.deliveries.at(-1)?.detail).toMatchObject({
      channel: "sms",
      "notBy.zalo": "NOT_DELIVERED_IN_TIME",
    });
  });
});
