import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { keys, UNVERSIONED_SNAPSHOT } from "../../../shared/adapters/dynamodb/table-design.ts";
import type { DossierSnapshot } from "../../../shared/app/dossier-records.ts";
import { dossierSnapshotPolicy } from "../../../shared/app/dossier-snapshot.ts";
import type { PlannedAlert, SnapshotPolicy, StoredEvent } from "../../../shared/app/ports.ts";
import { type DossierEventJson, dossierEventToJson, foldDossier } from "../../../shared/dossier/index.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { anAssignedEvent, aPause, aReceivedEvent, working } from "../../unit/dossier/builders.ts";
import { aDossierCode, anEvent, type TestState } from "./builders.ts";

const table = useTestTable();
const SAVED_AT = "2026-11-20T09:00:00+07:00";

/** A policy over the tests' state: version `version`, refolds by counting the log (and says what it read). */
function policy(version: number) {
  const refolds: string[][] = [];
  const snapshots: SnapshotPolicy<StoredEvent, TestState> = {
    version,
    accepts: (value): value is TestState =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as TestState).status === "string" &&
      typeof (value as TestState).eventCount === "number",
    async refold(events) {
      refolds.push(events.map((event) => event.id));
      return { status: "refolded", eventCount: events.length };
    },
  };
  return { snapshots, refolds };
}

const repo = (snapshots?: SnapshotPolicy<StoredEvent, TestState>) =>
  new DynamoDbDossierRepository<StoredEvent, TestState, PlannedAlert>(
    { client: table.doc, design: table.design },
    snapshots,
  );

async function create(
  code: string,
  state: TestState,
  snapshots?: SnapshotPolicy<StoredEvent, TestState>,
): Promise<StoredEvent[]> {
  // Ids that sort differently from the log order: the refold must get the log order.
  const events = [anEvent(code, "z-received", { type: "received" }), anEvent(code, "a-assigned")];
  await repo(snapshots).save({
    code,
    expectedVersion: undefined,
    newEvents: events,
    state,
    listing: undefined,
    agenda: { previous: [], next: [] },
    savedAt: SAVED_AT,
  });
  return events;
}

async function storedStateItem(code: string) {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.design.tableName, Key: keys.dossierState(code), ConsistentRead: true }),
  );
  return Item;
}

describe("DynamoDbDossierRepository snapshots", () => {
  it("stores the policy's snapshot version with the state", async () => {
    const code = aDossierCode();

    await create(code, { status: "in-progress", eventCount: 2 }, policy(3).snapshots);

    expect(await storedStateItem(code)).toMatchObject({
      snapshotVersion: 3,
      state: { status: "in-progress", eventCount: 2 },
    });
  });

  it("returns a snapshot of the current version that passes the shape check as stored, without refolding", async () => {
    const code = aDossierCode();
    const current = policy(2);
    await create(code, { status: "in-progress", eventCount: 2 }, current.snapshots);

    const loaded = await repo(current.snapshots).load(code);

    expect(loaded?.state).toEqual({ status: "in-progress", eventCount: 2 });
    expect(current.refolds).toEqual([]);
  });

  it("folds the log again for a snapshot of an older version", async () => {
    const code = aDossierCode();
    await create(code, { status: "in-progress", eventCount: 2 }, policy(1).snapshots);
    const current = policy(2);

    const loaded = await repo(current.snapshots).load(code);

    expect(loaded?.state).toEqual({ status: "refolded", eventCount: 2 });
    expect(current.refolds).toEqual([["z-received", "a-assigned"]]);
    expect(loaded?.version).toBe(1);
  });

  it("reads a snapshot saved before versions were stored as the first version", async () => {
    const code = aDossierCode();
    await create(code, { status: "in-progress", eventCount: 2 });
    const first = policy(UNVERSIONED_SNAPSHOT);
    const later = policy(UNVERSIONED_SNAPSHOT + 1);

    const asFirst = await repo(first.snapshots).load(code);
    const asLater = await repo(later.snapshots).load(code);

    expect((await storedStateItem(code))?.snapshotVersion).toBeUndefined();
    expect(asFirst?.state).toEqual({ status: "in-progress", eventCount: 2 });
    expect(first.refolds).toEqual([]);
    expect(asLater?.state).toEqual({ status: "refolded", eventCount: 2 });
  });

  it("folds the log again for a snapshot of the current version that fails the shape check", async () => {
    const code = aDossierCode();
    const current = policy(2);
    await create(code, { status: "in-progress", eventCount: 2 }, current.snapshots);
    // Written by something else under the current version: not the shape this code reads.
    await table.doc.send(
      new UpdateCommand({
        TableName: table.design.tableName,
        Key: keys.dossierState(code),
        UpdateExpression: "SET #state = :foreign",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":foreign": { code, phase: 7 } },
      }),
    );

    const loaded = await repo(current.snapshots).load(code);

    expect(loaded?.state).toEqual({ status: "refolded", eventCount: 2 });
  });

  it("stores the refolded snapshot under the current version on the next save", async () => {
    const code = aDossierCode();
    await create(code, { status: "in-progress", eventCount: 2 }, policy(1).snapshots);
    const current = policy(2);
    const loaded = await repo(current.snapshots).load(code);
    if (loaded === undefined) throw new Error("not stored");

    await repo(current.snapshots).save({
      code,
      expectedVersion: loaded.version,
      newEvents: [],
      state: loaded.state,
      listing: undefined,
      agenda: { previous: loaded.agenda, next: [] },
      savedAt: SAVED_AT,
    });
    const again = await repo(current.snapshots).load(code);

    expect(await storedStateItem(code)).toMatchObject({ snapshotVersion: 2, state: loaded.state });
    expect(again?.state).toEqual({ status: "refolded", eventCount: 2 });
    expect(current.refolds).toHaveLength(1);
  });

  it("reads an old dossier snapshot back as the dossier folded again from its log (the app's policy)", async () => {
    const code = aDossierCode();
    const events = [
      aReceivedEvent({ dossierCode: code, id: `${code}:received` }),
      anAssignedEvent({ dossierCode: code, id: `${code}:assigned` }),
      aPause({ dossierCode: code, id: `${code}:paused` }),
    ];
    const appPolicy = dossierSnapshotPolicy({
      current: async () => ({ version: "test", workingTime: working }),
    });
    const appRepo = () =>
      new DynamoDbDossierRepository<DossierEventJson, DossierSnapshot | { dueDate: string }, PlannedAlert>(
        { client: table.doc, design: table.design },
        // The policy only produces DossierSnapshot; the old shape is what the table may hold.
        appPolicy as SnapshotPolicy<DossierEventJson, DossierSnapshot | { dueDate: string }>,
      );
    // A snapshot of another shape, stored before the versions (no snapshotVersion): fails the check.
    await new DynamoDbDossierRepository<DossierEventJson, { dueDate: string }, PlannedAlert>({
      client: table.doc,
      design: table.design,
    }).save({
      code,
      expectedVersion: undefined,
      newEvents: events.map(dossierEventToJson),
      state: { dueDate: "2026-11-26" },
      listing: undefined,
      agenda: { previous: [], next: [] },
      savedAt: SAVED_AT,
    });

    const loaded = await appRepo().load(code);

    expect(loaded?.state).toEqual(foldDossier(events, working));
  });
});
