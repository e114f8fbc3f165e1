import { S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../support/cli.ts";

/**
 * `dunghan sync-replay --bucket`: the kept payloads read from the SyncPayloads bucket (listed in
 * key order, which is arrival order per sender) and posted again to the stack's URL, each to the
 * route it came by, with the sender's credential.
 */
const BUCKET = "dunghan-prod-syncpayloads";
const CREDENTIAL = `mot-cua-tinh.${"A".repeat(43)}`;
const KEPT: Record<string, object> = {
  "dvcqg/mot-cua-tinh/2026-11-30/2026-11-30T09-00-00-000Z-aaaa.json": {
    senderId: "mot-cua-tinh",
    route: "create",
    receivedAt: "2026-11-30T09:00:00.000Z",
    body: [{ MaHoSo: "first" }],
  },
  "dvcqg/mot-cua-tinh/2026-12-01/2026-12-01T01-00-00-000Z-bbbb.json": {
    senderId: "mot-cua-tinh",
    route: "service",
    receivedAt: "2026-12-01T01:00:00.000Z",
    body: { service: "CapNhatTienDoHoSoMC", madonvi: "so-nnmt", data: [{ MaHoSo: "second" }] },
  },
};

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("dunghan sync-replay --bucket", () => {
  it("posts the bucket's payloads of the sender and days asked, in arrival order, to their routes", async () => {
    const asked: { command: string; input: Record<string, unknown> }[] = [];
    vi.spyOn(S3Client.prototype, "send").mockImplementation((async (command: {
      constructor: { name: string };
      input: Record<string, unknown>;
    }) => {
      asked.push({ command: command.constructor.name, input: command.input });
      if (command.constructor.name === "ListObjectsV2Command") {
        // Out of order and in two pages, as S3 may answer.
        if (command.input.ContinuationToken === undefined)
          return {
            Contents: [{ Key: Object.keys(KEPT)[1] }],
            IsTruncated: true,
            NextContinuationToken: "p2",
          };
        return { Contents: [{ Key: Object.keys(KEPT)[0] }], IsTruncated: false };
      }
      const text = JSON.stringify(KEPT[String(command.input.Key)]);
      return { Body: { transformToByteArray: async () => new TextEncoder().encode(text) } };
    }) as never);
    const posted: { url: string; authorization: string; body: unknown }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      posted.push({
        url,
        authorization: (init.headers as Record<string, string>).authorization ?? "",
        body: JSON.parse(String(init.body)),
      });
      return new Response(JSON.stringify({ error_code: "0", message: "Thành công" }), { status: 200 });
    });

    const { code, stdout } = await runCli([
      "sync-replay",
      "--sender",
      "mot-cua-tinh",
      "--credential",
      CREDENTIAL,
      "--bucket",
      BUCKET,
      "--url",
      "https://abc.execute-api.ap-southeast-1.amazonaws.com/",
    ]);

    expect(code).toBe(0);
    expect(asked[0]).toEqual({
      command: "ListObjectsV2Command",
      input: { Bucket: BUCKET, Prefix: "dvcqg/mot-cua-tinh/" },
    });
    expect(posted).toEqual([
      {
        url: "https://abc.execute-api.ap-southeast-1.amazonaws.com/sync/dvcqg/create",
        authorization: `Bearer ${CREDENTIAL}`,
        body: [{ MaHoSo: "first" }],
      },
      {
        url: "https://abc.execute-api.ap-southeast-1.amazonaws.com/sync/dvcqg",
        authorization: `Bearer ${CREDENTIAL}`,
        body: { service: "CapNhatTienDoHoSoMC", madonvi: "so-nnmt", data: [{ MaHoSo: "second" }] },
      },
    ]);
    expect(JSON.parse(stdout)).toEqual({ replayed: 2, byCode: { "200 0": 2 } });
  });

  it("refuses --data and --bucket together", async () => {
    const { code, stderr } = await runCli([
      "sync-replay",
      "--sender",
      "mot-cua-tinh",
      "--credential",
      CREDENTIAL,
      "--bucket",
      BUCKET,
      "--data",
      ".dunghan",
    ]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("give --data or --bucket, not both");
  });
});
