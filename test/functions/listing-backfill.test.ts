import { DeleteCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, inject, it } from "vitest";
import { DynamoDbDossierListingRepair } from "../../shared/adapters/dynamodb/listing-repair.dynamodb.ts";
import { keys, LISTING_HOLDERS } from "../../shared/adapters/dynamodb/table-design.ts";
import type { DossierListItem, DossierListPage } from "../../shared/app/api-types.ts";
import type { BackfillListingsResult } from "../../shared/app/backfill-listings.ts";
import type { StoredDossierState } from "../../shared/app/ports.ts";
import { runCli } from "../support/cli.ts";
import {
  AGENCY_B,
  aDossierCode,
  assigned,
  directorA,
  directoryA,
  directoryB,
  handlerA,
  received,
  resultReady,
} from "./support/builders.ts";
import { type Claims, Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Two dossiers assigned to cv-hoa, one finished, one of agency B: as the worker saved them. */
async function stored() {
  const h = await Harness.start({
    start: "2026-11-16T10:00:00+07:00",
    directories: [directoryA, directoryB],
  });
  harness = h;
  const hoa = [aDossierCode(), aDossierCode()];
  const done = aDossierCode();
  const other = aDossierCode();
  await h.ingest([
    ...hoa.map((code) => received(code, { at: "2026-11-16T08:00:00+07:00", limit: 20 })),
    received(done, { at: "2026-11-16T08:00:00+07:00" }),
    received(other, { at: "2026-11-16T08:00:00+07:00", agencyId: AGENCY_B }),
  ]);
  await h.ingest([
    ...hoa.map((code) => assigned(code, "2026-11-16T09:00:00+07:00")),
    resultReady(done, "2026-11-16T09:30:00+07:00"),
  ]);
  return { h, hoa, done, other, all: [...hoa, done, other] };
}

/** Every item of the dossier's partition (state, log, agenda, listing items), sorted by key. */
async function partition(h: Harness, code: string) {
  const output = await h.table.doc.send(
    new QueryCommand({
      TableName: h.table.design.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": keys.dossierPartition(code) },
      ConsistentRead: true,
    }),
  );
  return output.Items ?? [];
}

/** What the code before the listing items stored: the state item with its listing, nothing beside it. */
async function asBeforeListingItems(h: Harness, codes: readonly string[]) {
  for (const code of codes) {
    for (const holder of LISTING_HOLDERS) {
      await h.table.doc.send(
        new DeleteCommand({ TableName: h.table.design.tableName, Key: keys.dossierListing(code, holder) }),
      );
    }
  }
}

async function mine(h: Harness, claims: Claims = handlerA, query: Record<string, string> = { mine: "1" }) {
  const response = await h.api("GET /dossiers", { claims, query });
  expect(response.status).toBe(200);
  return (response.body as DossierListPage).items.map((item: DossierListItem) => item.dossierCode).sort();
}

async function backfill(h: Harness, ...options: string[]) {
  const run = await runCli([
    "backfill-listings",
    "--table",
    h.table.design.tableName,
    "--endpoint",
    inject("dynamodbEndpoint"),
    "--json",
    ...options,
  ]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as BackfillListingsResult;
}

describe("dunghan backfill-listings", { timeout: 90_000 }, () => {
  it("lists under its handler and unit a dossier stored before the listing items, as its save would have", async () => {
    const { h, hoa, all } = await stored();
    const saved = await Promise.all(all.map((code) => partition(h, code)));
    await asBeforeListingItems(h, all);
    const missing = await mine(h);

    const result = await backfill(h);

    expect(missing).toEqual([]);
    expect(await mine(h)).toEqual([...hoa].sort());
    expect(await mine(h, directorA, { unit: "phong-mt" })).toEqual([...hoa].sort());
    // Each open dossier gets its two listing items (handler, unit) back; the finished one needs none.
    expect(result).toEqual({
      scanned: 4,
      written: 3,
      itemsWritten: 6,
      alreadyCurrent: 1,
      movedOn: 0,
      dryRun: false,
    });
    // Exactly the items the save wrote, and the state, log and agenda untouched.
    expect(await Promise.all(all.map((code) => partition(h, code)))).toEqual(saved);
  });

  it("writes nothing on a second run", async () => {
    const { h, all } = await stored();
    await asBeforeListingItems(h, all);
    await backfill(h);
    const after = await Promise.all(all.map((code) => partition(h, code)));

    const again = await backfill(h);

    expect(again).toMatchObject({ scanned: 4, written: 0, itemsWritten: 0, alreadyCurrent: 4 });
    expect(await Promise.all(all.map((code) => partition(h, code)))).toEqual(after);
  });

  it("on a dry run reports what it would write and writes nothing", async () => {
    const { h, all } = await stored();
    await asBeforeListingItems(h, all);
    const before = await Promise.all(all.map((code) => partition(h, code)));

    const dry = await backfill(h, "--dry-run");

    expect(dry).toMatchObject({ scanned: 4, written: 3, itemsWritten: 6, alreadyCurrent: 1, dryRun: true });
    expect(await mine(h)).toEqual([]);
    expect(await Promise.all(all.map((code) => partition(h, code)))).toEqual(before);
  });

  it("puts right a stale listing item (the dossier under a handler who no longer holds it)", async () => {
    const { h, hoa } = await stored();
    const code = hoa[0]!;
    const handlerItem = (await partition(h, code)).find((item) => item.sk === "LISTING#HANDLER")!;
    await h.table.doc.send(
      new PutCommand({
        TableName: h.table.design.tableName,
        Item: {
          ...handlerItem,
          byAgencyStatusPk: String(handlerItem.byAgencyStatusPk).replace(
            "#HANDLER#cv-hoa#",
            "#HANDLER#cb-lan#",
          ),
        },
      }),
    );
    const lanBefore = await mine(h, directorA, { handler: "cb-lan" });

    const result = await backfill(h);

    expect(lanBefore).toEqual([code]);
    expect(result).toMatchObject({ written: 1, itemsWritten: 1, alreadyCurrent: 3 });
    expect(await mine(h, directorA, { handler: "cb-lan" })).toEqual([]);
    expect(await mine(h)).toEqual([...hoa].sort());
  });

  it("with --agency touches only that agency's dossiers", async () => {
    const { h, all } = await stored();
    await asBeforeListingItems(h, all);

    const result = await backfill(h, "--agency", AGENCY_B);

    expect(result).toMatchObject({ scanned: 1, written: 1, itemsWritten: 2, alreadyCurrent: 0 });
    expect(await mine(h)).toEqual([]);
  });

  it("stops after --pages with a cursor, and a run resumed from it finishes the table", async () => {
    const { h, hoa, all } = await stored();
    await asBeforeListingItems(h, all);

    const first = await backfill(h, "--page-size", "2", "--pages", "1");
    let total = first.written;
    let cursor = first.cursor;
    let runs = 1;
    while (cursor !== undefined) {
      const next = await backfill(h, "--page-size", "2", "--pages", "1", "--cursor", cursor);
      total += next.written;
      cursor = next.cursor;
      runs += 1;
    }

    expect(first.cursor).toBeDefined();
    expect(runs).toBeGreaterThan(1);
    expect(total).toBe(3);
    expect(await mine(h)).toEqual([...hoa].sort());
  });

  it("leaves alone a dossier saved again after it was read (that save wrote its listing items)", async () => {
    const { h, hoa, all } = await stored();
    const code = hoa[0]!;
    await asBeforeListingItems(h, all);
    const repair = new DynamoDbDossierListingRepair({ client: h.table.doc, design: h.table.design });
    // A scan page counts every item it reads (events, agenda…), so the dossier may be on a later page.
    let read: StoredDossierState | undefined;
    let cursor: string | undefined;
    do {
      const page = await repair.storedDossiers({
        agencyId: "so-nnmt",
        ...(cursor === undefined ? {} : { cursor }),
      });
      read = page.items.find((item) => item.dossierCode === code);
      cursor = page.cursor;
    } while (read === undefined && cursor !== undefined);
    if (read === undefined) throw new Error(`dossier ${code} not found by the scan`);
    const before = await partition(h, code);

    const outcome = await repair.relist({ ...read, version: read.version - 1 }, { dryRun: false });

    expect(outcome).toEqual({ outcome: "moved-on" });
    expect(await partition(h, code)).toEqual(before);
  });

  it("refuses a cursor that is not a table key", async () => {
    const { h } = await stored();
    const bad = Buffer.from(JSON.stringify({ pk: "DOSSIER#x" })).toString("base64url");

    const run = await runCli([
      "backfill-listings",
      "--table",
      h.table.design.tableName,
      "--endpoint",
      inject("dynamodbEndpoint"),
      "--cursor",
      bad,
    ]);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe("dunghan: invalid page cursor\n");
  });
});
