import { DynamoDbSyncDiscrepancyLog } from "../../../shared/adapters/dynamodb/sync-discrepancy-log.dynamodb.ts";
import { discrepancyCsv, SyncDiscrepancies } from "../../../shared/app/sync-discrepancies.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { withTable } from "../table.ts";

const HELP = `Usage: dunghan sync-discrepancies --agency ID --from YYYY-MM-DD --to YYYY-MM-DD [--csv]
  where:  [--data DIR]                   the local stack's data folder (default .dunghan; stop npm start first)
          [--table NAME [--endpoint URL]] a deployed stack's table (the TableName output; AWS credentials
                                          from the environment), or any DynamoDB endpoint

What the national sync flagged for one agency, first seen on the local days given (at most 366):
per procedure and rule, then each discrepancy — what GET /sync/discrepancies gives the agency's
admins (docs/integration.md, "Discrepancies"). JSON by default; --csv for one row per discrepancy.

Options:
  --agency ID     the agency (the sender's madonvi, as mapped)
  --from, --to    local days, inclusive
  --csv           CSV instead of JSON
  -h, --help      this help`;

export const syncDiscrepanciesCommand: Command = {
  name: "sync-discrepancies",
  summary: "list what the national sync flagged for an agency (per procedure and rule)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        agency: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        csv: { type: "boolean" },
        data: { type: "string" },
        table: { type: "string" },
        endpoint: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const agencyId = requireOption(values.agency, "agency");
      const period = { from: requireOption(values.from, "from"), to: requireOption(values.to, "to") };
      for (const day of [period.from, period.to]) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new InvalidInputError(`not a day: ${day}`);
      }
      if (values.endpoint !== undefined && values.table === undefined) {
        throw new InvalidInputError("--endpoint needs --table");
      }
      return await withLog(values, async (log) => {
        // Whoever holds the table's credentials reads as the agency's admin.
        const actor = { userId: "cli", name: "dunghan CLI", agencyId, groups: ["admin"] as const };
        const report = await new SyncDiscrepancies({ log }).report(actor, period);
        io.stdout(values.csv ? discrepancyCsv(report) : `${JSON.stringify(report, null, 2)}\n`);
        return 0;
      });
    } catch (error) {
      return reportError(error, io);
    }
  },
};

async function withLog(
  values: { data?: string | undefined; table?: string | undefined; endpoint?: string | undefined },
  act: (log: DynamoDbSyncDiscrepancyLog) => Promise<number>,
): Promise<number> {
  return withTable(values, (documents, design) =>
    act(new DynamoDbSyncDiscrepancyLog({ client: documents, design })),
  );
}
