import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileZaloTokenStore, ZaloTokenError } from "../../../shared/adapters/zalo/zalo-tokens.ts";

describe("FileZaloTokenStore", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "zalo-tokens-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the tokens readable by the owner only and reads them back", async () => {
    const store = new FileZaloTokenStore(join(dir, "secrets", "zalo-tokens.json"));
    const tokens = { accessToken: "a-1", refreshToken: "r-1", expiresAt: 1_764_554_400_000 };

    await store.write(tokens);

    expect(await store.read()).toEqual(tokens);
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
  });

  it("replaces the file whole: a second write leaves exactly the new pair", async () => {
    const store = new FileZaloTokenStore(join(dir, "zalo-tokens.json"));
    await store.write({ accessToken: "a-1", refreshToken: "r-1", expiresAt: 1 });

    await store.write({ accessToken: "a-2", refreshToken: "r-2", expiresAt: 2 });

    expect(JSON.parse(await readFile(store.file, "utf8"))).toEqual({
      accessToken: "a-2",
      refreshToken: "r-2",
      expiresAt: 2,
    });
  });

  it("a missing or malformed file is a ZaloTokenError whose message holds no token", async () => {
    const file = join(dir, "zalo-tokens.json");
    await expect(new FileZaloTokenStore(file).read()).rejects.toBeInstanceOf(ZaloTokenError);
    await writeFile(file, JSON.stringify({ accessToken: "secret-token-value" }));

    const error = (await new FileZaloTokenStore(file).read().catch((e: unknown) => e)) as Error;

    expect(error).toBeInstanceOf(ZaloTokenError);
    expect(error.message).not.toContain("secret-token-value");
  });
});
