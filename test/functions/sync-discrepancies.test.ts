import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { makeSyncApiHandler } from "../../functions/sync-api.ts";
import { buildReceiveSync } from "../../functions/sync-wiring.ts";
import { DynamoDbSyncSenderRepository } from "../../shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts";
import { SyncSenders } from "../../shared/app/sync-senders.ts";
import { parseCatalogue } from "../../shared/sync/catalogue.ts";
import { AGENCY_A, AGENCY_B, adminA, directoryA, directoryB, handlerA } from "./support/builders.ts";
import { lambdaContext, useHarness } from "./support/harness.ts";

/**
 * The discrepancy report over the real sync: flags kept per dossier (once, whatever the re-sends),
 * read back by the agency's admins per procedure, as JSON or CSV.
 */
const catalogue = parseCatalogue(
  JSON.parse(readFileSync(new URL("../fixtures/dvcqg/procedures.json", import.meta.url), "utf8")),
);
const start = useHarness({ start: "2026-11-02T10:00:00+07:00", directories: [directoryA, directoryB] });
const NOVEMBER = { from: "2026-11-01", to: "2026-11-30" };

const LATE_PROMISE = "000.00.17.H56-261102-0001";
const UNKNOWN = "000.00.17.H56-261102-0002";

const hoSo = (overrides: Record<string, unknown>) => ({
  TenTTHC: "Thủ tục",
  KenhThucHien: "1",
  ChuHoSo: "Nguyễn Văn An",
  NgayNopHoSo: "20261102083000",
  NgayTiepNhan: "20261102090000",
  TrangThaiHoSo: "2",
  DanhSachHoSoBoSung: [],
  ...overrides,
});
const BODY = {
  service: "DongBoHoSoMC",
  madonvi: AGENCY_A,
  isUpdating: "False",
  data: [
    // 1.001612 is 5 working days by the catalogue (Mon 09/11 09:00); the sender promised Mon 16/11.
    hoSo({ MaHoSo: LATE_PROMISE, MaTTHC: "1.001612", NgayHenTra: "20261116090000" }),
    hoSo({ MaHoSo: UNKNOWN, MaTTHC: "9.999999", NgayHenTra: "20261104090000" }),
  ],
};

async function setUp() {
  const h = await start();
  const repository = new DynamoDbSyncSenderRepository({ client: h.table.doc, design: h.table.design });
  const { credential } = await new SyncSenders({ senders: repository }).issue(
    { id: "mot-cua-tinh", name: "Một cửa tỉnh", agencies: [AGENCY_A] },
    Buffer.alloc(32, 5),
    "2026-11-01T00:00:00Z",
  );
  const handler = makeSyncApiHandler({
    receive: buildReceiveSync({
      senders: repository,
      archive: h.blobs,
      dossiers: h.tables.dossiers,
      ledger: h.tables.syncLedger,
      ingest: h.app.ingest,
      workingTime: h.app.workingTime,
      catalogue: { current: async () => catalogue },
      discrepancies: h.tables.syncDiscrepancies,
      clock: h.clock,
      logger: h.logger,
    }),
    logger: h.logger,
  });
  const post = async (body: unknown) => {
    const event = {
      version: "2.0",
      routeKey: "POST /sync/dvcqg",
      rawPath: "/sync/dvcqg",
      rawQueryString: "",
      headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
      body: JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: {} as never,
    } as APIGatewayProxyEventV2;
    const result = (await handler(event, lambdaContext)) as { statusCode: number };
    await h.events.drain();
    return result.statusCode;
  };
  return { h, post };
}

describe("GET /sync/discrepancies", () => {
  it("lists each flag once per dossier, whatever the re-sends, per procedure for the agency's admins", async () => {
    const { h, post } = await setUp();
    expect(await post(BODY)).toBe(200);
    h.clock.set("2026-11-03T10:00:00+07:00");
    expect(await post({ ...BODY, isUpdating: "True" })).toBe(200);

    const response = await h.api("GET /sync/discrepancies", { claims: adminA, query: NOVEMBER });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      agencyId: AGENCY_A,
      from: "2026-11-01",
      to: "2026-11-30",
      total: 2,
      byRule: { "unknown-procedure": 1, "appointment-disagrees-with-catalogue": 1 },
      byProcedure: [
        { procedureCode: "1.001612", total: 1, byRule: { "appointment-disagrees-with-catalogue": 1 } },
        { procedureCode: "9.999999", total: 1, byRule: { "unknown-procedure": 1 } },
      ],
    });
    const items = (response.body as { items: Record<string, unknown>[] }).items;
    expect(items.map((item) => [item.dossierCode, item.rule, item.senderId, item.firstSeenAt])).toEqual([
      [LATE_PROMISE, "appointment-disagrees-with-catalogue", "mot-cua-tinh", "2026-11-02T03:00:00.000Z"],
      [UNKNOWN, "unknown-procedure", "mot-cua-tinh", "2026-11-02T03:00:00.000Z"],
    ]);
    // The law's instant and the sender's promise, both kept in the report.
    expect(items[0]?.details).toEqual({
      legalDueAt: "2026-11-09T09:00:00+07:00",
      appointment: "2026-11-16T09:00:00+07:00",
      catalogueVersion: catalogue.version,
    });
  });

  it("keeps the law's instant as the dossier's due when the promise is later (the promise stays in the report)", async () => {
    const { h, post } = await setUp();
    await post(BODY);

    const dossier = await h.api("GET /dossiers/{code}", { claims: adminA, path: { code: LATE_PROMISE } });

    expect(dossier.body).toMatchObject({
      dossier: { legalDueAt: "2026-11-09T09:00:00+07:00", originalAppointment: "2026-11-09T09:00:00+07:00" },
    });
  });

  it("reads a period on the first sighting's local day, and as CSV", async () => {
    const { h, post } = await setUp();
    await post(BODY);

    const before = await h.api("GET /sync/discrepancies", {
      claims: adminA,
      query: { from: "2026-10-01", to: "2026-11-01" },
    });
    const csv = await h.api("GET /sync/discrepancies", {
      claims: adminA,
      query: { ...NOVEMBER, format: "csv" },
    });

    expect(before.body).toMatchObject({ total: 0, items: [] });
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(String(csv.body).split("\r\n").slice(0, 2)).toEqual([
      "\uFEFFfirstSeenAt,agencyId,procedureCode,dossierCode,rule,details,senderId",
      `2026-11-02T03:00:00.000Z,${AGENCY_A},1.001612,${LATE_PROMISE},appointment-disagrees-with-catalogue,appointment=2026-11-16T09:00:00+07:00; catalogueVersion=${catalogue.version}; legalDueAt=2026-11-09T09:00:00+07:00,mot-cua-tinh`,
    ]);
  });

  it("shows another agency's admins nothing of it, and refuses a handler", async () => {
    const { h, post } = await setUp();
    await post(BODY);

    const other = await h.api("GET /sync/discrepancies", {
      claims: { ...adminA, sub: "admin-b", agencyId: AGENCY_B },
      query: NOVEMBER,
    });
    const handler = await h.api("GET /sync/discrepancies", { claims: handlerA, query: NOVEMBER });

    expect(other.body).toMatchObject({ agencyId: AGENCY_B, total: 0, items: [] });
    expect(handler.status).toBe(403);
  });
});
