import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_START, generateDemo } from "../../../local/demo/generate.ts";
import { demoCountsLine, highlightLines, startBanner } from "../../../local/runtime/banner.ts";
import { parseInstant } from "../../../local/runtime/clock.ts";
import { DEFAULT_ALERT_POLICY, planAlerts } from "../../../shared/alerts/index.ts";
import { CivilCalendar, formatInstant, WorkingTime } from "../../../shared/calendar/index.ts";
import {
  type DossierEvent,
  foldDossier,
  parseDossierEvent,
  progressAt,
} from "../../../shared/dossier/index.ts";

/**
 * docs/demo.md as a new user follows it: every dossier code, account, count and due time it names is
 * what the demo generator makes at DEMO_START and what the start banner prints. The walkthrough
 * cannot drift from the data without this failing.
 */
const doc = readFileSync(new URL("../../../docs/demo.md", import.meta.url), "utf8");
const now = parseInstant(DEMO_START);
const demo = generateDemo({ now });
const summary = demo.summary;
const banner = startBanner({
  url: "http://127.0.0.1:3000",
  clock: DEMO_START,
  speed: 600,
  readySeconds: "1.0",
  demo: summary,
  warnings: [],
});
const CODE = /\d{3}\.\d{2}\.\d{2}\.H42-\d{6}-\d{4}/g;
const codesIn = (text: string) => [...new Set(text.match(CODE) ?? [])].sort();

const wt = new WorkingTime(CivilCalendar.default());
const eventsByCode = new Map<string, DossierEvent[]>();
for (const json of demo.events) {
  const event = parseDossierEvent(json);
  eventsByCode.set(event.dossierCode, [...(eventsByCode.get(event.dossierCode) ?? []), event]);
}
/** The legal due instant of a dossier at DEMO_START, as the walkthrough states it (local time). */
const dueAt = (code: string) =>
  formatInstant(progressAt(foldDossier(eventsByCode.get(code)!, wt), now, wt).projectedLegalDueAt);

/** The highlights table of "Dossiers": category → the cell of dossier codes. */
function highlightsTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split("\n")) {
    const match = /^\| `(\w+)`[^|]*\| (.*?) \| [^|]* \|$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  return rows;
}

describe("docs/demo.md against the demo generator and the start banner", () => {
  it("runs the walkthrough from a fresh data folder at DEMO_START", () => {
    expect(doc).toContain(`--fresh --clock ${DEMO_START} --speed 600`);
    expect(doc).toContain(`DEMO_START = "${DEMO_START}"`);
  });

  it("names only dossier codes the generator makes", () => {
    const generated = new Set(eventsByCode.keys());
    const named = codesIn(doc);
    expect(named.length).toBeGreaterThan(15);
    expect(named.filter((code) => !generated.has(code))).toEqual([]);
  });

  it("lists, per highlight category, exactly the codes of summary.highlights", () => {
    const table = highlightsTable();
    const { lienThong: _, ...categories } = summary.highlights;
    expect([...table.keys()].sort()).toEqual(Object.keys(categories).sort());
    for (const [category, codes] of Object.entries(categories)) {
      expect(codesIn(table.get(category)!), category).toEqual([codes].flat().sort());
    }
  });

  it("names every code the banner prints, and the banner prints every code of the table", () => {
    const printed = codesIn(banner);
    expect(printed).toEqual(codesIn([...highlightsTable().values()].join(" ")));
    for (const line of highlightLines(summary)) expect(banner).toContain(line);
  });

  it("quotes the banner's counts line as the banner prints it", () => {
    expect(banner).toContain(demoCountsLine(summary));
    expect(doc).toContain(demoCountsLine(summary));
  });

  it("gives the due time (and date) the generator gives each highlighted dossier", () => {
    const table = [...highlightsTable().values()].join(" ");
    // `code` (what, [due] [Thu] [26/11] HH:MM …): the first time in the parentheses is its due time.
    const stated = [...table.matchAll(/`([\d.H-]+)` \(([^)]*?)(?:(\d{2})\/(\d{2}) )?(\d{2}:\d{2})/g)];
    expect(stated.length).toBeGreaterThanOrEqual(5);
    for (const [, code, , day, month, time] of stated) {
      const due = dueAt(code!);
      expect(due.slice(11, 16), code).toBe(time);
      if (day) expect(due.slice(5, 10), code).toBe(`${month}-${day}`);
      else expect(due.slice(0, 10), `${code} is due on the first day`).toBe(DEMO_START.slice(0, 10));
    }
  });

  it("says who gets which escalation level when, as the alert planner plans it on the first day", () => {
    // "`code` … level 2 to `tq-vinh` at 15:00": in one sentence of the walkthrough.
    const walkthrough = doc.slice(doc.indexOf("## What to look at"));
    const claims = walkthrough.split(/(?<=[.)])\s+(?=`|[A-Z0-9])/).flatMap((sentence) => {
      const [code, ...others] = codesIn(sentence);
      if (!code || others.length > 0) return [];
      return [...sentence.matchAll(/level (\d) to `([a-z-]+)` at (\d{2}:\d{2})/g)].map(
        ([, level, recipient, time]) => ({ code, level, recipient, time }),
      );
    });
    expect(claims.length).toBeGreaterThanOrEqual(2);
    for (const { code, level, recipient, time } of claims) {
      const alerts = planAlerts(foldDossier(eventsByCode.get(code)!, wt), DEFAULT_ALERT_POLICY, {
        workingTime: wt,
        directory: demo.directory,
      });
      const at = alerts
        .filter((alert) => alert.rule === `overdue-level-${level}` && alert.recipientId === recipient)
        .map((alert) => formatInstant(alert.at));
      expect(at, `${code} level ${level} to ${recipient}`).toContain(
        `${DEMO_START.slice(0, 10)}T${time}:00+07:00`,
      );
    }
  });

  it("names only demo accounts, with their names and titles", () => {
    const accounts = new Map(demo.accounts.map((account) => [account.id, account]));
    const prefixes = new Set(demo.accounts.map((account) => account.id.split("-")[0]));
    const named = [...new Set([...doc.matchAll(/`([a-z]+-[a-z-]+)`/g)].map((m) => m[1]!))].filter((id) =>
      prefixes.has(id.split("-")[0]),
    );
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((id) => !accounts.has(id))).toEqual([]);
    // "`gd-trung` Nguyễn Quốc Trung (Giám đốc)": the account's name, and its title ("Giám đốc Trung tâm").
    const introduced = [...doc.matchAll(/`([a-z-]+)` (\p{Lu}\p{Ll}*(?: \p{Lu}\p{Ll}*)+)(?: \(([^)]+)\))?/gu)];
    expect(introduced.length).toBeGreaterThanOrEqual(6);
    for (const [, id, name, title] of introduced) {
      expect(accounts.get(id!)?.name, id).toBe(name);
      if (title) expect(accounts.get(id!)?.title.startsWith(title), `${id}: ${title}`).toBe(true);
    }
  });
});
