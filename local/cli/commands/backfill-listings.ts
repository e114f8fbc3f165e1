import { DynamoDbDossierListingRepair } from "../../../shared/adapters/dynamodb/listing-repair.dynamodb.ts";
import { BackfillListings, type BackfillListingsResult } from "../../../shared/app/backfill-listings.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { type Command, parseOptions, reportError } from "../command.ts";
import { withTable } from "../table.ts";

const HELP = `Usage: dunghan backfill-listings [--agency ID] [--dry-run] [--cursor C] [--pages N] [--page-size N] [--json]
  where:  [--data DIR]                    the local stack's data folder (default .dunghan; stop npm start first)
          [--table NAME [--region R] [--endpoint URL]]
                                          a deployed stack's table (the TableName output; AWS credentials
                                          from the environment), or any DynamoDB endpoint

Writes the listing items of stored dossiers that lack them or hold stale ones: dossiers saved
before the handler and unit listings existed are missing from "Hồ sơ của tôi" (GET /dossiers?mine=1),
handler= and unit= until their next event. Each dossier gets the items its last save would have
written (from the listing stored with its snapshot), only where they differ, conditional on its
version; the event log and the snapshot are not written.
Run it once after upgrading (docs/deploy.md); a second run writes nothing. Prints counts only.

Options:
  --agency ID     only this agency's dossiers (default: every dossier in the table)
  --dry-run       count what would be written, write nothing
  --cursor C      resume where a run stopped (the cursor it printed)
  --pages N       stop after N pages and print the cursor to resume with
  --page-size N   table items read per page, 1 to 500 (default 100; the scan reads every item)
  --json          the counts as JSON
  -h, --help      this help`;

export const backfillListingsCommand: Command = {
  name: "backfill-listings",
  summary: "write the handler and unit listings of dossiers stored before they existed",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        agency: { type: "string" },
        "dry-run": { type: "boolean" },
        cursor: { type: "string" },
        pages: { type: "string" },
        "page-size": { type: "string" },
        json: { type: "boolean" },
        data: { type: "string" },
        table: { type: "string" },
        region: { type: "string" },
        endpoint: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      if ((values.endpoint !== undefined || values.region !== undefined) && values.table === undefined) {
        throw new InvalidInputError("--endpoint and --region need --table");
      }
      const maxPages = values.pages === undefined ? undefined : Number(values.pages);
      if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1)) {
        throw new InvalidInputError(`--pages must be a positive integer: ${values.pages}`);
      }
      const pageSize = values["page-size"] === undefined ? undefined : Number(values["page-size"]);
      if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)) {
        throw new InvalidInputError(`--page-size must be an integer from 1 to 500: ${values["page-size"]}`);
      }
      if (values.agency === "") throw new InvalidInputError("--agency needs an agency id");
      const result = await withTable(values, (doc, design) =>
        new BackfillListings({ listings: new DynamoDbDossierListingRepair({ client: doc, design }) }).run({
          agencyId: values.agency,
          dryRun: values["dry-run"] ?? false,
          cursor: values.cursor,
          maxPages,
          pageSize,
        }),
      );
      io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : summary(result));
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

function summary(result: BackfillListingsResult): string {
  const verb = result.dryRun ? "would write" : "written";
  const lines = [
    `scanned:          ${result.scanned}`,
    `${verb.padEnd(16)}: ${result.written} dossiers (${result.itemsWritten} items)`,
    `already current:  ${result.alreadyCurrent}`,
    `saved meanwhile:  ${result.movedOn}`,
  ];
  if (result.dryRun) lines.push("dry run: nothing was written");
  if (result.cursor !== undefined) lines.push(`not finished: resume with --cursor ${result.cursor}`);
  return `${lines.join("\n")}\n`;
}
