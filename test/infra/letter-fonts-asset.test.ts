import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { App, Stack } from "aws-cdk-lib";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import {
  LAMBDA_ESBUILD,
  LETTER_RENDERING_FUNCTIONS,
  lambdaBundling,
  letterFontsCopyCommands,
} from "../../cdk/bundling.ts";
import { FUNCTION_NAMES, functionEntry, LAMBDA_RUNTIME, REPO_ROOT } from "../../cdk/dunghan-function.ts";
import {
  LETTER_FONTS_ASSET_DIR,
  LETTER_FONTS_SOURCE_DIR,
  letterFontFiles,
} from "../../shared/adapters/fonts/letter-font-files.ts";
import { buildApologyLetter } from "../../shared/letters/apology/index.ts";
import { LETTER_FONT_FILES, renderApologyLetterHtml } from "../../shared/letters/render/index.ts";
import { anApologyLetterInput } from "../unit/letters/builders.ts";

/**
 * The letter's font ships in the Lambda asset, beside the bundle, not inside it (docs/letter-font.md):
 * bundled as on deploy (NodejsFunction's own local esbuild and its afterBundling hook), and read
 * back by a bundle at run time.
 */
const dir = mkdtempSync(join(tmpdir(), "dunghan-letter-fonts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The start of each font file in base64, as it would appear in a bundle that inlined it. */
const FONT_DATA = LETTER_FONT_FILES.map(({ file }) =>
  readFileSync(join(LETTER_FONTS_SOURCE_DIR, file)).toString("base64").slice(0, 200),
);

const VENDORED = readdirSync(LETTER_FONTS_SOURCE_DIR).sort();

describe("the letter's font in the Lambda assets", () => {
  it("is copied by the CDK's own bundling next to the api function's index.mjs, and is not in the bundle", () => {
    const outdir = join(dir, "cdk.out");
    const app = new App({ outdir });
    new NodejsFunction(new Stack(app, "Fonts"), "Api", {
      entry: functionEntry("api"),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: LAMBDA_RUNTIME,
      bundling: lambdaBundling("api"),
    });
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
    expect(assets).toHaveLength(1);
    const asset = join(outdir, assets[0]!);
    expect(readdirSync(asset).sort()).toEqual(["index.mjs", "index.mjs.map", LETTER_FONTS_ASSET_DIR]);
    const fonts = join(asset, LETTER_FONTS_ASSET_DIR);
    expect(readdirSync(fonts).sort()).toEqual(VENDORED);
    expect(VENDORED).toHaveLength(LETTER_FONT_FILES.length + 1); // the eight WOFF files and the OFL
    for (const name of VENDORED) {
      expect(
        readFileSync(join(fonts, name)).equals(readFileSync(join(LETTER_FONTS_SOURCE_DIR, name))),
        name,
      ).toBe(true);
    }
    const bundle = readFileSync(join(asset, "index.mjs"), "utf8");
    for (const data of FONT_DATA) expect(bundle.includes(data)).toBe(false);
  }, 60_000);

  it("goes to exactly the functions whose bundle reads it", async () => {
    const readers: string[] = [];
    for (const name of FUNCTION_NAMES) {
      const result = await build({
        ...LAMBDA_ESBUILD,
        sourcemap: false,
        entryPoints: [functionEntry(name)],
        outfile: join(dir, "all", name, "index.mjs"),
        write: false,
        logLevel: "silent",
      });
      const bundle = result.outputFiles[0]!.text;
      for (const data of FONT_DATA) expect(bundle.includes(data), name).toBe(false);
      if (bundle.includes(`"${LETTER_FONTS_ASSET_DIR}"`)) readers.push(name);
      expect(lambdaBundling(name).commandHooks !== undefined, name).toBe(
        LETTER_RENDERING_FUNCTIONS.includes(name),
      );
    }
    expect(readers.sort()).toEqual([...LETTER_RENDERING_FUNCTIONS].sort());
  }, 60_000);

  it("is what a bundle renders the letter with, read from beside it: the same letter as from source", async () => {
    const probe = join(dir, "probe");
    await build({
      ...LAMBDA_ESBUILD,
      sourcemap: false,
      stdin: {
        contents: `
export { LetterFontFiles } from "${REPO_ROOT}/shared/adapters/fonts/letter-font-files.ts";
export { renderApologyLetterHtml } from "${REPO_ROOT}/shared/letters/render/index.ts";
export { buildApologyLetter } from "${REPO_ROOT}/shared/letters/apology/index.ts";
`,
        resolveDir: REPO_ROOT,
        loader: "ts",
      },
      outfile: join(probe, "index.mjs"),
      logLevel: "silent",
    });
    const bundled = (await import(pathToFileURL(join(probe, "index.mjs")).href)) as {
      LetterFontFiles: new () => { dir(): string; faces(): string };
      renderApologyLetterHtml: typeof renderApologyLetterHtml;
      buildApologyLetter: typeof buildApologyLetter;
    };
    // Before the hook's copy the bundle finds no font: it does not fall back on the source tree.
    expect(() => new bundled.LetterFontFiles().faces()).toThrow(/font files .* are in none of/);

    for (const command of letterFontsCopyCommands(REPO_ROOT, probe)) execFileSync("bash", ["-c", command]);
    expect(existsSync(join(probe, LETTER_FONTS_ASSET_DIR, "OFL.txt"))).toBe(true);
    const fonts = new bundled.LetterFontFiles();
    expect(fonts.dir()).toBe(join(probe, LETTER_FONTS_ASSET_DIR));
    const input = anApologyLetterInput();
    expect(bundled.renderApologyLetterHtml(bundled.buildApologyLetter(input), fonts)).toBe(
      renderApologyLetterHtml(buildApologyLetter(input), letterFontFiles),
    );
  }, 60_000);
});
