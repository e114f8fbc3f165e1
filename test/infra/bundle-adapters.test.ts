import { basename } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { LAMBDA_ESBUILD } from "../../cdk/bundling.ts";
import { type FunctionName, functionEntry } from "../../cdk/dunghan-function.ts";

/**
 * A Lambda bundle carries only the DynamoDB adapters of the ports its use cases take
 * (functions/composition-root.ts calls one factory per port): bundled as on deploy, the bundle's
 * own inputs (esbuild's metafile) name the adapter files it holds.
 */
async function adaptersIn(name: FunctionName): Promise<string[]> {
  const { metafile } = await build({
    ...LAMBDA_ESBUILD,
    sourcemap: false,
    entryPoints: [functionEntry(name)],
    outdir: "out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const [output] = Object.values(metafile.outputs);
  return Object.keys(output?.inputs ?? {})
    .filter((input) => input.includes("shared/adapters/dynamodb/") && input.endsWith(".dynamodb.ts"))
    .map((input) => basename(input, ".dynamodb.ts"))
    .sort();
}

describe("the DynamoDB adapters in a Lambda bundle", () => {
  it("api: the repositories its routes read, not the rate limiter, the sync tables or the agenda", async () => {
    const adapters = await adaptersIn("api");

    expect(adapters).toContain("dossier-repository");
    expect(adapters).toContain("sync-discrepancy-log");
    expect(
      ["rate-limiter", "sync-ledger", "sync-sender-repository", "agenda-repository"].filter((adapter) =>
        adapters.includes(adapter),
      ),
    ).toEqual([]);
  });

  it("sweep: the agenda and the alert log only", async () => {
    expect(await adaptersIn("sweep")).toEqual(["agenda-repository", "alert-log"]);
  });

  it("zalo-token-rotation: none (it has no table)", async () => {
    expect(await adaptersIn("zalo-token-rotation")).toEqual([]);
  });
});
