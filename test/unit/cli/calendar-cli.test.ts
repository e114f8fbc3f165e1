import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../local/cli/main.ts";
import { runCli } from "../../support/cli.ts";

describe("dunghan calendar", () => {
  it("prints one object per date, with names and the provisional flag", async () => {
    const { code, stdout, stderr } = await runCli([
      "calendar",
      "--from",
      "2026-11-23",
      "--to",
      "2026-11-25",
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { date: "2026-11-23", working: true, provisional: false },
      { date: "2026-11-24", working: false, name: "Ngày Văn hóa Việt Nam", provisional: false },
      { date: "2026-11-25", working: true, provisional: false },
    ]);
  });

  it("covers 2019–2026 in one call and marks 2027 provisional", async () => {
    const { stdout } = await runCli(["calendar", "--from", "2019-01-01", "--to", "2027-12-31", "--json"]);
    const days = JSON.parse(stdout) as {
      date: string;
      working: boolean;
      provisional: boolean;
      name?: string;
    }[];
    expect(days).toHaveLength(3287);
    expect(days.find((day) => day.date === "2019-01-05")).toMatchObject({
      working: true,
      name: "Làm bù cho ngày 31/12/2018",
    });
    expect(days.filter((day) => day.provisional).every((day) => day.date.startsWith("2027"))).toBe(true);
    expect(days.find((day) => day.date === "2027-02-06")).toMatchObject({
      working: false,
      provisional: true,
    });
  });

  it("prints a month grid for people", async () => {
    const { stdout } = await runCli(["calendar", "--from", "2026-11-01", "--to", "2026-11-30"]);
    expect(stdout).toContain("Tháng 11 2026");
    expect(stdout).toContain("[24]");
    expect(stdout).toContain("24/11  nghỉ  Ngày Văn hóa Việt Nam");
  });
});

describe("dunghan deadline", () => {
  it("computes the due instant at +07:00 from any offset", async () => {
    const { code, stdout } = await runCli([
      "deadline",
      "--received",
      "2026-11-20T02:00:00Z",
      "--amount",
      "3",
      "--unit",
      "working-days",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      received: "2026-11-20T09:00:00+07:00",
      amount: 3,
      unit: "working-days",
      due: "2026-11-26T09:00:00+07:00",
      provisional: false,
    });
  });

  it("answers a batch in order", async () => {
    const stdin = [
      '{"received":"2026-11-20T09:00:00+07:00","amount":3,"unit":"working-days"}',
      '{"received":"2026-11-20T09:00:00+07:00","amount":4,"unit":"working-hours"}',
      "",
      '{"received":"2026-11-18T09:00:00+07:00","amount":3,"unit":"calendar-days"}',
      '{"received":"2027-02-04T09:00:00+07:00","amount":1,"unit":"working-days"}',
    ].join("\n");
    const { code, stdout } = await runCli(["deadline", "--batch", "-", "--json"], stdin);
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as { due: string; provisional: boolean }[];
    expect(results.map((result) => result.due)).toEqual([
      "2026-11-26T09:00:00+07:00",
      "2026-11-20T14:30:00+07:00",
      "2026-11-23T17:00:00+07:00",
      "2027-02-12T09:00:00+07:00",
    ]);
    expect(results.map((result) => result.provisional)).toEqual([false, false, false, true]);
  });

  it.each([
    [["--received", "2026-02-30T09:00:00+07:00", "--amount", "3", "--unit", "working-days"], /2026-02-30/],
    [["--received", "2026-11-20T09:00:00+07:00", "--amount", "-2", "--unit", "working-days"], /-2/],
    [["--received", "2026-11-20T09:00:00+07:00", "--amount", "3", "--unit", "weeks"], /weeks/],
    [["--received", "2300-01-01T09:00:00+07:00", "--amount", "3", "--unit", "working-days"], /2300-01-01/],
    [["--received", "2026-11-20T09:00:00+07:00", "--amount", "3"], /--unit/],
    [["--bogus"], /bogus/],
  ])("rejects bad input %j with exit 2 and nothing on stdout", async (args, message) => {
    const { code, stdout, stderr } = await runCli(["deadline", ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
  });

  it("names the batch line that is wrong", async () => {
    const { code, stdout, stderr } = await runCli(
      ["deadline", "--batch", "-"],
      '{"received":"2026-11-20T09:00:00+07:00","amount":3,"unit":"working-days"}\n{"amount":1}\n',
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/line 2/);
  });
});

describe("dunghan lunar", () => {
  it("converts dates, Vietnamese rules (Tết 2030 and 2007 differ from China)", async () => {
    const { code, stdout } = await runCli(["lunar", "2030-02-02", "2007-02-17", "2023-03-22", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { solar: "2030-02-02", lunar: { day: 1, month: 1, year: 2030, leap: false } },
      { solar: "2007-02-17", lunar: { day: 1, month: 1, year: 2007, leap: false } },
      { solar: "2023-03-22", lunar: { day: 1, month: 2, year: 2023, leap: true } },
    ]);
  });

  it("rejects a bad date and a year out of range", async () => {
    expect(await runCli(["lunar", "2030-13-01"])).toMatchObject({ code: 2, stdout: "" });
    expect((await runCli(["lunar", "1800-01-01", "--json"])).code).toBe(2);
  });
});

describe("help", () => {
  it("answers --help on every command", async () => {
    for (const command of COMMANDS) {
      const { code, stdout } = await runCli([command.name, "--help"]);
      expect(code, command.name).toBe(0);
      expect(stdout, command.name).toContain(`dunghan ${command.name}`);
    }
  });

  it("lists the commands and refuses an unknown one", async () => {
    expect((await runCli(["--help"])).stdout).toContain("deadline");
    const unknown = await runCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("frobnicate");
  });

  it("runs as a real process through the package's bin", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "bin/dunghan.mjs",
        "deadline",
        "--received",
        "2026-11-20T09:00:00+07:00",
        "--amount",
        "3",
        "--unit",
        "working-days",
        "--json",
      ],
      { env: { ...process.env, TZ: "America/New_York" } },
    );
    expect(JSON.parse(stdout).due).toBe("2026-11-26T09:00:00+07:00");
  });
});
