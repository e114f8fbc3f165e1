import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { APOLOGY_REASON_MAX_EM, buildApologyLetter } from "../../../shared/letters/apology/index.ts";
import {
  renderApologyLetterDocx,
  renderApologyLetterHtml,
  textWidthEm,
} from "../../../shared/letters/render/index.ts";
import { hasChromium, launchChromium } from "../../support/browser.ts";
import { anApologyLetterInput, LONG_REASON } from "./builders.ts";

/**
 * The apology letter as a leader prints it: ONE A5 page, with the longest realistic values
 * (builders.ts), in both templates — the HTML through Chromium's print engine, the DOCX through
 * LibreOffice (what many one-stop desks use instead of Word). Each part is skipped where its
 * program is not installed; .ci/run installs both.
 */
const SOFFICE = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((path) => existsSync(path));
const TT03 = anApologyLetterInput();
const TT01 = anApologyLetterInput({
  issueDate: "2025-06-02T09:00:00+07:00",
  receivedAt: "2025-05-20T09:00:00+07:00",
  originalAppointment: "2025-06-03T09:00:00+07:00",
  newAppointment: "2025-06-05T09:00:00+07:00",
});

/** The longest reason the letters accept (APOLOGY_REASON_MAX_EM), cut at a word from `text`. */
function widestReason(text: string): string {
  let reason = "";
  for (const word of text.split(" ")) {
    const next = reason ? `${reason} ${word}` : word;
    if (textWidthEm(next) > APOLOGY_REASON_MAX_EM) break;
    reason = next;
  }
  return reason;
}
const WIDEST = {
  ordinary: widestReason(`${LONG_REASON} của người sử dụng đất và chờ kết quả đo đạc lại ranh giới thửa đất`),
  capitals: widestReason(
    "CHỜ Ý KIẾN THẨM ĐỊNH CỦA SỞ TÀI CHÍNH, SỞ XÂY DỰNG VÀ UBND HUYỆN VỀ GIÁ ĐẤT CỤ THỂ, MỨC THU TIỀN SỬ DỤNG ĐẤT MỚI",
  ),
  "M and W": widestReason(Array.from({ length: 20 }, (_, i) => (i % 2 ? "Wwwwwwww" : "Mmmmmmmm")).join(" ")),
};
/** Both templates with each widest accepted reason (a long reason must not spill silently). */
const AT_THE_LIMIT = Object.entries(WIDEST).flatMap(([name, reason]) => [
  [`TT 03/2025, widest ${name} reason`, { ...TT03, reason }] as const,
  [`TT 01/2018, widest ${name} reason`, { ...TT01, reason }] as const,
]);

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). */
const pageCount = (pdf: Buffer): number =>
  pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
/** MediaBox of the first page, in points: A5 is 419.5 × 595.3. */
const mediaBox = (pdf: Buffer): number[] =>
  (/\/MediaBox\s*\[\s*([\d.\s-]+)\]/.exec(pdf.toString("latin1"))?.[1] ?? "").trim().split(/\s+/).map(Number);

describe.skipIf(!hasChromium)("the HTML letter printed by Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([["TT 03/2025", TT03] as const, ["TT 01/2018", TT01] as const, ...AT_THE_LIMIT])(
    "fits one A5 page (%s)",
    async (_, input) => {
      const page = await browser.newPage();
      await page.setContent(renderApologyLetterHtml(buildApologyLetter(input), letterFontFiles));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await page.close();
      expect(pageCount(pdf)).toBe(1);
      const [, , width, height] = mediaBox(pdf);
      expect(Math.round(width!)).toBe(420);
      expect(Math.round(height!)).toBe(595);
    },
  );
});

describe.skipIf(SOFFICE === undefined)("the DOCX letter printed by LibreOffice", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dunghan-print-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["tt03", TT03] as const,
    ["tt01", TT01] as const,
    ...AT_THE_LIMIT.map(([name, input]) => [name.replace(/\W+/g, "-"), input] as const),
  ])(
    "fits one A5 page (%s)",
    async (name, input) => {
      const docx = join(dir, `${name}.docx`);
      await writeFile(docx, await renderApologyLetterDocx(buildApologyLetter(input)));
      await promisify(execFile)(
        SOFFICE!,
        [
          `-env:UserInstallation=file://${dir}/profile`,
          "--headless",
          "--convert-to",
          "pdf",
          "--outdir",
          dir,
          docx,
        ],
        { timeout: 120_000 },
      );
      const pdf = await readFile(join(dir, `${name}.pdf`));
      expect(pageCount(pdf)).toBe(1);
      const [, , width, height] = mediaBox(pdf);
      expect(Math.round(width!)).toBe(420);
      expect(Math.round(height!)).toBe(595);
    },
    180_000,
  );
});
