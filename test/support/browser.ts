import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

/**
 * The browser tests' common ground: Debian's chromium driven by playwright-core (no browser
 * download; the tests are skipped where it is not installed: `apt-get install chromium`), and
 * signing in the way the dashboard does on AWS. Screenshots go to test-artifacts/ (gitignored).
 */
export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = "test-artifacts";
export const hasChromium = existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * As on AWS: the dashboard sends the browser to the OAuth server's sign-in page (Authorization
 * Code + PKCE; locally the account picker of the local stack), then back with the code redeemed.
 */
export async function signIn(page: Page, stackUrl: string, account: string): Promise<void> {
  await page.goto(`${stackUrl}/dashboard`);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/\/oauth2\/authorize\?/);
  const authorize = new URL(page.url()).searchParams;
  expect(authorize.get("code_challenge_method")).toBe("S256");
  expect(authorize.get("response_type")).toBe("code");
  await page.getByRole("button", { name: new RegExp(`\\(${account}\\)`) }).click();
  // Back on the dashboard with the code redeemed and out of the address bar.
  await page.waitForURL(`${stackUrl}/dashboard/`);
  await expect.poll(() => page.getByRole("button", { name: "Đăng xuất" }).count()).toBe(1);
}
