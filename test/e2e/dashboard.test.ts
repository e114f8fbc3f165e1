import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn as signInAt } from "../support/browser.ts";

/**
 * The dashboard in a real headless Chromium against its own local stack (its clock moves three
 * days, so it does not share the e2e stack). Skipped where Debian's chromium is not installed.
 */
const AGENCY = { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" };
const UNIT = { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" };
const LATE = "000.00.11.H42-261120-0801";
const EARLY = "000.00.11.H42-261120-0802";
const OPEN = "000.00.11.H42-261120-0803";
const SOON = "000.00.11.H42-261120-0804";

function received(code: string, workingDays: number, handler = "cv-khang") {
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: "2026-11-20T08:00:00+07:00",
    receivedAt: "2026-11-20T08:00:00+07:00",
    procedure: {
      code: "1.001612",
      name: "Đăng ký khai sinh",
      field: "Hộ tịch",
      timeLimit: { amount: workingDays, unit: "working-days" },
    },
    agency: AGENCY,
    unit: UNIT,
    channel: "online",
    applicant: {
      name: "Trần Thị Bé Năm",
      honorific: "Bà",
      phone: "0900005678",
      consent: { sms: true, email: false },
    },
    handler: { id: handler },
  };
}

describe.skipIf(!hasChromium)("the dashboard in headless Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;
  const signIn = (page: Page, account: string) => signInAt(page, stack.url, account);
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock("2026-11-20T08:00:00+07:00"),
      demo: "people",
      timers: false,
      controls: true,
    });
    // Friday 20/11 08:00, 24/11 a holiday: due Monday 23/11 08:00 (1 working day), Wednesday
    // 25/11 (2), Friday 27/11 (4), and one resolved early.
    await post("/events", [received(LATE, 1), received(SOON, 2), received(OPEN, 4), received(EARLY, 3)]);
    await post("/_local/advance", { ms: 5 * 60_000 });
    await post("/events", {
      id: `${EARLY}#result-ready`,
      type: "result-ready",
      dossierCode: EARLY,
      occurredAt: "2026-11-20T08:04:00+07:00",
    });
    await post("/_local/advance", { ms: 3 * 24 * 60 * 60_000 }); // Monday 08:05: LATE overdue, apology drafted
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows a leader the on-time rate per unit, the overdue dossier, and sends the approved apology to the citizen", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await signIn(page, "gd-trung");
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem("dunghan.session"))) ?? "{}",
    );
    expect(session.idToken).toMatch(/^ey/);

    const units = page.getByRole("region", { name: "Tỷ lệ giải quyết đúng hạn theo đơn vị" });
    await expect.poll(() => units.getByTestId(`rate-${AGENCY.id}/${UNIT.id}`).textContent()).toBe("100%");
    await expect.poll(() => units.getByText("Xanh").count()).toBeGreaterThan(0);
    const overdue = page.getByRole("region", { name: "Hồ sơ quá hạn" });
    expect(await overdue.textContent()).toContain(LATE);
    const soon = page.getByRole("region", { name: "Hồ sơ sắp đến hạn (3 ngày tới)" });
    expect(await soon.textContent()).toContain(SOON);
    expect(await page.getByRole("img", { name: /Tỷ lệ đúng hạn theo tuần/ }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-leader.png`, fullPage: true });

    // The apology for SOON is owed before its due instant (the alert policy's lead time): drafted already.
    // A draft has no reason until a person writes one (issue 11): the leader writes it first.
    await page
      .getByRole("article", { name: `Thư xin lỗi hồ sơ ${SOON}` })
      .getByLabel("Lý do chậm trễ")
      .fill("Chờ ý kiến của cơ quan phối hợp");
    await page.getByRole("button", { name: `Duyệt và gửi thư xin lỗi hồ sơ ${SOON}` }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/Đã gửi thư xin lỗi|Cập nhật/);
    // LATE's draft stays: a one-day allotment now owes the apology duty at half time (Fri 13:30).
    const pending = page.getByRole("region", { name: "Thư xin lỗi chờ duyệt" });
    await expect.poll(() => pending.textContent()).not.toContain(SOON);
    expect(await pending.textContent()).toContain(LATE);
    await post("/_local/advance", { ms: 60 * 60_000 });

    const outbox = (await (await fetch(`${stack.url}/outbox.json`)).json()) as { sms: unknown[] };
    const toCitizen = outbox.sms.filter((sms) => {
      const text = JSON.stringify(sms);
      return text.includes(SOON) && /0900005678|\+84900005678/.test(text);
    });
    expect(JSON.stringify(toCitizen)).toMatch(/xin lỗi|xin loi|hẹn|hen/i);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-leader-after-approval.png`, fullPage: true });
    expect(blocked).toEqual([]);
  });

  it("shows a handler their dossiers, most urgent first, on a phone screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signIn(page, "cv-khang");

    const mine = page.getByRole("region", { name: "Hồ sơ của tôi (gấp nhất trước)" });
    await expect.poll(() => mine.getByRole("row").count()).toBe(4); // header + LATE + SOON + OPEN
    const rows = await mine.getByRole("row").allTextContents();
    expect(rows[1]).toContain(LATE);
    expect(rows[1]).toContain("quá hạn");
    expect(rows[2]).toContain(SOON);
    // The legal due instant: the leader's apology (first test) moved only the appointment.
    expect(rows[2]).toContain("08:00 25/11/2026");
    expect(rows[2]).toMatch(/ngày làm việc/);
    expect(rows[3]).toContain(OPEN);
    expect(rows[3]).toMatch(/\d ngày làm việc/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-handler-phone.png`, fullPage: true });

    // Signing out forgets the token and comes back to the sign-in card.
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${stack.url}/dashboard/`);
    await expect.poll(() => page.getByRole("region", { name: "Đăng nhập" }).count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem("dunghan.session"))).toBeNull();
  });
});
