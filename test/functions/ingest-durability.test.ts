import { describe, expect, it } from "vitest";
import { makeIngestApiHandler } from "../../functions/ingest-api.ts";
import { FifoQueue } from "../../local/runtime/fifo-queue.ts";
import type { QueueJournal } from "../../local/runtime/queue-journal.ts";
import { createLogger } from "../../shared/adapters/logging/redaction.ts";
import { FifoQueueAdapter } from "../../shared/adapters/sqs/fifo-queue-adapter.ts";
import { IngestEvents } from "../../shared/app/ingest-events.ts";
import { Rejections } from "../../shared/app/rejections.ts";
import { aDossierCode, received } from "./support/builders.ts";
import { lambdaContext } from "./support/harness.ts";

/** A journal on a disk that is full, or whose flush fails (EIO). */
function failingJournal(failOn: "append" | "sync"): QueueJournal {
  const error = () =>
    Object.assign(
      new Error(failOn === "append" ? "ENOSPC: no space left on device" : "EIO: i/o error, fdatasync"),
      {
        code: failOn === "append" ? "ENOSPC" : "EIO",
      },
    );
  return {
    replay: () => ({ messages: [], deadLetters: [], dedup: [] }),
    append: () => {
      if (failOn === "append") throw error();
    },
    sync: () => (failOn === "sync" ? Promise.reject(error()) : Promise.resolve()),
    compact: () => {},
    close: () => {},
  };
}

async function post(queue: FifoQueue, body: unknown) {
  const logger = createLogger({ serviceName: "dunghan-test", level: "SILENT" });
  const ingest = new IngestEvents({
    eventsQueue: new FifoQueueAdapter({ send: (input) => queue.sendDurable(input) }),
    logger,
  });
  // Only POST /events is called here: the status route's ports are never reached.
  const status = new Rejections({ rejections: undefined as never, dossiers: undefined as never });
  const handler = makeIngestApiHandler({ ingest, status, logger });
  const response = (await handler(
    {
      version: "2.0",
      routeKey: "POST /events",
      rawPath: "/events",
      rawQueryString: "",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { http: { method: "POST", path: "/events" } },
    } as never,
    lambdaContext,
  )) as { statusCode: number; body: string };
  return response;
}

describe("ingest-api on the local durable queue", () => {
  it.each(["append", "sync"] as const)(
    "answers 5xx, not 202, when the queue cannot store the event durably (%s fails)",
    async (failOn) => {
      const queue = new FifoQueue({ journal: failingJournal(failOn) });
      const response = await post(queue, received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }));
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(JSON.parse(response.body)).toEqual({ error: { code: "INTERNAL", message: "Internal error" } });
    },
  );

  it("answers 202 once the event is journaled", async () => {
    const queue = new FifoQueue({ journal: failingJournal("append") });
    const ok = new FifoQueue();
    expect((await post(ok, received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }))).statusCode).toBe(
      202,
    );
    expect(ok.stats().depth).toBe(1);
    expect(queue.stats().depth).toBe(0);
  });
});
