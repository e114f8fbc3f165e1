import { readFile, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { FileBlobStore } from "../../../shared/adapters/s3/file-blob-store.ts";
import { BlobCatalogueStore, catalogueVersion } from "../../../shared/app/catalogue-admin.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { parseCatalogue } from "../../../shared/sync/catalogue.ts";
import { type CatalogueImport, catalogueFromRows, parseCsv } from "../../../shared/sync/catalogue-import.ts";
import { type Command, parseOptions, reportError } from "../command.ts";
import { readXlsxRows } from "../xlsx.ts";

const HELP = `Usage: dunghan catalog import FILE [--out FILE | --data DIR] [--skip-invalid]

Reads the procedure catalogue — the list of procedures exported from the national procedure
database (CSV or XLSX, the columns listed in docs/reports.md, "Importing the procedure
catalogue"), or a catalogue JSON — checks every row and prints the catalogue JSON
({"version", "procedures": [...]}, each procedure in the received event's "procedure" shape):
what PUT /catalogue takes and what "dunghan simulate --format dvcqg --catalog" reads.

Options:
  --out FILE       write the JSON to FILE instead of standard output
  --data DIR       store it in the local stack's data folder (e.g. .dunghan): the running
                   "npm start" uses it within a minute, as PUT /catalogue would
  --skip-invalid   keep the rows that can be read and list the others on stderr (default:
                   any row that cannot be read → exit 2, nothing written)
  -h, --help       this help

A summary goes to stderr: procedures read, rows refused (with their row number and reason), the
catalogue version (a digest of the procedures: the same catalogue, the same version).`;

/** The catalogue rows of a file, by its extension: .csv, .xlsx or .json. */
export async function readCatalogueFile(path: string): Promise<CatalogueImport> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    throw new InvalidInputError(
      `cannot read catalogue file "${path}": ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  switch (extname(path).toLowerCase()) {
    case ".csv":
    case ".txt":
      return catalogueFromRows(parseCsv(new TextDecoder().decode(bytes)));
    case ".xlsx":
      return catalogueFromRows(await readXlsxRows(bytes));
    case ".json": {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch (error) {
        throw new InvalidInputError(`${path} is not JSON: ${(error as Error).message}`);
      }
      const catalogue = parseCatalogue(json);
      return { procedures: [...catalogue.procedures.values()], errors: [], columns: {} };
    }
    default:
      throw new InvalidInputError(`${path}: expected a .csv, .xlsx or .json file`);
  }
}

export const catalogCommand: Command = {
  name: "catalog",
  summary: "import the procedure catalogue (CSV/XLSX from the national database) as JSON",
  help: HELP,
  async run(argv, io) {
    try {
      const { values, positionals } = parseOptions(argv, {
        out: { type: "string" },
        data: { type: "string" },
        "skip-invalid": { type: "boolean" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const [action, file, ...extra] = positionals;
      if (action !== "import") throw new InvalidInputError('expected "dunghan catalog import FILE"');
      if (file === undefined) throw new InvalidInputError("give the catalogue file");
      if (extra.length > 0)
        throw new InvalidInputError(`one file at a time (also given: ${extra.join(" ")})`);
      if (values.out !== undefined && values.data !== undefined) {
        throw new InvalidInputError("--out and --data cannot be used together");
      }

      const read = await readCatalogueFile(file);
      const refused = read.errors.map(
        (error) => `  row ${error.row}${error.code ? ` (${error.code})` : ""}: ${error.reason}\n`,
      );
      if (refused.length > 0 && !values["skip-invalid"]) {
        io.stderr(`dunghan: ${refused.length} row(s) of ${file} cannot be read:\n${refused.join("")}`);
        return 2;
      }
      if (read.procedures.length === 0) throw new InvalidInputError(`${file} holds no procedure`);
      // The catalogue model checks the result as PUT /catalogue would.
      const catalogue = parseCatalogue(read.procedures);
      const procedures = [...catalogue.procedures.values()];
      const version = catalogueVersion(procedures);
      const json = `${JSON.stringify({ version, procedures }, null, 2)}\n`;

      if (values.data !== undefined) {
        const store = new BlobCatalogueStore(new FileBlobStore(join(values.data, "letters")), {
          now: () => 0,
        });
        await store.put({ version, procedures });
      } else if (values.out !== undefined) {
        await writeFile(values.out, json);
      } else {
        io.stdout(json);
      }
      if (refused.length > 0) io.stderr(`dunghan: skipped ${refused.length} row(s):\n${refused.join("")}`);
      io.stderr(
        `dunghan: ${procedures.length} procedure(s), catalogue version ${version}${
          values.data !== undefined ? `, stored in ${values.data}` : ""
        }\n`,
      );
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};
