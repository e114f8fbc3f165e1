import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_START, generateDemo } from "../../local/demo/generate.ts";
import { parseInstant } from "../../local/runtime/clock.ts";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/runtime/stack.ts";
import { formatInstant } from "../../shared/calendar/index.ts";

/**
 * `npm start` on a data folder, as the walkthrough (docs/demo.md) uses it: a clock earlier than
 * the folder's data is reported at start, and with `--fresh --speed` the clock does not run while
 * the demo loads, so the first morning plays after the data is in.
 */
// biome-ignore lint/suspicious/noExplicitAny: outbox.json read field by field.
type Json = any;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dunghan-demo-start-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function startStop(
  options: LocalStackOptions,
): Promise<{ warnings: readonly string[]; log: string[] }> {
  const log: string[] = [];
  const stack = await startLocalStack({ port: 0, timers: false, log: (line) => log.push(line), ...options });
  await stack.stop();
  return { warnings: stack.warnings, log };
}

describe("a --clock earlier than the data folder", () => {
  it("is reported at start with both instants and what to do; --fresh or a later clock is not", async () => {
    const dataDir = join(dir, "backwards");
    const later = "2026-11-25T10:12:00+07:00";
    expect((await startStop({ dataDir, clock: later, demo: "people" })).warnings).toEqual([]);

    const back = await startStop({ dataDir, clock: DEMO_START, demo: "people" });
    expect(back.warnings).toHaveLength(1);
    const warning = back.warnings[0]!;
    expect(warning).toContain(`--clock ${DEMO_START} is earlier than the data in ${dataDir}`);
    // The data's clock is where the first run stopped: its start, plus the moment it ran.
    const reached = /whose clock has reached (\S+)\./.exec(warning)![1]!;
    expect(parseInstant(reached) - parseInstant(later)).toBeGreaterThanOrEqual(0);
    expect(parseInstant(reached) - parseInstant(later)).toBeLessThan(60_000);
    expect(warning).toContain("--fresh");
    const goOn = /--clock (\S+) or later/.exec(warning)![1]!;
    expect(parseInstant(goOn) - parseInstant(reached)).toBeGreaterThanOrEqual(0);
    expect(parseInstant(goOn) % 60_000).toBe(0);
    expect(back.log.some((line) => line.includes("is earlier than the data"))).toBe(true);

    expect(
      (await startStop({ dataDir, clock: "2026-11-26T08:00:00+07:00", demo: "people" })).warnings,
    ).toEqual([]);
    expect((await startStop({ dataDir, fresh: true, clock: DEMO_START, demo: "people" })).warnings).toEqual(
      [],
    );
  }, 180_000);
});

describe("--fresh --clock DEMO_START --speed 600", () => {
  let stack: LocalStack;
  let clockAtReady: number;
  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      dataDir: join(dir, "fast"),
      fresh: true,
      clock: DEMO_START,
      speed: 600,
    });
    clockAtReady = stack.clock.now();
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("holds the clock at its start while the demo loads", () => {
    expect(stack.demoSummary?.now).toBe(DEMO_START);
    expect(stack.versions.clock).toBe(DEMO_START);
    // At ×600 a real second is ten clock minutes: the load took far longer than that.
    expect(clockAtReady - parseInstant(DEMO_START)).toBeLessThan(2 * 60_000);
  });

  it("sends the 07:30 digest after the data is in, listing gd-trung's three overdue dossiers", async () => {
    const digestAt = parseInstant("2026-11-23T07:30:00+07:00");
    const digest = async () => {
      const outbox = (await (await fetch(`${stack.url}/outbox.json`)).json()) as { emails: Json[] };
      return outbox.emails.find(
        (mail: Json) => mail.to.includes("gd-trung@example.vn") && mail.subject.startsWith("Tổng hợp hồ sơ"),
      );
    };
    await expect.poll(digest, { timeout: 60_000, interval: 250 }).toBeDefined();
    const mail = await digest();
    expect(mail.receivedAt).toBeGreaterThanOrEqual(digestAt);
    expect(formatInstant(mail.receivedAt).slice(0, 10)).toBe("2026-11-23");
    const { overdue, apologyIssued } = generateDemo({ now: parseInstant(DEMO_START) }).summary.highlights;
    const mine = [...overdue.filter((code) => code.startsWith("000.00.1")), apologyIssued].sort();
    expect(mine).toHaveLength(3);
    for (const code of mine) expect(mail.text).toContain(code);
  }, 120_000);
});
