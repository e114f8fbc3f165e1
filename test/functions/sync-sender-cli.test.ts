import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoDbSyncSenderRepository } from "../../shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts";
import { SyncSenders } from "../../shared/app/sync-senders.ts";
import { runCli } from "../support/cli.ts";
import { createTestTable, type TestTable } from "../support/dynamodb.ts";

/** `dunghan sync-sender` against a DynamoDB table (--table/--endpoint), read back through the adapter. */
let table: TestTable & { dispose(): Promise<void> };
let senders: SyncSenders;
beforeAll(async () => {
  table = await createTestTable();
  senders = new SyncSenders({
    senders: new DynamoDbSyncSenderRepository({ client: table.doc, design: table.design }),
  });
});
afterAll(() => table.dispose());

const target = () => ["--table", table.design.tableName, "--endpoint", inject("dynamodbEndpoint")];

describe("dunghan sync-sender", () => {
  it("issues a credential printed once, that authenticates as the sender with its agencies and success code", async () => {
    const issued = await runCli([
      "sync-sender",
      "issue",
      "--id",
      "mot-cua-tinh",
      "--name",
      "Một cửa điện tử tỉnh",
      "--agency",
      "so-nnmt",
      "--agency",
      "so-tp",
      "--success-code",
      "00",
      ...target(),
    ]);
    expect(issued.code).toBe(0);
    const credential = issued.stdout.trim();
    expect(credential).toMatch(/^mot-cua-tinh\.[A-Za-z0-9_-]{43}$/);
    expect(issued.stderr).toContain("shown once");
    await expect(senders.authenticate(credential)).resolves.toEqual({
      id: "mot-cua-tinh",
      agencies: ["so-nnmt", "so-tp"],
      successCode: "00",
    });
    const listed = await runCli(["sync-sender", "list", ...target()]);
    expect(listed.stdout).not.toContain(credential.split(".")[1]);
    expect(listed.stdout).not.toContain("secretHash");
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: "mot-cua-tinh" })]);
  });

  it("revokes: the credential is refused afterwards", async () => {
    const issued = await runCli([
      "sync-sender",
      "issue",
      "--id",
      "lgsp",
      "--name",
      "LGSP",
      "--agency",
      "x",
      ...target(),
    ]);
    const credential = issued.stdout.trim();
    await expect(senders.authenticate(credential)).resolves.toMatchObject({ id: "lgsp" });
    const revoked = await runCli(["sync-sender", "revoke", "--id", "lgsp", ...target()]);
    expect(revoked.code).toBe(0);
    await expect(senders.authenticate(credential)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses a sender without an agency, with exit code 2 and nothing on stdout", async () => {
    const refused = await runCli(["sync-sender", "issue", "--id", "no-agency", "--name", "X", ...target()]);
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toMatch(/agencies/);
  });

  it("stores a default agency for envelopes without madonvi, one of the sender's agencies", async () => {
    const issued = await runCli([
      "sync-sender",
      "issue",
      "--id",
      "td-tinh",
      "--name",
      "TD",
      "--agency",
      "000.00.17.H56",
      "--default-agency",
      "000.00.17.H56",
      ...target(),
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    expect(issued.stderr).toContain("records without madonvi go to 000.00.17.H56");
    await expect(senders.authenticate(issued.stdout.trim())).resolves.toEqual({
      id: "td-tinh",
      agencies: ["000.00.17.H56"],
      successCode: "0",
      defaultAgency: "000.00.17.H56",
    });
  });

  it("refuses a default agency the sender may not write, with exit code 2 and nothing on stdout", async () => {
    const refused = await runCli([
      "sync-sender",
      "issue",
      "--id",
      "td-khac",
      "--name",
      "TD",
      "--agency",
      "so-nnmt",
      "--default-agency",
      "so-tp",
      ...target(),
    ]);
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toMatch(/defaultAgency/);
    expect((await senders.list()).map((sender) => sender.id)).not.toContain("td-khac");
  });
});
