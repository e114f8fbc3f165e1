import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  killChildStacks,
  leaderToken,
  type OutboxJson,
  receivedEvent,
  settledOutbox,
  startChildStack,
} from "../../local/runtime/child-stack.ts";

// `npm start -- --clock … --speed 3000`, stopped in the middle of a working day and started again
// on the same data where its clock was: every warning and escalation goes out, and once.
const START = "2026-11-25T07:00:00+07:00"; // a Wednesday, a working day
const RECEIVED_AT = "2026-11-25T07:30:00+07:00";
const SPEED = "2400"; // a clock hour in 1.5 s
const DOSSIERS = 4;
const code = (n: number) => `000.00.12.H42-261125-${String(n).padStart(4, "0")}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function clockOf(url: string): Promise<string> {
  const health = (await (await fetch(`${url}/health`)).json()) as { versions: { clock: string } };
  return health.versions.clock;
}

/** Waits until the stack's clock has passed `instant` (ISO with offset). */
async function until(url: string, instant: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.parse(await clockOf(url)) < Date.parse(instant)) {
    if (Date.now() > deadline) throw new Error(`the clock did not reach ${instant}`);
    await sleep(100);
  }
}

/** The handler's "due soon" warnings of a 2-office-hour allotment (alert-policy.ts). */
const WARNING_RULES = new Set(["half-time-elapsed", "three-quarters-elapsed"]);
const countOf = (outbox: OutboxJson) => outbox.sms.length + outbox.emails.length;
/** The subject of a leaders' digest, and its local date. */
const DIGEST = /^Tổng hợp hồ sơ ngày (\d{2}\/\d{2}\/\d{4})/;

describe("faults: an accelerated clock across a restart", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "dunghan-faults-clock-"));
  });
  afterAll(async () => {
    await killChildStacks();
    await rm(dataDir, { recursive: true, force: true });
  });

  // The stop is graceful: notices in flight at the SIGTERM are sent and recorded before DynamoDB
  // Local stops. Java killed at the signal left them sent but unrecorded, sent again after the
  // restart: a first copy no alert record names (docs/reliability.md, "A graceful stop …").
  it("sends each warning and escalation exactly once", async () => {
    const first = await startChildStack([
      "--data",
      dataDir,
      "--demo-people",
      "--clock",
      START,
      "--speed",
      SPEED,
    ]);
    // 2 office hours: due 09:30, warnings at 08:30 and 09:00, escalations at 09:30 and 15:00.
    const events = Array.from({ length: DOSSIERS }, (_, n) => receivedEvent(code(n), RECEIVED_AT, 2));
    const response = await fetch(`${first.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(202);
    // Stopped between the first warning and the second (the clock is held until the stack is ready).
    await until(first.url, "2026-11-25T08:45:00+07:00", 20_000);
    const stoppedAt = await clockOf(first.url);
    await first.kill("SIGTERM");

    const second = await startChildStack([
      "--data",
      dataDir,
      "--demo-people",
      "--clock",
      stoppedAt,
      "--speed",
      SPEED,
    ]);
    try {
      // The unit leader's escalation is due 4 office hours after 09:30: 15:00. Then on to the next
      // morning's leaders' digest (07:30), which the clock reached anyway whenever the outbox was
      // slow to settle (a loaded machine): now always, so the digests are checked too.
      await until(second.url, "2026-11-26T07:45:00+07:00", 60_000);
      // Each dossier's receipt (SMS and e-mail), a warning and two escalations: 5 at least; and
      // the digest of 26/11 to each of the three leaders.
      const outbox = await settledOutbox(
        second.url,
        (o) => countOf(o) >= 5 * DOSSIERS + 3 && o.emails.filter((m) => DIGEST.test(m.subject)).length >= 3,
        { timeoutMs: 40_000 },
      );
      const messages = [
        ...outbox.sms.map((sms) => ({ id: sms.id, to: sms.to, subject: "", body: `${sms.to}\n${sms.text}` })),
        ...outbox.emails.map((mail) => ({
          id: /^<?([^@>]+)/.exec(mail.messageId ?? "")?.[1] ?? "",
          to: mail.to.join(","),
          subject: mail.subject,
          body: `${mail.to.join(",")}\n${mail.subject}\n${mail.text}`,
        })),
      ];
      // The leaders' digests are about many dossiers: each is claimed under its dedupe key
      // digest/{leader}/{date}, which no dossier's alerts name. Each once per leader and date.
      const digestKeys = messages.flatMap((m) => {
        const date = DIGEST.exec(m.subject)?.[1];
        return date === undefined ? [] : [`digest/${m.to}/${date}`];
      });
      // (The clock runs on while the outbox settles: a later morning's digests may be there too.)
      expect(digestKeys.filter((key, i) => digestKeys.indexOf(key) !== i)).toEqual([]);
      expect(digestKeys.filter((key) => key.endsWith("/26/11/2026")).sort()).toEqual([
        "digest/gd-trung@example.vn/26/11/2026",
        "digest/pgd-hanh@example.vn/26/11/2026",
        "digest/tq-phuong@example.vn/26/11/2026",
      ]);
      const alerts = messages.filter((m) => !DIGEST.test(m.subject));
      // Nothing twice, by dedupe key: each alert message is the delivery its alert record names
      // (an alert sent twice leaves one message its record does not name) …
      const keyOf = new Map<string, string>();
      // The handler's warnings each dossier's record lists as handled, and how many went out.
      const warningsHandled = new Map<string, { handled: number; sent: number }>();
      const token = await leaderToken(second.url);
      for (let n = 0; n < DOSSIERS; n++) {
        const view = (await (
          await fetch(`${second.url}/dossiers/${code(n)}`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as {
          alerts: {
            sent: {
              dedupeKey: string;
              rule: string;
              status: string;
              deliveries: { detail?: { providerMessageId?: string } }[];
            }[];
          };
        };
        const warningRecords = view.alerts.sent.filter((alert) => WARNING_RULES.has(alert.rule));
        warningsHandled.set(code(n), {
          handled: warningRecords.length,
          sent: warningRecords.filter((alert) => alert.status === "sent").length,
        });
        for (const alert of view.alerts.sent)
          for (const delivery of alert.deliveries)
            if (delivery.detail?.providerMessageId)
              keyOf.set(delivery.detail.providerMessageId, alert.dedupeKey);
      }
      expect(alerts.filter((m) => !keyOf.has(m.id)).map((m) => m.body)).toEqual([]);
      // … and by body per recipient: a body twice to the same person is two different alerts
      // (the half-time and three-quarters warnings read alike), never one alert twice.
      const alertsByBody = new Map<string, string[]>();
      for (const m of alerts)
        alertsByBody.set(m.body, [...(alertsByBody.get(m.body) ?? []), keyOf.get(m.id)!]);
      expect([...alertsByBody].filter(([, keys]) => new Set(keys).size < keys.length)).toEqual([]);
      // Nothing lost: each dossier's receipt (SMS and e-mail), its warning(s) — a warning
      // overtaken by a later one before it went out is dropped by design — and both escalations.
      for (let n = 0; n < DOSSIERS; n++) {
        const mine = alerts.filter((message) => message.body.includes(code(n)));
        const kinds = {
          receiptSms: mine.filter((m) => m.subject === "" && m.to.startsWith("+84")).length,
          receiptEmail: mine.filter((m) => /Đã tiếp nhận/.test(m.subject)).length,
          handlerEscalation: mine.filter((m) => /Quá hạn/.test(m.subject) && m.to.startsWith("cb-ngoc"))
            .length,
          leaderEscalation: mine.filter((m) => /Quá hạn/.test(m.subject) && m.to.startsWith("tq-phuong"))
            .length,
        };
        expect(kinds).toEqual({ receiptSms: 1, receiptEmail: 1, handlerEscalation: 1, leaderEscalation: 1 });
        // Both warnings were handled: each went out once, or was dropped as overtaken (a loaded
        // machine trails the sped-up clock: both can be overtaken by the due instant).
        const warnings = mine.filter((m) => /Sắp đến hạn/.test(m.subject)).length;
        expect(warningsHandled.get(code(n))).toEqual({ handled: 2, sent: warnings });
      }
    } finally {
      await second.kill("SIGTERM");
    }
  }, 180_000);
});
