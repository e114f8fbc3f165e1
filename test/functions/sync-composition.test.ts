import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { composeSyncApi, containerClients } from "../../functions/composition-root.ts";
import { CATALOGUE_KEY } from "../../shared/app/catalogue-admin.ts";
import { SyncSenders } from "../../shared/app/sync-senders.ts";
import { useTestTable } from "../support/dynamodb.ts";

/**
 * composeSyncApi from its environment alone, over DynamoDB Local and recorded S3/SQS clients: the
 * procedure catalogue an admin stored in the letters bucket reaches the sync use case.
 */
const table = useTestTable();

const LETTERS = "dunghan-prod-letters";
const PAYLOADS = "dunghan-prod-sync-payloads";
const QUEUE = "https://sqs.ap-southeast-1.amazonaws.com/1/events.fifo";

/** The stored catalogue: the procedure's law is 7 working days (the sender's NgayHenTra says 5). */
const STORED = {
  version: "cat-0123456789abcdef",
  procedures: [
    {
      code: "1.001612",
      name: "Cấp giấy phép xây dựng (danh mục tỉnh)",
      field: "Hoạt động xây dựng",
      timeLimit: { amount: 7, unit: "working-days" },
    },
  ],
};

function recordedClients(stored: object | undefined) {
  const s3Calls: { command: string; bucket: unknown; key: unknown }[] = [];
  const queued: Record<string, unknown>[] = [];
  const s3 = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const { Bucket: bucket, Key: key } = command.input;
      s3Calls.push({ command: command.constructor.name, bucket, key });
      if (command.constructor.name === "PutObjectCommand") return {};
      if (bucket === LETTERS && key === CATALOGUE_KEY && stored !== undefined) {
        const bytes = new TextEncoder().encode(JSON.stringify(stored));
        return { Body: { transformToByteArray: async () => bytes }, ContentType: "application/json" };
      }
      throw Object.assign(new Error("The specified key does not exist."), { name: "NoSuchKey" });
    },
  } as unknown as S3Client;
  const sqs = {
    send: async (command: { input: { Entries?: { Id: string; MessageBody: string }[] } }) => {
      const entries = command.input.Entries ?? [];
      for (const entry of entries) queued.push(JSON.parse(entry.MessageBody) as Record<string, unknown>);
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    },
  } as unknown as SQSClient;
  return {
    clients: { ...containerClients, dynamo: () => table.doc, s3: () => s3, sqs: () => sqs },
    s3Calls,
    queued,
  };
}

/** Each case its own dossier: the table (and its sync ledger) is the file's. */
async function syncOneDossier(stored: object | undefined, code: string) {
  const recorded = recordedClients(stored);
  const { config, ports, deps } = composeSyncApi(
    {
      STAGE: "prod",
      TABLE_NAME: table.design.tableName,
      EVENTS_QUEUE_URL: QUEUE,
      SYNC_PAYLOADS_BUCKET: PAYLOADS,
      LETTERS_BUCKET: LETTERS,
    },
    recorded.clients,
  );
  const { credential } = await new SyncSenders({ senders: ports.senders }).issue(
    { id: "mot-cua-tinh", name: "Một cửa tỉnh", agencies: ["000.00.17.H56"] },
    Buffer.alloc(32, 3),
    "2026-11-01T00:00:00Z",
  );
  const receipt = await deps.receive.receive({
    route: "service",
    credential,
    body: {
      service: "DongBoHoSoMC",
      madonvi: "000.00.17.H56",
      isUpdating: "False",
      data: [
        {
          MaHoSo: code,
          MaTTHC: "1.001612",
          TenTTHC: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
          KenhThucHien: "1",
          ChuHoSo: "Nguyễn Văn An",
          NgayNopHoSo: "20261102083000",
          NgayTiepNhan: "20261102090000",
          NgayHenTra: "20261109090000",
          TrangThaiHoSo: "2",
          DanhSachHoSoBoSung: [],
        },
      ],
    },
  });
  const received = recorded.queued
    .map((message) =>
      typeof message.event === "object" ? (message.event as Record<string, unknown>) : message,
    )
    .find((event) => event.type === "received") as
    | { procedure: { name: string; timeLimit: unknown } }
    | undefined;
  return { config, receipt, received, s3Calls: recorded.s3Calls };
}

describe("composeSyncApi", () => {
  it("maps with the catalogue stored in the letters bucket, read from its catalogue/ key only", async () => {
    const { config, receipt, received, s3Calls } = await syncOneDossier(STORED, "000.00.17.H56-261102-0001");

    expect(config.env.LETTERS_BUCKET).toBe(LETTERS);
    expect(receipt.statusCode).toBe(200);
    expect(received?.procedure.name).toBe("Cấp giấy phép xây dựng (danh mục tỉnh)");
    expect(received?.procedure.timeLimit).toEqual({ amount: 7, unit: "working-days" });
    expect(s3Calls.filter((call) => call.bucket === LETTERS)).toEqual([
      { command: "GetObjectCommand", bucket: LETTERS, key: CATALOGUE_KEY },
    ]);
  });

  it("without a stored catalogue takes the allotment from NgayHenTra (the procedure is unknown)", async () => {
    const { receipt, received } = await syncOneDossier(undefined, "000.00.17.H56-261102-0002");

    expect(receipt.statusCode).toBe(200);
    expect(received?.procedure.name).toBe("Cấp giấy phép xây dựng nhà ở riêng lẻ");
    expect(received?.procedure.timeLimit).toEqual({ amount: 5, unit: "working-days" });
  });

  it("keys the catalogue under the prefix the stack lets sync-api read", async () => {
    const { CATALOGUE_PREFIX } = await import("../../cdk/dvcqg-sync.ts");
    expect(CATALOGUE_KEY.startsWith(CATALOGUE_PREFIX)).toBe(true);
  });
});
