/**
 * Copies the apology letter's typeface, Tinos (metric-compatible with Times New Roman, SIL Open
 * Font License 1.1), into shared/letters/render/fonts/: the eight WOFF files the letter inlines as
 * data URLs (LETTER_FONT_FILES: Latin and Vietnamese subsets of the four faces) and the licence
 * (docs/letter-font.md). Source: the `@fontsource/tinos` package (a dev dependency). Run
 * `npx tsx local/fonts/letter-font.ts` after updating the package; test/unit/letters/letter-font.test.ts
 * fails while the folder and the package disagree.
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LETTER_FONTS_SOURCE_DIR } from "../../shared/adapters/fonts/letter-font-files.ts";
import { LETTER_FONT_FILES, LETTER_FONT_LICENCE_FILE } from "../../shared/letters/render/index.ts";

/** The installed package's folder. */
export function fontPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@fontsource/tinos/package.json"));
}

/** The installed package's version and licence. */
export function fontPackage(): { readonly version: string; readonly license: string } {
  return JSON.parse(readFileSync(join(fontPackageDir(), "package.json"), "utf8")) as {
    version: string;
    license: string;
  };
}

/** Each vendored file's name with the package file it is a copy of. */
export function vendoredFontFiles(): readonly { readonly name: string; readonly from: string }[] {
  const dir = fontPackageDir();
  return [
    ...LETTER_FONT_FILES.map(({ file }) => ({ name: file, from: join(dir, "files", file) })),
    { name: LETTER_FONT_LICENCE_FILE, from: join(dir, "LICENSE") },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(LETTER_FONTS_SOURCE_DIR, { recursive: true });
  for (const { name, from } of vendoredFontFiles()) copyFileSync(from, join(LETTER_FONTS_SOURCE_DIR, name));
  const { version, license } = fontPackage();
  process.stdout.write(
    `copied @fontsource/tinos ${version} (${license}) into ${LETTER_FONTS_SOURCE_DIR}: ${vendoredFontFiles().length} files\n`,
  );
}
