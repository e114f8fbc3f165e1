import { describe, expect, it } from "vitest";
import type { CounterStore } from "../../shared/reports/index.ts";
import {
  AGENCY_B,
  aDossierCode,
  adminA,
  assigned,
  directoryA,
  directoryB,
  handlerA,
  leaderA,
  received,
  resultReady,
} from "./support/builders.ts";
import { useHarness } from "./support/harness.ts";

const start = useHarness({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA, directoryB] });

const NOVEMBER = { from: "2026-11-01", to: "2026-11-30" };

describe("GET /reports", () => {
  it("reports the figures the worker counted as each event was applied, for the caller's agency only", async () => {
    const h = await start();
    const [early, open, other] = [aDossierCode(), aDossierCode(), aDossierCode()];
    await h.ingest([
      received(early, { at: "2026-11-16T09:00:00+07:00" }),
      received(open, { at: "2026-11-16T09:30:00+07:00" }),
      received(other, { at: "2026-11-16T09:00:00+07:00", agencyId: AGENCY_B }),
    ]);
    await h.ingest([
      assigned(early, "2026-11-16T10:00:00+07:00"),
      resultReady(early, "2026-11-17T10:00:00+07:00"),
    ]);

    const byAgency = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, by: "agency" } });
    const byUnit = await h.api("GET /reports", { claims: adminA, query: { ...NOVEMBER, by: "unit" } });

    expect(byAgency.status).toBe(200);
    expect(byAgency.body.lines).toHaveLength(1);
    expect(byAgency.body.total).toMatchObject({
      receivedNew: 2,
      resolved: 1,
      resolvedEarly: 1,
      onTimeRate: 1,
      grade: "green",
      openAtEnd: 1,
      // Due 19/11 (3 working days), still open at the end of November: overdue already projected.
      inProgressOverdue: 1,
    });
    expect(byUnit.body.lines.map((line: { key: string }) => line.key).sort()).toEqual([
      "so-nnmt/mot-cua",
      "so-nnmt/phong-mt",
    ]);
  });

  it("counts a replayed event once", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));

    const report = await h.api("GET /reports", { claims: leaderA, query: NOVEMBER });

    expect(report.body.total.receivedNew).toBe(1);
  });

  it("counts an event whose counting failed after its save exactly once, on the SQS retry", async () => {
    let failures = 0;
    const h = await start({
      wrapTables: (tables) => ({
        ...tables,
        counters: {
          read: (...args: Parameters<CounterStore["read"]>) => tables.counters.read(...args),
          apply: async (deltas, options) => {
            if (failures === 0) {
              failures += 1;
              throw new Error("ProvisionedThroughputExceededException");
            }
            return tables.counters.apply(deltas, options);
          },
        },
      }),
    });
    const code = aDossierCode();

    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    const report = await h.api("GET /reports", { claims: leaderA, query: NOVEMBER });

    expect(failures).toBe(1);
    expect(report.body.total.receivedNew).toBe(1);
    expect(h.eventsDlq.sent()).toHaveLength(0);
  });

  it("refuses handlers (403) and a malformed period (400)", async () => {
    const h = await start();

    const asHandler = await h.api("GET /reports", { claims: handlerA, query: NOVEMBER });
    const badDay = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-11", to: "2026-11-30" },
    });
    const backwards = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-11-30", to: "2026-11-01" },
    });

    expect(asHandler.status).toBe(403);
    expect(badDay.status).toBe(400);
    expect(backwards.status).toBe(400);
  });

  it("exports CSV (BOM, semicolons); XLSX is the CLI's, not the API's", async () => {
    const h = await start();
    await h.ingest(received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }));

    const csv = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, format: "csv" } });
    const xlsx = await h.api("GET /reports", { claims: leaderA, query: { ...NOVEMBER, format: "xlsx" } });

    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(String(csv.body).startsWith("\uFEFF")).toBe(true);
    expect(String(csv.body)).toContain(";");
    expect(xlsx.status).toBe(400);
  });
});
