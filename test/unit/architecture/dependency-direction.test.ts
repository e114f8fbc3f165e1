import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The dependency direction (docs/architecture.md: the domain owns its interfaces, adapters implement them, a
 * dependency rule keeps the direction), checked on every import of every source file, `import type`
 * and `import()` included:
 *
 *   base ← calendar ← dossier ← alerts | letters | reports | sync ← app ← adapters ← functions ← cdk | local
 *
 * (base: the files at the root of shared/, errors.ts, canonical-json.ts, concurrency.ts.)
 * Each layer lists what it may import besides itself; anything not listed is refused. alerts,
 * letters and reports sit side by side and import none of each other (none does today). The
 * dashboard (local/dashboard) is the staff's web page, which cdk deploys and the local runtime
 * serves: it may import the domain and the app layer, no AWS SDK and no CDK. bench/ may import
 * every layer but test/, test/ every layer; only test/ imports test/. A file in no layer fails too,
 * so a new folder gets a place in this table before it gets code.
 */
type Layer =
  | "base"
  | "calendar"
  | "dossier"
  | "alerts"
  | "letters"
  | "reports"
  | "sync"
  | "app"
  | "adapters"
  | "functions"
  | "dashboard"
  | "cdk"
  | "local"
  | "bench"
  | "bin"
  | "test"
  | "config";

const DOMAIN: readonly Layer[] = ["base", "calendar", "dossier", "alerts", "letters", "reports", "sync"];
const SERVER: readonly Layer[] = [...DOMAIN, "app", "adapters", "functions"];

const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  base: [],
  calendar: ["base"],
  dossier: ["base", "calendar"],
  alerts: ["base", "calendar", "dossier"],
  letters: ["base", "calendar", "dossier"],
  reports: ["base", "calendar", "dossier"],
  sync: ["base", "calendar", "dossier"],
  app: [...DOMAIN],
  adapters: [...DOMAIN, "app"],
  functions: [...DOMAIN, "app", "adapters"],
  dashboard: [...DOMAIN, "app"],
  cdk: [...SERVER, "dashboard"],
  local: [...SERVER, "dashboard"],
  bench: [...SERVER, "dashboard", "cdk", "local"],
  bin: ["local"],
  test: [...SERVER, "dashboard", "cdk", "local", "bench"],
  config: [],
};

/** The layer a repository path (forward slashes) belongs to, most specific first. */
function layerOf(path: string): Layer | undefined {
  const rules: readonly [RegExp, Layer][] = [
    [/^shared\/[^/]+$/, "base"], // errors.ts, canonical-json.ts, concurrency.ts
    [/^shared\/calendar\//, "calendar"],
    [/^shared\/dossier\//, "dossier"],
    [/^shared\/alerts\//, "alerts"],
    [/^shared\/letters\//, "letters"],
    [/^shared\/reports\//, "reports"],
    [/^shared\/sync\//, "sync"],
    [/^shared\/app\//, "app"],
    [/^shared\/adapters\//, "adapters"],
    [/^functions\//, "functions"],
    [/^local\/dashboard\//, "dashboard"],
    [/^local\//, "local"],
    [/^cdk\//, "cdk"],
    [/^bench\//, "bench"],
    [/^bin\//, "bin"],
    [/^test\//, "test"],
    [/^[^/]+$/, "config"], // vitest.config.ts
  ];
  return rules.find(([pattern]) => pattern.test(path))?.[1];
}

/**
 * Packages a layer may not load, by name prefix: the CDK only at synth time, middy only in the
 * handlers, nothing AWS- or Lambda-shaped in the domain, the use cases or the browser page, and
 * exceljs only in the CLI (local/cli/xlsx.ts): not in the domain, and in nothing a Lambda bundles.
 */
const AWS_RUNTIME = ["@aws-sdk/", "@middy/", "@aws-lambda-powertools/", "aws-lambda"];
const CDK = ["aws-cdk-lib", "aws-cdk", "constructs", "cdk-nag"];
const CLI_ONLY = ["exceljs"];
const FORBIDDEN_PACKAGES: Readonly<Partial<Record<Layer, readonly string[]>>> = {
  ...Object.fromEntries(DOMAIN.map((layer) => [layer, [...AWS_RUNTIME, ...CDK, ...CLI_ONLY]])),
  app: [...AWS_RUNTIME, ...CDK, ...CLI_ONLY],
  dashboard: [...AWS_RUNTIME, ...CDK, ...CLI_ONLY],
  adapters: ["@middy/", ...CDK, ...CLI_ONLY],
  functions: [...CDK, ...CLI_ONLY],
  local: CDK,
};

/**
 * Imports the rule refuses but the tree still has, each with its reason. Empty: the one there was
 * (local/runtime/stack.ts took the route table from cdk/) moved to functions/api-routes.ts.
 */
const EXCEPTIONS: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [];

/** The only modules of functions/ that cdk/ may load: data and config, never handler code. */
const CDK_MAY_LOAD_FROM_FUNCTIONS = ["functions/api-routes.ts", "functions/config.ts"];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;

function sourceFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "cdk.out") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

interface Import {
  readonly from: string; // repository path of the importing file
  readonly specifier: string;
  readonly to: string | undefined; // repository path of a relative import; undefined for a package
}

/** Every import, export-from, `import type`, `import()` and `require()` of a file, per the compiler. */
function importsOf(file: string): Import[] {
  const from = relative(ROOT, file).split("\\").join("/");
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.map(({ fileName: specifier }) => ({
    from,
    specifier,
    to: specifier.startsWith(".")
      ? relative(ROOT, resolve(dirname(file), specifier))
          .split("\\")
          .join("/")
      : undefined,
  }));
}

/** `@scope/name/sub` → `@scope/name/`, `name/sub` → `name`, for prefix matching. */
function matchesPackage(specifier: string, prefix: string): boolean {
  return prefix.endsWith("/")
    ? specifier.startsWith(prefix)
    : specifier === prefix || specifier.startsWith(`${prefix}/`);
}

/** What the rule says of one import: undefined if allowed, else why not. */
function violation(entry: Import): string | undefined {
  const fromLayer = layerOf(entry.from);
  if (fromLayer === undefined) return `${entry.from} is in no layer`;
  if (entry.to === undefined) {
    const banned = FORBIDDEN_PACKAGES[fromLayer]?.find((prefix) => matchesPackage(entry.specifier, prefix));
    return banned === undefined ? undefined : `${fromLayer} may not load the package ${entry.specifier}`;
  }
  const toLayer = layerOf(entry.to);
  if (toLayer === undefined) return `${entry.to} is in no layer`;
  if (fromLayer === "cdk" && toLayer === "functions" && !CDK_MAY_LOAD_FROM_FUNCTIONS.includes(entry.to)) {
    return `cdk may load from functions/ only ${CDK_MAY_LOAD_FROM_FUNCTIONS.join(", ")} (no handler code)`;
  }
  if (toLayer === fromLayer || MAY_IMPORT[fromLayer].includes(toLayer)) return undefined;
  return `${fromLayer} may import only ${MAY_IMPORT[fromLayer].join(", ") || "nothing of ours"}, not ${toLayer}`;
}

function offendingImports(imports: readonly Import[]): string[] {
  return imports.flatMap((entry) => {
    const why = violation(entry);
    if (why === undefined) return [];
    if (EXCEPTIONS.some((e) => e.from === entry.from && e.to === entry.to)) return [];
    return [`${entry.from} imports "${entry.specifier}": ${why}`];
  });
}

describe("the dependency direction", () => {
  const files = sourceFiles();
  const imports = files.flatMap(importsOf);

  it("reads the whole tree", () => {
    // A glob gone wrong would check nothing and pass.
    for (const layer of [
      "calendar",
      "dossier",
      "app",
      "adapters",
      "functions",
      "dashboard",
      "cdk",
      "local",
      "bench",
    ])
      expect(
        files.some((file) => layerOf(relative(ROOT, file)) === layer),
        layer,
      ).toBe(true);
    expect(imports.filter((entry) => entry.to !== undefined).length).toBeGreaterThan(500);
  });

  it("holds for every import of every file, naming each one that breaks it", () => {
    expect(offendingImports(imports)).toEqual([]);
  });

  it("has no stale exception", () => {
    for (const exception of EXCEPTIONS) {
      expect(
        imports.some((entry) => entry.from === exception.from && entry.to === exception.to),
        `${exception.from} → ${exception.to}`,
      ).toBe(true);
    }
  });

  it("keeps the route table importing nothing, so cdk reads it without handler code", () => {
    expect(imports.filter((entry) => entry.from === "functions/api-routes.ts")).toEqual([]);
  });

  it("lets cdk load, even through other modules, no handler code and no Lambda runtime package", () => {
    const byFile = new Map<string, Import[]>();
    for (const entry of imports) byFile.set(entry.from, [...(byFile.get(entry.from) ?? []), entry]);
    const loaded = new Set(
      files.map((file) => relative(ROOT, file)).filter((path) => layerOf(path) === "cdk"),
    );
    for (const path of loaded)
      for (const entry of byFile.get(path) ?? []) if (entry.to !== undefined) loaded.add(entry.to);
    const handlerCode = [...loaded].filter(
      (path) => layerOf(path) === "functions" && !CDK_MAY_LOAD_FROM_FUNCTIONS.includes(path),
    );
    const runtimePackages = [...loaded].flatMap((path) =>
      (byFile.get(path) ?? [])
        .filter((entry) => AWS_RUNTIME.some((prefix) => matchesPackage(entry.specifier, prefix)))
        .map((entry) => `${path} loads ${entry.specifier}`),
    );
    expect(loaded.has("functions/api-routes.ts")).toBe(true);
    expect(handlerCode).toEqual([]);
    expect(runtimePackages).toEqual([]);
  });

  it("refuses an import against the direction, naming the file and the rule", () => {
    // The rule itself, on imports the tree does not have: a test that cannot fail is a defect.
    expect(
      offendingImports([
        { from: "shared/dossier/fold.ts", specifier: "../app/actor.ts", to: "shared/app/actor.ts" },
        { from: "shared/alerts/plan.ts", specifier: "../letters/index.ts", to: "shared/letters/index.ts" },
        { from: "functions/api.ts", specifier: "../local/cli/io.ts", to: "local/cli/io.ts" },
        { from: "cdk/dunghan-stack.ts", specifier: "../functions/api.ts", to: "functions/api.ts" },
        { from: "local/runtime/stack.ts", specifier: "../../cdk/config.ts", to: "cdk/config.ts" },
        { from: "shared/app/reports.ts", specifier: "@aws-sdk/client-s3", to: undefined },
        { from: "functions/api.ts", specifier: "aws-cdk-lib/aws-iam", to: undefined },
        { from: "shared/reports/xlsx.ts", specifier: "exceljs", to: undefined },
        { from: "shared/adapters/s3/report-export.ts", specifier: "exceljs", to: undefined },
        { from: "local/cli/xlsx.ts", specifier: "exceljs", to: undefined },
        { from: "shared/sync/dvcqg/map.ts", specifier: "../../app/ports.ts", to: "shared/app/ports.ts" },
        { from: "shared/sync/catalogue.ts", specifier: "../adapters/x.ts", to: "shared/adapters/x.ts" },
        {
          from: "shared/sync/dvcqg/map.ts",
          specifier: "../../dossier/index.ts",
          to: "shared/dossier/index.ts",
        },
        { from: "shared/app/sync-dossiers.ts", specifier: "../sync/index.ts", to: "shared/sync/index.ts" },
        { from: "shared/calendar/lunar.ts", specifier: "../errors.ts", to: "shared/errors.ts" },
        {
          from: "cdk/dunghan-stack.ts",
          specifier: "../functions/api-routes.ts",
          to: "functions/api-routes.ts",
        },
      ]),
    ).toEqual([
      'shared/dossier/fold.ts imports "../app/actor.ts": dossier may import only base, calendar, not app',
      'shared/alerts/plan.ts imports "../letters/index.ts": alerts may import only base, calendar, dossier, not letters',
      'functions/api.ts imports "../local/cli/io.ts": functions may import only base, calendar, dossier, alerts, letters, reports, sync, app, adapters, not local',
      'cdk/dunghan-stack.ts imports "../functions/api.ts": cdk may load from functions/ only functions/api-routes.ts, functions/config.ts (no handler code)',
      'local/runtime/stack.ts imports "../../cdk/config.ts": local may import only base, calendar, dossier, alerts, letters, reports, sync, app, adapters, functions, dashboard, not cdk',
      'shared/app/reports.ts imports "@aws-sdk/client-s3": app may not load the package @aws-sdk/client-s3',
      'functions/api.ts imports "aws-cdk-lib/aws-iam": functions may not load the package aws-cdk-lib/aws-iam',
      'shared/reports/xlsx.ts imports "exceljs": reports may not load the package exceljs',
      'shared/adapters/s3/report-export.ts imports "exceljs": adapters may not load the package exceljs',
      'shared/sync/dvcqg/map.ts imports "../../app/ports.ts": sync may import only base, calendar, dossier, not app',
      'shared/sync/catalogue.ts imports "../adapters/x.ts": sync may import only base, calendar, dossier, not adapters',
    ]);
  });
});
