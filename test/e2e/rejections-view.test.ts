import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn } from "../support/browser.ts";
import { TAY_NINH_CENTRE as AGENCY, receivedEvent, JUSTICE_DESK as UNIT } from "./support/events.ts";
import { post } from "./support/http.ts";

/**
 * The admin's "Sự kiện bị từ chối" view in headless Chromium against its own local stack: the
 * e-one-stop system sends a second apology and an event dated before the dossier's receipt, the
 * worker refuses both, and the agency's admin reads them in words, newest first, a click away
 * from the dossier's page.
 */
const OPEN = "000.00.11.H42-261120-0901";
const EARLY_STEP = "000.00.11.H42-261120-0902";
const NEVER_STORED = "000.00.11.H42-261120-0903";
/** The pages load while five other test runs share the machine's two cores. */
const SLOW = { timeout: 15_000 };
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const received = (code: string) => receivedEvent(code, { workingDays: 4 });

const apology = (id: string, occurredAt: string) => ({
  id,
  type: "apology-issued",
  dossierCode: OPEN,
  occurredAt,
  reason: "Chờ xác minh thông tin khai sinh",
  responsibleUnit: UNIT,
  newAppointment: "2026-11-30T09:00:00+07:00",
});

describe.skipIf(!hasChromium)("the rejections view in headless Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;
  const send = async (body: unknown) => {
    const answer = await post(stack.url, "/events", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    await post(stack.url, "/_local/settle", {});
  };
  const view = (page: Page) => page.getByRole("region", { name: "Sự kiện bị từ chối" });

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock("2026-11-20T08:00:00+07:00"),
      demo: "people",
      timers: false,
      controls: true,
    });
    await send([received(OPEN), received(EARLY_STEP)]);
    await post(stack.url, "/_local/advance", { ms: 60 * 60_000 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("says so when nothing was refused, reached from the admin's own link", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, stack.url, "admin");
    await page
      .getByRole("navigation", { name: "Quản trị" })
      .getByRole("link", { name: "Sự kiện bị từ chối" })
      .click();
    await page.waitForURL(/#\/tu-choi$/);
    await expect.poll(() => view(page).getByText("Chưa có sự kiện nào bị từ chối.").count(), SLOW).toBe(1);
    expect(await page.title()).toBe("Sự kiện bị từ chối — dunghan");
    await page.close();
  });

  it("lists each refused event newest first, its reason in words, its dossier a link when stored", async () => {
    await send(apology("apology-1", "2026-11-20T08:30:00+07:00"));
    await send({
      id: "assigned-early",
      type: "assigned",
      dossierCode: EARLY_STEP,
      occurredAt: "2026-11-19T15:00:00+07:00",
      handler: { id: "cv-khang" },
      unit: UNIT,
    });
    await post(stack.url, "/_local/advance", { ms: 10 * 60_000 });
    await send(apology("apology-2", "2026-11-20T09:05:00+07:00"));
    // A refused `received` leaves no dossier: its code is shown, not linked.
    await stack.tables.rejections.record({
      eventId: "received-unknown",
      dossierCode: NEVER_STORED,
      agencyId: AGENCY.id,
      type: "received",
      reason: "received received-unknown: receivedAt is not a date",
      errorCode: "INVALID_INPUT",
      at: "2026-11-20T09:00:00+07:00",
    });

    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, stack.url, "admin");
    await page.goto(`${stack.url}/dashboard/#/tu-choi`);
    const items = view(page).getByRole("listitem");
    await expect.poll(() => items.count(), SLOW).toBe(3);
    expect(await items.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-event-id")))).toEqual([
      "apology-2",
      "received-unknown",
      "assigned-early",
    ]);

    const second = items.nth(0);
    const text = await second.textContent();
    expect(text).toContain("09:10 20/11/2026");
    expect(text).toContain("Thư xin lỗi, hẹn lại");
    expect(text).toContain("Xung đột dữ liệu");
    expect(text).toContain("mỗi hồ sơ chỉ được xin lỗi và hẹn lại một lần");
    expect(text).toContain("CONFLICT / once:apology-issued");
    const early = await items.nth(2).textContent();
    expect(early).toContain("Không hợp lệ");
    expect(early).toContain("Thời điểm của sự kiện ở trước khi hồ sơ được tiếp nhận.");
    const unknown = items.nth(1);
    expect(await unknown.getByRole("link").count()).toBe(0);
    expect(await unknown.textContent()).toContain(`${NEVER_STORED} (chưa có hồ sơ)`);
    await page.screenshot({ path: `${ARTIFACTS}/rejections-desktop.png`, fullPage: true });

    await second.getByRole("link", { name: OPEN }).click();
    await page.waitForURL(new RegExp(`#/ho-so/${OPEN.replaceAll(".", "\\.")}$`));
    await expect
      .poll(() => page.getByRole("heading", { name: new RegExp(OPEN) }).count(), SLOW)
      .toBeGreaterThan(0);

    await page.setViewportSize(PHONE);
    await page.goto(`${stack.url}/dashboard/#/tu-choi`);
    await expect.poll(() => items.count(), SLOW).toBe(3);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `${ARTIFACTS}/rejections-phone.png`, fullPage: true });
    await page.close();
  });

  it("reads the next page on request", async () => {
    for (let i = 0; i < 20; i++) {
      await stack.tables.rejections.record({
        eventId: `old-${String(i).padStart(2, "0")}`,
        dossierCode: NEVER_STORED,
        agencyId: AGENCY.id,
        reason: "refused",
        errorCode: "CONFLICT",
        at: `2026-11-19T10:${String(i).padStart(2, "0")}:00+07:00`,
      });
    }
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, stack.url, "admin");
    await page.goto(`${stack.url}/dashboard/#/tu-choi`);
    const items = view(page).getByRole("listitem");
    await expect.poll(() => items.count(), SLOW).toBe(20);
    await view(page).getByRole("button", { name: "Xem thêm sự kiện" }).click();
    await expect.poll(() => items.count(), SLOW).toBe(23);
    expect(await view(page).getByText("23 sự kiện bị từ chối.").count()).toBe(1);
    expect(await view(page).getByRole("button", { name: "Xem thêm sự kiện" }).isHidden()).toBe(true);
    await page.close();
  });

  it("is the admins' only: a leader has no link to it and is told so at its address", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, stack.url, "gd-trung");
    expect(await page.getByRole("link", { name: "Sự kiện bị từ chối" }).count()).toBe(0);
    await page.goto(`${stack.url}/dashboard/#/tu-choi`);
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "Chỉ quản trị viên" }).count(), SLOW)
      .toBe(1);
    await page.close();
  });
});
