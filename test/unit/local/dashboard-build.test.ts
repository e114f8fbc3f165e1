import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDashboardConfig } from "../../../dashboard/config.ts";
import {
  buildDashboard,
  type DashboardFile,
  dashboardContentSecurityPolicy,
  writeDashboard,
} from "../../../dashboard/page.ts";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { buildApologyLetter } from "../../../shared/letters/apology/index.ts";
import { renderApologyLetterHtml } from "../../../shared/letters/render/index.ts";
import { anApologyLetterInput } from "../letters/builders.ts";

const build = buildDashboard();
const dir = mkdtempSync(join(tmpdir(), "dunghan-dashboard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the dashboard build (the one both the local stack and the CDK stack use)", () => {
  it("is index.html and the lookup page, each with its script, and one style, named by their content", () => {
    expect(build.files.map((file) => file.path)).toEqual([
      "index.html",
      expect.stringMatching(/^assets\/dashboard-[0-9a-f]{12}\.js$/),
      expect.stringMatching(/^assets\/dashboard-[0-9a-f]{12}\.css$/),
      "tra-cuu.html",
      expect.stringMatching(/^assets\/tra-cuu-[0-9a-f]{12}\.js$/),
      expect.stringMatching(/^assets\/favicon-[0-9a-f]{12}\.svg$/),
    ]);
    const [index, script, style, lookup, lookupScript] = build.files as [DashboardFile, ...DashboardFile[]];
    for (const page of [index, lookup!]) {
      expect(page.immutable).toBe(false);
      expect(page.body).toContain('<html lang="vi">');
      // Relative: the same page works at / (CloudFront) and at /dashboard/ (local stack).
      expect(page.body).toContain(`"${style!.path}"`);
    }
    for (const asset of [script!, style!, lookupScript!]) expect(asset.immutable).toBe(true);
    expect(index.body).toContain(`"${script!.path}"`);
    expect(lookup!.body).toContain(`"${lookupScript!.path}"`);
    // The public page carries nothing of the signed-in dashboard's script.
    expect(lookup!.body).not.toContain(script!.path);
    expect(lookupScript!.body).not.toContain("oauth2");
  });

  it("links its SVG icon from both pages, so no browser asks for a missing /favicon.ico", () => {
    const icon = build.files.find((file) => file.path.endsWith(".svg"))!;
    expect(icon).toMatchObject({ contentType: "image/svg+xml", immutable: true });
    expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const page of ["index.html", "tra-cuu.html"]) {
      expect(build.file(page)!.body).toContain(`<link rel="icon" href="${icon.path}" type="image/svg+xml">`);
    }
  });

  it("has no inline script or style, so the CSP needs no 'unsafe-inline'", () => {
    const index = build.file("index.html")!.body;
    expect(index).not.toMatch(/<style|<script>|\sstyle=|\son[a-z]+=/);
    expect(dashboardContentSecurityPolicy(letterFontFiles)).not.toContain("unsafe");
    expect(
      dashboardContentSecurityPolicy(letterFontFiles, "https://x.auth.ap-southeast-1.amazoncognito.com"),
    ).toContain("connect-src 'self' https://x.auth.ap-southeast-1.amazoncognito.com");
  });

  it("lets the letter preview's own <style> apply, by its hash, and nothing else inline", () => {
    const html = renderApologyLetterHtml(buildApologyLetter(anApologyLetterInput()), letterFontFiles);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(styles[0]!).digest("base64");
    const styleSrc = dashboardContentSecurityPolicy(letterFontFiles)
      .split("; ")
      .find((directive) => directive.startsWith("style-src "));
    expect(styleSrc).toBe(`style-src 'self' 'sha256-${hash}'`);
    expect(html).not.toMatch(/\sstyle=|<script/);
  });

  it("is deterministic (the same sources, the same names: stable CDK asset hashes)", () => {
    expect(buildDashboard().files.map((file) => file.path)).toEqual(build.files.map((file) => file.path));
  });

  it("writes its files where CDK bundling asks", () => {
    writeDashboard(dir, build);
    expect(readdirSync(join(dir, "assets")).sort()).toHaveLength(4);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toBe(build.file("index.html")!.body);
  });
});

describe("config.json", () => {
  const valid = {
    apiBaseUrl: "/api",
    auth: {
      domain: "https://dunghan-prod.auth.ap-southeast-1.amazoncognito.com/",
      region: "ap-southeast-1",
      clientId: "abc",
      redirectUri: "https://d111.cloudfront.net/",
      scopes: ["openid", "email", "profile"],
    },
  };

  it("is read field by field", () => {
    expect(parseDashboardConfig(valid)).toEqual({
      ...valid,
      auth: { ...valid.auth, domain: "https://dunghan-prod.auth.ap-southeast-1.amazoncognito.com" },
    });
    expect(parseDashboardConfig({ ...valid, apiBaseUrl: "", clockUrl: "/health" }).clockUrl).toBe("/health");
  });

  it.each([
    [{ ...valid, auth: undefined }, /auth must be an object/],
    [{ ...valid, auth: { ...valid.auth, clientId: "" } }, /auth.clientId/],
    [{ ...valid, auth: { ...valid.auth, scopes: "openid" } }, /auth.scopes/],
    [{ ...valid, apiBaseUrl: 3 }, /apiBaseUrl/],
  ])("refuses %j", (input, message) => {
    expect(() => parseDashboardConfig(input)).toThrow(message);
  });
});
