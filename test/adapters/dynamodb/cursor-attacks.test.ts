import { describe, expect, it } from "vitest";
import { DynamoDbDossierQuery } from "../../../shared/adapters/dynamodb/dossier-query.dynamodb.ts";
import { DynamoDbDossierRepository } from "../../../shared/adapters/dynamodb/dossier-repository.dynamodb.ts";
import { ATTR } from "../../../shared/adapters/dynamodb/table-design.ts";
import type { DossierListing } from "../../../shared/app/ports.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { useTestTable } from "../../support/dynamodb.ts";
import { aDossierCode, anEvent } from "./builders.ts";

const table = useTestTable();
const options = () => ({ client: table.doc, design: table.design });

/**
 * A page cursor is the caller's to send back, so an attacker edits it (docs/security.md): one taken from
 * another agency's or another status's listing, or one with a forged key, is refused with a 400
 * — never sent to DynamoDB (a ValidationException, a 500) and never a page of another partition.
 */
describe("DynamoDbDossierQuery cursors under attack", () => {
  const mine = `agency-${Math.random().toString(36).slice(2, 8)}`;
  const theirs = `${mine}-other`;
  const listed = async (agencyId: string, listing: Omit<DossierListing, "agencyId">) => {
    const code = aDossierCode();
    await new DynamoDbDossierRepository(options()).save({
      code,
      expectedVersion: undefined,
      newEvents: [anEvent(code, "received", { type: "received" })],
      state: {},
      listing: { agencyId, ...listing },
      agenda: { previous: [], next: [] },
      savedAt: "2026-11-20T09:00:00+07:00",
    });
    return code;
  };
  const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

  it("refuses another agency's cursor, another status's, and a forged one", async () => {
    for (let i = 0; i < 2; i++) {
      await listed(mine, { status: "in-progress", dueAt: `2026-11-2${i}T08:00:00+07:00` });
      await listed(theirs, { status: "in-progress", dueAt: `2026-11-2${i}T08:00:00+07:00` });
    }
    const query = new DynamoDbDossierQuery(options());
    const theirCursor = (await query.byAgencyStatus(theirs, "in-progress", { limit: 1 })).cursor!;
    const myCursor = (await query.byAgencyStatus(mine, "in-progress", { limit: 1 })).cursor!;
    // The control: my own cursor pages on.
    expect((await query.byAgencyStatus(mine, "in-progress", { cursor: myCursor })).items).toHaveLength(1);

    const refused = (cursor: string, status = "in-progress") =>
      expect(query.byAgencyStatus(mine, status, { cursor })).rejects.toBeInstanceOf(InvalidInputError);
    await refused(theirCursor);
    await refused(myCursor, "paused");
    const key = decode(myCursor);
    await refused(encode({ ...key, extra: "x" }));
    await refused(encode({ ...key, [ATTR.sk]: 42 }));
    await refused(encode({ [ATTR.byAgencyStatusPk]: key[ATTR.byAgencyStatusPk] }));
    await refused(encode([key]));
  });
});
