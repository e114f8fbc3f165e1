import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn as signInAt } from "../support/browser.ts";
import { receivedEvent } from "./support/events.ts";

/**
 * A dossier's page and the handler's "Hồ sơ của tôi" in a real headless Chromium, on a desk
 * screen and a phone, against their own local stack (its clock moves five days).
 */
const STEP_UNIT = { id: "phong-ho-tich", name: "Phòng Hộ tịch" };
const CODE = "000.00.11.H42-261120-0901";
/** Another handler's, sent back for a supplement and received again (the clock restarts). */
const SUPPLEMENTED = "000.00.15.H42-261120-0902";
/** cv-khang's others: more than one page of "Hồ sơ của tôi" (20 a page). */
const OTHERS = Array.from(
  { length: 21 },
  (_, i) => `000.00.11.H42-261120-${String(950 + i).padStart(4, "0")}`,
);
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
type Json = any;

const received = (code: string, workingDays: number, handler = "cv-khang") =>
  receivedEvent(code, {
    workingDays,
    handler,
    procedure: { code: "1.001193", name: "Đăng ký kết hôn", field: "Hộ tịch" },
    applicant: {
      name: "Nguyễn Văn Tư",
      honorific: "Ông",
      phone: "0900001234",
      consent: { sms: true, email: false },
    },
  });

const event = (code: string, type: string, at: string, more: Record<string, unknown> = {}) => ({
  id: `${code}#${type}#${at}`,
  type,
  dossierCode: code,
  occurredAt: at,
  ...more,
});

describe.skipIf(!hasChromium)("a dossier's page and Hồ sơ của tôi in headless Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
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
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as Json;
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
    // Friday 20/11 08:00, two working days (24/11 a holiday): due Wednesday 25/11 08:00, moved an
    // hour by the pause. The step at Phòng Hộ tịch is due that Friday 16:00 (17:00 after the pause)
    // and is not done.
    const events = [
      received(CODE, 2),
      event(CODE, "assigned", "2026-11-20T08:30:00+07:00", {
        handler: { id: "cv-khang", name: "Lê Minh Khang" },
        unit: STEP_UNIT,
        task: "Thẩm định hồ sơ",
        dueAt: "2026-11-20T16:00:00+07:00",
      }),
      event(CODE, "paused", "2026-11-20T09:00:00+07:00", { reason: "Chờ nộp lệ phí" }),
      event(CODE, "resumed", "2026-11-20T10:00:00+07:00"),
      received(SUPPLEMENTED, 2, "cv-phuc"),
      event(SUPPLEMENTED, "supplement-requested", "2026-11-20T10:00:00+07:00", {
        reason: "Thiếu bản sao giấy khai sinh",
        documents: ["Bản sao giấy khai sinh"],
      }),
      event(SUPPLEMENTED, "supplement-received", "2026-11-20T14:00:00+07:00"),
      ...OTHERS.map((code, i) => received(code, 3 + (i % 5))),
    ];
    // The API takes at most 10 events a request.
    for (let i = 0; i < events.length; i += 10) await post("/events", events.slice(i, i + 10));
    await post("/_local/advance", { ms: 3 * 24 * 60 * 60_000 + 60 * 60_000 }); // Monday 23/11 09:00
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("opens a dossier from the leader's list: timeline, steps with their due instants, who holds it, the late unit, the apology and its letter", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await signInAt(page, stack.url, "gd-trung");
    // The apology, drafted by the alert policy, completed and sent as a leader does.
    let draft: Json;
    await expect
      .poll(async () => {
        draft = (await apiAs(page, "GET", `/dossiers/${CODE}/apologies`)).items.at(-1);
        return draft?.status;
      })
      .toBe("draft");
    const path = `/dossiers/${CODE}/apologies/${draft.id}`;
    await apiAs(page, "PATCH", path, { reason: "Phòng Hộ tịch chờ xác minh tình trạng hôn nhân." });
    await apiAs(page, "POST", `${path}/approve`, {});
    await apiAs(page, "POST", `${path}/send`, {});
    await post("/_local/advance", { ms: 2 * 24 * 60 * 60_000 + 2 * 60 * 60_000 }); // Wednesday 25/11 11:00
    await signInAt(page, stack.url, "gd-trung"); // the token of two days ago has expired on the stack's clock
    const view = await apiAs(page, "GET", `/dossiers/${CODE}`);
    expect(view.dossier.apology).not.toBeNull();
    expect(view.dossier.legalDueAt).toBe("2026-11-25T09:00:00+07:00");
    // Two office hours past the legal due instant (09:00 → 11:00), whatever the apology's new date.
    expect(view.timeLeft).toBe("quá hạn 2 giờ");
    expect(view.alerts.sent.length).toBeGreaterThan(0);

    const overdue = page.getByRole("region", { name: "Hồ sơ quá hạn" });
    await expect.poll(() => overdue.getByRole("link", { name: CODE }).count()).toBe(1);
    await overdue.getByRole("link", { name: CODE }).click();
    await page.waitForURL(/#\/ho-so\//);
    const article = page.getByRole("article", { name: `Hồ sơ ${CODE}` });
    await expect.poll(() => article.count()).toBe(1);
    // The title takes the focus, so a screen reader starts at the dossier.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("dossier-title");

    expect(await article.getByTestId("dossier-status").textContent()).toBe("Quá hạn");
    expect(await article.getByTestId("time-left").textContent()).toBe("quá hạn 2 giờ");
    const facts = article.getByRole("region", { name: "Thông tin hồ sơ" });
    expect(await facts.textContent()).toContain("Lê Minh Khang — Phòng Hộ tịch");
    expect(await facts.getByTestId("delay-unit").textContent()).toContain("Phòng Hộ tịch");
    const steps = article.getByRole("region", { name: "Các bước xử lý" });
    // The step's own due instant, moved an hour by the pause like the dossier's.
    expect(await steps.textContent()).toContain("Hạn của bước: 17:00 20/11/2026");
    expect(await steps.textContent()).toContain("⚠ Đang xử lý, quá hạn của bước");

    const timeline = article.getByRole("region", { name: "Diễn biến hồ sơ" });
    const entries = await timeline.locator("ol.timeline > li").allTextContents();
    const at = (text: string) => entries.findIndex((entry) => entry.includes(text));
    expect(at("Tiếp nhận hồ sơ")).toBe(0);
    expect(at("Phân công xử lý")).toBeLessThan(at("Tạm dừng tính thời gian"));
    expect(at("Tạm dừng tính thời gian")).toBeLessThan(at("Tiếp tục tính thời gian"));
    expect(entries[at("Tạm dừng tính thời gian")]).toContain("Chờ nộp lệ phí");
    expect(at("Tiếp tục tính thời gian")).toBeLessThan(at("Gửi thư xin lỗi"));
    const times = await timeline
      .locator("ol.timeline > li > time")
      .evaluateAll((nodes) => nodes.map((node) => Date.parse(node.getAttribute("datetime") ?? "")));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Each alert sent, with its channel and time.
    const alerts = entries.filter((entry) => entry.includes("Cảnh báo: "));
    expect(alerts.length).toBe(view.alerts.sent.length);
    for (const alert of alerts) expect(alert).toMatch(/qua (thư điện tử|SMS|Zalo)/);
    expect(alerts.some((alert) => alert.includes("bước xử lý quá hạn") && alert.includes("— đã gửi"))).toBe(
      true,
    );
    expect(entries[at("Gửi thư xin lỗi")]).toContain("Phòng Hộ tịch chờ xác minh");
    await page.screenshot({ path: `${ARTIFACTS}/dossier-page-desktop.png`, fullPage: true });

    // The letter as sent, in the sandboxed preview.
    await timeline.getByRole("button", { name: `Xem thư xin lỗi đã gửi của hồ sơ ${CODE}` }).click();
    const preview = page.getByRole("dialog", { name: `Xem trước thư xin lỗi hồ sơ ${CODE}` });
    await expect.poll(() => preview.count()).toBe(1);
    await expect
      .poll(() => preview.frameLocator("iframe").locator("body").textContent())
      .toContain("xác minh tình trạng hôn nhân");
    await preview.getByRole("button", { name: "Đóng" }).click();

    // Back by the link, and by the browser's back button to the dossier again.
    await article.getByRole("link", { name: "← Quay lại bảng điều hành" }).click();
    await expect.poll(() => page.getByRole("region", { name: "Hồ sơ quá hạn" }).count()).toBe(1);
    await page.goBack();
    await expect.poll(() => page.getByRole("article", { name: `Hồ sơ ${CODE}` }).count()).toBe(1);

    // A supplement: asked and received in the timeline, the time left counted from the new receipt.
    await page.goto(`${stack.url}/dashboard/#/ho-so/${encodeURIComponent(SUPPLEMENTED)}`);
    const other = page.getByRole("article", { name: `Hồ sơ ${SUPPLEMENTED}` });
    await expect.poll(() => other.count()).toBe(1);
    const story = await other.locator("ol.timeline > li").allTextContents();
    const asked = story.findIndex((entry) => entry.includes("Yêu cầu bổ sung hồ sơ"));
    expect(story[asked]).toContain("Thiếu bản sao giấy khai sinh");
    expect(story.findIndex((entry) => entry.includes("Nhận hồ sơ bổ sung"))).toBeGreaterThan(asked);
    const supplementedView = await apiAs(page, "GET", `/dossiers/${SUPPLEMENTED}`);
    expect(await other.getByTestId("time-left").textContent()).toBe(supplementedView.timeLeft);
    expect(supplementedView.timeLeft).toMatch(/^còn /);
  });

  it("walks the handler's Hồ sơ của tôi on a phone, page after page, most urgent first, with the keyboard", async () => {
    const page = await browser.newPage({ viewport: PHONE, isMobile: true });
    await signInAt(page, stack.url, "cv-khang");
    const mine = page.getByRole("region", { name: "Hồ sơ của tôi (gấp nhất trước)" });
    await expect.poll(() => mine.locator("tbody tr").count()).toBe(20);
    const first = await mine.locator("tbody tr").first().textContent();
    // The overdue one first, with its next step and the step's own due instant, in words and colour.
    expect(first).toContain(CODE);
    expect(first).toContain("Thẩm định hồ sơ");
    expect(first).toContain("hạn bước 17:00 20/11/2026");
    expect(first).toContain("Quá hạn");
    expect(first).toMatch(/quá hạn \d+ (ngày|giờ)/);
    expect(await mine.textContent()).toContain("Đang hiện 20 hồ sơ, còn nữa.");
    await page.screenshot({ path: `${ARTIFACTS}/dossier-mine-phone.png`, fullPage: true });

    await mine.getByRole("button", { name: "Xem thêm hồ sơ" }).click();
    await expect.poll(() => mine.locator("tbody tr").count()).toBe(1 + OTHERS.length);
    expect(await mine.getByRole("button", { name: "Xem thêm hồ sơ" }).isVisible()).toBe(false);
    const dues = await mine
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.querySelectorAll("td")[2]?.textContent ?? ""));
    const instants = dues.map((text) => {
      const [time, day] = text.split(" ");
      const [d, m, y] = day!.split("/");
      return `${y}-${m}-${d}T${time}`;
    });
    expect(instants).toEqual([...instants].sort());
    for (const row of await mine.locator("tbody tr").allTextContents()) expect(row).toMatch(/(còn|quá hạn) /);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);

    // The keyboard alone opens the dossier: focus the link and press Enter.
    await mine.getByRole("link", { name: CODE }).focus();
    await page.keyboard.press("Enter");
    const article = page.getByRole("article", { name: `Hồ sơ ${CODE}` });
    await expect.poll(() => article.count()).toBe(1);
    expect(await article.getByTestId("time-left").textContent()).toMatch(/^quá hạn /);
    // A handler reads no apology drafts: no letter button, the rest of the page the same.
    expect(await article.getByRole("region", { name: "Diễn biến hồ sơ" }).textContent()).toContain(
      "Gửi thư xin lỗi",
    );
    const phoneWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(phoneWidth).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${ARTIFACTS}/dossier-page-phone.png`, fullPage: true });
  });

  it("names every control on the dossier's page", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await signInAt(page, stack.url, "gd-trung");
    await page.goto(`${stack.url}/dashboard/#/ho-so/${encodeURIComponent(CODE)}`);
    await expect.poll(() => page.getByRole("article", { name: `Hồ sơ ${CODE}` }).count()).toBe(1);
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll("a, button, input, select, textarea"))
        .filter((node) => (node.getAttribute("aria-label") ?? node.textContent ?? "").trim() === "")
        .map((node) => node.outerHTML),
    );
    expect(unnamed).toEqual([]);
  });
});
