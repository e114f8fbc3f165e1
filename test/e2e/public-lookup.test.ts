import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium } from "../support/browser.ts";
import { TAY_NINH_CENTRE as AGENCY, receivedEvent, JUSTICE_DESK as UNIT } from "./support/events.ts";

/**
 * Tra cứu hồ sơ (docs/public-lookup.md) in a real headless Chromium, as an applicant uses it:
 * no sign-in, the dossier code and the last four digits of their phone. Its own local stack, so
 * the per-code and per-client counters start at zero. Skipped where Debian's chromium is missing.
 */
/** Late, then an apology with a new date. */
const APOLOGISED = "000.00.11.H42-261120-0901";
/** In progress, nothing unusual. */
const PLAIN = "000.00.11.H42-261120-0902";
/** The one whose code gets locked by wrong digits. */
const GUESSED = "000.00.11.H42-261120-0903";
/** Received on Wednesday with one working day: past its appointment on Friday. */
const LATE = "000.00.11.H42-261120-0904";
/** Waiting for the applicant's documents. */
const SUPPLEMENT = "000.00.11.H42-261120-0905";
const DOCUMENTS = ["Bản sao Giấy chứng sinh", "Giấy chứng nhận kết hôn của cha mẹ (bản sao)"];
/** Well-formed, never received. */
const UNKNOWN = "000.00.11.H42-261120-0999";
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const APPLICANT = {
  name: "Nguyễn Văn Thạch",
  honorific: "Ông",
  address: "Số 12 đường Trưng Nữ Vương, phường Tân Ninh",
  phone: "0912345678",
  email: "thach.nguyen@example.vn",
  consent: { sms: true, email: true },
};
const RIGHT = "5678";
const NEW_APPOINTMENT = "2026-11-26T14:00:00+07:00";
const APOLOGY_REASON = "Phải xác minh thêm thông tin khai sinh tại UBND phường Tân Ninh.";

const received = (code: string, workingDays: number, at?: string) =>
  receivedEvent(code, {
    workingDays,
    at,
    channel: "in-person",
    applicant: APPLICANT,
    handler: { id: "cv-khang", name: "Lê Văn Khang" },
  });

/** Everything personal the events hold: none of it may reach the page, in any spelling. */
const PERSONAL = [
  APPLICANT.name,
  "Thạch",
  APPLICANT.address,
  "Trưng Nữ Vương",
  APPLICANT.phone,
  "912345678",
  "0912 345 678",
  APPLICANT.email,
  "example.vn",
  "Lê Văn Khang",
  "cv-khang",
];

/** RFC 5545 §3.1: lines folded with CRLF + one space are unfolded before they are read. */
function icsProperties(text: string): Map<string, string> {
  const unfolded = text.replace(/\r\n[ \t]/g, "");
  const properties = new Map<string, string>();
  for (const line of unfolded.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !properties.has(line.slice(0, colon)))
      properties.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return properties;
}

/** `20261126T070000Z` → epoch ms (UTC form only: a floating or zoned time fails the test). */
function icsUtc(value: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? "");
  if (!m) throw new Error(`not a UTC date-time: ${value}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

describe.skipIf(!hasChromium)("Tra cứu hồ sơ in headless Chromium", () => {
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

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock("2026-11-20T08:00:00+07:00"),
      demo: "people",
      timers: false,
      controls: true,
    });
    // Friday 20/11 08:00; one working day is due Monday 23/11 08:00, four days Friday 27/11.
    await post("/events", [
      received(APOLOGISED, 1),
      received(PLAIN, 4),
      received(GUESSED, 4),
      received(LATE, 1, "2026-11-18T08:00:00+07:00"),
      received(SUPPLEMENT, 4),
    ]);
    await post("/events", {
      id: `${SUPPLEMENT}#supplement-requested`,
      type: "supplement-requested",
      dossierCode: SUPPLEMENT,
      occurredAt: "2026-11-20T09:00:00+07:00",
      reason: "Thiếu giấy tờ chứng minh nơi sinh.",
      documents: DOCUMENTS,
    });
    await post("/events", {
      id: `${APOLOGISED}#apology-issued`,
      type: "apology-issued",
      dossierCode: APOLOGISED,
      occurredAt: "2026-11-20T10:00:00+07:00",
      reason: APOLOGY_REASON,
      responsibleUnit: UNIT,
      newAppointment: NEW_APPOINTMENT,
      letterNumber: "15/TXL-TTPVHCC",
    });
    await post("/_local/advance", { ms: 3 * 60 * 60_000 }); // Friday 11:00
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const open = async (viewport: typeof DESKTOP, mobile = false) => {
    const page = await browser.newPage({ viewport, isMobile: mobile, hasTouch: mobile });
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") blocked.push(message.text());
    });
    await page.goto(`${stack.url}/tra-cuu`);
    expect(page.url()).toBe(`${stack.url}/dashboard/tra-cuu.html`);
    await expect.poll(() => page.getByRole("button", { name: "Tra cứu" }).count()).toBe(1);
    return { page, blocked };
  };
  const codeField = (page: Page) => page.getByRole("textbox", { name: "Mã hồ sơ", exact: true });
  const last4Field = (page: Page) =>
    page.getByRole("textbox", { name: "4 số cuối điện thoại đã đăng ký", exact: true });
  const lookUp = async (page: Page, code: string, last4: string) => {
    await codeField(page).fill(code);
    await last4Field(page).fill(last4);
    await page.getByRole("button", { name: "Tra cứu" }).click();
  };
  const result = (page: Page) => page.getByRole("region", { name: /^Hồ sơ / });
  const alert = (page: Page) => page.getByRole("alert");
  /** All the page says, including what only assistive technology or the markup carries. */
  const everything = (page: Page) =>
    page.evaluate(() => `${document.body.innerText}\n${document.documentElement.outerHTML}`);
  const noSidewaysScroll = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      page.viewportSize()!.width,
    );

  for (const [name, viewport, mobile] of [
    ["desktop", DESKTOP, false],
    ["phone", PHONE, true],
  ] as const) {
    it(`shows the status, the appointment and the apology in Vietnamese, and nothing personal (${name})`, async () => {
      const { page, blocked } = await open(viewport, mobile);
      await page.screenshot({ path: `${ARTIFACTS}/lookup-form-${name}.png`, fullPage: true });

      await lookUp(page, APOLOGISED, RIGHT);
      const view = result(page);
      await expect.poll(() => view.count()).toBe(1);
      expect(await view.getByRole("heading", { level: 2 }).textContent()).toBe(`Hồ sơ ${APOLOGISED}`);
      expect(await view.getByRole("status").textContent()).toBe("Đang giải quyết");
      const facts = await view.textContent();
      expect(facts).toContain("Đăng ký khai sinh");
      expect(facts).toContain(AGENCY.name);
      // The appointment that holds now is the apology's: 14:00 Thursday 26/11, the zone's clock.
      expect(facts).toMatch(/Ngày hẹn trả kết quả\s*14:00, thứ năm 26\/11\/2026/i);
      expect(facts).toContain(`Lý do chậm: ${APOLOGY_REASON}`);
      expect(facts).toContain(`Đơn vị chịu trách nhiệm: ${UNIT.name}`);
      expect(facts).toMatch(/Ngày hẹn trả mới: 14:00, thứ năm 26\/11\/2026/i);
      expect(facts).toContain("15/TXL-TTPVHCC");
      // The letter's date is a date, as on the letter.
      expect(facts).toContain("Thư xin lỗi số 15/TXL-TTPVHCC ngày 20/11/2026");
      // The history: what each appointment was, when it was given, and which one holds now.
      const history = await view.getByRole("listitem").allTextContents();
      expect(history).toEqual([
        "Ngày hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả: 08:00, Thứ Hai 23/11/2026 (thông báo ngày 20/11/2026; đã thay bằng ngày hẹn sau)",
        "Hẹn lại kèm Thư xin lỗi: 14:00, Thứ Năm 26/11/2026 (thông báo ngày 20/11/2026; đang áp dụng)",
      ]);
      // Laid out as a citizen reads it: the answer apart from the form, no empty space where
      // no error is, and on a wide screen a form as wide as a form (not 1300 pixels of field).
      const formBox = (await page.getByRole("region", { name: /Nhập thông tin/ }).boundingBox())!;
      const viewBox = (await view.boundingBox())!;
      expect(viewBox.y - (formBox.y + formBox.height)).toBeGreaterThanOrEqual(12);
      expect((await alert(page).boundingBox())?.height ?? 0).toBe(0);
      expect((await last4Field(page).boundingBox())!.width).toBeLessThanOrEqual(680);
      // The page is in Vietnamese and carries nothing of the applicant's or the staff's.
      expect(await page.getAttribute("html", "lang")).toBe("vi");
      const text = await everything(page);
      for (const personal of PERSONAL) expect(text, personal).not.toContain(personal);
      // The digits the applicant typed stay in the field; they are not echoed into the page.
      expect(await page.evaluate(() => document.body.innerText)).not.toContain(RIGHT);
      await noSidewaysScroll(page);
      await page.screenshot({ path: `${ARTIFACTS}/lookup-apology-${name}.png`, fullPage: true });

      // Another dossier from the same form: the answer replaces the first one.
      await lookUp(page, PLAIN, RIGHT);
      await expect.poll(() => view.getByRole("heading", { level: 2 }).textContent()).toBe(`Hồ sơ ${PLAIN}`);
      expect(await result(page).count()).toBe(1);
      const plain = await view.textContent();
      expect(plain).toMatch(/Ngày hẹn trả kết quả\s*08:00, thứ sáu 27\/11\/2026/i);
      expect(plain).not.toContain("Thư xin lỗi");
      expect(plain).not.toContain("Lịch sử ngày hẹn");
      expect(blocked).toEqual([]);
      await page.close();
    });
  }

  it("tells the applicant their dossier is past its appointment, or what to bring (phone)", async () => {
    const { page } = await open(PHONE, true);
    await lookUp(page, LATE, RIGHT);
    const view = result(page);
    await expect.poll(() => view.count()).toBe(1);
    expect(await view.getByRole("status").textContent()).toBe("Đang giải quyết, đã quá ngày hẹn trả");
    expect(await view.textContent()).toMatch(/Ngày hẹn trả kết quả\s*08:00, thứ năm 19\/11\/2026/i);
    // A date already past is no calendar entry.
    expect(await view.getByRole("button", { name: "Thêm ngày hẹn vào lịch" }).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/lookup-overdue-phone.png`, fullPage: true });

    await lookUp(page, SUPPLEMENT, RIGHT);
    await expect
      .poll(() => view.getByRole("heading", { level: 2 }).textContent())
      .toBe(`Hồ sơ ${SUPPLEMENT}`);
    expect(await view.getByRole("status").textContent()).toBe("Chờ bổ sung hồ sơ");
    const asked = view.locator(".lookup-note");
    expect(await asked.getByRole("heading").textContent()).toBe("Hồ sơ cần bổ sung");
    expect(await asked.textContent()).toContain("Thiếu giấy tờ chứng minh nơi sinh.");
    expect(await asked.getByRole("listitem").allTextContents()).toEqual(DOCUMENTS);
    // The appointment will be given again once the documents are in: no date to put in a calendar.
    expect(await view.textContent()).toMatch(
      /Ngày hẹn trả kết quả\s*08:00, thứ sáu 27\/11\/2026 \(sẽ được hẹn lại sau khi nhận đủ hồ sơ bổ sung\)/i,
    );
    expect(await view.getByRole("button", { name: "Thêm ngày hẹn vào lịch" }).count()).toBe(0);
    const text = await everything(page);
    for (const personal of PERSONAL) expect(text, personal).not.toContain(personal);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${ARTIFACTS}/lookup-supplement-phone.png`, fullPage: true });
    await page.close();
  });

  it("answers a wrong last four and an unknown code alike, then refuses the code after 5 failures (phone)", async () => {
    const { page } = await open(PHONE, true);
    await lookUp(page, GUESSED, "0000");
    await expect.poll(() => alert(page).textContent()).toMatch(/^Không tìm thấy hồ sơ/);
    const wrongDigits = await alert(page).textContent();
    expect(await result(page).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/lookup-not-found-phone.png`, fullPage: true });

    await lookUp(page, UNKNOWN, RIGHT);
    await expect.poll(() => page.getByRole("button", { name: "Tra cứu" }).isEnabled()).toBe(true);
    expect(await alert(page).textContent()).toBe(wrongDigits);
    expect(await result(page).count()).toBe(0);

    // Four more wrong guesses make five failures for the code: the right digits are refused too.
    for (const guess of ["1111", "2222", "3333", "4444"]) {
      await lookUp(page, GUESSED, guess);
      await expect.poll(() => page.getByRole("button", { name: "Tra cứu" }).isEnabled()).toBe(true);
      expect(await alert(page).textContent()).toBe(wrongDigits);
    }
    await lookUp(page, GUESSED, RIGHT);
    await expect.poll(() => alert(page).textContent()).toMatch(/quá nhiều lần/);
    expect(await alert(page).textContent()).toMatch(
      /^Bạn đã tra cứu quá nhiều lần\. Vui lòng thử lại sau \d+ phút hoặc liên hệ Bộ phận Tiếp nhận và Trả kết quả\.$/,
    );
    expect(await result(page).count()).toBe(0);
    await noSidewaysScroll(page);
    await page.screenshot({ path: `${ARTIFACTS}/lookup-rate-limited-phone.png`, fullPage: true });

    // A malformed code says so, and reads nothing.
    await lookUp(page, "không phải mã", RIGHT);
    await expect.poll(() => alert(page).textContent()).toMatch(/chưa đúng định dạng/);
    await page.close();
  });

  it("is used with the keyboard alone, and adds the appointment to the calendar as an .ics in UTC", async () => {
    const { page } = await open(PHONE, true);
    // Every input has an accessible name (its <label>), not only a placeholder.
    const unlabelled = await page
      .locator("input, select, textarea")
      .evaluateAll((controls) =>
        controls.filter((c) => (c as HTMLInputElement).labels?.length === 0).map((c) => c.outerHTML),
      );
    expect(unlabelled).toEqual([]);
    expect(await codeField(page).count()).toBe(1);
    expect(await last4Field(page).count()).toBe(1);
    // A phone keyboard offers what each field takes: capitals for the code, digits for the four.
    expect(await codeField(page).getAttribute("autocapitalize")).toBe("characters");
    expect(await last4Field(page).getAttribute("inputmode")).toBe("numeric");

    const focused = () => page.evaluate(() => document.activeElement?.id ?? "");
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("code");
    await page.keyboard.type(APOLOGISED);
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("phoneLast4");
    await page.keyboard.type(RIGHT);
    await page.keyboard.press("Enter");
    const view = result(page);
    await expect.poll(() => view.count()).toBe(1);
    // The answer takes the focus, so a screen reader reads it next.
    expect(await focused()).toBe("ket-qua-tieu-de");

    // Tab on to "Thêm ngày hẹn vào lịch" and press Enter: the browser downloads the .ics.
    const add = page.getByRole("button", { name: "Thêm ngày hẹn vào lịch" });
    for (let i = 0; i < 10 && (await add.evaluate((b) => b !== document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    expect(await focused()).toBe("them-vao-lich");
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    expect(download.suggestedFilename()).toBe(`hen-tra-${APOLOGISED}.ics`);
    const ics = await readFile((await download.path())!, "utf8");
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    const properties = icsProperties(ics);
    // The appointment that holds now (the apology's 14:00 in Tây Ninh) is 07:00 UTC.
    expect(properties.get("DTSTART")).toBe("20261126T070000Z");
    expect(icsUtc(properties.get("DTSTART"))).toBe(Date.parse(NEW_APPOINTMENT));
    expect(properties.get("SUMMARY")).toBe(`Nhận kết quả hồ sơ ${APOLOGISED}`);
    expect(properties.get("LOCATION")).toBe(AGENCY.name);
    for (const personal of PERSONAL) expect(ics, personal).not.toContain(personal);
    await page.screenshot({ path: `${ARTIFACTS}/lookup-keyboard-phone.png`, fullPage: true });
    await page.close();
  });
});
