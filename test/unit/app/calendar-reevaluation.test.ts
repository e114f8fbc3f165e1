import { describe, expect, it } from "vitest";
import { CalendarReevaluation } from "../../../shared/app/calendar-reevaluation.ts";
import type { AgencyDirectory } from "../../../shared/app/directory.ts";
import {
  parseEventsMessage,
  REEVALUATE_BATCH_SIZE,
  reevaluateAllMessage,
} from "../../../shared/app/messages.ts";
import type { DossierListingRow, DossierQuery } from "../../../shared/app/ports.ts";
import type { QueueMessage } from "../../../shared/app/queue.ts";

const VERSION = "cal-v2";
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Open dossiers per agency and status, served in pages of `pageSize` like the index. */
function world(open: Record<string, Record<string, string[]>>, pageSize = 7) {
  const log: string[] = [];
  const sent: QueueMessage[] = [];
  const dossierQuery: DossierQuery = {
    async byAgencyStatus(agencyId, status, options) {
      log.push(`query ${agencyId} ${status} ${options?.cursor ?? "-"}`);
      const all = open[agencyId]?.[status] ?? [];
      const from = Number(options?.cursor ?? 0);
      const items = all
        .slice(from, from + pageSize)
        .map((dossierCode) => ({ dossierCode, version: 1, listing: {} }) as unknown as DossierListingRow);
      const next = from + pageSize;
      return { items, cursor: next < all.length ? String(next) : undefined };
    },
  };
  const directories = {
    list: async () => Object.keys(open).map((agencyId) => ({ agencyId }) as AgencyDirectory),
    get: async () => undefined,
    put: async () => {},
  };
  const eventsQueue = {
    send: async (messages: readonly QueueMessage[]) => {
      log.push(`send ${messages.length}`);
      sent.push(...messages);
    },
  };
  const reevaluation = new CalendarReevaluation({ directories, dossierQuery, eventsQueue, logger: silent });
  return { reevaluation, log, sent };
}

const codes = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")}`);

describe("calendar re-evaluation fan-out", () => {
  it("lists every open dossier before queueing any, then queues them in batches of 500", async () => {
    const open = {
      "agency-a": {
        "in-progress": codes("A", 700),
        paused: codes("AP", 3),
        "awaiting-supplement": codes("AS", 20),
      },
      "agency-b": { "in-progress": codes("B", 310) },
    };
    const { reevaluation, log, sent } = world(open, 250);
    const all = parseEventsMessage(reevaluateAllMessage(VERSION).body);
    if (all.kind !== "calendar") throw new Error("expected a calendar command");

    expect(await reevaluation.handle(all.command)).toBe(1033);

    // A snapshot: every index page is read before the first message goes out (re-evaluations move
    // dossiers inside the index being paged).
    const firstSend = log.findIndex((line) => line.startsWith("send"));
    expect(log.slice(firstSend).every((line) => line.startsWith("send"))).toBe(true);
    expect(log.filter((line) => line.startsWith("query"))).toHaveLength(3 + 1 + 1 + (2 + 1 + 1)); // pages of 250: agency A, then B
    const batches = sent.map((m) => parseEventsMessage(m.body));
    expect(
      batches.map((b) =>
        b.kind === "calendar" && b.command.command === "reevaluate-batch"
          ? b.command.dossierCodes.length
          : -1,
      ),
    ).toEqual([REEVALUATE_BATCH_SIZE, REEVALUATE_BATCH_SIZE, 33]);
    const listed = batches.flatMap((b) =>
      b.kind === "calendar" && b.command.command === "reevaluate-batch" ? b.command.dossierCodes : [],
    );
    expect(new Set(listed).size).toBe(1033);
    // Each batch in its own FIFO group, with a deduplication id fixed by version and batch number.
    expect(new Set(sent.map((m) => m.groupId)).size).toBe(3);
    const again = world(open, 250);
    await again.reevaluation.handle(all.command);
    expect(again.sent.map((m) => m.deduplicationId)).toEqual(sent.map((m) => m.deduplicationId));
  });

  it("turns a batch into one reevaluate per dossier, grouped by dossier code", async () => {
    const { reevaluation, sent } = world({});
    const batch = {
      command: "reevaluate-batch",
      calendarVersion: VERSION,
      batch: 4,
      dossierCodes: ["X-1", "X-2", "X-3"],
    } as const;

    expect(await reevaluation.handle(batch)).toBe(3);

    expect(sent.map((m) => m.groupId)).toEqual(["X-1", "X-2", "X-3"]);
    expect(sent.map((m) => parseEventsMessage(m.body))).toEqual(
      ["X-1", "X-2", "X-3"].map((dossierCode) => ({
        kind: "reevaluate",
        command: { command: "reevaluate", dossierCode, calendarVersion: VERSION },
      })),
    );
  });

  it("rejects a malformed calendar command with its reason", () => {
    const body = JSON.stringify({
      command: "reevaluate-batch",
      calendarVersion: VERSION,
      batch: 0,
      dossierCodes: [],
    });
    expect(() => parseEventsMessage(body)).toThrow(/invalid command/);
    const tooMany = JSON.stringify({
      command: "reevaluate-batch",
      calendarVersion: VERSION,
      batch: 0,
      dossierCodes: codes("Z", REEVALUATE_BATCH_SIZE + 1),
    });
    expect(() => parseEventsMessage(tooMany)).toThrow(/invalid command/);
  });
});
