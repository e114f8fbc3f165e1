import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn } from "../support/browser.ts";
import { axeViolations, describeViolations } from "./support/axe.ts";
import { TAY_NINH_CENTRE as AGENCY, receivedEvent, JUSTICE_DESK as UNIT } from "./support/events.ts";
import { post } from "./support/http.ts";

/**
 * WCAG 2.0/2.1 A and AA, checked by axe-core in headless Chromium over every page a person
 * meets: the local home page, the dashboard as a leader (desk and phone) and as a handler, a
 * dossier's page, the apology approval form, the reports page (desk and phone), the public lookup,
 * the admins' rejections view.
 * Then the keyboard: Tab alone reaches the controls of the rejections view and of the dossier list.
 */
const LATE = "000.00.11.H42-261120-0951";
const SOON = "000.00.11.H42-261120-0952";
const OPEN = "000.00.11.H42-261120-0953";
/** Due Friday 20/11, resolved Monday: the unit's on-time rate is 0%, graded red. */
const DONE_LATE = "000.00.11.H42-261120-0954";
/** The pages load while five other test runs share the machine's two cores. */
const SLOW = { timeout: 15_000 };
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const received = (code: string, workingDays: number, at?: string) => receivedEvent(code, { workingDays, at });

describe.skipIf(!hasChromium)("accessibility (axe-core, WCAG 2 A/AA) and keyboard use", () => {
  let stack: LocalStack;
  let browser: Browser;
  const send = async (path: string, body: unknown) => {
    const answer = await post(stack.url, path, body);
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  };
  /** A fresh page signed in as `account` (or not signed in). */
  const open = async (viewport: { width: number; height: number }, account?: string) => {
    const page = await browser.newPage({ viewport });
    if (account !== undefined) await signIn(page, stack.url, account);
    return page;
  };
  const expectNoViolations = async (page: Page, what: string) => {
    const violations = await axeViolations(page);
    expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
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
    await send("/events", [
      received(LATE, 1),
      received(SOON, 2),
      received(OPEN, 4),
      received(DONE_LATE, 1, "2026-11-19T08:00:00+07:00"),
    ]);
    // Monday 08:05: LATE overdue, apologies drafted.
    await send("/_local/advance", { ms: 3 * 24 * 60 * 60_000 + 5 * 60_000 });
    await send("/events", {
      id: `${DONE_LATE}#result-ready`,
      type: "result-ready",
      dossierCode: DONE_LATE,
      occurredAt: "2026-11-23T08:05:00+07:00",
    });
    // One refused event: a second apology for the same dossier.
    for (const id of ["apology-1", "apology-2"]) {
      await send("/events", {
        id,
        type: "apology-issued",
        dossierCode: OPEN,
        occurredAt: "2026-11-23T08:00:00+07:00",
        reason: "Chờ xác minh thông tin khai sinh",
        responsibleUnit: UNIT,
        newAppointment: "2026-11-30T09:00:00+07:00",
      });
      await send("/_local/settle", {});
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("reports a seeded violation: an input without a name", async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<!DOCTYPE html><html lang="vi"><head><title>Thử</title></head><body><main><h1>Thử</h1><input type="text"></main></body></html>',
    );
    const violations = await axeViolations(page);
    expect(violations.map((v) => v.id)).toContain("label");
    expect(violations.find((v) => v.id === "label")?.targets).toEqual(["input"]);
    await page.close();
  });

  it("first impressions: the home page in words, and every page's icon found (no 404 in the console)", async () => {
    const html = await (await fetch(stack.url)).text();
    expect(html).not.toMatch(/\{[A-Z_]+\}/);
    expect(html).toContain(`curl -s -X POST ${stack.url}/login`);
    for (const words of [
      AGENCY.name,
      UNIT.name,
      "Lãnh đạo cơ quan",
      "Lãnh đạo đơn vị",
      "Cán bộ xử lý",
      "Quản trị",
    ]) {
      expect(html).toContain(words);
    }
    expect(html).not.toMatch(/<td>(leader|handler|admin)<\/td>/);

    const page = await browser.newPage({ viewport: DESKTOP });
    const failed: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error") failed.push(message.text());
    });
    for (const path of ["/", "/dashboard/", "/dashboard/tra-cuu.html"]) {
      await page.goto(`${stack.url}${path}`);
      if (path === "/") await page.screenshot({ path: `${ARTIFACTS}/home-page.png`, fullPage: true });
      const icon = await page.locator('link[rel="icon"]').getAttribute("href");
      expect(icon, path).toMatch(/favicon(-[0-9a-f]{12}\.svg|\.ico)$/);
      const served = await fetch(new URL(icon!, page.url()));
      expect(served.headers.get("content-type"), path).toBe("image/svg+xml");
    }
    // The inbox and the outbox link no icon: the browser's own request is answered too.
    const ico = await fetch(`${stack.url}/favicon.ico`);
    expect([ico.status, ico.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    expect(failed).toEqual([]);
    await page.close();
  });

  it("the local home page and the account picker", async () => {
    const page = await open(DESKTOP);
    await page.goto(stack.url);
    await expectNoViolations(page, "home page");
    await page.goto(`${stack.url}/dashboard`);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(/\/oauth2\/authorize\?/);
    await expectNoViolations(page, "account picker");
    await page.close();
  });

  it("the leader's dashboard with its approval form, on a desk and on a phone", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await open(viewport, "gd-trung");
      const card = page.getByRole("article", { name: `Thư xin lỗi hồ sơ ${SOON}` });
      await expect.poll(() => card.count(), SLOW).toBe(1);
      await expect.poll(() => page.getByRole("region", { name: "Hồ sơ quá hạn" }).count(), SLOW).toBe(1);
      // The red grade is on the page (its text on red must be legible too).
      await expect.poll(() => page.locator(".grade-red").count(), SLOW).toBeGreaterThan(0);
      await expectNoViolations(page, `leader ${viewport.width}px`);
      await page.close();
    }
  });

  it("the handler's own dossiers", async () => {
    const page = await open(PHONE, "cv-khang");
    await expect.poll(() => page.getByRole("link", { name: LATE }).count(), SLOW).toBe(1);
    await expectNoViolations(page, "handler");
    await page.close();
  });

  it("a dossier's page", async () => {
    const page = await open(DESKTOP, "gd-trung");
    await page.goto(`${stack.url}/dashboard/#/ho-so/${OPEN}`);
    await expect.poll(() => page.locator("#dossier-title").count(), SLOW).toBe(1);
    await expectNoViolations(page, "dossier page");
    await page.close();
  });

  it("the reports page with its period and breakdown pickers, on a desk and on a phone", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await open(viewport, "gd-trung");
      await page.goto(`${stack.url}/dashboard/#/bao-cao`);
      await expect.poll(() => page.locator("table.report-table tbody tr").count(), SLOW).toBeGreaterThan(0);
      await expectNoViolations(page, `reports ${viewport.width}px`);
      await page.close();
    }
  });

  it("the public lookup, before and after a search", async () => {
    const page = await open(PHONE);
    await page.goto(`${stack.url}/tra-cuu`);
    await expectNoViolations(page, "tra-cuu.html");
    await page.getByLabel("Mã hồ sơ").fill(OPEN);
    await page.getByLabel("4 số cuối điện thoại đã đăng ký").fill("5678");
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await expect.poll(() => page.locator("#ket-qua").textContent(), SLOW).toContain(OPEN);
    await expectNoViolations(page, "tra-cuu.html with a result");
    await page.close();
  });

  it("the rejections view", async () => {
    const page = await open(DESKTOP, "admin");
    await page.goto(`${stack.url}/dashboard/#/tu-choi`);
    await expect.poll(() => page.locator("ol.rejections li").count(), SLOW).toBe(1);
    await expectNoViolations(page, "rejections");
    await page.close();
  });

  /**
   * What Tab focuses, in order, `presses` times from where the focus is (Tab wraps round the
   * page): each control's tag and text.
   */
  const tabStops = async (page: Page, presses: number) => {
    const stops: string[] = [];
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press("Tab");
      stops.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el
            ? `${el.tagName.toLowerCase()}:${(el.getAttribute("aria-label") ?? el.textContent ?? "").trim()}`
            : "";
        }),
      );
    }
    return stops;
  };

  it("reaches the rejections view's controls with Tab, and opens a dossier with Enter", async () => {
    const page = await open(DESKTOP, "admin");
    expect(await tabStops(page, 2)).toEqual(["a:Sự kiện bị từ chối", "button:Đăng xuất"]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/tu-choi$/);
    await expect.poll(() => page.locator("ol.rejections li").count(), SLOW).toBe(1);
    // The view's title has the focus; Tab goes round every control of the page.
    expect(await tabStops(page, 8)).toEqual(
      expect.arrayContaining([
        `a:${OPEN}`,
        "a:Sự kiện bị từ chối",
        "button:Đăng xuất",
        "a:← Quay lại bảng điều hành",
      ]),
    );
    while (!(await tabStops(page, 1)).includes(`a:${OPEN}`));
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/ho-so\//);
    await page.close();
  });

  it("reaches every dossier of the handler's list with Tab", async () => {
    const page = await open(DESKTOP, "cv-khang");
    await expect.poll(() => page.getByRole("link", { name: LATE }).count(), SLOW).toBe(1);
    expect(await tabStops(page, 8)).toEqual(
      expect.arrayContaining(["button:Đăng xuất", `a:${LATE}`, `a:${OPEN}`, `a:${SOON}`]),
    );
    await page.close();
  });

  it("reaches the leader's overdue list and the approval form's controls with Tab", async () => {
    const page = await open(DESKTOP, "gd-trung");
    const card = page.getByRole("article", { name: `Thư xin lỗi hồ sơ ${SOON}` });
    await expect.poll(() => card.count(), SLOW).toBe(1);
    const stops = await tabStops(page, 40);
    expect(stops).toEqual(expect.arrayContaining([`a:${LATE}`, "button:Đăng xuất"]));
    expect(stops.filter((stop) => stop.startsWith("select:")).length).toBeGreaterThanOrEqual(2);
    expect(stops.some((stop) => stop.startsWith("textarea:"))).toBe(true);
    await page.close();
  });
});
