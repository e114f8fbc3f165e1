import { describe, expect, it } from "vitest";
import { allPages } from "../../../dashboard/web/ui.ts";

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
      return pages[path];
    }, "/dossiers?overdue=true&limit=200");

    expect(items).toEqual(["LATE", "LATER"]);
    expect(asked).toHaveLength(3);
  });
});
