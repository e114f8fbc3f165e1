import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { makeSyncApiHandler } from "../../functions/sync-api.ts";
import { createLogger } from "../../shared/adapters/logging/redaction.ts";
import type { Blob, BlobStore } from "../../shared/app/blob-store.ts";
import { ReceiveSync, type SyncDossiersCall } from "../../shared/app/sync-receive.ts";
import {
  SESSION_TTL_SECONDS,
  type SyncSender,
  type SyncSenderRepository,
  SyncSenders,
} from "../../shared/app/sync-senders.ts";
import { lambdaContext } from "./support/harness.ts";

/**
 * OpenCPS's token request (VietOpenCPS/opencps-v2, …/DVCQGIntegrationActionImpl.java,
 * `getAccessToken`): POST `{"username","password"}`, read `session` when `error_code` is 0, then
 * put that session in every envelope.
 */
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

const noArchive: BlobStore = {
  put: async () => {},
  get: async (): Promise<Blob | undefined> => undefined,
};

let now: number;
let senders: SyncSenders;
let credential: string;
let synced: Parameters<SyncDossiersCall>[0][];
let handler: ReturnType<typeof makeSyncApiHandler>;

beforeEach(async () => {
  now = Date.parse("2026-12-01T02:00:00Z");
  synced = [];
  senders = new SyncSenders({ senders: new MemorySenders() });
  credential = (
    await senders.issue(
      { id: "opencps-tinh", name: "OpenCPS", agencies: ["so-nnmt"] },
      Buffer.alloc(32, 4),
      "x",
    )
  ).credential;
  const logger = createLogger({ serviceName: "dunghan-test", level: "SILENT" });
  handler = makeSyncApiHandler({
    receive: new ReceiveSync({
      senders,
      archive: noArchive,
      sync: async (input) => {
        synced.push(input);
        return { accepted: 1, unchanged: 0, refused: [] };
      },
      clock: { now: () => now },
      logger,
    }),
    logger,
  });
});

async function post(path: string, body: unknown) {
  const event = {
    version: "2.0",
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", dstcode: "000.00.17.H56" },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {} as never,
  } as APIGatewayProxyEventV2;
  const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown> };
}

const envelope = (session: unknown) => ({
  session,
  madonvi: "so-nnmt",
  service: "DongBoHoSoMC",
  isUpdating: "False",
  data: [{ MaHoSo: "H1" }],
});

describe("POST /sync/dvcqg/token", () => {
  it("exchanges the sender's credential for a session the sync routes take", async () => {
    const secret = credential.slice("opencps-tinh.".length);
    const token = await post("/sync/dvcqg/token", { username: "opencps-tinh", password: secret });

    expect(token.status).toBe(200);
    expect(token.body).toEqual({
      error_code: "0",
      message: "Thành công",
      session: expect.stringMatching(/^opencps-tinh\.\d{10}\.[A-Za-z0-9_-]{43}$/),
      expires_in: SESSION_TTL_SECONDS,
    });
    const sync = await post("/sync/dvcqg", envelope(token.body.session));
    expect(sync.status).toBe(200);
    expect(synced.map((call) => call.senderId)).toEqual(["opencps-tinh"]);
  });

  it("takes the whole credential as the password too, and refuses a wrong one or another sender's name", async () => {
    expect((await post("/sync/dvcqg/token", { username: "opencps-tinh", password: credential })).status).toBe(
      200,
    );
    const wrong = await post("/sync/dvcqg/token", { username: "opencps-tinh", password: "A".repeat(43) });
    const other = await post("/sync/dvcqg/token", { username: "khac", password: credential });

    expect(wrong).toEqual({
      status: 401,
      body: { error_code: "401", message: "a valid sender credential is required" },
    });
    expect(other.status).toBe(401);
    expect(wrong.body.session).toBeUndefined();
  });

  it("keeps the sender's default agency for requests made with a session, as with the credential", async () => {
    const issued = await senders.issue(
      { id: "td-tinh", name: "TD", agencies: ["so-nnmt"], defaultAgency: "so-nnmt" },
      Buffer.alloc(32, 6),
      "z",
    );
    const { body } = await post("/sync/dvcqg/token", { username: "td-tinh", password: issued.credential });
    const { madonvi: _none, ...withoutAgency } = envelope(body.session);

    expect((await post("/sync/dvcqg", withoutAgency)).status).toBe(200);
    expect(synced.map((call) => [call.senderId, call.defaultAgency])).toEqual([["td-tinh", "so-nnmt"]]);
  });

  it("refuses a session once expired, once the sender is re-issued, and a forged one", async () => {
    const { body } = await post("/sync/dvcqg/token", { username: "opencps-tinh", password: credential });
    const session = String(body.session);
    const [id, expiry, mac] = session.split(".");

    now += (SESSION_TTL_SECONDS - 1) * 1000;
    expect((await post("/sync/dvcqg", envelope(session))).status).toBe(200);
    now += 2000;
    expect((await post("/sync/dvcqg", envelope(session))).status).toBe(401);

    now = Date.parse("2026-12-01T02:00:00Z");
    const later = `${id}.${Number(expiry) + 60}.${mac}`;
    expect((await post("/sync/dvcqg", envelope(later))).status).toBe(401);
    await senders.issue(
      { id: "opencps-tinh", name: "OpenCPS", agencies: ["so-nnmt"] },
      Buffer.alloc(32, 5),
      "y",
    );
    expect((await post("/sync/dvcqg", envelope(session))).status).toBe(401);
    expect(synced).toHaveLength(1);
  });
});
