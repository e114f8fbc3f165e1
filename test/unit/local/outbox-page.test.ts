import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../local/runtime/clock.ts";
import { type CaughtMail, renderMailInbox } from "../../../local/runtime/mail-catcher.ts";
import { outboxCost, renderOutboxPage, SmsOutbox } from "../../../local/runtime/outbox.ts";

const aMail = (overrides: Partial<CaughtMail> = {}): CaughtMail => ({
  id: "m-1",
  receivedAt: Date.parse("2026-11-23T01:30:00Z"),
  messageId: "<x@local>",
  from: "motcua@tanan.gov.vn",
  to: ["anh@example.vn"],
  subject: "Thông báo trễ hạn",
  date: "2026-11-23T01:30:00.000Z",
  text: "Kính gửi Ông",
  html: "<p>Kính gửi</p>",
  attachments: [],
  ...overrides,
});

describe("SmsOutbox", () => {
  it("records the clock's time and the segment count", () => {
    const outbox = SmsOutbox.inMemory(new ManualClock("2026-11-23T07:00:00+07:00"));

    const record = outbox.record({ to: "+84912345678", text: "Hồ sơ đã có kết quả", senderId: "UBND" });

    expect(record).toMatchObject({ at: Date.parse("2026-11-23T00:00:00Z"), encoding: "ucs2", segments: 1 });
    expect(outbox.list()).toEqual([record]);
  });
});

describe("renderOutboxPage", () => {
  it("lists SMS and e-mails in Vietnamese, newest first, times in Vietnam's zone, phone-width", () => {
    const outbox = SmsOutbox.inMemory(new ManualClock("2026-11-23T07:00:00+07:00"));
    outbox.record({ to: "+84912345678", text: "Tin thứ nhất", senderId: "UBND" });
    outbox.record({ to: "+84987654321", text: "Tin thu hai" });

    const html = renderOutboxPage({ sms: outbox.list(), emails: [aMail()] });

    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("Tin nhắn SMS (2)");
    expect(html).toContain("Thư điện tử (1)");
    expect(html.indexOf("+84987654321")).toBeLessThan(html.indexOf("+84912345678"));
    expect(html).toContain("thiếu thương hiệu");
    expect(html).toContain("07:00 23/11/2026");
    expect(html).toContain('href="/outbox/mail/m-1"');
  });

  it("escapes SMS text", () => {
    const outbox = SmsOutbox.inMemory();
    outbox.record({ to: "+84912345678", text: "<script>alert(1)</script>", senderId: "UBND" });

    const html = renderOutboxPage({ sms: outbox.list(), emails: [] });

    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});

describe("renderMailInbox", () => {
  it("puts the HTML body in a sandboxed srcdoc iframe, escaped so it cannot break out", () => {
    const hostile = `<p title='x'>Chào</p>"></iframe><script>alert("pwned")</script>&amp;`;

    const page = renderMailInbox([aMail({ html: hostile, subject: "<b>Chủ đề</b>" })], { selectedId: "m-1" });

    const iframe = page.match(/<iframe sandbox [^>]*srcdoc="([^"]*)"><\/iframe>/);
    expect(iframe).not.toBeNull();
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<b>Chủ đề</b>");
    const srcdoc = iframe![1]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
    expect(srcdoc.endsWith(hostile)).toBe(true);
    expect(srcdoc).toContain("Content-Security-Policy");
  });

  it("shows subject, recipients, date and text of the selected mail", () => {
    const page = renderMailInbox([aMail()], { selectedId: "m-1" });

    expect(page).toContain("Thông báo trễ hạn");
    expect(page).toContain("anh@example.vn");
    expect(page).toContain("08:30 23/11/2026");
    expect(page).toContain('<pre class="mail-text">Kính gửi Ông</pre>');
  });
});

describe("the outbox's cost", () => {
  const sms = () => {
    const outbox = SmsOutbox.inMemory(new ManualClock("2026-11-23T07:00:00+07:00"));
    outbox.record({ to: "+84912345678", text: "Hồ sơ đã có kết quả" });
    // 71 UCS-2 characters: two segments.
    outbox.record({ to: "+84912345679", text: "Ồ".repeat(71) });
    return outbox.list();
  };

  it("prices Zalo per message, SMS per segment and e-mail per message, and totals them", () => {
    const cost = outboxCost(
      { sms: sms(), zalo: [{}, {}, {}], emails: [aMail()] },
      { zalo: 300, sms: 1800, email: 3 },
    );
    expect(cost).toEqual({
      zalo: { messages: 3, vnd: 900 },
      sms: { messages: 2, segments: 3, vnd: 5400 },
      email: { messages: 1, vnd: 3 },
      totalVnd: 6303,
    });
    expect(renderOutboxPage({ sms: sms(), emails: [aMail()], cost })).toContain("6.303 đ");
  });

  it("has no total when a channel that sent something has no price", () => {
    const cost = outboxCost({ sms: sms(), emails: [] }, { zalo: 300 });
    expect([cost.sms.vnd, cost.email.vnd, cost.totalVnd]).toEqual([null, 0, null]);
  });
});
