import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LETTER_FONT_FILES, type LetterFonts, letterFontFaces } from "../../letters/render/index.ts";

/**
 * The letter's font files, read from a folder: the vendored `shared/letters/render/fonts/` when
 * running from source (tsx, vitest, the CLI, the local runtime, CDK synthesis), the
 * `letter-fonts/` folder next to the bundle in a Lambda asset (cdk/bundling.ts copies it there
 * after esbuild, for the functions that render letters). docs/letter-font.md.
 */

/** The vendored files, in the repository (an absolute path when this module runs from source). */
export const LETTER_FONTS_SOURCE_DIR = fileURLToPath(new URL("../../letters/render/fonts", import.meta.url));

/** The folder, next to a Lambda's `index.mjs`, that bundling copies the vendored files into. */
export const LETTER_FONTS_ASSET_DIR = "letter-fonts";

/**
 * Where to look, first found wins: next to the running module (bundled, this module is the
 * bundle: `/var/task/index.mjs` on Lambda, so `/var/task/letter-fonts`), then the source folder.
 */
export function letterFontDirs(moduleUrl: string = import.meta.url): readonly string[] {
  return [join(dirname(fileURLToPath(moduleUrl)), LETTER_FONTS_ASSET_DIR), LETTER_FONTS_SOURCE_DIR];
}

/**
 * LetterFonts over the files of the first folder of `dirs` that has them. Lazy: nothing is read
 * until a letter is rendered, then the eight files once, and the rules are kept for the process.
 */
export class LetterFontFiles implements LetterFonts {
  readonly #dirs: readonly string[];
  #faces: string | undefined;

  constructor(dirs: readonly string[] = letterFontDirs()) {
    this.#dirs = dirs;
  }

  faces(): string {
    this.#faces ??= this.#read();
    return this.#faces;
  }

  /** The folder the files are read from (throws when none of the folders has them all). */
  dir(): string {
    const dir = this.#dirs.find((candidate) =>
      LETTER_FONT_FILES.every(({ file }) => existsSync(join(candidate, file))),
    );
    if (dir === undefined) {
      throw new Error(
        `the letter's font files (${LETTER_FONT_FILES.length} WOFF) are in none of: ${this.#dirs.join(", ")}`,
      );
    }
    return dir;
  }

  #read(): string {
    const dir = this.dir();
    return letterFontFaces((file) => readFileSync(join(dir, file)).toString("base64"));
  }
}

/** One per process: the composition roots share it, so the files are read at most once. */
export const letterFontFiles: LetterFonts = new LetterFontFiles();
