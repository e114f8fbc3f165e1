import type { Browser, CDPSession, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardContentSecurityPolicy } from "../../../dashboard/page.ts";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { buildApologyLetter } from "../../../shared/letters/apology/index.ts";
import { renderApologyLetterHtml } from "../../../shared/letters/render/index.ts";
import { ARTIFACTS, hasChromium, launchChromium } from "../../support/browser.ts";
import { anApologyLetterInput } from "./builders.ts";

/**
 * The letter's typeface in real Chromium: every glyph of every text node is drawn by the font the
 * letter ships (CSS.getPlatformFontsForNode over the DevTools protocol), opened on its own (as the
 * letter route and the stored blob serve it) and inside the dashboard's sandboxed preview frame under
 * the dashboard's Content-Security-Policy. Before/after screenshots go to test-artifacts/.
 */
const LETTER = renderApologyLetterHtml(buildApologyLetter(anApologyLetterInput()), letterFontFiles);
/** The letter as it was styled before it carried its font: the system's Times New Roman, or its stand-in. */
const UNSHIPPED = LETTER.replace(/@font-face \{[^}]*\}\n/g, "").replace(
  'font-family: Tinos, "Times New Roman", Times, "Liberation Serif", serif;',
  'font-family: "Times New Roman", Times, serif;',
);
/** Every Vietnamese letter with every tone, both cases, in each of the four faces the letter uses. */
function alphabetSheet(): string {
  const bases = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
  const tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"];
  const vowels = bases.flatMap((base) => tones.map((tone) => `${base}${tone}`.normalize("NFC"))).join("");
  const line = `${vowels} bcdđghklmnpqrstvx ${vowels.toUpperCase()} BCDĐGHKLMNPQRSTVX 0123456789 ₫ “” – …`;
  const styles = ["", "font-style:italic", "font-weight:bold", "font-weight:bold;font-style:italic"];
  return LETTER.replace(
    /<article[\s\S]*<\/article>/,
    `<article class="alphabet">${styles.map((style) => `<p style="${style}">${line}</p>`).join("")}</article>`,
  ).replace(/<style>/, "<style>\n.alphabet p { margin: 0 0 4pt; }\n");
}

/** Runs in the page: resolves once its fonts are loaded (this tsconfig has no DOM library). */
const FONTS_READY = "document.fonts.ready.then(() => true)";

interface FontUse {
  readonly text: string;
  readonly fonts: readonly { familyName: string; isCustomFont: boolean; glyphCount: number }[];
}
interface DomNode {
  nodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue?: string;
  children?: DomNode[];
  contentDocument?: DomNode;
}

/**
 * The platform fonts Chromium drew each element's own text with, in a page or a frame (a sandboxed
 * frame runs in its own renderer: it gets its own DevTools session).
 */
async function fontsOfText(target: Page | Frame): Promise<FontUse[]> {
  const page = "page" in target ? target.page() : target;
  const cdp: CDPSession = await page.context().newCDPSession(target);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = (await cdp.send("DOM.getDocument", { depth: -1, pierce: true })) as { root: DomNode };
  const elements: { nodeId: number; text: string }[] = [];
  const walk = (node: DomNode) => {
    const text = (node.children ?? [])
      .filter((child) => child.nodeType === 3)
      .map((child) => child.nodeValue ?? "")
      .join("")
      .trim();
    if (text && !["STYLE", "TITLE", "SCRIPT"].includes(node.nodeName))
      elements.push({ nodeId: node.nodeId, text });
    for (const child of node.children ?? []) walk(child);
    if (node.contentDocument) walk(node.contentDocument);
  };
  walk(root);
  const uses: FontUse[] = [];
  for (const { nodeId, text } of elements) {
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    uses.push({ text, fonts });
  }
  await cdp.detach();
  return uses;
}

const notTinos = (uses: readonly FontUse[]) =>
  uses.flatMap(({ text, fonts }) =>
    fonts
      .filter((font) => !(font.familyName === "Tinos" && font.isCustomFont))
      .map((font) => `${font.familyName} (${font.glyphCount} glyphs) in "${text.slice(0, 40)}"`),
  );
const families = (uses: readonly FontUse[]) =>
  [...new Set(uses.flatMap(({ fonts }) => fonts.map((font) => font.familyName)))].sort();

describe.skipIf(!hasChromium)("the letter's typeface in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (html: string) => {
    const page = await browser.newPage({ viewport: { width: 560, height: 820 }, deviceScaleFactor: 2 });
    await page.setContent(html);
    await page.evaluate(FONTS_READY);
    return page;
  };

  it("draws every glyph of the letter with the shipped Tinos, not the machine's fonts", async () => {
    const before = await open(UNSHIPPED);
    const beforeUses = await fontsOfText(before);
    await before.screenshot({ path: `${ARTIFACTS}/letter-font-before.png`, fullPage: true });
    await before.close();

    const after = await open(LETTER);
    const uses = await fontsOfText(after);
    await after.screenshot({ path: `${ARTIFACTS}/letter-font-after.png`, fullPage: true });
    await after.close();

    expect(uses.some(({ text }) => text === "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")).toBe(true);
    expect(notTinos(uses)).toEqual([]);
    expect(families(uses)).toEqual(["Tinos"]);
    // What the fix is for: without its own font the letter is drawn by the machine's, never Tinos.
    expect(families(beforeUses)).not.toContain("Tinos");
  });

  it("has every Vietnamese letter, every tone, in regular, italic, bold and bold italic", async () => {
    const before = await open(
      alphabetSheet()
        .replace(/@font-face \{[^}]*\}\n/g, "")
        .replace("Tinos, ", ""),
    );
    await before.screenshot({ path: `${ARTIFACTS}/letter-font-alphabet-before.png`, fullPage: true });
    await before.close();
    const page = await open(alphabetSheet());
    const uses = await fontsOfText(page);
    await page.screenshot({ path: `${ARTIFACTS}/letter-font-alphabet.png`, fullPage: true });
    await page.close();
    expect(uses).toHaveLength(4);
    expect(notTinos(uses)).toEqual([]);
  });

  it("keeps its font in the dashboard's sandboxed preview, under the dashboard's CSP", async () => {
    const page = await browser.newPage({ viewport: { width: 560, height: 820 } });
    const blocked: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const srcdoc = LETTER.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    await page.route("http://dashboard.test/", (route) =>
      route.fulfill({
        status: 200,
        headers: {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy": dashboardContentSecurityPolicy(letterFontFiles),
        },
        body: `<!DOCTYPE html><html lang="vi"><body><iframe sandbox="" title="letter" width="540" height="800" srcdoc="${srcdoc}"></iframe></body></html>`,
      }),
    );
    await page.goto("http://dashboard.test/");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    await frame.waitForSelector("article.apology-letter");
    await frame.evaluate(FONTS_READY);
    const uses = await fontsOfText(frame);
    await page.screenshot({ path: `${ARTIFACTS}/letter-font-preview.png` });
    await page.close();
    expect(uses.some(({ text }) => text === "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")).toBe(true);
    expect(notTinos(uses)).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
