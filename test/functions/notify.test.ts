import { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSns, startFakeSns } from "../../local/runtime/fake-aws/sns-endpoint.ts";
import { SmsOutbox } from "../../local/runtime/outbox.ts";
import { SnsSmsSender } from "../../shared/adapters/messaging/sns-sms-sender.ts";
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

  it("skips a supplement notice held for the morning when the supplement came in overnight", async () => {
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
    expect(record?.status).toBe("skipped");
    expect(record?.deliveries.at(-1)?.detail).toMatchObject({ code: "SUPPLEMENT_RECEIVED" });
    expect((h.sms as RecordingSms).sent.filter((m) => /bo sung/.test(m.text))).toEqual([]);
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
