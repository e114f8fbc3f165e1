import { describe, expect, it } from "vitest";
import {
  buildDigests,
  DEFAULT_ALERT_POLICY,
  digestToJson,
  overridePolicy,
} from "../../../shared/alerts/index.ts";
import { type DossierEvent, foldDossier } from "../../../shared/dossier/index.ts";
import {
  anApology,
  anAssignedEvent,
  aPause,
  aReceivedEvent,
  aResultReady,
  aSupplementRequest,
  aTransferredEvent,
  at,
  DIRECTORY,
  working,
} from "../dossier/builders.ts";

const context = { workingTime: working, directory: DIRECTORY };
const dossier = (code: string, ...events: DossierEvent[]) =>
  foldDossier(
    events.map((event) => ({ ...event, dossierCode: code })),
    working,
  );

// Due Thu 26/11/2026 09:00, both handled in the land unit.
const late1 = dossier("000.00.12.H42-261120-0001", aReceivedEvent(), anAssignedEvent());
const late2 = dossier(
  "000.00.12.H42-261119-0002",
  aReceivedEvent({ occurredAt: "2026-11-19T09:00:00+07:00" }),
  anAssignedEvent(),
);
const onTime = dossier(
  "000.00.12.H42-261120-0003",
  aReceivedEvent({ occurredAt: "2026-11-26T08:00:00+07:00" }),
  anAssignedEvent({ occurredAt: "2026-11-26T08:30:00+07:00" }),
);
const finished = dossier("000.00.12.H42-261120-0004", aReceivedEvent(), aResultReady());

describe("buildDigests", () => {
  it("sends each leader one digest at 07:30 listing all their overdue dossiers", () => {
    const digests = buildDigests(
      [late1, late2, onTime, finished],
      at("2026-11-27T07:45:00+07:00"),
      DEFAULT_ALERT_POLICY,
      context,
    );
    expect(
      digests.map((digest) => [
        digest.dedupeKey,
        digest.recipientId,
        digest.entries.map((entry) => entry.dossier),
      ]),
    ).toEqual([
      [
        "digest/agency-leader:gd-hung/2026-11-27",
        "gd-hung",
        ["000.00.12.H42-261119-0002", "000.00.12.H42-261120-0001"],
      ],
      [
        "digest/unit-leader:pp-cuc/2026-11-27",
        "pp-cuc",
        ["000.00.12.H42-261119-0002", "000.00.12.H42-261120-0001"],
      ],
      [
        "digest/unit-leader:tp-binh/2026-11-27",
        "tp-binh",
        ["000.00.12.H42-261119-0002", "000.00.12.H42-261120-0001"],
      ],
    ]);
    expect(digestToJson(digests[0]!)).toMatchObject({
      at: "2026-11-27T07:30:00+07:00",
      date: "2026-11-27",
      rule: "daily-digest",
      channel: "email",
      entries: [
        { legalDueAt: "2026-11-25T09:00:00+07:00", overdueOfficeMs: 14.5 * 3_600_000 },
        { legalDueAt: "2026-11-26T09:00:00+07:00", overdueOfficeMs: 6.5 * 3_600_000, apologyIssued: false },
      ],
    });
  });

  it.each([
    ["2026-11-28T07:30:00+07:00", "a Saturday"],
    ["2026-11-24T07:30:00+07:00", "the 24/11 holiday"],
    ["2026-11-27T07:29:00+07:00", "before 07:30"],
  ])("sends nothing at %s (%s)", (now) => {
    expect(buildDigests([late1, late2], at(now), DEFAULT_ALERT_POLICY, context)).toEqual([]);
  });

  it("lists an apologised dossier as still overdue, to the unit that caused the delay and the one holding it", () => {
    const transferred = dossier(
      "000.00.12.H42-261120-0005",
      aReceivedEvent(),
      aTransferredEvent(),
      anApology(),
      anAssignedEvent({ occurredAt: "2026-11-25T10:00:00+07:00" }),
    );
    const digests = buildDigests(
      [transferred],
      at("2026-11-30T07:30:00+07:00"),
      DEFAULT_ALERT_POLICY,
      context,
    );
    expect(digests.map((digest) => digest.dedupeKey)).toEqual([
      "digest/agency-leader:ct-son/2026-11-30",
      "digest/agency-leader:gd-hung/2026-11-30",
      "digest/unit-leader:pp-cuc/2026-11-30",
      "digest/unit-leader:tp-binh/2026-11-30",
    ]);
    expect(digests[0]!.entries[0]).toMatchObject({ apologyIssued: true, agencyId: "thue-tinh" });
  });

  it("lists an overdue dossier whose clock stopped after the due instant, marked so", () => {
    // Due Thu 26/11 09:00; the stop begins at 10:00 the same day: no escalation while it lasts,
    // but the leaders still see the dossier, overdue and waiting.
    const paused = dossier(
      "000.00.12.H42-261120-0006",
      aReceivedEvent(),
      aPause({ occurredAt: "2026-11-26T10:00:00+07:00" }),
    );
    const waiting = dossier(
      "000.00.12.H42-261120-0007",
      aReceivedEvent(),
      aSupplementRequest({ occurredAt: "2026-11-26T10:00:00+07:00" }),
    );
    const [digest] = buildDigests(
      [paused, waiting, late1],
      at("2026-11-27T07:30:00+07:00"),
      DEFAULT_ALERT_POLICY,
      context,
    );
    expect(digest!.entries).toEqual([
      expect.not.objectContaining({ clockStopped: expect.anything() }),
      expect.objectContaining({
        dossier: "000.00.12.H42-261120-0006",
        legalDueAt: at("2026-11-26T09:00:00+07:00"),
        clockStopped: "paused",
      }),
      expect.objectContaining({
        dossier: "000.00.12.H42-261120-0007",
        legalDueAt: at("2026-11-26T09:00:00+07:00"),
        clockStopped: "awaiting-supplement",
      }),
    ]);
  });

  it("follows the policy's hour and roles", () => {
    const policy = overridePolicy(DEFAULT_ALERT_POLICY, {
      digest: { at: "08:00", roles: ["agency-leader"] },
    });
    expect(buildDigests([late1], at("2026-11-27T07:45:00+07:00"), policy, context)).toEqual([]);
    const digests = buildDigests([late1], at("2026-11-27T08:00:00+07:00"), policy, context);
    expect(digests.map((digest) => digest.dedupeKey)).toEqual(["digest/agency-leader:gd-hung/2026-11-27"]);
  });
});
