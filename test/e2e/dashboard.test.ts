import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn as signInAt } from "../support/browser.ts";
import {
  TAY_NINH_CENTRE as AGENCY,
  BUILDING_DESK as BUILDING,
  receivedEvent,
  JUSTICE_DESK as UNIT,
} from "./support/events.ts";

/**
 * The dashboard in a real headless Chromium against its own local stack (its clock moves three
 * days, so it does not share the e2e stack). Skipped where Debian's chromium is not installed.
 */
const LATE = "000.00.11.H42-261120-0801";
const EARLY = "000.00.11.H42-261120-0802";
const OPEN = "000.00.11.H42-261120-0803";
const SOON = "000.00.11.H42-261120-0804";
/** Another unit's overdue dossier: its leader's, not the justice desk's. */
const LATE_ELSEWHERE = "000.00.15.H42-261120-0805";
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
type Json = any;

const received = (code: string, workingDays: number, handler = "cv-khang", unit = UNIT) =>
  receivedEvent(code, { workingDays, handler, unit });

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
    await post("/events", [
      received(LATE, 1),
      received(SOON, 2),
      received(OPEN, 4),
      received(EARLY, 3),
      received(LATE_ELSEWHERE, 1, "cv-phuc", BUILDING),
    ]);
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

  /** The API as the page's signed-in user sees it (its ID token from the tab's session). */
  const apiAs = async (page: Page, method: string, path: string, body?: unknown) => {
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem("dunghan.session"))) ?? "{}",
    );
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.idToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const draftOf = async (page: Page, code: string) => {
    const { body } = await apiAs(page, "GET", `/dossiers/${code}/apologies`);
    return (body.items as Json[]).at(-1)!;
  };
  const values = (select: Locator) =>
    select.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  /** The message the page shows next to a control (its aria-describedby). */
  const messageOf = async (page: Page, control: Locator) =>
    page.locator(`[id="${await control.getAttribute("aria-describedby")}"]`);

  it("shows a leader the on-time rate per unit, the overdue dossier, and sends the approved apology to the citizen", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
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
    expect((await overdue.locator("li strong").allTextContents()).sort()).toEqual([LATE, LATE_ELSEWHERE]);
    const soon = page.getByRole("region", { name: "Hồ sơ sắp đến hạn (1 ngày làm việc)" });
    expect(await soon.textContent()).toContain(SOON);
    expect(await page.getByRole("img", { name: /Tỷ lệ đúng hạn theo tuần/ }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-leader.png`, fullPage: true });

    // The apology for SOON is owed before its due instant (the alert policy's lead time): drafted
    // already. Its card shows the dossier, and the reason is empty with the API's hint as placeholder.
    const card = page.getByRole("article", { name: `Thư xin lỗi hồ sơ ${SOON}` });
    await expect.poll(() => card.count()).toBe(1);
    const draft = await draftOf(page, SOON);
    expect(draft).toMatchObject({ status: "draft", reason: null, canApprove: true });
    const facts = await card.textContent();
    expect(facts).toContain("Trần Thị Bé Năm");
    expect(facts).toContain("Đăng ký khai sinh");
    expect(facts).toContain("08:00 Thứ Tư, 25/11/2026"); // the original appointment
    const reason = card.getByRole("textbox", { name: /Lý do chậm trễ/ });
    expect(await reason.inputValue()).toBe("");
    expect(draft.reasonHint).toBeTruthy();
    expect(await reason.getAttribute("placeholder")).toBe(draft.reasonHint);

    // The picker offers working days and office hours only, the proposal preselected.
    const day = card.getByRole("combobox", { name: /^Ngày/ });
    const time = card.getByRole("combobox", { name: /^Giờ/ });
    expect(`${await day.inputValue()}T${await time.inputValue()}`).toBe(draft.newAppointment.slice(0, 16));
    const options = (await apiAs(page, "GET", `/dossiers/${SOON}/apologies/${draft.id}/appointment-options`))
      .body;
    const days = await values(day);
    expect(days.length).toBeGreaterThan(10);
    for (const date of days) {
      expect(new Date(`${date}T00:00:00Z`).getUTCDay(), date).not.toBe(0); // no Sunday
      expect(options.days.map((d: Json) => d.date)).toContain(date);
    }
    expect(days).not.toContain("2026-11-24"); // the holiday
    expect(days).not.toContain("2026-11-29"); // a Sunday
    await day.selectOption(days[2]!);
    const offered = options.days.find((d: Json) => d.date === days[2]);
    const times = await values(time);
    expect(times).not.toContain("22:00");
    expect(times[0]).toBe(offered.opens);
    expect(times.at(-1)).toBe(offered.closes);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-approval-form.png`, fullPage: true });

    // The wrong ways. No reason: refused next to the reason field, no letter goes.
    await card.getByRole("button", { name: `Duyệt và gửi thư xin lỗi hồ sơ ${SOON}` }).click();
    const reasonMessage = await messageOf(page, reason);
    await expect.poll(() => reasonMessage.textContent()).toMatch(/lý do/i);
    expect(await reason.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("dialog").count()).toBe(0);
    // A Sunday or 22:00 cannot be picked; forced into the lists, the API refuses it by the picker.
    await reason.fill("Hồ sơ cần xác minh thêm thông tin khai sinh tại UBND phường Tân Ninh.");
    const dayMessage = await messageOf(page, day);
    for (const [list, value, says] of [
      [day, "2026-11-29", /ngày/i],
      [time, "22:00", /giờ/i],
    ] as const) {
      await list.evaluate((select, v) => {
        select.append(new Option(v, v));
      }, value);
      await list.selectOption(value);
      await card.getByRole("button", { name: `Lưu chỉnh sửa thư xin lỗi hồ sơ ${SOON}` }).click();
      await expect.poll(() => dayMessage.textContent()).toMatch(says);
      expect(await dayMessage.isVisible()).toBe(true);
      expect(await day.getAttribute("aria-invalid")).toBe("true");
      if (value === "22:00") {
        await page.screenshot({ path: `${ARTIFACTS}/dashboard-approval-refused.png`, fullPage: false });
      }
      await day.selectOption(days[2]!);
    }
    expect(await (await messageOf(page, reason)).textContent()).toBe("");
    expect((await draftOf(page, SOON)).newAppointment).toBe(draft.newAppointment);

    // The right way: a reason, a valid date and time, the letter seen, then approved and sent.
    await day.selectOption(days[2]!);
    await time.selectOption("14:00");
    await card.getByRole("button", { name: `Lưu chỉnh sửa thư xin lỗi hồ sơ ${SOON}` }).click();
    await expect.poll(() => card.getByRole("status").textContent()).toBe("Đã lưu chỉnh sửa.");
    expect(await draftOf(page, SOON)).toMatchObject({
      status: "draft",
      reason: "Hồ sơ cần xác minh thêm thông tin khai sinh tại UBND phường Tân Ninh.",
      newAppointment: `${days[2]}T14:00:00+07:00`,
    });
    await card.getByRole("button", { name: `Duyệt và gửi thư xin lỗi hồ sơ ${SOON}` }).click();
    const preview = page.getByRole("dialog", { name: `Xem trước thư xin lỗi hồ sơ ${SOON}` });
    await expect.poll(() => preview.count()).toBe(1);
    expect(await preview.locator("iframe").getAttribute("sandbox")).toBe("");
    const letter = preview.frameLocator("iframe").locator("body");
    await expect.poll(() => letter.textContent()).toContain("xác minh thêm thông tin khai sinh");
    const [y, m, d] = days[2]!.split("-");
    expect(await letter.textContent()).toMatch(new RegExp(`14 giờ 00 phút, ngày ${d} tháng ${m} năm ${y}`));
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-letter-preview.png`, fullPage: false });
    await preview.getByRole("button", { name: "Duyệt và gửi thư" }).click();

    const done = page.getByRole("region", { name: "Kết quả thao tác" });
    await expect.poll(() => done.count()).toBe(1);
    expect(await done.textContent()).toMatch(
      new RegExp(
        `Đã gửi thư xin lỗi hồ sơ ${SOON.replace(/\./g, "\\.")}.*Ngày hẹn mới: 14:00 .*${d}/${m}/${y}`,
      ),
    );
    // LATE's draft stays: a one-day allotment now owes the apology duty at half time (Fri 13:30).
    const pending = page.getByRole("region", { name: "Thư xin lỗi chờ duyệt" });
    await expect.poll(() => pending.textContent()).not.toContain(SOON);
    expect(await pending.textContent()).toContain(LATE);
    expect(await draftOf(page, SOON)).toMatchObject({
      status: "sent",
      reason: "Hồ sơ cần xác minh thêm thông tin khai sinh tại UBND phường Tân Ninh.",
      newAppointment: `${days[2]}T14:00:00+07:00`,
    });
    await post("/_local/advance", { ms: 60 * 60_000 });

    const outbox = (await (await fetch(`${stack.url}/outbox.json`)).json()) as {
      sms: { to: string; text: string }[];
    };
    const toCitizen = outbox.sms.filter((sms) => sms.to === "+84900005678" && sms.text.includes(SOON));
    expect(toCitizen.map((sms) => sms.text)).toEqual([
      expect.stringContaining("da tiep nhan ho so"), // the receipt
      expect.stringContaining("xin loi"), // the apology just approved
    ]);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-leader-after-approval.png`, fullPage: true });
    expect(blocked).toEqual([]);
  });

  it("shows a handler their dossiers, most urgent first, on a phone screen", async () => {
    const page = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signIn(page, "cv-khang");

    const mine = page.getByRole("region", { name: "Hồ sơ của tôi (gấp nhất trước)" });
    await expect.poll(() => mine.getByRole("row").count()).toBe(4); // header + LATE + SOON + OPEN
    const rows = await mine.getByRole("row").allTextContents();
    expect(rows[1]).toContain(LATE);
    expect(rows[1]).toContain("quá hạn");
    expect(rows[2]).toContain(SOON);
    // The legal due instant: the leader's apology (first test) moved only the appointment.
    expect(rows[2]).toContain("08:00 25/11/2026");
    expect(rows[2]).toMatch(/còn \d+ (ngày|giờ)/);
    expect(rows[3]).toContain(OPEN);
    expect(rows[3]).toMatch(/còn \d+ ngày/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-handler-phone.png`, fullPage: true });

    // Signing out forgets the token and comes back to the sign-in card.
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${stack.url}/dashboard/`);
    await expect.poll(() => page.getByRole("region", { name: "Đăng nhập" }).count()).toBe(1);
    expect(await page.evaluate(() => sessionStorage.getItem("dunghan.session"))).toBeNull();
  });

  it("shows a unit leader their unit's overdue dossier, not another unit's, on a phone", async () => {
    const page = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signIn(page, "tq-phuong"); // Trưởng quầy Sở Tư pháp: LATE is their unit's
    const overdue = page.getByRole("region", { name: "Hồ sơ quá hạn" });
    await expect.poll(() => overdue.locator("li strong").allTextContents()).toEqual([LATE]);
    expect(await overdue.textContent()).not.toContain("Không có hồ sơ quá hạn");
    const other = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signIn(other, "tq-dung"); // Trưởng quầy Sở Xây dựng
    await expect
      .poll(() => other.getByRole("region", { name: "Hồ sơ quá hạn" }).locator("li strong").allTextContents())
      .toEqual([LATE_ELSEWHERE]);
    await other.close();
    expect(await page.getByRole("region", { name: "Thư xin lỗi chờ duyệt" }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-unit-leader-phone.png`, fullPage: true });
  });

  it("asks before withdrawing a draft, reopens or redrafts it, sends an approved one later, on a phone; no form for who may not approve", async () => {
    // Thursday 26/11 09:05: OPEN is due Friday 08:00, its apology is owed, a draft is requested.
    await post("/_local/advance", { ms: 3 * 24 * 60 * 60_000 });

    // Where only the agency's leaders approve, the desk's leader sees the draft but no approval form.
    const login = await fetch(`${stack.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ account: "admin" }),
    });
    const admin = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const directoryUrl = `${stack.url}/directory/${AGENCY.id}`;
    const directory = await (await fetch(directoryUrl, { headers: admin })).json();
    const putDirectory = async (body: unknown) => {
      const response = await fetch(directoryUrl, {
        method: "PUT",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
    };
    await putDirectory({ ...directory, apologyApprovers: "agency-leaders-only" });
    const desk = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signIn(desk, "tq-phuong");
    const seen = desk.getByRole("article", { name: `Thư xin lỗi hồ sơ ${OPEN}` });
    await expect.poll(() => seen.count()).toBe(1);
    expect(await seen.textContent()).toContain("chờ lãnh đạo có thẩm quyền duyệt");
    expect(await seen.getByRole("button", { name: /Duyệt|Rút lại|Lưu/ }).count()).toBe(0);
    expect(await seen.getByRole("textbox").count()).toBe(0);
    await seen.screenshot({ path: `${ARTIFACTS}/dashboard-draft-read-only-phone.png` });
    await desk.close();
    await putDirectory(directory);

    const page = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signIn(page, "gd-trung");
    const card = page.getByRole("article", { name: `Thư xin lỗi hồ sơ ${OPEN}` });
    await expect.poll(() => card.count()).toBe(1);
    const draft = await draftOf(page, OPEN);
    expect(draft.status).toBe("draft");

    // A phone: no sideways scrolling, every control labelled, every button big enough to tap.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const unlabelled = await card
      .locator("textarea, select, input")
      .evaluateAll((controls) =>
        controls.filter((c) => (c as HTMLInputElement).labels?.length === 0).map((c) => c.outerHTML),
      );
    expect(unlabelled).toEqual([]);
    for (const box of await card
      .getByRole("button")
      .evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height))) {
      expect(box).toBeGreaterThanOrEqual(40);
    }
    for (const control of await card.locator("select").all()) {
      expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(40);
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-approval-form-phone.png`, fullPage: true });

    // "Rút lại" asks first; saying no leaves the draft as it was.
    const withdraw = card.getByRole("button", { name: `Rút lại thư xin lỗi hồ sơ ${OPEN}` });
    await withdraw.click();
    const ask = page.getByRole("dialog", { name: `Rút lại thư xin lỗi hồ sơ ${OPEN}?` });
    await expect.poll(() => ask.count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-withdraw-confirm-phone.png`, fullPage: false });
    await ask.getByRole("button", { name: "Không rút lại" }).click();
    await expect.poll(() => ask.count()).toBe(0);
    expect((await draftOf(page, OPEN)).status).toBe("draft");

    await withdraw.click();
    await ask.getByRole("textbox", { name: "Lý do rút lại (không bắt buộc)" }).fill("Hồ sơ sẽ trả đúng hẹn.");
    await ask.getByRole("button", { name: "Rút lại thư" }).click();
    const done = page.getByRole("region", { name: "Kết quả thao tác" });
    await expect.poll(() => done.textContent()).toContain(`Đã rút lại thư xin lỗi hồ sơ ${OPEN}`);
    expect(await draftOf(page, OPEN)).toMatchObject({
      status: "withdrawn",
      withdrawalReason: "Hồ sơ sẽ trả đúng hẹn.",
    });
    // The withdrawn draft offers the ways forward.
    await expect.poll(() => card.textContent()).toContain("Đã rút lại");
    expect(await card.textContent()).toContain("Hồ sơ sẽ trả đúng hẹn.");
    const redraft = card.getByRole("button", { name: `Tạo dự thảo mới: thư xin lỗi hồ sơ ${OPEN}` });
    expect(await redraft.count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-withdrawn-phone.png`, fullPage: true });
    await card.getByRole("button", { name: `Mở lại thư xin lỗi hồ sơ ${OPEN}` }).click();
    await expect.poll(() => done.textContent()).toContain(`Đã mở lại dự thảo thư xin lỗi hồ sơ ${OPEN}`);
    expect((await draftOf(page, OPEN)).status).toBe("draft");
    await expect.poll(() => card.getByRole("textbox", { name: /Lý do chậm trễ/ }).count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-reopened-phone.png`, fullPage: true });

    // Withdrawn again, a new draft replaces it: one card for the dossier, the new draft's.
    await withdraw.click();
    await ask.getByRole("button", { name: "Rút lại thư" }).click();
    await expect.poll(() => redraft.count()).toBe(1);
    await redraft.click();
    await expect.poll(() => done.textContent()).toContain(`Đã tạo dự thảo thư xin lỗi mới cho hồ sơ ${OPEN}`);
    await expect.poll(() => card.getByRole("textbox", { name: /Lý do chậm trễ/ }).count()).toBe(1);
    const { body } = await apiAs(page, "GET", `/dossiers/${OPEN}/apologies`);
    expect((body.items as Json[]).map((d) => d.status).sort()).toEqual(["draft", "withdrawn"]);
    expect(await page.getByRole("article", { name: `Thư xin lỗi hồ sơ ${OPEN}` }).count()).toBe(1);

    // Approved, but the sending fails (the API is down a moment): the card says so and sends later.
    await card.getByRole("textbox", { name: /Lý do chậm trễ/ }).fill("Chờ kết quả xác minh của Công an.");
    await page.route(/\/send$/, (route) =>
      route.fulfill({
        status: 503,
        json: { error: { code: "UNAVAILABLE", message: "Dịch vụ tạm gián đoạn" } },
      }),
    );
    await card.getByRole("button", { name: `Duyệt và gửi thư xin lỗi hồ sơ ${OPEN}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Duyệt và gửi thư" }).click();
    await expect.poll(() => done.textContent()).toContain("nhưng chưa gửi được: Dịch vụ tạm gián đoạn");
    await expect.poll(() => card.textContent()).toContain("Đã duyệt, chưa gửi");
    expect(await card.textContent()).toContain("Chờ kết quả xác minh của Công an.");
    await page.unroute(/\/send$/);
    await card.getByRole("button", { name: `Gửi thư xin lỗi hồ sơ ${OPEN}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Gửi thư" }).click();
    await expect.poll(() => done.textContent()).toContain(`Đã gửi thư xin lỗi hồ sơ ${OPEN}`);
    expect((await draftOf(page, OPEN)).status).toBe("sent");
  });
});
