import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { LAMBDA_ESBUILD } from "../../cdk/bundling.ts";
import { REPO_ROOT } from "../../cdk/dunghan-function.ts";

const dir = mkdtempSync(join(tmpdir(), "dunghan-names-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every error class a Lambda may throw or log, as the handlers see it once bundled. */
const ENTRY = `
export * from "${REPO_ROOT}/shared/errors.ts";
export { UnauthenticatedError, ForbiddenError } from "${REPO_ROOT}/shared/app/actor.ts";
export { ThrottledError, PermanentDeliveryError } from "${REPO_ROOT}/shared/app/messaging-ports.ts";
export { ZaloRefusalError } from "${REPO_ROOT}/shared/app/citizen-channels.ts";
export { ConcurrencyError } from "${REPO_ROOT}/shared/app/ports.ts";
export { InvalidEventsError } from "${REPO_ROOT}/shared/app/ingest-events.ts";
export { QueueSendError } from "${REPO_ROOT}/shared/app/queue.ts";
export { ConfigError } from "${REPO_ROOT}/functions/config.ts";
`;

describe("error names in a bundle built as the Lambdas are (minified, names not kept)", () => {
  it("are the class names, so logs and dead-letter reasons stay readable", async () => {
    const outfile = join(dir, "errors.mjs");
    await build({
      ...LAMBDA_ESBUILD,
      sourcemap: false,
      stdin: { contents: ENTRY, resolveDir: REPO_ROOT, loader: "ts" },
      outfile,
      logLevel: "silent",
    });
    const bundled = (await import(pathToFileURL(outfile).href)) as Record<
      string,
      new (
        ...args: never[]
      ) => Error
    >;
    const named = Object.fromEntries(
      Object.entries(bundled)
        // DomainError is abstract: never thrown itself.
        .filter(([exported, value]) => exported !== "DomainError" && value?.prototype instanceof Error)
        .map(([exported, ErrorClass]) => {
          const instance =
            exported === "ZaloRefusalError"
              ? new (ErrorClass as unknown as new (r: string, m: string) => Error)("REFUSED", "m")
              : new (ErrorClass as unknown as new (m: string, d?: unknown) => Error)("m");
          return [exported, instance.name];
        }),
    );
    expect(Object.keys(named).length).toBeGreaterThanOrEqual(14);
    for (const [exported, name] of Object.entries(named)) expect(name, exported).toBe(exported);
  });
});
