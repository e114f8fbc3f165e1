import { describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.ts";

// Refused before any table is opened: these need no DynamoDB.
describe("dunghan backfill-listings (options)", () => {
  it("answers --help with the upgrade it is for", async () => {
    const { code, stdout } = await runCli(["backfill-listings", "--help"]);

    expect(code).toBe(0);
    expect(stdout).toContain("Usage: dunghan backfill-listings [--agency ID] [--dry-run]");
  });

  it.each([
    [["--region", "ap-southeast-1"], "dunghan: --endpoint and --region need --table\n"],
    [["--table", "t-1", "--pages", "0"], "dunghan: --pages must be a positive integer: 0\n"],
    [
      ["--table", "t-1", "--page-size", "501"],
      "dunghan: --page-size must be an integer from 1 to 500: 501\n",
    ],
    [["--table", "t-1", "--agency", ""], "dunghan: --agency needs an agency id\n"],
  ])("refuses %j", async (options, message) => {
    const { code, stdout, stderr } = await runCli(["backfill-listings", ...options]);

    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(stdout).toBe("");
  });
});
