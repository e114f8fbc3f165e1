import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../support/cli.ts";

const CODE = "000.00.12.H42-261120-0001";
let dir: string;
let statesFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dunghan-letter-"));
  statesFile = join(dir, "states.json");
  // The letter's input is exactly what `simulate --now` prints.
  const simulated = await runCli([
    "simulate",
    "--events",
    "examples/events.jsonl",
    "--now",
    "2026-11-25T10:00:00+07:00",
    "--json",
  ]);
  expect(simulated.code).toBe(0);
  await writeFile(statesFile, simulated.stdout);
});

const letter = (...args: string[]) =>
  runCli([
    "letter",
    "--dossier",
    statesFile,
    "--code",
    CODE,
    "--reason",
    "Chờ ý kiến của Sở Tài chính",
    ...args,
  ]);

describe("dunghan letter", () => {
  it("renders the text letter; a bare --new-date is that working day's closing time", async () => {
    const { code, stdout, stderr } = await letter("--new-date", "2026-11-30", "--place", "Tân An");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
    expect(stdout).toContain(CODE);
    expect(stdout).toContain("Tân An, ngày 25 tháng 11 năm 2026");
    expect(stdout).toContain("17 giờ 00 phút, ngày 30 tháng 11 năm 2026");
    expect(stdout).toContain("Chờ ý kiến của Sở Tài chính");
  });

  it("counts --extra-days on the civil-service calendar (24/11 is a day off)", async () => {
    const { code, stdout } = await letter(
      "--extra-days",
      "3",
      "--today",
      "2026-11-23T10:00:00+07:00",
      "--format",
      "html",
    );
    expect(code).toBe(0);
    expect(stdout).toContain("<!DOCTYPE html>");
    expect(stdout).toContain("ngày 27 tháng 11 năm 2026");
  });

  it("writes a DOCX that opens as a Word document", async () => {
    const out = join(dir, "letter.docx");
    const { code } = await letter(
      "--new-date",
      "2026-11-30T14:00:00+07:00",
      "--format",
      "docx",
      "--out",
      out,
    );
    expect(code).toBe(0);
    const zip = await JSZip.loadAsync(await readFile(out));
    const xml = await zip.file("word/document.xml")!.async("string");
    expect(xml).toContain(CODE);
    expect(xml).toContain("14 giờ 00 phút, ngày 30 tháng 11 năm 2026");
  });

  it("never proposes a day off, a time outside office hours or a date before today (the API's rule)", async () => {
    const sunday = await letter("--new-date", "2026-11-29");
    expect(sunday).toMatchObject({ code: 2, stdout: "" });
    expect(sunday.stderr).toMatch(/29\/11\/2026 không phải là ngày làm việc/);
    const evening = await letter("--new-date", "2026-11-30T19:00:00+07:00");
    expect(evening.code).toBe(2);
    expect(evening.stderr).toMatch(/19:00 .*nằm ngoài giờ làm việc/);
    const past = await letter("--new-date", "2026-11-20T09:00:00+07:00");
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/phải sau thời điểm hiện tại/);
  });

  it("refuses a second apology, and a dossier already finished", async () => {
    const states = JSON.parse(await readFile(statesFile, "utf8")) as Record<string, unknown>[];
    const apologised = states.map((state) =>
      state.dossierCode === CODE
        ? {
            ...state,
            apology: {
              issuedAt: "2026-11-24T09:00:00+07:00",
              reason: "x",
              responsibleUnit: { id: "u", name: "u" },
              newAppointment: "2026-11-30T09:00:00+07:00",
              letterNumber: null,
            },
          }
        : state,
    );
    await writeFile(join(dir, "apologised.json"), JSON.stringify(apologised));
    const second = await runCli([
      "letter",
      "--dossier",
      join(dir, "apologised.json"),
      "--code",
      CODE,
      "--reason",
      "y",
      "--new-date",
      "2026-12-01",
    ]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/already had its apology/);
    const finished = await runCli([
      "letter",
      "--dossier",
      statesFile,
      "--code",
      "000.00.12.H42-261102-0003",
      "--reason",
      "y",
      "--new-date",
      "2026-12-01",
    ]);
    expect(finished.code).toBe(2);
    expect(finished.stderr).toMatch(/no longer in progress/);
  });

  it("asks for --code when the file holds several dossiers, and for exactly one date option", async () => {
    const several = await runCli([
      "letter",
      "--dossier",
      statesFile,
      "--reason",
      "y",
      "--new-date",
      "2026-12-01",
    ]);
    expect(several.stderr).toMatch(/--code/);
    const both = await letter("--new-date", "2026-12-01", "--extra-days", "2");
    expect(both.stderr).toMatch(/exactly one/);
  });
});
