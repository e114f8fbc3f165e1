import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_BOOK, type SentMessage, simulateAlerts } from "../../../shared/alerts/index.ts";
import { formatInstant } from "../../../shared/calendar/index.ts";
import { type DossierEvent, dossierEventToJson } from "../../../shared/dossier/index.ts";
import { runCli } from "../../support/cli.ts";
import {
  anAcknowledgement,
  anApology,
  aReceivedEvent,
  aResultReady,
  at,
  DIRECTORY,
  working,
} from "../dossier/builders.ts";

const options = { book: DEFAULT_POLICY_BOOK, context: { workingTime: working, directory: DIRECTORY } };
const simulate = (events: DossierEvent[], until = "2026-12-31T00:00:00+07:00") =>
  simulateAlerts(events, at(until), options);
const lines = (messages: SentMessage[]) =>
  messages.map(
    (message) =>
      `${formatInstant(message.at)} ${message.rule} → ${message.recipientRole}${message.recipientId ? ` ${message.recipientId}` : ""}`,
  );

describe("simulateAlerts", () => {
  it("sends each alert once, in time order, and stops escalating once acknowledged", () => {
    const messages = simulate(
      [aReceivedEvent(), anAcknowledgement({ occurredAt: "2026-11-26T10:00:00+07:00" })],
      "2026-11-27T12:00:00+07:00",
    );
    expect(lines(messages)).toEqual([
      "2026-11-20T09:00:00+07:00 citizen-receipt → citizen",
      "2026-11-23T09:00:00+07:00 apology-draft-requested → unit-leader",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-mai",
      "2026-11-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan",
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader gd-hung",
      "2026-11-25T09:00:00+07:00 due-in-1-working-day → handler cb-lan",
      "2026-11-26T07:30:00+07:00 due-today → handler cb-lan",
      "2026-11-26T09:00:00+07:00 overdue-level-1 → handler cb-lan",
      // level 2 (14:30) is not sent: acknowledged at 10:00
      "2026-11-27T07:30:00+07:00 daily-digest → agency-leader gd-hung",
      "2026-11-27T07:30:00+07:00 daily-digest → unit-leader tp-mai",
    ]);
    expect(messages.at(-1)).toMatchObject({
      dossier: null,
      dossiers: ["000.00.12.H42-261120-0001"],
      kind: "digest",
    });
  });

  it("sends an alert that a late-recorded fact makes due when the fact arrives", () => {
    const recordedLate = aReceivedEvent({
      occurredAt: "2026-11-23T10:00:00+07:00",
      receivedAt: "2026-11-20T09:00:00+07:00",
    });
    expect(lines(simulate([recordedLate], "2026-11-23T12:00:00+07:00"))).toEqual([
      "2026-11-23T10:00:00+07:00 apology-draft-requested → unit-leader",
      "2026-11-23T10:00:00+07:00 apology-duty → unit-leader tp-mai",
      "2026-11-23T10:00:00+07:00 citizen-receipt → citizen",
      "2026-11-23T10:00:00+07:00 due-in-2-working-days → handler cb-lan",
    ]);
  });

  it("sends the version-1 chain up to the apology, then the version-2 chain", () => {
    // Issued after L (25/11 09:00): apology-overdue went to the director.
    const apology = anApology({ occurredAt: "2026-11-25T16:00:00+07:00" });
    const messages = simulate([
      aReceivedEvent(),
      apology,
      aResultReady({ occurredAt: "2026-12-01T10:00:00+07:00" }),
    ]);
    expect(lines(messages).filter((line) => !line.includes("digest"))).toEqual([
      "2026-11-20T09:00:00+07:00 citizen-receipt → citizen",
      "2026-11-23T09:00:00+07:00 apology-draft-requested → unit-leader",
      "2026-11-23T09:00:00+07:00 apology-duty → unit-leader tp-mai",
      "2026-11-23T09:00:00+07:00 due-in-2-working-days → handler cb-lan",
      "2026-11-25T09:00:00+07:00 apology-overdue → agency-leader gd-hung",
      "2026-11-25T09:00:00+07:00 due-in-1-working-day → handler cb-lan",
      "2026-11-25T16:00:00+07:00 citizen-apology → citizen",
      "2026-11-30T09:00:00+07:00 due-in-2-working-days → handler cb-lan",
      "2026-12-01T09:00:00+07:00 due-in-1-working-day → handler cb-lan",
      "2026-12-01T10:00:00+07:00 citizen-result-ready → citizen",
    ]);
    // Overdue against the legal due instant (26/11) from 27/11 until the result on 01/12.
    expect(
      messages
        .filter((message) => message.kind === "digest" && message.recipientRole === "unit-leader")
        .map((message) => formatInstant(message.at)),
    ).toEqual(["2026-11-27T07:30:00+07:00", "2026-11-30T07:30:00+07:00", "2026-12-01T07:30:00+07:00"]);
  });
});

const EXAMPLES = fileURLToPath(new URL("../../../examples/events.jsonl", import.meta.url));
const DIRECTORY_FILE = fileURLToPath(new URL("../../../examples/directory.json", import.meta.url));
const GOLDEN = fileURLToPath(new URL("./golden/simulate-examples.txt", import.meta.url));

interface AlertLine {
  at: string;
  dossier: string | null;
  rule: string;
  recipientRole: string;
  recipientId?: string;
  channel: string;
  dedupeKey: string;
}

describe("dunghan simulate", () => {
  it("prints the alerts of examples/events.jsonl in time order, each once", async () => {
    const { code, stdout, stderr } = await runCli([
      "simulate",
      "--events",
      EXAMPLES,
      "--until",
      "2026-12-31T00:00:00+07:00",
      "--directory",
      DIRECTORY_FILE,
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const alerts = JSON.parse(stdout) as AlertLine[];
    expect(alerts.map((alert) => alert.at)).toEqual([...alerts.map((alert) => alert.at)].sort());
    expect(new Set(alerts.map((alert) => alert.dedupeKey)).size).toBe(alerts.length);
    const find = (dossier: string, rule: string) =>
      alerts.filter((alert) => alert.dossier === dossier && alert.rule === rule).map((alert) => alert.at);
    // Tết 2026: due Wed 25/02 09:00; the agency leader is called 2 working days later.
    expect(find("000.00.12.H42-260211-0004", "overdue-level-3")).toEqual(["2026-02-27T09:00:00+07:00"]);
    // Supplement restart after the 15:00 cut-off: a new receipt (version 2), due Tue 17/11 17:00.
    expect(find("000.00.12.H42-261102-0003", "citizen-receipt")).toEqual([
      "2026-11-02T14:00:00+07:00",
      "2026-11-10T15:30:00+07:00",
    ]);
    expect(find("000.00.12.H42-261102-0003", "due-today")).toEqual(["2026-11-17T07:30:00+07:00"]);
    // Across 24/11/2026.
    expect(find("000.00.12.H42-261120-0001", "due-in-2-working-days")).toEqual(["2026-11-23T09:00:00+07:00"]);
    // Result ready at 21:15: the e-mail goes at once, the SMS at 07:00.
    expect(
      alerts.filter(
        (alert) => alert.dossier === "000.00.12.H42-261119-0007" && alert.rule === "citizen-result-ready",
      ),
    ).toEqual([
      expect.objectContaining({ at: "2026-11-30T21:15:00+07:00", channel: "email" }),
      expect.objectContaining({ at: "2026-12-01T07:00:00+07:00", channel: "sms" }),
    ]);
    // Paused 10/12–15/12: nothing for that dossier in between.
    expect(
      alerts.filter(
        (alert) =>
          alert.dossier === "000.00.12.H42-261207-0002" &&
          alert.at > "2026-12-10T09:00" &&
          alert.at < "2026-12-15T09:00",
      ),
    ).toEqual([]);
    // Acknowledged on 04/12: the agency leader is never called for the apologised dossier.
    expect(find("000.00.12.H42-261116-0005", "overdue-level-2")).toEqual(["2026-12-03T15:30:00+07:00"]);
    expect(find("000.00.12.H42-261116-0005", "overdue-level-3")).toEqual([]);
    // Liên thông: the apology duty two working days before the legal due instant (26/11 10:00,
    // 24/11 skipped) to the tax office holding it and to the desk; apology-overdue at L.
    expect(
      alerts
        .filter((alert) => alert.dossier === "000.00.12.H42-261116-0005" && alert.rule.startsWith("apology"))
        .map((alert) => `${alert.at} ${alert.rule} ${alert.recipientId ?? alert.recipientRole}`),
    ).toEqual([
      "2026-11-23T10:00:00+07:00 apology-draft-requested unit-leader",
      "2026-11-23T10:00:00+07:00 apology-duty tp-mai",
      "2026-11-23T10:00:00+07:00 apology-duty tp-thao",
      // Back at the land unit on 25/11 09:00: its leader learns of the duty then.
      "2026-11-25T09:00:00+07:00 apology-duty tp-binh",
      "2026-11-25T10:00:00+07:00 apology-overdue gd-hung",
      "2026-11-25T10:00:00+07:00 apology-overdue tp-mai",
    ]);
    // A make-up Saturday (22/08/2026) in a two-day allotment: the apology duty at half time on it.
    expect(find("000.00.12.H42-260821-0008", "apology-duty")).toEqual(["2026-08-22T10:00:00+07:00"]);
    expect(find("000.00.12.H42-260821-0008", "apology-overdue")).toEqual(["2026-08-22T15:30:00+07:00"]);
    // Overdue on 03/09 09:00, waiting on a supplement from 10:00, withdrawn on 07/09: level 1 only.
    expect(find("000.00.12.H42-260826-0009", "overdue-level-1")).toEqual(["2026-09-03T09:00:00+07:00"]);
    expect(find("000.00.12.H42-260826-0009", "overdue-level-2")).toEqual([]);
    expect(find("000.00.12.H42-260826-0009", "overdue-level-3")).toEqual([]);
  });

  it("prints exactly the golden table for examples/events.jsonl (Tết, a làm bù Saturday, 24/11)", async () => {
    const { code, stdout } = await runCli([
      "simulate",
      "--events",
      EXAMPLES,
      "--until",
      "2026-12-31T00:00:00+07:00",
      "--directory",
      DIRECTORY_FILE,
    ]);
    expect(code).toBe(0);
    // A reviewed file, not a snapshot: a change here is a change of policy, to be read line by line.
    expect(stdout).toBe(await readFile(GOLDEN, "utf8"));
  });

  it("prints each dossier's state at --now, with what the apology letter needs", async () => {
    const { code, stdout } = await runCli([
      "simulate",
      "--events",
      EXAMPLES,
      "--now",
      "2026-11-27T08:00:00+07:00",
      "--json",
    ]);
    expect(code).toBe(0);
    const states = JSON.parse(stdout) as Record<string, unknown>[];
    expect(states.map((state) => state.dossierCode)).toEqual([
      "000.00.12.H42-260211-0004",
      "000.00.12.H42-261102-0003",
      "000.00.12.H42-261116-0005",
      "000.00.12.H42-261120-0001",
      "000.00.12.H42-261119-0007",
      "000.00.12.H42-260821-0008",
      "000.00.12.H42-260826-0009",
    ]);
    expect(states[2]).toMatchObject({
      phase: "in-progress",
      status: "qua-han",
      originalAppointment: "2026-11-26T10:00:00+07:00",
      currentAppointment: "2026-12-03T10:00:00+07:00",
      apology: { responsibleUnit: { id: "phong-truoc-ba" }, letterNumber: "125/XL-SNNMT" },
      delay: { reason: "step-finished-late", assignment: { agency: { id: "thue-tinh" } } },
    });
  });

  it("reports an invalid event with its line number, exit code 2 and nothing on stdout", async () => {
    const good = JSON.stringify(dossierEventToJson(aReceivedEvent()));
    const bad = JSON.stringify({ ...dossierEventToJson(aResultReady()), occurredAt: "yesterday" });
    const { code, stdout, stderr } = await runCli(
      ["simulate", "--events", "-", "--until", "2026-12-31T00:00:00+07:00"],
      `${good}\n\n${bad}\n`,
    );
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^dunghan: line 3: invalid dossier event — occurredAt: expected an ISO-8601 instant/,
    );
  });

  it("refuses a second apology in the file", async () => {
    const events = [
      aReceivedEvent(),
      anApology(),
      anApology({ id: "apology-2", occurredAt: "2026-11-26T09:00:00+07:00" }),
    ];
    const text = events.map((event) => JSON.stringify(dossierEventToJson(event))).join("\n");
    const { code, stderr } = await runCli(
      ["simulate", "--events", "-", "--now", "2026-12-01T00:00:00+07:00"],
      text,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^dunghan: line 3: dossier 000.00.12.H42-261120-0001: an apology was already issued/,
    );
  });

  it("needs exactly one of --until and --now", async () => {
    const { code, stderr } = await runCli(["simulate", "--events", EXAMPLES]);
    expect(code).toBe(2);
    expect(stderr).toBe("dunghan: give exactly one of --until and --now\n");
  });

  it("prints a readable table without --json", async () => {
    const { code, stdout } = await runCli([
      "simulate",
      "--events",
      EXAMPLES,
      "--until",
      "2026-02-12T00:00:00+07:00",
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      "at                dossier                    rule             to       channel\n" +
        "2026-02-11 09:00  000.00.12.H42-260211-0004  citizen-receipt  citizen  email\n",
    );
  });
});
