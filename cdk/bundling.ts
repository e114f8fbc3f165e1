import {
  type BundlingOptions as CdkBundlingOptions,
  Charset,
  OutputFormat,
} from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

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

/** The same options in the shape `NodejsFunction` takes. */
export function lambdaBundling(): CdkBundlingOptions {
  return {
    minify: LAMBDA_ESBUILD.minify,
    keepNames: LAMBDA_ESBUILD.keepNames,
    sourceMap: LAMBDA_ESBUILD.sourcemap,
    sourcesContent: LAMBDA_ESBUILD.sourcesContent,
    format: OutputFormat.ESM,
    target: LAMBDA_ESBUILD.target,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    charset: Charset.UTF8,
    banner: LAMBDA_ESBUILD.banner.js,
    externalModules: [...LAMBDA_ESBUILD.external],
    // Synthesis runs offline with the esbuild in node_modules; never pull a Docker image.
    forceDockerBundling: false,
  };
}
