import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BundlingOptions as CdkBundlingOptions,
  Charset,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";
import type { FunctionName } from "../functions/config.ts";
import {
  LETTER_FONTS_ASSET_DIR,
  LETTER_FONTS_SOURCE_DIR,
} from "../shared/adapters/fonts/letter-font-files.ts";

/**
 * How every Lambda is bundled, in one place: the CDK construct (`lambdaBundling`) and the bundle
 * benchmark (`LAMBDA_ESBUILD`, fed straight to esbuild) read the same values, so the figure the
 * benchmark prints is the bundle that ships.
 */

/** The runtime is nodejs22.x: let esbuild keep every syntax Node 22 runs natively. */
export const LAMBDA_NODE_TARGET = "node22";

/**
 * ESM output still meets CommonJS-only dependencies that call `require` (esbuild's shim throws
 * "Dynamic require of … is not supported" without one). The alias keeps the banner from
 * colliding with a bundled module's own `createRequire` import.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __dunghanCreateRequire } from 'node:module'; const require = __dunghanCreateRequire(import.meta.url);";

/** The nodejs22.x runtime ships AWS SDK v3: bundling it again costs size and cold-start time. */
export const RUNTIME_PROVIDED_MODULES = ["@aws-sdk/*"] as const;

export const LAMBDA_ESBUILD = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: LAMBDA_NODE_TARGET,
  minify: true,
  // Names are not kept (17 KB of the api bundle): errors state their own `name` (shared/errors.ts),
  // which test/infra/bundled-names.test.ts checks on a bundle built with these options.
  keepNames: false,
  sourcemap: true,
  // Stack traces need the mappings, not the sources: a map without sources is a fraction of the size.
  sourcesContent: false,
  // Prefer packages' ESM builds: they tree-shake; their CJS builds usually do not.
  mainFields: ["module", "main"],
  // Vietnamese text stays UTF-8 instead of \uXXXX escapes (smaller and greppable).
  charset: "utf8",
  banner: { js: ESM_REQUIRE_BANNER },
  external: [...RUNTIME_PROVIDED_MODULES],
} satisfies BuildOptions;

/**
 * The functions that render the HTML apology letter, whose asset carries the letter's font files
 * (docs/letter-font.md): the letter inlines them, but they are read at run time, not bundled, so
 * they add nothing to the JS bundle and nothing to the functions that never render a letter.
 * test/infra/letter-fonts-asset.test.ts fails when a bundle reads the fonts and is not listed here.
 */
export const LETTER_RENDERING_FUNCTIONS: readonly FunctionName[] = ["api", "apology"];

/** The repository root, as bundling's `inputDir` is (NodejsFunction's projectRoot). */
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * The afterBundling commands that copy the vendored font files (licence included) into the
 * asset, as `letter-fonts/` next to `index.mjs`, where shared/adapters/fonts/letter-font-files.ts
 * looks first. POSIX shell: local bundling runs them with bash, Docker bundling in Linux.
 */
export function letterFontsCopyCommands(inputDir: string, outputDir: string): string[] {
  const from = join(inputDir, relative(PROJECT_ROOT, LETTER_FONTS_SOURCE_DIR));
  const to = join(outputDir, LETTER_FONTS_ASSET_DIR);
  return [`mkdir -p ${shellQuote(to)} && cp ${shellQuote(from)}/* ${shellQuote(to)}/`];
}

/** The same options in the shape `NodejsFunction` takes, for the function `name`. */
export function lambdaBundling(name: FunctionName): CdkBundlingOptions {
  return {
    minify: LAMBDA_ESBUILD.minify,
    keepNames: LAMBDA_ESBUILD.keepNames,
    sourceMap: LAMBDA_ESBUILD.sourcemap,
    sourcesContent: LAMBDA_ESBUILD.sourcesContent,
    format: OutputFormat.ESM,
    target: LAMBDA_ESBUILD.target,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    charset: Charset.UTF8,
    // aws-cdk-lib drops `charset` from the esbuild command line (aws/aws-cdk#32649), so the text
    // shipped as \u escapes, ≈ 5 KB more than the benchmark measured: pass it ourselves
    // (test/infra/shipped-bundle.test.ts compares the two bundles).
    esbuildArgs: { "--charset": LAMBDA_ESBUILD.charset },
    banner: LAMBDA_ESBUILD.banner.js,
    externalModules: [...LAMBDA_ESBUILD.external],
    // Synthesis runs offline with the esbuild in node_modules; never pull a Docker image.
    forceDockerBundling: false,
    ...(LETTER_RENDERING_FUNCTIONS.includes(name)
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: letterFontsCopyCommands,
          },
        }
      : {}),
  };
}
