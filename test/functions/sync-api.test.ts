import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { makeSyncApiHandler } from "../../functions/sync-api.ts";
import { createLogger } from "../../shared/adapters/logging/redaction.ts";
import type { Blob, BlobStore } from "../../shared/app/blob-store.ts";
import { ReceiveSync, type SyncDossiersCall, type SyncOutcome } from "../../shared/app/sync-receive.ts";
import {
  hashSecret,
  type SyncSender,
  type SyncSenderRepository,
  SyncSenders,
} from "../../shared/app/sync-senders.ts";
import { InvalidInputError } from "../../shared/errors.ts";
import { lambdaContext } from "./support/harness.ts";

/** The sync edge with fakes behind it: credentials, the reply shape, the archive. */

class MemorySenders implements SyncSenderRepository {
  readonly items = new Map<string, SyncSender>();
  async get(id: string) {
    return this.items.get(id);
  }
  async put(sender: SyncSender) {
    this.items.set(sender.id, sender);
  }
  async list() {
    return [...this.items.values()];
  }
}

class MemoryBlobs implements BlobStore {
  readonly items = new Map<string, string>();
  async put(key: string, body: Uint8Array | string) {
    this.items.set(key, typeof body === "string" ? body : Buffer.from(body).toString("utf8"));
  }
  async get(key: string): Promise<Blob | undefined> {
    const text = this.items.get(key);
    return text === undefined ? undefined : { body: Buffer.from(text), contentType: "application/json" };
  }
}

const SECRET_A = Buffer.alloc(32, 7);
const SECRET_B = Buffer.alloc(32, 9);
const NOW = Date.parse("2026-12-01T02:00:00Z");

let repository: MemorySenders;
let archive: MemoryBlobs;
let calls: Parameters<SyncDossiersCall>[0][];
let outcome: SyncOutcome | Error;
let credentialA: string;
let credentialB: string;
let handler: ReturnType<typeof makeSyncApiHandler>;

beforeEach(async () => {
  repository = new MemorySenders();
  archive = new MemoryBlobs();
  calls = [];
  outcome = { accepted: 1, unchanged: 0, refused: [] };
  const senders = new SyncSenders({ senders: repository });
  credentialA = (
    await senders.issue(
      { id: "mot-cua-a", name: "Một cửa A", agencies: ["so-nnmt"] },
      SECRET_A,
      "2026-12-01T00:00:00Z",
    )
  ).credential;
  credentialB = (
    await senders.issue(
      { id: "lgsp-b", name: "LGSP B", agencies: ["so-tp", "ubnd-x"], successCode: "00" },
      SECRET_B,
      "2026-12-01T00:00:00Z",
    )
  ).credential;
  const receive = new ReceiveSync({
    senders,
    archive,
    sync: async (input) => {
      calls.push(input);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    clock: { now: () => NOW },
    logger: createLogger({ serviceName: "dunghan-test", level: "SILENT" }),
  });
  handler = makeSyncApiHandler({
    receive,
    logger: createLogger({ serviceName: "dunghan-test", level: "SILENT" }),
  });
});

function request(
  routeKey: string,
  body: unknown,
  options: { authorization?: string; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey,
    rawPath: routeKey.split(" ")[1]!,
    rawQueryString: "",
    headers: {
      "content-type": "application/json",
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {} as never,
  };
}

async function call(event: APIGatewayProxyEventV2) {
  const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

const service = (session?: string) => ({
  service: "DongBoHoSoMC",
  ...(session === undefined ? {} : { session }),
  madonvi: "so-nnmt",
  isUpdating: "False",
  data: [{ MaHoSo: "H1" }],
});

describe("POST /sync/dvcqg… credentials", () => {
  it("takes the credential from the envelope's session field and answers in the senders' shape", async () => {
    const response = await call(request("POST /sync/dvcqg", service(credentialA)));
    expect(response).toEqual({
      status: 200,
      body: { error_code: "0", message: "Thành công", accepted: 1, unchanged: 0 },
    });
    expect(calls).toEqual([
      {
        senderId: "mot-cua-a",
        allowedAgencies: ["so-nnmt"],
        route: "service",
        body: service(credentialA),
        receivedAt: NOW,
      },
    ]);
  });

  it("takes it from the Authorization header and from the key query parameter (TD sets no header)", async () => {
    const byHeader = await call(
      request("POST /sync/dvcqg/create", [{ MaHoSo: "H1" }], { authorization: `Bearer ${credentialB}` }),
    );
    const byQuery = await call(
      request("POST /sync/dvcqg/progress", [{ MaHoSo: "H1" }], { query: { key: credentialB } }),
    );
    expect([byHeader.status, byQuery.status]).toEqual([200, 200]);
    expect(calls.map((c) => [c.senderId, c.route, c.allowedAgencies])).toEqual([
      ["lgsp-b", "create", ["so-tp", "ubnd-x"]],
      ["lgsp-b", "progress", ["so-tp", "ubnd-x"]],
    ]);
  });

  it("hands the use case the sender's default agency, for envelopes without madonvi", async () => {
    const senders = new SyncSenders({ senders: repository });
    const { credential } = await senders.issue(
      { id: "td-c", name: "TD C", agencies: ["so-nnmt", "ubnd-x"], defaultAgency: "ubnd-x" },
      Buffer.alloc(32, 3),
      "2026-12-01T00:00:00Z",
    );
    await call(request("POST /sync/dvcqg/create", [{ MaHoSo: "H1" }], { query: { key: credential } }));
    expect(calls.map((c) => [c.senderId, c.allowedAgencies, c.defaultAgency])).toEqual([
      ["td-c", ["so-nnmt", "ubnd-x"], "ubnd-x"],
    ]);
  });

  it("answers each sender with its own success code", async () => {
    const response = await call(
      request("POST /sync/dvcqg/update", [{}], { authorization: `Bearer ${credentialB}` }),
    );
    expect(response.body.error_code).toBe("00");
  });

  it.each([
    ["no credential", undefined],
    ["a malformed one", "not-a-credential"],
    ["another sender's id with this secret", `lgsp-b.${SECRET_A.toString("base64url")}`],
    ["an unknown sender", `ai-do.${SECRET_A.toString("base64url")}`],
  ])(
    "refuses %s with 401 in the senders' shape, before anything is kept or synced",
    async (_, credential) => {
      const response = await call(request("POST /sync/dvcqg", service(credential)));
      expect(response).toEqual({
        status: 401,
        body: { error_code: "401", message: "a valid sender credential is required" },
      });
      expect(calls).toEqual([]);
      expect(archive.items.size).toBe(0);
    },
  );

  it("refuses a revoked sender from the next request on", async () => {
    expect((await call(request("POST /sync/dvcqg", service(credentialA)))).status).toBe(200);
    await new SyncSenders({ senders: repository }).revoke("mot-cua-a", "2026-12-01T03:00:00Z");
    expect((await call(request("POST /sync/dvcqg", service(credentialA)))).status).toBe(401);
  });

  it("keeps only the hash of a secret", () => {
    const stored = JSON.stringify([...repository.items.values()]);
    expect(stored).not.toContain(credentialA.split(".")[1]);
    expect(repository.items.get("mot-cua-a")?.secretHash).toBe(hashSecret(credentialA.split(".")[1]!));
  });
});

describe("POST /sync/dvcqg… replies and the archive", () => {
  it("lists the refused records with 422 and a code that is not success, without 'thành công' in the message", async () => {
    outcome = {
      accepted: 1,
      unchanged: 1,
      refused: [
        { index: 2, maHoSo: "H3", reason: "madonvi: not an agency this sender writes", rule: "agency" },
      ],
    };
    const response = await call(request("POST /sync/dvcqg", service(credentialA)));
    expect(response).toEqual({
      status: 422,
      body: {
        error_code: "1",
        message: "Từ chối 1/3 bản ghi (xem errors)",
        accepted: 1,
        unchanged: 1,
        errors: [
          { index: 2, maHoSo: "H3", reason: "madonvi: not an agency this sender writes", rule: "agency" },
        ],
      },
    });
    expect(response.body.message.toLowerCase()).not.toContain("thành công");
  });

  it("answers a malformed envelope 400 in the senders' shape", async () => {
    outcome = new InvalidInputError("invalid sync envelope — service: invalid option");
    const response = await call(request("POST /sync/dvcqg", { session: credentialA, service: "X" }));
    expect(response).toEqual({
      status: 400,
      body: { error_code: "400", message: "invalid sync envelope — service: invalid option" },
    });
  });

  it("answers an unexpected failure 500 without details", async () => {
    outcome = new Error("DynamoDB is down at 10.0.0.1");
    const response = await call(request("POST /sync/dvcqg", service(credentialA)));
    expect(response).toEqual({
      status: 500,
      body: { error_code: "500", message: "Lỗi hệ thống, xin gửi lại sau" },
    });
  });

  it("keeps the raw payload under the sender and local day, without the credential", async () => {
    await call(request("POST /sync/dvcqg", service(credentialA)));
    const [key] = [...archive.items.keys()];
    // 02:00 UTC = 09:00 in Hanoi, 1 December.
    expect(key).toMatch(/^dvcqg\/mot-cua-a\/2026-12-01\/2026-12-01T02-00-00-000Z-[0-9a-f]{16}\.json$/);
    const kept = JSON.parse(archive.items.get(key!)!);
    expect(kept).toEqual({
      senderId: "mot-cua-a",
      route: "service",
      receivedAt: "2026-12-01T02:00:00.000Z",
      body: service(),
    });
    expect(archive.items.get(key!)).not.toContain(credentialA);
  });
});
