import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../local/runtime/clock.ts";
import { FifoQueue } from "../../../local/runtime/fifo-queue.ts";
import { FileQueueJournal, readJournalRecords } from "../../../local/runtime/queue-journal.ts";

const START = "2026-11-23T07:00:00+07:00";
let dir: string;
let file: string;
const open: FifoQueue[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "dunghan-journal-"));
  file = join(dir, "queues", "events.fifo.jsonl");
});
afterEach(async () => {
  for (const queue of open.splice(0)) await queue.close();
  await rm(dir, { recursive: true, force: true });
});

/** A queue on the journal file, as the local stack opens one on start. */
function queueOn(clock = new ManualClock(START), options: { maxReceiveCount?: number } = {}): FifoQueue {
  const queue = new FifoQueue({
    clock,
    retryDelayMs: 0,
    journal: new FileQueueJournal(file),
    ...options,
  });
  open.push(queue);
  return queue;
}

/** Consumes until idle, recording bodies; `fail` bodies throw. */
async function consumeAll(
  queue: FifoQueue,
  fail: (body: string) => boolean = () => false,
): Promise<string[]> {
  const seen: string[] = [];
  queue.consume((event) => {
    for (const record of event.Records) {
      if (fail(record.body)) throw new Error("DynamoDB Local is down");
      seen.push(record.body);
    }
  });
  await queue.drain();
  return seen;
}

describe("FifoQueue with a journal (durable like SQS)", () => {
  it("a new queue on the same journal delivers what was sent and not deleted, in group order", async () => {
    const crashed = queueOn();
    for (let i = 1; i <= 3; i++) {
      await crashed.sendDurable({ body: `a${i}`, messageGroupId: "a" });
      await crashed.sendDurable({ body: `b${i}`, messageGroupId: "b" });
    }
    // The process dies before any consumer ran: nothing was deleted.
    open.splice(0);

    const restarted = queueOn();
    expect(restarted.stats().depth).toBe(6);
    const seen = await consumeAll(restarted);
    expect(seen.filter((body) => body.startsWith("a"))).toEqual(["a1", "a2", "a3"]);
    expect(seen.filter((body) => body.startsWith("b"))).toEqual(["b1", "b2", "b3"]);
  });

  it("does not deliver again what was deleted, and keeps the deduplication window across the restart", async () => {
    const clock = new ManualClock(START);
    const first = queueOn(clock);
    await first.sendDurable({ body: "one", messageGroupId: "g", messageDeduplicationId: "e1" });
    expect(await consumeAll(first)).toEqual(["one"]);
    await first.stop();
    await first.sendDurable({ body: "two", messageGroupId: "g", messageDeduplicationId: "e2" });
    open.splice(0);

    const second = queueOn(clock);
    expect(second.stats().depth).toBe(1);
    // The same id again within 5 minutes: accepted and dropped, as SQS FIFO does.
    expect(
      (await second.sendDurable({ body: "one", messageGroupId: "g", messageDeduplicationId: "e1" }))
        .duplicate,
    ).toBe(true);
    expect(await consumeAll(second)).toEqual(["two"]);
    clock.advance(6 * 60_000);
    expect(
      (await second.sendDurable({ body: "one", messageGroupId: "g", messageDeduplicationId: "e1" }))
        .duplicate,
    ).toBe(false);
  });

  it("keeps dead letters across a restart, and a redrive delivers them", async () => {
    const first = queueOn(undefined, { maxReceiveCount: 2 });
    await first.sendDurable({ body: "x", messageGroupId: "g" });
    await consumeAll(first, () => true);
    expect(first.deadLetters().map((letter) => [letter.body, letter.reason])).toEqual([
      ["x", "Error: DynamoDB Local is down"],
    ]);
    await first.stop();
    open.splice(0);

    const second = queueOn();
    expect(second.stats().depth).toBe(0);
    expect(second.deadLetters().map((letter) => letter.body)).toEqual(["x"]);
    expect(second.redriveDeadLetters()).toBe(1);
    expect(await consumeAll(second)).toEqual(["x"]);
    await second.stop();
    open.splice(0);
    expect(queueOn().stats()).toMatchObject({ depth: 0, deadLetters: 0 });
  });

  it("keeps a redriven message behind the ones sent since, across two restarts", async () => {
    const first = queueOn(undefined, { maxReceiveCount: 1 });
    await first.sendDurable({ body: "a1", messageGroupId: "a" });
    await consumeAll(first, () => true);
    await first.stop();
    await first.sendDurable({ body: "a2", messageGroupId: "a" });
    first.redriveDeadLetters();
    open.splice(0);
    queueOn(); // replays and compacts
    open.splice(0);
    expect(await consumeAll(queueOn())).toEqual(["a2", "a1"]);
  });

  it("ignores a torn last line (a write the crash cut, whose sender was never answered)", async () => {
    const first = queueOn();
    await first.sendDurable({ body: "whole", messageGroupId: "g" });
    open.splice(0);
    // Half of a sealed line: it does not open, and being the last line it is dropped.
    const sealed = readFileSync(file, "utf8").trim().split("\n").at(-1)!;
    appendFileSync(file, sealed.slice(0, Math.floor(sealed.length / 2)));
    expect(await consumeAll(queueOn())).toEqual(["whole"]);
  });

  it("is compacted on start: only what is live is kept", async () => {
    const first = queueOn();
    for (let i = 0; i < 20; i++) await first.sendDurable({ body: `m${i}`, messageGroupId: `g${i % 3}` });
    await consumeAll(first);
    await first.stop();
    await first.sendDurable({ body: "last", messageGroupId: "g0" });
    open.splice(0);
    queueOn();
    const kinds = readJournalRecords(file).map((record) => record.t);
    // 21 dedupe entries (their window still open) and the one message not yet delivered.
    expect(kinds.filter((t) => t === "dedup")).toHaveLength(21);
    expect(kinds.filter((t) => t === "send")).toHaveLength(1);
    expect(kinds.filter((t) => t === "del")).toHaveLength(0);
  });

  it("holds no phone, e-mail or body in clear: each line is sealed with AES-256-GCM under a 0600 key", async () => {
    const queue = queueOn();
    const body = JSON.stringify({ applicant: { phone: "+84900000106", email: "nguyen.van.a@example.vn" } });
    await queue.sendDurable({ body, messageGroupId: "000.00.12.H42-261125-0001" });
    await consumeAll(queue);
    await queue.stop();
    const waiting = body.replace("106", "107");
    await queue.sendDurable({ body: waiting, messageGroupId: "000.00.12.H42-261125-0001" });
    open.splice(0);
    queueOn(); // replays and compacts: the rewritten journal is sealed too
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/8490000010|example\.vn|applicant|H42-261125/);
    expect(
      text
        .trim()
        .split("\n")
        .every((line) => /^e1:[\w+/=]+:[\w+/=]+:[\w+/=]+$/.test(line)),
    ).toBe(true);
    // Two records alike are sealed alike only under the same IV: never.
    const lines = text.trim().split("\n");
    expect(new Set(lines).size).toBe(lines.length);
    const key = statSync(join(dir, "queues", ".key"));
    expect(key.size).toBe(32);
    expect(key.mode & 0o777).toBe(0o600);
    expect(readJournalRecords(file).filter((record) => record.t === "send")).toMatchObject([
      { body: waiting },
    ]);
  });

  it("reads a journal written in clear before encryption, and seals it on open", async () => {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "queues"), { recursive: true });
    const record = {
      t: "send",
      id: "m1",
      body: "old",
      group: "g",
      dedup: "d1",
      seq: "1",
      sentAt: 0,
      attrs: {},
    };
    writeFileSync(file, `${JSON.stringify(record)}\n`);
    expect(await consumeAll(queueOn())).toEqual(["old"]);
    expect(readFileSync(file, "utf8")).not.toContain('"old"');
  });

  it("refuses to start without its key rather than drop the sealed messages, and refuses a wrong key", async () => {
    const first = queueOn();
    await first.sendDurable({ body: "kept", messageGroupId: "g" });
    await first.sendDurable({ body: "kept too", messageGroupId: "g" });
    open.splice(0);
    const keyFile = join(dir, "queues", ".key");
    const key = readFileSync(keyFile);
    rmSync(keyFile);
    expect(() => new FileQueueJournal(file)).toThrow(
      /key .*\.key is missing but events\.fifo\.jsonl .* encrypted/,
    );
    // A different key: no line opens (not only the last), so this is no torn line.
    writeFileSync(keyFile, Buffer.alloc(32, 7), { mode: 0o600 });
    expect(() => new FileQueueJournal(file).replay()).toThrow(/line 1 does not decrypt/);
    writeFileSync(keyFile, key, { mode: 0o600 });
    expect(await consumeAll(queueOn())).toEqual(["kept", "kept too"]);
  });

  it("refuses a send the journal cannot take, and then holds nothing of it", async () => {
    const queue = new FifoQueue({
      journal: {
        replay: () => ({ messages: [], deadLetters: [], dedup: [] }),
        append: () => {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
        sync: () => Promise.resolve(),
        compact: () => {},
        close: () => {},
      },
    });
    await expect(queue.sendDurable({ body: "x", messageGroupId: "g" })).rejects.toThrow(/ENOSPC/);
    expect(queue.stats().depth).toBe(0);
    // Not remembered for deduplication either: the client's retry must go through.
    expect(() => queue.send({ body: "x", messageGroupId: "g" })).toThrow(/ENOSPC/);
  });
});
