import { randomBytes } from "node:crypto";
import { DynamoDbSyncSenderRepository } from "../../../shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts";
import { SyncSenders } from "../../../shared/app/sync-senders.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { withTable } from "../table.ts";

const HELP = `Usage: dunghan sync-sender issue --id ID --name NAME --agency AGENCY [--agency …]
                                 [--default-agency AGENCY] [--success-code CODE]
       dunghan sync-sender revoke --id ID
       dunghan sync-sender list
  where:  [--data DIR]                   the local stack's data folder (default .dunghan; stop npm start first)
          [--table NAME [--endpoint URL]] a deployed stack's table (the TableName output; AWS credentials
                                          from the environment), or any DynamoDB endpoint

Issues, revokes and lists the credentials of the systems that push the national portal's sync
payload to POST /sync/dvcqg… (docs/integration.md). A credential is "<id>.<secret>": printed once
on stdout, kept only as a SHA-256 hash. Issuing again for the same id replaces the secret.

Options:
  --id ID               the sender's id: lower-case letters, digits and "-" (e.g. mot-cua-thanh-hoa)
  --name NAME           who it is, for people (e.g. "Hệ thống một cửa điện tử tỉnh")
  --agency AGENCY       an agency id the sender may write (the envelope's madonvi); repeat for more
  --default-agency AGENCY
                        the agency of a record whose envelope names no madonvi (TD's three URLs
                        never do): one of the --agency values. Without it, DonViXuLy names the agency
  --success-code CODE   the error_code its client reads as success (default "0"; "00" for some OpenCPS builds)
  -h, --help            this help`;

export const syncSenderCommand: Command = {
  name: "sync-sender",
  summary: "issue, revoke or list the credentials of national sync payload senders",
  help: HELP,
  async run(argv, io) {
    try {
      const { values, positionals } = parseOptions(argv, {
        id: { type: "string" },
        name: { type: "string" },
        agency: { type: "string", multiple: true },
        "success-code": { type: "string" },
        "default-agency": { type: "string" },
        data: { type: "string" },
        table: { type: "string" },
        endpoint: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const [action] = positionals;
      if (action !== "issue" && action !== "revoke" && action !== "list") {
        throw new InvalidInputError('say what to do: "issue", "revoke" or "list"');
      }
      if (values.endpoint !== undefined && values.table === undefined) {
        throw new InvalidInputError("--endpoint needs --table");
      }
      const now = new Date().toISOString();
      return await withSenders(values, async (senders) => {
        if (action === "issue") {
          const { credential, sender } = await senders.issue(
            {
              id: requireOption(values.id, "id"),
              name: requireOption(values.name, "name"),
              agencies: values.agency ?? [],
              ...(values["success-code"] ? { successCode: values["success-code"] } : {}),
              ...(values["default-agency"] ? { defaultAgency: values["default-agency"] } : {}),
            },
            randomBytes(32),
            now,
          );
          io.stderr(
            `sender ${sender.id} may write ${sender.agencies.join(", ")}; success code "${sender.successCode}"` +
              (sender.defaultAgency === undefined
                ? ".\n"
                : `; records without madonvi go to ${sender.defaultAgency}.\n`) +
              "The credential below is shown once and stored nowhere: give it to the sender over a safe channel.\n",
          );
          io.stdout(`${credential}\n`);
        } else if (action === "revoke") {
          const sender = await senders.revoke(requireOption(values.id, "id"), now);
          io.stdout(`revoked ${sender.id} at ${sender.revokedAt}\n`);
        } else {
          io.stdout(`${JSON.stringify(await senders.list(), null, 2)}\n`);
        }
        return 0;
      });
    } catch (error) {
      return reportError(error, io);
    }
  },
};

async function withSenders(
  values: { data?: string | undefined; table?: string | undefined; endpoint?: string | undefined },
  act: (senders: SyncSenders) => Promise<number>,
): Promise<number> {
  return withTable(values, (documents, design) =>
    act(new SyncSenders({ senders: new DynamoDbSyncSenderRepository({ client: documents, design }) })),
  );
}
