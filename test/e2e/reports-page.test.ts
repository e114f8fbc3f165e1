import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn as signInAt } from "../support/browser.ts";
import {
  BIRTH_REGISTRATION as BIRTH,
  BUILDING_DESK as BUILDING,
  JUSTICE_DESK as JUSTICE,
  receivedEvent,
} from "./support/events.ts";

/**
 * The dashboard's reports page in a real headless Chromium against its own local stack: a leader
 * changes the period and the breakdown, downloads the live report as CSV and as Excel, and the
 * files hold the figures the JSON report gives. Skipped where Debian's chromium is not installed.
 */
const LAND = { code: "1.004227", name: "Đăng ký biến động quyền sử dụng đất", field: "Đất đai" };
/** Not in the catalogue the test stores: its dossiers are on the unknown-field line. */
const UNLISTED = { code: "2.002154", name: "Cấp phép xây dựng nhà ở riêng lẻ", field: "Xây dựng" };
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
type Json = any;
/** A page reads several reports before it shows: on a busy machine that takes more than a second. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const received = (
  code: string,
  at: string,
  procedure: { code: string; name: string; field: string },
  workingDays: number,
  unit: { id: string; name: string },
  handler: string,
  channel: "online" | "in-person",
) =>
  receivedEvent(code, {
    workingDays,
    at,
    procedure,
    unit,
    handler,
    channel,
    applicant: {
      name: "Nguyễn Văn Tư",
      honorific: "Ông",
      phone: "0900001234",
      consent: { sms: false, email: false },
    },
  });

const resultReady = (code: string, at: string) => ({
  id: `${code}#result-ready`,
  type: "result-ready",
  dossierCode: code,
  occurredAt: at,
});

describe.skipIf(!hasChromium)("the reports page in headless Chromium", () => {
  let stack: LocalStack;
  let browser: Browser;
  const signIn = (page: Page, account: string) => signInAt(page, stack.url, account);
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}, method = "POST") => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock("2026-11-20T10:00:00+07:00"),
      demo: "people",
      timers: false,
      controls: true,
    });
    const login = await fetch(`${stack.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ account: "admin" }),
    });
    const admin = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const limit = { amount: 5, unit: "working-days" };
    await post(
      "/catalogue",
      [
        { ...BIRTH, timeLimit: limit },
        { ...LAND, timeLimit: limit },
      ],
      admin,
      "PUT",
    );
    // October: one early (justice desk), one late (building desk, finished 03/11). November: one
    // early, one overdue at the end of the month (not in the catalogue), one open in time.
    await post("/events", [
      received(
        "000.00.11.H42-261005-0901",
        "2026-10-05T08:00:00+07:00",
        BIRTH,
        5,
        JUSTICE,
        "cv-khang",
        "online",
      ),
      received(
        "000.00.15.H42-261020-0902",
        "2026-10-20T09:00:00+07:00",
        LAND,
        2,
        BUILDING,
        "cv-phuc",
        "in-person",
      ),
      received(
        "000.00.11.H42-261102-0903",
        "2026-11-02T08:00:00+07:00",
        BIRTH,
        5,
        JUSTICE,
        "cv-khang",
        "online",
      ),
      received(
        "000.00.15.H42-261110-0904",
        "2026-11-10T08:00:00+07:00",
        UNLISTED,
        3,
        BUILDING,
        "cv-phuc",
        "in-person",
      ),
      received(
        "000.00.11.H42-261118-0905",
        "2026-11-18T08:00:00+07:00",
        LAND,
        10,
        JUSTICE,
        "cv-khang",
        "online",
      ),
    ]);
    await post("/events", [
      resultReady("000.00.11.H42-261005-0901", "2026-10-06T15:00:00+07:00"),
      resultReady("000.00.15.H42-261020-0902", "2026-11-03T10:00:00+07:00"),
      resultReady("000.00.11.H42-261102-0903", "2026-11-05T16:00:00+07:00"),
    ]);
    await post("/_local/advance", { ms: 60_000 });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The JSON report as the page's signed-in user may read it. */
  const reportAs = async (page: Page, query: string): Promise<Json> => {
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem("dunghan.session"))) ?? "{}",
    );
    const response = await fetch(`${stack.url}/reports?${query}`, {
      headers: { authorization: `Bearer ${session.idToken}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const heading = (page: Page) => page.locator("#reports-title");
  /** The figures the page shows for each line (data-key), by the JSON field each reads. */
  const shown = (page: Page) =>
    page.locator(".report-table tbody tr").evaluateAll((rows) =>
      rows.map((row) => ({
        key: row.getAttribute("data-key"),
        label: row.querySelector("th")?.firstChild?.textContent,
        ...Object.fromEntries(
          [...row.querySelectorAll("td[data-figure]")].map((cell) => [
            cell.getAttribute("data-figure"),
            cell.firstChild?.textContent,
          ]),
        ),
      })),
    );
  const expected = (report: Json) =>
    [...report.lines, report.total].map((line: Json) => ({
      key: line === report.total ? "*" : line.key,
      label: line.label,
      toHandle: String(line.toHandle),
      receivedOnline: String(line.receivedOnline),
      carriedOver: String(line.carriedOver),
      resolved: String(line.resolved),
      resolvedEarly: String(line.resolvedEarly),
      resolvedOnTime: String(line.resolvedOnTime),
      resolvedLate: String(line.resolvedLate),
      onTimeRate:
        line.onTimeRate === null
          ? "—"
          : `${String(Math.round(line.onTimeRate * 1000) / 10).replace(".", ",")}%`,
      inProgressInTime: String(line.openAtEnd - line.inProgressOverdue),
      inProgressOverdue: String(line.inProgressOverdue),
    }));
  const downloadOf = async (page: Page, button: string): Promise<Download> => {
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: button }).click(),
    ]);
    return file;
  };

  it("lets a leader change the period and the breakdown, and downloads the live data as CSV and Excel", async () => {
    const page = await browser.newPage({ viewport: DESKTOP, acceptDownloads: true });
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await signIn(page, "gd-trung");

    // From the leader's page: the link to the reports, this month by unit.
    await page.getByRole("link", { name: /Xem báo cáo theo kỳ/ }).click();
    await poll(() => heading(page).textContent()).toBe("Báo cáo theo đơn vị, tháng 11/2026");
    expect(page.url()).toMatch(/#\/bao-cao$/);
    const november = await reportAs(page, "period=2026-11&by=unit");
    expect(november.lines.length).toBe(2);
    expect(await shown(page)).toEqual(expected(november));

    // Month → quarter: Q4 2026, the choice in the address bar.
    await page.getByLabel("Kỳ báo cáo").selectOption("quarter");
    await poll(() => heading(page).textContent()).toBe("Báo cáo theo đơn vị, quý 4/2026");
    expect(new URL(page.url()).hash).toBe("#/bao-cao?ky=2026-Q4&theo=don-vi");
    const quarter = await reportAs(page, "period=2026-Q4&by=unit");
    expect(quarter.total.receivedNew).toBe(5);
    await poll(() => shown(page)).toEqual(expected(quarter));
    expect(await page.getByLabel("Kỳ báo cáo").evaluate((e) => e === document.activeElement)).toBe(true);

    // Quarter → custom: the quarter's range to start from, then 15/10–20/11.
    await page.getByLabel("Kỳ báo cáo").selectOption("custom");
    await poll(() => page.getByLabel("Từ ngày").inputValue()).toBe("2026-10-01");
    expect(await page.getByLabel("Đến ngày").inputValue()).toBe("2026-12-31");
    await page.getByLabel("Từ ngày").fill("2026-10-15");
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo đơn vị, từ 15/10/2026 đến 31/12/2026");
    await page.getByLabel("Đến ngày").fill("2026-11-20");
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo đơn vị, từ 15/10/2026 đến 20/11/2026");

    // The breakdown: by lĩnh vực, the catalogue's fields, the unlisted procedure last.
    await page.getByLabel("Xem theo").selectOption("field");
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo lĩnh vực, từ 15/10/2026 đến 20/11/2026");
    expect(new URL(page.url()).hash).toBe("#/bao-cao?tu=2026-10-15&den=2026-11-20&theo=linh-vuc");
    const query = "from=2026-10-15&to=2026-11-20&by=field";
    const byField = await reportAs(page, query);
    expect(byField.lines.map((line: Json) => line.label)).toEqual([
      "Đất đai",
      "Hộ tịch",
      "(Chưa xác định lĩnh vực)",
    ]);
    await poll(() => shown(page)).toEqual(expected(byField));
    await page.screenshot({ path: `${ARTIFACTS}/reports-desktop.png`, fullPage: true });

    // A reload keeps the choice; back goes to the one before.
    await page.reload();
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo lĩnh vực, từ 15/10/2026 đến 20/11/2026");
    expect(await page.getByLabel("Xem theo").inputValue()).toBe("field");
    await page.goBack();
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo đơn vị, từ 15/10/2026 đến 20/11/2026");
    await page.goForward();
    await expect
      .poll(() => heading(page).textContent())
      .toBe("Báo cáo theo lĩnh vực, từ 15/10/2026 đến 20/11/2026");

    // CSV: the figures of the JSON report, line by line.
    const csvFile = await downloadOf(page, "Tải CSV");
    expect(csvFile.suggestedFilename()).toBe("Báo cáo theo lĩnh vực từ 15-10-2026 đến 20-11-2026.csv");
    const csv = await readFile((await csvFile.path())!, "utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = csv
      .slice(1)
      .split("\r\n")
      .filter((line) => line !== "")
      .map((line) => line.split(";"));
    const at = (name: string) => header!.indexOf(name);
    expect(rows).toHaveLength(byField.lines.length + 1);
    [...byField.lines, byField.total].forEach((line: Json, index: number) => {
      const row = rows[index]!;
      expect(row[at("Lĩnh vực")]).toBe(line.label);
      expect(Number(row[at("Tổng số phải giải quyết")])).toBe(line.toHandle);
      expect(Number(row[at("Trực tuyến")])).toBe(line.receivedOnline);
      expect(Number(row[at("Kỳ trước chuyển sang")])).toBe(line.carriedOver);
      expect(Number(row[at("Trước hạn")])).toBe(line.resolvedEarly);
      expect(Number(row[at("Đúng hạn")])).toBe(line.resolvedOnTime);
      expect(Number(row[at("Quá hạn")])).toBe(line.resolvedLate);
      expect(Number(row[at("Đang giải quyết trong hạn")])).toBe(line.inProgressOnTime);
      expect(Number(row[at("Đang giải quyết quá hạn")])).toBe(line.inProgressOverdue);
      const rate = row[at("Tỷ lệ đúng hạn (%)")]!;
      expect(rate === "" ? null : Number(rate.replace(",", ".")) / 100).toBe(line.onTimeRate);
    });

    // Excel: the same figures, numbers as numbers, the rate as a percentage.
    const xlsxFile = await downloadOf(page, "Tải Excel");
    expect(xlsxFile.suggestedFilename()).toBe("Báo cáo theo lĩnh vực từ 15-10-2026 đến 20-11-2026.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile((await xlsxFile.path())!)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Theo lĩnh vực")!;
    expect(String(sheet.getCell("A2").value)).toContain("Từ ngày 15/10/2026 đến ngày 20/11/2026");
    const columns = (sheet.getRow(4).values as unknown[]).slice(1);
    expect(columns).toEqual(header!.map((text) => text.replace(/ \(%\)$/, "")));
    const cellOf = (row: number, name: string) => sheet.getRow(row).getCell(columns.indexOf(name) + 1);
    [...byField.lines, byField.total].forEach((line: Json, index: number) => {
      const row = 5 + index;
      expect(cellOf(row, "Lĩnh vực").value).toBe(line.label);
      expect(cellOf(row, "Tổng số phải giải quyết").value).toBe(line.toHandle);
      expect(cellOf(row, "Trước hạn").value).toBe(line.resolvedEarly);
      expect(cellOf(row, "Quá hạn").value).toBe(line.resolvedLate);
      expect(cellOf(row, "Đang giải quyết quá hạn").value).toBe(line.inProgressOverdue);
      expect(cellOf(row, "Tỷ lệ đúng hạn").value ?? null).toBe(line.onTimeRate);
    });
    expect(cellOf(5 + byField.lines.length, "Tỷ lệ đúng hạn").numFmt).toBe("0.0%");
    expect(blocked).toEqual([]);
  });

  it("says which weeks of the 8-week chart had no dossier resolved", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, "gd-trung");
    const chart = page.getByRole("img", { name: /Tỷ lệ đúng hạn theo tuần/ });
    await poll(() => chart.count()).toBe(1);
    // Resolved: 06/10 (week to 09/10), 03/11 and 05/11 (week to 06/11); the six other weeks none.
    const name = (await chart.getAttribute("aria-label"))!;
    expect(name.match(/không có hồ sơ giải quyết/g)).toHaveLength(6);
    expect(name).toContain("tuần đến 06/11/2026: 50% (2 hồ sơ)");
    expect(name).toContain("tuần đến 09/10/2026: 100% (1 hồ sơ)");
    expect(await chart.locator(".no-data").count()).toBe(6);
    const note = page.getByRole("region", { name: "Tỷ lệ đúng hạn 8 tuần gần đây" }).locator(".no-data-note");
    expect(await note.textContent()).toContain("không có hồ sơ giải quyết");
    expect(await note.textContent()).toContain("02/10, 16/10, 23/10, 30/10, 13/11, 20/11");
    await page
      .getByRole("region", { name: "Tỷ lệ đúng hạn 8 tuần gần đây" })
      .screenshot({ path: `${ARTIFACTS}/reports-chart.png` });
    await page.screenshot({ path: `${ARTIFACTS}/reports-leader-page.png`, fullPage: true });
  });

  it("fits a phone: the table scrolls inside its box, the labels stay in view", async () => {
    const page = await browser.newPage({ viewport: PHONE, isMobile: true, acceptDownloads: true });
    await signIn(page, "gd-trung");
    await page.goto(`${stack.url}/dashboard/#/bao-cao?ky=2026-Q4&theo=thu-tuc`);
    await poll(() => heading(page).textContent()).toBe("Báo cáo theo thủ tục, quý 4/2026");
    const byProcedure = await reportAs(page, "period=2026-Q4&by=procedure");
    await poll(() => shown(page)).toEqual(expected(byProcedure));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // Scrolled sideways, the first column (the procedure) stays where it was.
    const box = page.locator(".report-scroll");
    const label = page.locator(".report-table tbody tr").first().locator("th");
    const before = (await label.boundingBox())!;
    expect(await box.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    await box.evaluate((e) => {
      e.scrollLeft = 200;
    });
    await poll(async () => (await label.boundingBox())!.x).toBe(before.x);
    for (const button of ["Tải CSV", "Tải Excel"]) {
      expect((await page.getByRole("button", { name: button }).boundingBox())!.height).toBeGreaterThanOrEqual(
        40,
      );
    }
    await box.evaluate((e) => {
      e.scrollLeft = 0;
    });
    await page.screenshot({ path: `${ARTIFACTS}/reports-phone.png`, fullPage: true });
    const file = await downloadOf(page, "Tải Excel");
    expect(file.suggestedFilename()).toBe("Báo cáo theo thủ tục quý 4-2026.xlsx");
  });
});
