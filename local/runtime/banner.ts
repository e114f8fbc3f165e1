/**
 * What `npm start` prints once the stack is up: where everything is, the demo's counts and the
 * dossier codes the walkthrough (docs/demo.md) points at, and any warning about the start. Pure, so
 * the walkthrough can be checked against it (test/unit/local/demo-doc.test.ts).
 */
import type { DemoSummary } from "../demo/generate.ts";

export interface BannerInput {
  readonly url: string;
  /** The clock at start, ISO with +07:00. */
  readonly clock: string;
  readonly speed: number;
  readonly readySeconds: string;
  /** The demo province in the data folder (loaded now or by an earlier start), if any. */
  readonly demo: DemoSummary | undefined;
  readonly warnings: readonly string[];
}

/** The demo's counts at the instant it was generated for, one line. */
export function demoCountsLine(summary: DemoSummary): string {
  const { open, finished, closed } = summary;
  return [
    `${summary.dossiers} dossiers, ${summary.events} events`,
    `open ${open.total} (${open.trongHan} trong hạn, ${open.sapDenHan} sắp đến hạn, ${open.quaHan} quá hạn, ${open.awaitingSupplement} awaiting a supplement, ${open.paused} paused)`,
    `finished ${finished.total} (${finished.truocHan} trước hạn, ${finished.dungHan} đúng hạn, ${finished.quaHan} quá hạn; ${finished.returned} returned)`,
    `closed ${closed.rejected + closed.withdrawn + closed.stopped}`,
    `${summary.lienThong} liên thông`,
    `${summary.acrossHolidays} spanning a holiday`,
    `${summary.dueInProvisionalYear} due in a provisional year`,
  ].join("; ");
}

/** The "Look at" lines: every highlight category of the walkthrough, labelled as docs/demo.md names it. */
export function highlightLines(summary: DemoSummary): string[] {
  const h = summary.highlights;
  const rows: [string, string][] = [
    ["heading for late", h.headingForLate.join(", ")],
    ["apology owed today", h.apologyDutyToday.join(", ")],
    ["overdue", h.overdue.join(", ")],
    ["apology issued", h.apologyIssued],
    ["awaiting a supplement", h.awaitingSupplement.join(", ")],
    ["paused", h.paused.join(", ")],
    ["90 days, due after Tết", h.longLimit.join(", ")],
  ];
  return rows.map(([label, codes]) => `${label}: ${codes}`);
}

export function startBanner(input: BannerInput): string {
  const { url, demo } = input;
  const [first, ...rest] = demo ? highlightLines(demo) : [];
  return [
    "",
    ...input.warnings.flatMap((warning) => [warning, ""]),
    `dunghan is running (ready in ${input.readySeconds} s) — clock ${input.clock}, speed ×${input.speed}`,
    `  API            ${url}            (health: ${url}/health)`,
    `  Dashboard      ${url}/dashboard  (sign in: pick a demo account)`,
    `  Outbox         ${url}/outbox     (SMS and e-mail sent)`,
    `  Mail inbox     ${url}/inbox`,
    `  Demo accounts  ${url}/           (log in: curl -X POST ${url}/login -d account=ID)`,
    ...(demo
      ? [
          `  Demo province  generated for ${demo.now}: ${demoCountsLine(demo)}`,
          `  Look at        ${first}`,
          ...rest.map((line) => `                 ${line}`),
          "                 (walkthrough: docs/demo.md)",
        ]
      : []),
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}
