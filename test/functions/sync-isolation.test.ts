import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { makeSyncApiHandler } from "../../functions/sync-api.ts";
import { buildReceiveSync } from "../../functions/sync-wiring.ts";
import { DynamoDbSyncSenderRepository } from "../../shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts";
import { SyncSenders } from "../../shared/app/sync-senders.ts";
import { parseCatalogue } from "../../shared/sync/catalogue.ts";
import { Harness, lambdaContext } from "./support/harness.ts";

/**
 * The sync route over the real use case, DynamoDB Local and the events queue and worker: what a
 * sender may write, and what a re-send costs.
 */
const catalogue = parseCatalogue(
  JSON.parse(readFileSync(new URL("../fixtures/dvcqg/procedures.json", import.meta.url), "utf8")),
);
const PROVINCE = "000.00.17.H56";
const CODE = `${PROVINCE}-261102-0001`;

const hoSo = (overrides: Record<string, unknown> = {}) => ({
  MaHoSo: CODE,
  MaTTHC: "1.001612",
  TenTTHC: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
  KenhThucHien: "1",
  ChuHoSo: "Nguyễn Văn An",
  LoaiDoiTuong: "1",
  NgayNopHoSo: "20261102083000",
  NgayTiepNhan: "20261102090000",
  NgayHenTra: "20261109090000",
  TrangThaiHoSo: "2",
  DonViXuLy: "UBND xã Quảng Phú",
  DanhSachHoSoBoSung: [],
  ...overrides,
});
const envelope = (madonvi: string, data: unknown[], isUpdating = "False") => ({
  service: "DongBoHoSoMC",
  madonvi,
  isUpdating,
  data,
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function setUp() {
  const h = await Harness.start({ start: "2026-11-02T10:00:00+07:00" });
  harness = h;
  const repository = new DynamoDbSyncSenderRepository({ client: h.table.doc, design: h.table.design });
  const senders = new SyncSenders({ senders: repository });
  const issue = async (id: string, agencies: string[], defaultAgency?: string) =>
    (
      await senders.issue(
        { id, name: id, agencies, ...(defaultAgency === undefined ? {} : { defaultAgency }) },
        Buffer.alloc(32, id.length),
        "2026-11-01T00:00:00Z",
      )
    ).credential;
  const handler = makeSyncApiHandler({
    receive: buildReceiveSync({
      senders: repository,
      archive: h.blobs,
      dossiers: h.tables.dossiers,
      ledger: h.tables.syncLedger,
      ingest: h.app.ingest,
      workingTime: h.app.workingTime,
      catalogue: { current: async () => catalogue },
      clock: h.clock,
      logger: h.logger,
    }),
    logger: h.logger,
  });
  /** One request; the worker then applies what it queued, unless `drain` is false (it runs later). */
  const post = async (
    credential: string,
    body: unknown,
    options: { path?: string; drain?: boolean } = {},
  ) => {
    const path = options.path ?? "/sync/dvcqg";
    const event = {
      version: "2.0",
      routeKey: `POST ${path}`,
      rawPath: path,
      rawQueryString: "",
      headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: {} as never,
    } as APIGatewayProxyEventV2;
    const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string };
    if (options.drain !== false) await h.events.drain();
    return { status: result.statusCode, body: JSON.parse(result.body) };
  };
  return { h, issue, post };
}

describe("POST /sync/dvcqg over the real use case", () => {
  it("never lets a sender write another agency's dossier: neither a new one, nor one already held", async () => {
    const { h, issue, post } = await setUp();
    const own = await issue("mot-cua-tinh", [PROVINCE]);
    const other = await issue("mot-cua-khac", ["so-khac"]);

    // Another agency's sender claims this province's unit for a new dossier: refused, nothing written.
    const claimed = await post(other, envelope(PROVINCE, [hoSo()]));
    expect(claimed.status).toBe(422);
    expect(claimed.body.errors).toEqual([
      expect.objectContaining({ index: 0, maHoSo: CODE, rule: "agency-not-allowed" }),
    ]);
    expect(await h.tables.dossiers.load(CODE)).toBeUndefined();

    const created = await post(own, envelope(PROVINCE, [hoSo()]));
    expect(created).toMatchObject({ status: 200, body: { error_code: "0", accepted: 1, unchanged: 0 } });
    const before = await h.tables.dossiers.load(CODE);
    expect(before?.events.map((event) => event.type)).toContain("received");

    // The same dossier code under its own madonvi: still not its dossier.
    const hijack = await post(
      other,
      envelope("so-khac", [hoSo({ TrangThaiHoSo: "10", NgayTra: "20261103090000" })], "True"),
    );
    expect(hijack.status).toBe(422);
    expect(hijack.body.errors).toEqual([expect.objectContaining({ rule: "agency-not-allowed" })]);
    expect((await h.tables.dossiers.load(CODE))?.events).toEqual(before?.events);
  });

  it("answers an unchanged re-send as unchanged, with nothing queued and nothing written", async () => {
    const { h, issue, post } = await setUp();
    const own = await issue("mot-cua-tinh", [PROVINCE]);
    await post(own, envelope(PROVINCE, [hoSo()]));
    const queued = h.eventsSent.sent.length;
    expect(queued).toBeGreaterThan(0);
    const stored = await h.tables.dossiers.load(CODE);

    const again = await post(own, envelope(PROVINCE, [hoSo()], "True"));
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, unchanged: 1 } });
    expect(h.eventsSent.sent.length).toBe(queued);
    expect(await h.tables.dossiers.load(CODE)).toEqual(stored);
  });

  it("answers a wrong credential 401 and queues nothing", async () => {
    const { h, post } = await setUp();
    const response = await post(`mot-cua-tinh.${"A".repeat(43)}`, envelope(PROVINCE, [hoSo()]));
    expect(response).toEqual({
      status: 401,
      body: { error_code: "401", message: "a valid sender credential is required" },
    });
    expect(h.eventsSent.sent).toEqual([]);
  });

  it("takes TD's sequence — the dossier on its create URL, its progress on the next request before the worker ran — in that order, under the sender's default agency", async () => {
    const { h, issue, post } = await setUp();
    const td = await issue("td-tinh", [PROVINCE], PROVINCE);
    // The worker is stopped: what the requests queue waits, as it does for a moment on AWS.
    await h.events.stop();
    const created = await post(td, [hoSo()], { path: "/sync/dvcqg/create", drain: false });
    expect(created).toMatchObject({ status: 200, body: { error_code: "0", accepted: 1 } });
    const row = {
      MaHoSo: CODE,
      NguoiXuLy: "Trần Văn Bình",
      ThoiDiemXuLy: "20261102100000",
      PhongBanXuLy: "Phòng Quản lý đô thị",
      NoiDungXuLy: "Thẩm định hồ sơ",
      TrangThai: "4",
      NgayBatDau: "20261102100000",
      NgayKetThucTheoQuyDinh: "20261105100000",
    };
    expect(await h.tables.dossiers.load(CODE)).toBeUndefined();
    const progress = await post(td, [row], { path: "/sync/dvcqg/progress", drain: false });
    expect(progress).toMatchObject({ status: 200, body: { error_code: "0", accepted: 1 } });
    h.events.consume((event) => h.handlers.applyEvents(event, lambdaContext));
    await h.events.drain();
    const stored = await h.tables.dossiers.load(CODE);
    expect(stored?.events.map((event) => event.type)).toEqual(["received", "assigned"]);
    expect(stored?.state?.received.agency.id).toBe(PROVINCE);
    expect(stored?.state?.received.unit.name).toBe("UBND xã Quảng Phú");
  });

  it("still refuses progress rows of a dossier no one sent", async () => {
    const { issue, post } = await setUp();
    const td = await issue("td-tinh", [PROVINCE], PROVINCE);
    const progress = await post(td, [{ MaHoSo: CODE, ThoiDiemXuLy: "20261102100000", TrangThai: "4" }], {
      path: "/sync/dvcqg/progress",
    });
    expect(progress.status).toBe(422);
    expect(progress.body.errors).toEqual([expect.objectContaining({ index: 0, rule: "unknown-dossier" })]);
  });
});
