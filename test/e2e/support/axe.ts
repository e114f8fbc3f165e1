import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

/**
 * An automated accessibility check in the browser: axe-core run inside a playwright page, its
 * WCAG 2.0/2.1 level A and AA rules only, the violations returned (empty when the page passes).
 * axe is evaluated over the DevTools protocol, which the pages' Content-Security-Policy does not
 * govern, so the pages are checked under the policy they ship with. Frames are not entered (the
 * letter preview is a sandboxed frame the letter's own tests check).
 */
export const WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] as const;

export interface AxeViolation {
  /** axe's rule id: `label`, `color-contrast`, `landmark-one-main`, … */
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** A CSS selector per element that breaks the rule. */
  readonly targets: readonly string[];
}

let source: Promise<string> | undefined;

function axeSource(): Promise<string> {
  source ??= readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return source;
}

/** The page's WCAG 2 A/AA violations, or those inside `include` (a selector) only. */
export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => "axe" in window);
  if (!hasAxe) await page.evaluate(await axeSource());
  return page.evaluate(
    async ({ tags, include }) => {
      // biome-ignore lint/suspicious/noExplicitAny: axe is a global of the page once evaluated.
      const axe = (window as any).axe;
      const result = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: "tag", values: tags },
        iframes: false,
        resultTypes: ["violations"],
      });
      return result.violations.map(
        (v: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((node) => node.target.map(String).join(" ")),
        }),
      );
    },
    { tags: [...WCAG_AA_TAGS], include },
  );
}

/** One line per violation, for an assertion's message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(", ")}`).join("\n");
}
