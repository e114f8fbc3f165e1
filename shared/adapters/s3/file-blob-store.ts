import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Blob, BlobStore } from "../../app/blob-store.ts";
import { InvalidInputError } from "../../errors.ts";

/**
 * The letters bucket stand-in for the local runtime and tests: one file per key under a folder,
 * the content type beside it in "<file>.content-type".
 */
export class FileBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    await writeFile(`${path}.content-type`, contentType);
  }

  async get(key: string): Promise<Blob | undefined> {
    const path = this.#path(key);
    try {
      const [body, contentType] = await Promise.all([
        readFile(path),
        readFile(`${path}.content-type`, "utf8"),
      ]);
      return { body: new Uint8Array(body), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  #path(key: string): string {
    const path = resolve(join(this.#root, key));
    // A key is a path inside the folder: "../" must not climb out of it.
    if (!path.startsWith(this.#root + sep)) throw new InvalidInputError("invalid blob key", { key });
    return path;
  }
}
