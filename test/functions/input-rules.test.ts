import { afterEach, describe, expect, it } from "vitest";
import { directoryA, handlerA, leaderA } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

/** The API checks a path's dossier code and a query's dates with the domain's one rule for each. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const start = async () => {
  harness = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
  return harness;
};

describe("api: one rule for dossier codes and dates", () => {
  it("refuses a path code outside the dossier-code rule (400), not a lookup that finds nothing (404)", async () => {
    const h = await start();

    const response = await h.api("GET /dossiers/{code}", {
      claims: handlerA,
      path: { code: "H42 2611/0001" },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "INVALID_INPUT",
        message: "invalid path — code: invalid dossier code",
        details: { fields: ["code"] },
      },
    });
  });

  it("refuses a report day that does not exist, naming the field", async () => {
    const h = await start();

    const response = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-02-30", to: "2026-03-31" },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: "INVALID_INPUT",
        message: "invalid query — from: no such day",
        details: { fields: ["from"] },
      },
    });
  });
});
