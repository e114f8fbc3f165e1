import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AppliedWait,
  type ChildStack,
  ingestUntil,
  killChildStacks,
  startChildStack,
  waitAppliedOrDrained,
} from "../../local/runtime/child-stack.ts";

// `npm start` in a child process group, killed the hard way: what was answered 2xx must survive.
const CLOCK = "2026-11-20T08:05:00+07:00";
const RECEIVED_AT = "2026-11-20T08:00:00+07:00";
/** Bounded so the backlog drains in seconds on a loaded 2-core machine. */
const EVENTS = 120;
/** The failure message: the wait's outcome and progress, and the stack's dead-letter lines. */
const report = (wait: AppliedWait, output: string) =>
  JSON.stringify({ ...wait, deadLetterLines: (output.match(/dead letter on [^\n]*/g) ?? []).slice(0, 5) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("faults: the local stack under crashes", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "dunghan-faults-crash-"));
  });

  afterAll(async () => {
    await killChildStacks();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("SIGKILL of node and Java mid-ingest, restart on the same data: no event answered 2xx is lost", async () => {
    const data = join(dataDir, "crash");
    const first: ChildStack = await startChildStack(["--data", data, "--demo-people", "--clock", CLOCK]);
    // Ingest outruns the worker (~15–150 events/s here), so at the kill a backlog is queued:
    // answered 202, not yet applied. The in-memory queue lost exactly that backlog.
    let killed = false;
    const load = ingestUntil(first.url, {
      prefix: "K01",
      receivedAt: RECEIVED_AT,
      stop: () => killed,
      max: EVENTS,
    });
    const posted = await Promise.race([load.then(() => true), sleep(5_000).then(() => false)]);
    killed = true;
    await first.kill("SIGKILL");
    const tally = await load;
    expect(posted || tally.accepted.size > 0).toBe(true);
    expect(tally.accepted.size).toBeGreaterThan(EVENTS / 2);

    const second = await startChildStack(["--data", data, "--demo-people", "--clock", CLOCK]);
    try {
      // The restart found a backlog in the journal: the crash did interrupt the ingest.
      const resumed = /queues resumed: (\d+) message/.exec(second.output());
      expect(Number(resumed?.[1] ?? 0)).toBeGreaterThan(0);
      // Until every accepted code is applied, or the journal is drained without them (a loss,
      // reported at once); 150 s bounds a machine too loaded to drain a backlog of ~100 events.
      const wait = await waitAppliedOrDrained(second.url, tally.accepted, 150_000);
      expect(wait, report(wait, second.output())).toMatchObject({ lost: 0, outcome: "applied" });
      // And the wait does tell a loss from a slow machine: a code answered 2xx that no queue holds
      // (as if the journal had dropped it) is reported lost as soon as the queue is drained.
      const never = await waitAppliedOrDrained(second.url, ["000.00.12.K01-999999"], 150_000);
      expect(never).toMatchObject({ lost: 1, outcome: "drained" });
      expect(never.seconds).toBeLessThan(10);
    } finally {
      await second.kill("SIGTERM");
    }
  }, 240_000);

  it("DynamoDB Local killed while events flow: ingest keeps accepting durably, and every accepted event is applied once Java is back", async () => {
    const stack = await startChildStack(["--data", join(dataDir, "java"), "--demo-people", "--clock", CLOCK]);
    let done = false;
    const load = ingestUntil(stack.url, {
      prefix: "J01",
      receivedAt: RECEIVED_AT,
      stop: () => done,
      workers: 1,
      perRequest: 2,
      max: EVENTS,
    });
    await sleep(300);
    const java = stack.javaPid();
    expect(java).toBeDefined();
    process.kill(java!, "SIGKILL");
    await Promise.race([load, sleep(10_000)]);
    done = true;
    const tally = await load;
    expect(tally.accepted.size).toBeGreaterThan(EVENTS / 2);
    // Only 2xx counts as accepted; nothing was refused while Java was down (the journal took it).
    expect([...tally.answers.keys()].every((status) => status === "202")).toBe(true);

    try {
      const wait = await waitAppliedOrDrained(stack.url, tally.accepted, 150_000);
      expect(wait, report(wait, stack.output())).toMatchObject({ lost: 0, outcome: "applied" });
      expect(stack.output()).toMatch(/DynamoDB Local exited/);
      expect(stack.output()).toMatch(/DynamoDB Local is back/);
      expect(stack.javaPid()).not.toBe(java);
    } finally {
      await stack.kill("SIGTERM");
    }
  }, 240_000);
});
