import type { SQSEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../local/runtime/clock.ts";
import { FifoQueue } from "../../../local/runtime/fifo-queue.ts";
import { ConflictError, InvalidInputError } from "../../../shared/errors.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("FifoQueue ordering", () => {
  it("keeps order within each group, one in flight per group, while two interleaved groups run in parallel", async () => {
    const queue = new FifoQueue({ batchSize: 1, concurrency: 4 });
    const seen: string[] = [];
    const inFlight = new Map<string, number>();
    let maxPerGroup = 0;
    let maxOverall = 0;
    let overall = 0;
    queue.consume(async (event) => {
      for (const record of event.Records) {
        const group = record.attributes.MessageGroupId!;
        inFlight.set(group, (inFlight.get(group) ?? 0) + 1);
        overall++;
        maxPerGroup = Math.max(maxPerGroup, inFlight.get(group)!);
        maxOverall = Math.max(maxOverall, overall);
        // Group A is slow: were groups serialised, B would wait behind it.
        await sleep(group === "A" ? 15 : 2);
        seen.push(record.body);
        inFlight.set(group, inFlight.get(group)! - 1);
        overall--;
      }
    });

    for (let i = 1; i <= 4; i++) {
      queue.send({ body: `A${i}`, messageGroupId: "A" });
      queue.send({ body: `B${i}`, messageGroupId: "B" });
    }
    await queue.drain();

    expect(seen.filter((b) => b.startsWith("A"))).toEqual(["A1", "A2", "A3", "A4"]);
    expect(seen.filter((b) => b.startsWith("B"))).toEqual(["B1", "B2", "B3", "B4"]);
    expect(maxPerGroup).toBe(1);
    expect(maxOverall).toBe(2);
    // B finished everything while A was still on its first messages.
    expect(seen.indexOf("B4")).toBeLessThan(seen.indexOf("A3"));
  });

  it("gives records the SQS event shape with group, sequence and receive count", async () => {
    const clock = new ManualClock("2026-11-23T07:00:00+07:00");
    const queue = new FifoQueue({ name: "dunghan-events.fifo", clock });
    const events: SQSEvent[] = [];
    queue.consume((event) => {
      events.push(event);
    });

    const sent = queue.send({
      body: '{"type":"due-soon"}',
      messageGroupId: "dossier-1",
      messageAttributes: { kind: "x" },
    });
    await queue.drain();

    expect(events[0]?.Records[0]).toMatchObject({
      messageId: sent.messageId,
      body: '{"type":"due-soon"}',
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:ap-southeast-1:000000000000:dunghan-events.fifo",
      messageAttributes: { kind: { dataType: "String", stringValue: "x" } },
      attributes: {
        MessageGroupId: "dossier-1",
        SequenceNumber: sent.sequenceNumber,
        ApproximateReceiveCount: "1",
        SentTimestamp: String(clock.now()),
      },
    });
    expect(events[0]?.Records[0]?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("FifoQueue deduplication", () => {
  it("accepts a content-based duplicate within 5 minutes but delivers it once", async () => {
    const clock = new ManualClock("2026-11-23T07:00:00+07:00");
    const queue = new FifoQueue({ clock });
    const bodies: string[] = [];
    queue.consume((event) => {
      for (const record of event.Records) bodies.push(record.body);
    });

    const first = queue.send({ body: "same", messageGroupId: "g" });
    clock.advance(4 * 60 * 1000);
    const second = queue.send({ body: "same", messageGroupId: "g" });
    await queue.drain();

    expect(second).toEqual({ ...first, duplicate: true });
    expect(bodies).toEqual(["same"]);

    clock.advance(60 * 1000);
    expect(queue.send({ body: "same", messageGroupId: "g" }).duplicate).toBe(false);
    await queue.drain();
    expect(bodies).toEqual(["same", "same"]);
  });

  it("deduplicates by an explicit id whatever the body", async () => {
    const queue = new FifoQueue({ contentBasedDeduplication: false });
    const bodies: string[] = [];
    queue.consume((event) => {
      for (const record of event.Records) bodies.push(record.body);
    });

    queue.send({ body: "one", messageGroupId: "g", messageDeduplicationId: "dossier-1#warn" });
    queue.send({ body: "two", messageGroupId: "g", messageDeduplicationId: "dossier-1#warn" });
    await queue.drain();

    expect(bodies).toEqual(["one"]);
    expect(() => queue.send({ body: "three", messageGroupId: "g" })).toThrow(InvalidInputError);
  });
});

describe("FifoQueue failures", () => {
  it("retries a failing message maxReceiveCount times, then moves it to the DLQ with the reason and unblocks its group", async () => {
    const queue = new FifoQueue({ maxReceiveCount: 3, retryDelayMs: 1 });
    const attempts: string[] = [];
    const done: string[] = [];
    queue.consume((event) => {
      for (const record of event.Records) {
        attempts.push(`${record.body}#${record.attributes.ApproximateReceiveCount}`);
        if (record.body === "poison") throw new TypeError("cannot read dossier");
        done.push(record.body);
      }
    });

    queue.send({ body: "poison", messageGroupId: "g" });
    queue.send({ body: "after", messageGroupId: "g" });
    await queue.drain();

    expect(attempts).toEqual(["poison#1", "poison#2", "poison#3", "after#1"]);
    expect(done).toEqual(["after"]);
    expect(queue.deadLetters()).toMatchObject([
      { body: "poison", messageGroupId: "g", receiveCount: 3, reason: "TypeError: cannot read dossier" },
    ]);
    expect(queue.stats()).toMatchObject({ depth: 0, inFlight: 0, deadLetters: 1 });
  });

  it("retries only the items a partial batch response names, holding back their groups", async () => {
    const queue = new FifoQueue({ retryDelayMs: 1 });
    const log: string[] = [];
    let failedOnce = false;
    queue.consume((event) => {
      const batchItemFailures = [];
      for (const record of event.Records) {
        log.push(record.body);
        if (record.body === "b1" && !failedOnce) {
          failedOnce = true;
          batchItemFailures.push({ itemIdentifier: record.messageId, reason: "SMS throttled" });
        }
      }
      return { batchItemFailures };
    });

    queue.send({ body: "a1", messageGroupId: "a" });
    queue.send({ body: "b1", messageGroupId: "b" });
    queue.send({ body: "c1", messageGroupId: "c" });
    queue.send({ body: "b2", messageGroupId: "b" });
    await queue.drain();

    expect(log.slice(0, 3)).toEqual(["a1", "b1", "c1"]);
    expect(log.filter((b) => b.startsWith("b"))).toEqual(["b1", "b1", "b2"]);
    expect(log.filter((b) => b === "a1" || b === "c1")).toHaveLength(2);
    expect(queue.deadLetters()).toEqual([]);
  });

  it("keeps a partial failure's reason in the DLQ", async () => {
    const queue = new FifoQueue({ maxReceiveCount: 2, retryDelayMs: 1 });
    queue.consume((event) => ({
      batchItemFailures: event.Records.map((r) => ({
        itemIdentifier: r.messageId,
        reason: "PERMANENT: bad number",
      })),
    }));

    queue.send({ body: "x", messageGroupId: "g" });
    await queue.drain();

    expect(queue.deadLetters()).toMatchObject([
      { body: "x", receiveCount: 2, reason: "PERMANENT: bad number" },
    ]);
  });

  it("fails the whole batch when batchItemFailures names an unknown message, as Lambda does", async () => {
    const queue = new FifoQueue({ maxReceiveCount: 1 });
    queue.consume(() => ({ batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] }));

    queue.send({ body: "a", messageGroupId: "a" });
    queue.send({ body: "b", messageGroupId: "b" });
    await queue.drain();

    expect(
      queue
        .deadLetters()
        .map((d) => d.body)
        .sort(),
    ).toEqual(["a", "b"]);
    expect(queue.deadLetters()[0]?.reason).toContain("unknown itemIdentifier");
  });

  it("redrives dead letters back to their groups", async () => {
    const queue = new FifoQueue({ maxReceiveCount: 1 });
    let broken = true;
    const done: string[] = [];
    queue.consume((event) => {
      if (broken) throw new Error("down");
      for (const record of event.Records) done.push(record.body);
    });
    queue.send({ body: "x", messageGroupId: "g" });
    await queue.drain();
    broken = false;

    expect(queue.redriveDeadLetters()).toBe(1);
    await queue.drain();

    expect(done).toEqual(["x"]);
    expect(queue.deadLetters()).toEqual([]);
  });
});

describe("FifoQueue contract", () => {
  it("refuses a drain with messages and no consumer", async () => {
    const queue = new FifoQueue();
    queue.send({ body: "x", messageGroupId: "g" });

    await expect(queue.drain()).rejects.toBeInstanceOf(ConflictError);
    await expect(new FifoQueue().drain()).resolves.toBeUndefined();
  });

  it("validates like SQS", () => {
    const queue = new FifoQueue();
    expect(() => queue.send({ body: "", messageGroupId: "g" })).toThrow(InvalidInputError);
    expect(() => queue.send({ body: "x", messageGroupId: "" })).toThrow(InvalidInputError);
    expect(() => queue.send({ body: "x".repeat(256 * 1024 + 1), messageGroupId: "g" })).toThrow(
      InvalidInputError,
    );
    expect(() => new FifoQueue({ name: "standard" })).toThrow(InvalidInputError);
  });

  it("stops delivering after stop(), keeping what is queued", async () => {
    const queue = new FifoQueue();
    const done: string[] = [];
    queue.consume((event) => {
      for (const record of event.Records) done.push(record.body);
    });
    await queue.stop();

    queue.send({ body: "later", messageGroupId: "g" });
    await sleep(5);

    expect(done).toEqual([]);
    expect(queue.stats().depth).toBe(1);
  });
});
