import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_START } from "../../local/demo/generate.ts";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { CivilCalendar, localEpochDay, parseInstant, WorkingTime } from "../../shared/calendar/index.ts";
import {
  type Dossier,
  foldDossier,
  groupByDossier,
  parseDossierEvent,
  progressAt,
} from "../../shared/dossier/index.ts";
import { ARTIFACTS, hasChromium, launchChromium, signIn } from "../support/browser.ts";

/**
 * The leaders' dashboard over the demo province exactly as `npm start` loads it (200 dossiers,
 * clock at DEMO_START), in headless Chromium. The expected figures are NOT read from the reports
 * the page shows: they are recomputed here from the demo's events by folding each dossier and
 * classifying it with the domain's own rules (finished before/on/after the due date; open and past
 * it), so the counters → API → page path is checked against an independent reading.
 */

interface UnitFigures {
  resolved: number;
  onTime: number;
}

describe.skipIf(!hasChromium)("the dashboard over the demo province", () => {
  let stack: LocalStack;
  let browser: Browser;
  const now = parseInstant(DEMO_START);
  const working = new WorkingTime(CivilCalendar.default());
  let dossiers: Dossier[];

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock(DEMO_START),
      demo: true,
      timers: false,
      controls: true,
    });
    const events = stack.demo!.events.map((event) => parseDossierEvent(event));
    dossiers = [...groupByDossier(events).values()].map((group) => foldDossier(group, working));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** The agency with the most dossiers finished this month, and one of its leaders. */
  function busiestAgency(): { agencyId: string; leaderId: string } {
    const counts = new Map<string, number>();
    for (const d of finishedThisMonth())
      counts.set(d.received.agency.id, (counts.get(d.received.agency.id) ?? 0) + 1);
    const [agencyId] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const leader = stack.demo!.accounts.find((a) => a.role === "leader" && a.agencyId === agencyId);
    if (!leader) throw new Error(`the demo has no leader for ${agencyId}`);
    return { agencyId, leaderId: leader.id };
  }

  /** Finished (result ready) between the 1st of the month and today, local dates, not closed otherwise. */
  function finishedThisMonth(): Dossier[] {
    const today = localEpochDay(now);
    const monthStart = parseInstant("2026-11-01T00:00:00+07:00");
    return dossiers.filter(
      (d) =>
        d.finishedAt !== undefined &&
        d.closure === undefined &&
        localEpochDay(d.finishedAt) >= localEpochDay(monthStart) &&
        localEpochDay(d.finishedAt) <= today,
    );
  }

  /** Per unit of the agency (the unit holding the dossier, as the reports count it). */
  function expectedUnits(agencyId: string): Map<string, UnitFigures> {
    const units = new Map<string, UnitFigures>();
    for (const d of finishedThisMonth()) {
      if (d.received.agency.id !== agencyId) continue;
      const label = d.current.unit
        ? d.current.agency.id === agencyId
          ? d.current.unit.name
          : `${d.current.unit.name} (${d.current.agency.name})`
        : d.current.agency.name;
      const status = progressAt(d, d.finishedAt!, working).status;
      const figures = units.get(label) ?? { resolved: 0, onTime: 0 };
      figures.resolved += 1;
      if (status === "truoc-han" || status === "dung-han") figures.onTime += 1;
      units.set(label, figures);
    }
    return units;
  }

  const percent = (onTime: number, resolved: number) =>
    `${((onTime / resolved) * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 })}%`;

  it("shows a leader the month's on-time rates per unit and the overdue dossiers the demo holds", async () => {
    const { agencyId, leaderId } = busiestAgency();
    const expected = expectedUnits(agencyId);
    const resolved = [...expected.values()].reduce((sum, u) => sum + u.resolved, 0);
    const onTime = [...expected.values()].reduce((sum, u) => sum + u.onTime, 0);
    // The demo is deterministic: these pin it, so a change to the generator shows up here too.
    expect({ agencyId, units: expected.size, resolved, onTime }).toMatchInlineSnapshot(`
      {
        "agencyId": "ttpvhcc-tinh",
        "onTime": 65,
        "resolved": 68,
        "units": 4,
      }
    `);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, stack.url, leaderId);
    const table = page.getByRole("region", { name: "Tỷ lệ giải quyết đúng hạn theo đơn vị" });
    await expect.poll(() => table.locator("tbody tr").count()).toBeGreaterThan(0);
    const rows = await table
      .locator("tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll("th, td")).map((cell) => cell.textContent?.trim() ?? ""),
        ),
      );
    const shown = new Map(rows.map(([label, count, rate]) => [label!, { count: Number(count), rate }]));
    for (const [label, figures] of expected) {
      expect(shown.get(label), label).toEqual({
        count: figures.resolved,
        rate: percent(figures.onTime, figures.resolved),
      });
    }
    // Units with nothing resolved this month show 0; the total line adds up.
    for (const [label, row] of shown) {
      if (!expected.has(label) && row !== shown.get(rows.at(-1)![0]!)) expect(row.count, label).toBe(0);
    }
    expect(rows.at(-1)!.slice(1, 3)).toEqual([String(resolved), percent(onTime, resolved)]);

    const overdueCodes = dossiers
      .filter((d) => d.received.agency.id === agencyId)
      .filter((d) => {
        const progress = progressAt(d, now, working);
        return progress.phase === "in-progress" && progress.status === "qua-han";
      })
      .map((d) => d.code)
      .sort();
    expect(overdueCodes.length).toBeGreaterThan(0);
    const overdue = page.getByRole("region", { name: "Hồ sơ quá hạn" });
    const listed = (await overdue.locator("li strong").allTextContents()).sort();
    expect(listed).toEqual(overdueCodes);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-demo-leader.png`, fullPage: true });
  });
});
