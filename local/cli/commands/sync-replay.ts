import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { SYNC_ROUTES } from "../../../functions/api-routes.ts";
import { S3BlobStore } from "../../../shared/adapters/s3/s3-blob-store.ts";
import type { BlobStore } from "../../../shared/app/blob-store.ts";
import type { ArchivedPayload } from "../../../shared/app/sync-receive.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { SYNC_PAYLOAD_RETENTION_DAYS, SyncPayloadArchive } from "../../runtime/sync-archive.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";

const HELP = `Usage: dunghan sync-replay --sender ID --credential CRED [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--url URL] [--data DIR | --bucket NAME]

Sends a sender's kept raw sync payloads (docs/integration.md, "The raw payloads") again to a
running dunghan, in arrival order: after a mapping fix, what the old mapping refused or mapped
wrongly is mapped again. Payloads already mapped right come back unchanged (re-sends are free).

Options:
  --sender ID         whose payloads (the sender id of the credential)
  --credential CRED   the sender's credential (a kept payload carries none)
  --from, --to        local days, inclusive (default: everything kept)
  --url URL           the running stack (default http://127.0.0.1:3000; on AWS the ApiUrl output)
  --data DIR          the local data folder's sync-payloads/ (default .dunghan)
  --bucket NAME       on AWS: the SyncPayloadsBucket output, read with the operator's AWS
                      credentials from the environment (s3:ListBucket, s3:GetObject, kms:Decrypt)
  -h, --help          this help`;

/** Where kept payloads are read: the local sealed folder, or the KMS-encrypted bucket on AWS. */
type KeptPayloads = Pick<BlobStore, "get"> & { list(prefix: string): Promise<string[]> };

/**
 * The SyncPayloads bucket, read with the operator's credentials: every key under a prefix in key
 * order (the day, then the arrival instant), and each object. Here and not in the S3 adapter: no
 * function lists the bucket, and the Lambda bundles stay without the listing command.
 */
function bucketPayloads(client: S3Client, bucket: string): KeptPayloads {
  const objects = new S3BlobStore({ client, bucket });
  return {
    get: (key) => objects.get(key),
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    },
  };
}

export const syncReplayCommand: Command = {
  name: "sync-replay",
  summary: "send a sender's kept raw sync payloads again (after a mapping fix)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        sender: { type: "string" },
        credential: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        url: { type: "string" },
        data: { type: "string" },
        bucket: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const sender = requireOption(values.sender, "sender");
      const credential = requireOption(values.credential, "credential");
      for (const day of [values.from, values.to]) {
        if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day))
          throw new InvalidInputError(`not a day: ${day}`);
      }
      const url = (values.url ?? "http://127.0.0.1:3000").replace(/\/$/, "");
      if (values.bucket !== undefined && values.data !== undefined)
        throw new InvalidInputError("give --data or --bucket, not both");
      const archive: KeptPayloads =
        values.bucket === undefined
          ? new SyncPayloadArchive({
              root: join(values.data ?? ".dunghan", "sync-payloads"),
              retentionDays: SYNC_PAYLOAD_RETENTION_DAYS,
              now: () => Date.now(),
            })
          : bucketPayloads(new S3Client({}), values.bucket);
      const keys = (await archive.list(`dvcqg/${sender}/`)).filter((key) => {
        const day = key.split("/")[2] ?? "";
        return (
          (values.from === undefined || day >= values.from) && (values.to === undefined || day <= values.to)
        );
      });
      const byCode: Record<string, number> = {};
      for (const key of keys) {
        const blob = await archive.get(key);
        if (!blob) continue;
        const payload = JSON.parse(Buffer.from(blob.body).toString("utf8")) as ArchivedPayload;
        const route = SYNC_ROUTES.find((candidate) => candidate.sync === payload.route);
        if (!route) continue;
        const response = await fetch(`${url}${route.path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
          body: JSON.stringify(payload.body),
        });
        const reply = (await response.json()) as { error_code?: string };
        const code = `${response.status} ${reply.error_code ?? "?"}`;
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
      io.stdout(`${JSON.stringify({ replayed: keys.length, byCode })}\n`);
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};
