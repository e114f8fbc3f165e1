import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventsFromSyncPayloads } from "../../../local/cli/commands/simulate-dvcqg.ts";
import { type DossierState, dossierEventToJson } from "../../../shared/dossier/index.ts";
import { catalogue, FIXTURES, hoSo, working } from "../../fixtures/dvcqg/builders.ts";
import { runCli } from "../../support/cli.ts";

const PAYLOADS = `${FIXTURES}payloads.json`;
const PROCEDURES = `${FIXTURES}procedures.json`;
const NOW = "2026-12-01T08:00:00+07:00";

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "dvcqg-")), name);
  writeFileSync(path, content);
  return path;
}

const simulate = (events: string, ...extra: string[]) =>
  runCli([
    "simulate",
    "--format",
    "dvcqg",
    "--events",
    events,
    "--catalog",
    PROCEDURES,
    "--now",
    NOW,
    "--json",
    ...extra,
  ]);

describe("dunghan simulate --format dvcqg", () => {
  it("prints the states exactly as simulate --now prints them for the same events", async () => {
    const { events } = eventsFromSyncPayloads(JSON.parse(readFileSync(PAYLOADS, "utf8")), catalogue, working);
    const lines = tempFile(
      "events.jsonl",
      events.map((event) => JSON.stringify(dossierEventToJson(event))).join("\n"),
    );
    const fromPayloads = await simulate(PAYLOADS);
    const fromEvents = await runCli(["simulate", "--events", lines, "--now", NOW, "--json"]);
    expect(fromPayloads.code).toBe(0);
    expect(fromPayloads.stderr).toBe("");
    expect(fromPayloads.stdout).toBe(fromEvents.stdout);
  });

  it("takes nothing from the fixtures' unchanged catch-up burst (its last two payloads)", () => {
    const payloads = JSON.parse(readFileSync(PAYLOADS, "utf8")) as unknown[];
    const all = eventsFromSyncPayloads(payloads, catalogue, working).events;
    const before = eventsFromSyncPayloads(payloads.slice(0, -2), catalogue, working).events;
    expect(all).toEqual(before);
  });

  it("gives each fixture dossier the state its payloads describe", async () => {
    const { stdout } = await simulate(PAYLOADS);
    const states = JSON.parse(stdout) as DossierState[];
    const byCode = new Map(states.map((state) => [state.dossierCode.slice(-11), state]));
    // Registered-only (status 1) then received: one dossier; 10 in all.
    expect(states).toHaveLength(10);
    expect(byCode.get("261102-0001")).toMatchObject({ phase: "returned", status: "truoc-han" });
    expect(byCode.get("261102-0001")!.steps.map((step) => step.dueAt)).toEqual([
      "2026-11-05T10:00:00+07:00",
      "2026-11-06T17:00:00+07:00",
    ]);
    expect(byCode.get("261103-0002")).toMatchObject({
      phase: "finished",
      appointmentVersion: 2,
      currentAppointment: "2026-11-25T09:00:00+07:00",
    });
    expect(byCode.get("261104-0003")).toMatchObject({
      phase: "finished",
      legalDueAt: "2026-11-11T08:00:00+07:00",
    });
    expect(byCode.get("261105-0004")!.phase).toBe("rejected");
    expect(byCode.get("261105-0005")!.phase).toBe("withdrawn");
    expect(byCode.get("261106-0006")!.phase).toBe("stopped");
    expect(byCode.get("261109-0008")).toMatchObject({ phase: "paused", paused: true });
    // The overdue finish rewritten to the appointment: the first finish stays, late.
    expect(byCode.get("261110-0009")).toMatchObject({
      finishedAt: "2026-11-19T15:00:00+07:00",
      status: "qua-han",
    });
    // The catalogue's 8 working days online: due 23/11 by law, whatever the later promise.
    expect(byCode.get("261111-0010")!.legalDueAt).toBe("2026-11-23T09:00:00+07:00");
  });

  it("refuses a record that cannot be mapped with its position and reason, printing nothing", async () => {
    const bad = [
      { endpoint: "create", body: [hoSo()] },
      {
        endpoint: "update",
        body: [hoSo({ MaHoSo: "000.00.17.H56-261102-0002" }), hoSo({ NgayTiepNhan: "31/12/2026" })],
      },
    ];
    const result = await simulate(tempFile("bad.json", JSON.stringify(bad)));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /payload 2, record 2 \(MaHoSo 000\.00\.17\.H56-261102-0001\): NgayTiepNhan: .* \[date\]/,
    );
  });

  it("refuses the bad-date fixture at its second payload", async () => {
    const result = await simulate(`${FIXTURES}bad-date.json`);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe(
      "dunghan: payload 2, record 1 (MaHoSo 000.00.17.H56-261102-0001): NgayKetThucXuLy: expected yyyyMMddHHmmss (Asia/Ho_Chi_Minh) [date]\n",
    );
  });

  it("refuses an unknown procedure with no appointment to take the limit from", async () => {
    const bad = [{ endpoint: "create", body: [hoSo({ MaTTHC: "9.000001", NgayHenTra: "" })] }];
    const result = await simulate(tempFile("unknown.json", JSON.stringify(bad)));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/payload 1, record 1 .*\[unknown-procedure\]/);
  });

  it("refuses an oversized batch by its payload", async () => {
    const many = Array.from({ length: 501 }, (_, i) => hoSo({ MaHoSo: `000.00.17.H56-261102-${2000 + i}` }));
    const result = await simulate(
      tempFile("burst.json", JSON.stringify([{ endpoint: "update", body: many }])),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/payload 1: .*got 501/);
  });

  it("refuses a fact the dossier cannot take, by position", async () => {
    const bad = [
      { endpoint: "create", body: [hoSo({ TrangThaiHoSo: "3", NgayTuChoi: "20261102100000" })] },
      { endpoint: "update", body: [hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261106150000" })] },
    ];
    const result = await simulate(tempFile("conflict.json", JSON.stringify(bad)));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/payload 2, record 1 .*\[lifecycle\]/);
  });

  it("refuses a payload in neither envelope", async () => {
    const result = await simulate(tempFile("odd.json", JSON.stringify([{ endpoint: "delete", body: [] }])));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/payload 1: expected a service-in-body envelope/);
  });

  it("requires --catalog with --format dvcqg", async () => {
    const result = await runCli([
      "simulate",
      "--format",
      "dvcqg",
      "--events",
      PAYLOADS,
      "--now",
      NOW,
      "--json",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--catalog/);
  });
});
