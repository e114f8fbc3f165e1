import { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeSns, startFakeSns } from "../../local/runtime/fake-aws/sns-endpoint.ts";
import { SmsOutbox } from "../../local/runtime/outbox.ts";
import { SnsSmsSender } from "../../shared/adapters/messaging/sns-sms-sender.ts";
import { DEFAULT_ALERT_POLICY } from "../../shared/alerts/index.ts";
import { aDossierCode, assigned, directoryA, received, resultReady } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";
import type { RecordingEmail, RecordingSms } from "./support/recorders.ts";

let fake: FakeSns;
let outbox: SmsOutbox;
let harness: Harness | undefined;

beforeAll(async () => {
  outbox = SmsOutbox.inMemory();
  fake = await startFakeSns({ outbox });
});
afterAll(async () => {
  await fake.close();
});
afterEach(async () => {
  vi.restoreAllMocks();
  fake.clearFaults();
  await harness?.dispose();
  harness = undefined;
});

/** The real SNS adapter and SDK client against the local SNS endpoint; no SDK retries, so ours are seen. */
const snsSender = () =>
  new SnsSmsSender({
    client: new SNSClient({
      endpoint: fake.url,
      region: "ap-southeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    }),
    defaultSenderId: "UBNDTANAN",
  });

/**
 * A dossier whose result is ready: the applicant is told by SMS (with consent). Its receipt SMS
 * is delivered first, so the notify queue then holds the result-ready notice alone.
 */
async function resultReadyNotice(h: Harness, phone: string): Promise<string> {
  const code = aDossierCode();
  await h.ingest([
    received(code, { at: "2026-11-16T09:00:00+07:00", phone }),
    assigned(code, "2026-11-16T09:30:00+07:00"),
  ]);
  await h.sweep();
  await h.deliverNotices();
  await h.ingest([resultReady(code, "2026-11-17T10:00:00+07:00")]);
  h.clock.set("2026-11-17T10:01:00+07:00");
  await h.sweep();
  return `${code}/citizen-result-ready/v1/citizen/sms`;
}

describe("notify", () => {
  it("retries an SNS throttle with jittered backoff and delivers the SMS exactly once, recording the provider id", async () => {
    const h = await Harness.start({
      start: "2026-11-17T10:00:00+07:00",
      directories: [directoryA],
      sms: snsSender(),
    });
    harness = h;
    const key = await resultReadyNotice(h, "0987654321");
    const before = outbox.list().length;
    fake.failNext(2, "Throttling");

    const responses = await h.deliverNotices();

    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const delivered = outbox.list().slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ to: "+84987654321", senderId: "UBNDTANAN" });
    expect(delivered[0]?.text).toMatch(/da co ket qua/i);
    const record = await h.tables.alerts.get(key);
    expect(record?.status).toBe("sent");
    expect(record?.deliveries.at(-1)).toMatchObject({
      status: "sent",
      detail: { channel: "sms", providerMessageId: delivered[0]!.id },
    });
    // Two waits, full jitter under 200 ms then 400 ms (random() = 0.5 in the harness).
    expect(h.delays).toEqual([100, 200]);
  });

  it("hands a message still throttled after its retries back to SQS, and delivers it once later: nothing lost", async () => {
    const h = await Harness.start({
      start: "2026-11-17T10:00:00+07:00",
      directories: [directoryA],
      sms: snsSender(),
    });
    harness = h;
    const key = await resultReadyNotice(h, "0987654322");
    const before = outbox.list().length;
    fake.failNext(4, "Throttling");

    const first = await h.notifyOnce();
    const afterFirst = await h.tables.alerts.get(key);
    const rest = await h.deliverNotices();

    expect(first.batchItemFailures).toHaveLength(1);
    expect(afterFirst?.status).toBe("queued");
    expect(rest.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect(
      outbox
        .list()
        .slice(before)
        .filter((sms) => sms.to === "+84987654322"),
    ).toHaveLength(1);
    expect((await h.tables.alerts.get(key))?.status).toBe("sent");
  });

  it("records a bad contact on the alert as failed with the reason, without retrying or crashing", async () => {
    const h = await Harness.start({ start: "2026-11-17T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    // A landline passes the event schema but cannot receive an SMS.
    const key = await resultReadyNotice(h, "02838234567");

    const responses = await h.deliverNotices();

    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect((h.sms as RecordingSms).attempts).toBe(0);
    const record = await h.tables.alerts.get(key);
    expect(record?.status).toBe("failed");
    expect(record?.deliveries.at(-1)?.detail).toEqual({
      code: "INVALID_PHONE",
      reason: expect.stringMatching(/^Số điện thoại di động không hợp lệ: 02\*+67$/),
    });
  });

  it("respects the applicant's consent and sends the receipt with the appointment to those who agreed", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest(
      received(code, { at: "2026-11-16T09:00:00+07:00", consent: { sms: false, email: false } }),
    );
    const withConsent = aDossierCode();
    await h.ingest(received(withConsent, { at: "2026-11-16T09:00:00+07:00" }));
    h.clock.set("2026-11-16T10:01:00+07:00");
    await h.sweep();

    await h.deliverNotices();

    // Without consent no citizen notice is even planned; with it, the receipt goes out with the
    // appointment: received Monday 16/11 09:00, 3 working days → Thursday 19/11 09:00.
    expect(h.notifyQueue.sent().some((m) => m.body.includes(code))).toBe(false);
    const receipt = await h.tables.alerts.get(`${withConsent}/citizen-receipt/v1/citizen/sms`);
    expect(receipt?.status).toBe("sent");
    const sms = (h.sms as RecordingSms).sent.filter((m) => m.text.includes(withConsent));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain("09h00 16/11/2026");
    expect(sms[0]!.text).toContain("09h00 19/11/2026");
  });

  it("e-mails staff through the directory, rendered by the letters module, and never twice for one alert", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    h.clock.set("2026-11-17T09:00:00+07:00");
    await h.sweep();
    const [message] = h.notifyQueue.sent().filter((m) => m.body.includes("due-in-2-working-days"));

    await h.deliverNotices();
    // SQS delivers a message twice now and then: the second is recognised and not sent.
    await h.notifyQueue.send([{ body: message!.body }]);
    await h.deliverNotices();

    // The handler's warning; the leaders' apology duty is due at the same instant (two working
    // days before the due instant 19/11 09:00) and goes to them.
    const emails = (h.email as RecordingEmail).sent.filter(
      (m) => (m.subject.includes(code) || m.text.includes(code)) && m.subject.startsWith("[Sắp đến hạn]"),
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      to: "hoa.cv@snnmt.example.gov.vn",
      from: "Một cửa <motcua@example.gov.vn>",
    });
    expect(emails[0]?.text).toContain("Cấp giấy phép môi trường");
  });

  it("tells the leaders an apology is owed by the law's last day, and again when that day passes without one", async () => {
    // Received Mon 16/11 09:00, 3 working days: due Thu 19/11 09:00; the apology is due by
    // Wed 18/11 09:00 (one working day before) and the duty comes a working day earlier.
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    const mails = () =>
      (h.email as RecordingEmail).sent.filter((m) => m.subject.includes(code) || m.text.includes(code));
    h.clock.set("2026-11-17T09:00:00+07:00");
    await h.sweep();
    await h.deliverNotices();
    const duty = mails().filter((m) => m.subject.startsWith("[Cần xin lỗi]"));
    // The holder's unit leader and, the holder not being the desk, the desk's leader.
    expect(duty.map((m) => m.to).sort()).toEqual([
      "mai.tp@snnmt.example.gov.vn",
      "tuan.tp@snnmt.example.gov.vn",
    ]);
    expect(duty[0]!.text).toContain("trước 09 giờ 00 phút, ngày 18 tháng 11 năm 2026");

    h.clock.set("2026-11-18T09:00:00+07:00");
    await h.sweep();
    await h.deliverNotices();
    const overdue = mails().filter((m) => m.subject.startsWith("[Chưa xin lỗi]"));
    expect(overdue.map((m) => m.to).sort()).toEqual([
      "hung.gd@snnmt.example.gov.vn",
      "mai.tp@snnmt.example.gov.vn",
    ]);
    expect(overdue[0]!.text).toContain("vẫn chưa có văn bản xin lỗi");
  });

  it("tells the applicant what to supplement (no longer skipped), by SMS and e-mail as consented", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, {
        at: "2026-11-16T09:00:00+07:00",
        email: "bich.le@example.vn",
        consent: { sms: true, email: true },
      }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
      supplementRequested(code, "2026-11-17T10:00:00+07:00"),
    ]);
    h.clock.set("2026-11-17T10:01:00+07:00");
    await h.sweep();

    await h.deliverNotices();

    for (const channel of ["sms", "email"]) {
      const record = await h.tables.alerts.get(
        `${code}/citizen-supplement-requested/v1/${code}#supplement-1/citizen/${channel}`,
      );
      expect(record?.status, channel).toBe("sent");
    }
    const sms = (h.sms as RecordingSms).sent.filter((m) => /bo sung/.test(m.text));
    expect(sms.map((m) => [m.to, m.text])).toEqual([
      [
        "+84987654321",
        `So Nong nghiep va Moi truong yeu cau bo sung ho so ${code} (Cap giay phep moi truong): ` +
          "Bao cao de xuat cap giay phep moi truong (ban hoan chinh); Ban sao giay phep kinh doanh. " +
          "Thoi han giai quyet tinh lai tu dau khi nhan du ho so. Moi Ong/Ba nop bo sung tai noi da nop ho so.",
      ],
    ]);
    const [email] = (h.email as RecordingEmail).sent.filter((m) => m.subject.includes("bổ sung"));
    expect(email?.to).toBe("bich.le@example.vn");
    expect(email?.text).toContain("Lý do: Báo cáo đề xuất chưa đủ nội dung theo mẫu.");
    expect(email?.text).toContain("(1) Báo cáo đề xuất cấp giấy phép môi trường (bản hoàn chỉnh);");
  });

  it("expires a supplement notice held for the morning when the supplement came in overnight", async () => {
    const h = await Harness.start({ start: "2026-11-17T20:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      // 21:30: SMS are held until 07:00; the applicant answers online before then.
      supplementRequested(code, "2026-11-17T21:30:00+07:00"),
      {
        id: `${code}#supplement-in`,
        type: "supplement-received",
        dossierCode: code,
        occurredAt: "2026-11-17T22:15:00+07:00",
      },
    ]);
    h.clock.set("2026-11-18T07:01:00+07:00");
    await h.sweep();

    await h.deliverNotices();

    const record = await h.tables.alerts.get(
      `${code}/citizen-supplement-requested/v1/${code}#supplement-1/citizen/sms`,
    );
    expect(record?.status).toBe("expired");
    expect(record?.deliveries.at(-1)?.detail).toMatchObject({ code: "SUPPLEMENT_RECEIVED" });
    expect((h.sms as RecordingSms).sent.filter((m) => /bo sung/.test(m.text))).toEqual([]);
  });
});

const receiptKey = (code: string, channel: "sms" | "email", version = 1) =>
  `${code}/citizen-receipt/v${version}/citizen/${channel}`;

async function statusOf(h: Harness, key: string) {
  const record = await h.tables.alerts.get(key);
  return { status: record?.status, detail: record?.deliveries.at(-1)?.detail };
}

/** SMS the recording sender delivered about one dossier. */
const smsAbout = (h: Harness, code: string) =>
  (h.sms as RecordingSms).sent.filter((m) => m.text.includes(code));

describe("notify judges the SMS window and the notice's worth when it sends", () => {
  it("holds a citizen SMS that reaches notify at 21:00:00 until 07:00:00 (not 06:59:59), sends it once; the e-mail goes at once", async () => {
    const h = await Harness.start({ start: "2026-11-17T20:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    // Received 20:50 (inside the window): the receipt is planned for 20:50 on both channels…
    await h.ingest(
      received(code, {
        at: "2026-11-17T20:50:00+07:00",
        email: "nam.tran@example.vn",
        consent: { sms: true, email: true },
      }),
    );
    // …but the sweep and the queue bring it to notify at 21:00:00, the first quiet instant.
    h.clock.set("2026-11-17T21:00:00+07:00");
    await h.sweep();

    await h.deliverNotices();

    expect(await statusOf(h, receiptKey(code, "email"))).toMatchObject({ status: "sent" });
    expect(await statusOf(h, receiptKey(code, "sms"))).toEqual({
      status: "held",
      detail: { code: "QUIET_HOURS", notBefore: "2026-11-18T07:00:00+07:00" },
    });
    expect(smsAbout(h, code)).toEqual([]);

    h.clock.set("2026-11-18T06:59:59+07:00");
    const early = await h.sweep();
    await h.deliverNotices();
    expect(early.released).toBe(0);
    expect(smsAbout(h, code)).toEqual([]);

    h.clock.set("2026-11-18T07:00:00+07:00");
    const morning = await h.sweep();
    await h.deliverNotices();
    expect(morning.released).toBe(1);
    expect(morning.lagSeconds).toBe(0);
    expect(smsAbout(h, code)).toHaveLength(1);
    expect(await statusOf(h, receiptKey(code, "sms"))).toMatchObject({ status: "sent" });

    // Later sweeps and a redelivered message send nothing more.
    const [again] = h.notifyQueue.sent().filter((m) => m.body.includes(receiptKey(code, "sms")));
    await h.notifyQueue.send([{ body: again!.body }]);
    h.clock.set("2026-11-18T07:05:00+07:00");
    expect((await h.sweep()).released).toBe(0);
    await h.deliverNotices();
    expect(smsAbout(h, code)).toHaveLength(1);
  });

  it("keeps notify's outcome when the message is handled before the sweep records it queued", async () => {
    const h = await Harness.start({ start: "2026-11-17T20:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-17T20:50:00+07:00" }));
    // A consumer as quick as the local runtime's: notify runs while the sweep is still sending.
    const send = h.notifyQueue.send.bind(h.notifyQueue);
    vi.spyOn(h.notifyQueue, "send").mockImplementation(async (messages) => {
      await send(messages);
      await h.notifyOnce();
    });
    h.clock.set("2026-11-17T21:00:00+07:00");
    await h.sweep();

    // "held", not overwritten by the sweep's "queued": so the morning sweep releases it.
    expect((await statusOf(h, receiptKey(code, "sms"))).status).toBe("held");
    h.clock.set("2026-11-18T07:00:00+07:00");
    await h.sweep();
    expect(smsAbout(h, code)).toHaveLength(1);
    expect((await statusOf(h, receiptKey(code, "sms"))).status).toBe("sent");
  });

  it("holds a staff SMS too, and expires it when its warning is overtaken while it waits", async () => {
    const book = {
      defaults: {
        ...DEFAULT_ALERT_POLICY,
        handlerWarnings: { ...DEFAULT_ALERT_POLICY.handlerWarnings, channel: "sms" as const },
      },
      agencies: {},
    };
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA], book });
    harness = h;
    const overtaken = aDossierCode();
    const sent = aDossierCode();
    // 3 working days from Mon 16/11 09:00 (due Thu 09:00): warned Tue 17/11 09:00, the warning
    // expiring at the next one, Wed 18/11 09:00; from 14:00, the same five hours later.
    for (const [code, at] of [
      [overtaken, "2026-11-16T09:00:00+07:00"],
      [sent, "2026-11-16T14:00:00+07:00"],
    ] as const) {
      await h.ingest([
        received(code, { at, consent: { sms: false, email: false } }),
        assigned(code, at.replace(":00:00+", ":30:00+")),
      ]);
    }
    const warning = (code: string) => `${code}/due-in-2-working-days/v1/handler/sms`;
    // The sweep was down all day: both warnings reach notify at 21:30.
    h.clock.set("2026-11-17T21:30:00+07:00");
    await h.sweep();
    await h.deliverNotices();
    expect((await statusOf(h, warning(overtaken))).status).toBe("held");
    expect((await statusOf(h, warning(sent))).status).toBe("held");
    expect((h.sms as RecordingSms).sent).toEqual([]);

    // The next sweep runs at 10:00: one warning expired at 09:00 while held, the other still stands.
    h.clock.set("2026-11-18T10:00:00+07:00");
    const run = await h.sweep();
    await h.deliverNotices();

    expect(run).toMatchObject({ expired: 1, released: 1 });
    expect(await statusOf(h, warning(overtaken))).toEqual({
      status: "expired",
      detail: { code: "OVERTAKEN", reason: "the warning was overtaken while held" },
    });
    expect((await statusOf(h, warning(sent))).status).toBe("sent");
    // The overtaken dossier's handler gets the warning that replaced it (due 09:00, in the window).
    const later = `${overtaken}/due-in-1-working-day/v1/handler/sms`;
    expect((await statusOf(h, later)).status).toBe("sent");
    expect((h.sms as RecordingSms).sent.map((m) => [m.to, m.text.includes(sent)])).toEqual([
      ["+84912000002", expect.any(Boolean)],
      ["+84912000002", expect.any(Boolean)],
    ]);
    expect((h.sms as RecordingSms).sent.filter((m) => m.text.includes(overtaken))).toHaveLength(1);
  });

  it("expires a receipt held overnight when the result is ready before 07:00 (held, then expired)", async () => {
    const h = await Harness.start({ start: "2026-11-17T20:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-17T20:55:00+07:00" }));
    h.clock.set("2026-11-17T21:05:00+07:00");
    await h.sweep();
    await h.deliverNotices();
    expect((await statusOf(h, receiptKey(code, "sms"))).status).toBe("held");

    await h.ingest(resultReady(code, "2026-11-18T06:30:00+07:00"));
    h.clock.set("2026-11-18T07:00:00+07:00");
    await h.sweep();
    await h.deliverNotices();

    expect(await statusOf(h, receiptKey(code, "sms"))).toEqual({
      status: "expired",
      detail: { code: "RESULT_READY", reason: "the result is ready: the notice is no longer useful" },
    });
    // The result notice itself goes (planned 06:30 for SMS: 07:00).
    expect(smsAbout(h, code).map((m) => m.text)).toEqual([expect.stringMatching(/da co ket qua/i)]);
  });

  it("expires notices older than the policy's staleAfterHours (a stack back after days) on both channels", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest(
      received(code, {
        at: "2026-11-16T09:00:00+07:00",
        email: "nam.tran@example.vn",
        consent: { sms: true, email: true },
      }),
    );
    // 72 hours and one minute later: too old. (At 72 hours exactly it would still go.)
    h.clock.set("2026-11-19T09:01:00+07:00");
    await h.sweep();
    await h.deliverNotices();

    for (const channel of ["sms", "email"] as const) {
      expect(await statusOf(h, receiptKey(code, channel)), channel).toEqual({
        status: "expired",
        detail: { code: "TOO_OLD", reason: "not sent within 72 hours of its planned time" },
      });
    }
    expect(smsAbout(h, code)).toEqual([]);
    expect((h.email as RecordingEmail).sent.filter((m) => m.to === "nam.tran@example.vn")).toEqual([]);
  });

  it("expires a receipt replaced by a restart's receipt, and a request already answered; sends the new receipt", async () => {
    const h = await Harness.start({ start: "2026-11-16T08:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      supplementRequested(code, "2026-11-16T09:30:00+07:00"),
      {
        id: `${code}#supplement-in`,
        type: "supplement-received",
        dossierCode: code,
        occurredAt: "2026-11-16T10:00:00+07:00",
      },
    ]);
    h.clock.set("2026-11-16T10:05:00+07:00");
    await h.sweep();
    await h.deliverNotices();

    expect((await statusOf(h, receiptKey(code, "sms", 1))).detail).toMatchObject({ code: "SUPERSEDED" });
    expect((await statusOf(h, receiptKey(code, "sms", 1))).status).toBe("expired");
    expect(
      await statusOf(h, `${code}/citizen-supplement-requested/v1/${code}#supplement-1/citizen/sms`),
    ).toMatchObject({ status: "expired", detail: { code: "SUPPLEMENT_RECEIVED" } });
    expect((await statusOf(h, receiptKey(code, "sms", 2))).status).toBe("sent");
    expect(smsAbout(h, code)).toHaveLength(1);
  });

  it("expires the result-ready notice when the result was handed over before it went out", async () => {
    const h = await Harness.start({ start: "2026-11-16T08:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      resultReady(code, "2026-11-17T16:00:00+07:00"),
      {
        id: `${code}#returned`,
        type: "returned",
        dossierCode: code,
        occurredAt: "2026-11-17T16:10:00+07:00",
      },
    ]);
    h.clock.set("2026-11-17T16:15:00+07:00");
    await h.sweep();
    await h.deliverNotices();

    expect(await statusOf(h, `${code}/citizen-result-ready/v1/citizen/sms`)).toMatchObject({
      status: "expired",
      detail: { code: "RESULT_RETURNED" },
    });
    // The receipt (planned 09:00 on the 16th) is expired too: the result is ready.
    expect((await statusOf(h, receiptKey(code, "sms"))).detail).toMatchObject({ code: "RESULT_READY" });
    expect(smsAbout(h, code)).toEqual([]);
  });
});

function supplementRequested(code: string, at: string): Record<string, unknown> {
  return {
    id: `${code}#supplement-1`,
    type: "supplement-requested",
    dossierCode: code,
    occurredAt: at,
    reason: "Báo cáo đề xuất chưa đủ nội dung theo mẫu",
    documents: ["Báo cáo đề xuất cấp giấy phép môi trường (bản hoàn chỉnh)", "Bản sao giấy phép kinh doanh"],
  };
}
