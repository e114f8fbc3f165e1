import { describe, expect, it } from "vitest";
import { allPages, StaffApiClient } from "../../../dashboard/web/api-client.ts";

describe("the dashboard's lists", () => {
  it("follow the cursor past short and empty pages (a unit leader's scoped listing)", async () => {
    // The API reads index pages for a unit leader and may return a page with none of theirs yet.
    const pages: Record<string, { items: string[]; cursor?: string }> = {
      "/dossiers?overdue=true&limit=200": { items: [], cursor: "a/b" },
      "/dossiers?overdue=true&limit=200&cursor=a%2Fb": { items: ["LATE"], cursor: "c" },
      "/dossiers?overdue=true&limit=200&cursor=c": { items: ["LATER"] },
    };
    const asked: string[] = [];
    const items = await allPages(async (path) => {
      asked.push(path);
      return pages[path]!;
    }, "/dossiers?overdue=true&limit=200");

    expect(items).toEqual(["LATE", "LATER"]);
    expect(asked).toHaveLength(3);
  });
});

describe("the dashboard's typed client", () => {
  it("asks the server for the filters (the caller's own, due soon), never the first page to filter", async () => {
    const asked: string[] = [];
    const client = new StaffApiClient({
      json: async (_method, path) => {
        asked.push(path);
        return { items: [], cursor: undefined };
      },
      text: async () => "",
    });

    await client.dossiers({ mine: true, due: "soon" });
    await client.dossiers({ unit: "phong-mt", status: "paused", limit: 50 });

    expect(asked).toEqual([
      "/dossiers?status=in-progress&due=soon&mine=1&limit=200",
      "/dossiers?status=paused&unit=phong-mt&limit=50",
    ]);
  });
});
