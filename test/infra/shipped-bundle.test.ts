import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { LAMBDA_ESBUILD, lambdaBundling } from "../../cdk/bundling.ts";
import { functionEntry, LAMBDA_RUNTIME, REPO_ROOT } from "../../cdk/dunghan-function.ts";

/**
 * The bundle benchmark builds with `LAMBDA_ESBUILD`; the stack with `lambdaBundling`, through
 * NodejsFunction's own esbuild command line. The two must give the same file, or the size the
 * benchmark prints is not the size that ships.
 */
const dir = mkdtempSync(join(tmpdir(), "dunghan-shipped-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the api bundle as the stack ships it", () => {
  it("is byte for byte the bundle the benchmark measures (UTF-8 text, not \\u escapes)", async () => {
    const outdir = join(dir, "cdk.out");
    const app = new App({ outdir });
    new NodejsFunction(new Stack(app, "Shipped"), "Api", {
      entry: functionEntry("api"),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: LAMBDA_RUNTIME,
      bundling: lambdaBundling("api"),
    });
    app.synth();
    const asset = readdirSync(outdir).find((name) => name.startsWith("asset."));
    const shipped = readFileSync(join(outdir, asset ?? "missing", "index.mjs"), "utf8");
    const benched = join(dir, "bench", "index.mjs");
    await build({
      ...LAMBDA_ESBUILD,
      entryPoints: [functionEntry("api")],
      outfile: benched,
      logLevel: "silent",
    });

    expect(shipped.includes("Tết Nguyên đán"), "Vietnamese text kept as UTF-8").toBe(true);
    const measured = readFileSync(benched, "utf8");
    expect(Buffer.byteLength(shipped)).toBe(Buffer.byteLength(measured));
    expect(shipped === measured, "the same text").toBe(true);
  }, 60_000);
});
