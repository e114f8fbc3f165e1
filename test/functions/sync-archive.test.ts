import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SyncPayloadArchive } from "../../local/runtime/sync-archive.ts";
import { archiveKey } from "../../shared/app/sync-receive.ts";

/** The local stand-in of the sync payloads bucket: sealed at rest, listed by prefix, expiring. */
let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function archive(now: () => number) {
  root = await mkdtemp(join(tmpdir(), "dunghan-sync-archive-"));
  return new SyncPayloadArchive({ root, retentionDays: 90, now });
}

const PAYLOAD = JSON.stringify({
  body: [{ MaHoSo: "H1", SoDienThoai: "0912345678", ChuHoSo: "Nguyễn Văn An" }],
});

describe("the local sync payload archive", () => {
  it("keeps a payload sealed on disk and gives it back whole", async () => {
    const store = await archive(() => Date.parse("2026-12-01T02:00:00Z"));
    const key = archiveKey("mot-cua", "2026-12-01T02:00:00.000Z", "abcdef0123456789");
    await store.put(key, PAYLOAD, "application/json");
    const onDisk = await readFile(join(root!, key));
    expect(onDisk.toString("latin1")).not.toContain("0912345678");
    expect(onDisk.toString("utf8")).not.toContain("Nguyễn");
    const back = await store.get(key);
    expect(Buffer.from(back!.body).toString("utf8")).toBe(PAYLOAD);
    expect(back!.contentType).toBe("application/json");
  });

  it("lists a sender's payloads in arrival order, and nothing of another sender", async () => {
    const store = await archive(() => Date.parse("2026-12-01T02:00:00Z"));
    const keys = ["2026-12-01T02:00:01.000Z", "2026-12-01T01:00:00.000Z", "2026-11-30T18:00:00.000Z"].map(
      (at) => archiveKey("mot-cua", at, "0000000000000000"),
    );
    for (const key of keys) await store.put(key, PAYLOAD, "application/json");
    await store.put(
      archiveKey("khac", "2026-12-01T01:00:00.000Z", "1111111111111111"),
      PAYLOAD,
      "application/json",
    );
    expect(await store.list("dvcqg/mot-cua/")).toEqual([keys[2], keys[1], keys[0]]);
    // 18:00 UTC on 30/11 is 01:00 on 01/12 in Hanoi: the local day.
    expect(keys[2]).toMatch(/^dvcqg\/mot-cua\/2026-12-01\//);
  });

  it("removes the day folders older than the retention, and only those", async () => {
    let now = Date.parse("2026-09-01T02:00:00Z");
    const store = await archive(() => now);
    const old = archiveKey("mot-cua", "2026-09-01T02:00:00.000Z", "0000000000000000");
    const recent = archiveKey("mot-cua", "2026-10-15T02:00:00.000Z", "0000000000000000");
    await store.put(old, PAYLOAD, "application/json");
    await store.put(recent, PAYLOAD, "application/json");
    now = Date.parse("2026-12-01T02:00:00Z"); // 91 days after the old one, 47 after the recent one
    expect(await store.prune()).toBe(1);
    expect(await readdir(join(root!, "dvcqg", "mot-cua"))).toEqual(["2026-10-15"]);
    expect(await store.get(old)).toBeUndefined();
  });
});
