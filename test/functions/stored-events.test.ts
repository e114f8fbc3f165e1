import { afterEach, describe, expect, it } from "vitest";
import type { DossierEventJson } from "../../shared/dossier/index.ts";
import { aDossierCode, assigned, directoryA, leaderA, received } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

/**
 * "No dossier is dropped": an event stored before the edge rules tightened (a control character,
 * a name over 500 characters) still loads from DynamoDB and folds, and the dossier takes new
 * events and plans alerts; the same event sent now is refused at the edge (docs/security.md).
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const RECEIVED_AT = "2026-11-16T09:00:00+07:00";

/** A received event as an older version accepted and stored it. */
function olderReceived(code: string): DossierEventJson {
  const event = received(code, { at: RECEIVED_AT }) as {
    applicant: { name: string };
    procedure: { name: string };
  };
  event.applicant.name = "Lê Thị\u0007 Bích";
  event.procedure.name = `Cấp giấy phép môi trường ${"x".repeat(600)}`;
  return event as unknown as DossierEventJson;
}

describe("events stored under older rules", () => {
  it("load and fold; a new event for the dossier applies and plans alerts; the same event at ingest is a 400", async () => {
    const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    harness = h;
    const code = aDossierCode();
    const older = olderReceived(code);
    await h.tables.dossiers.save({
      code,
      expectedVersion: undefined,
      newEvents: [older],
      state: null,
      listing: undefined,
      agenda: { previous: [], next: [] },
      savedAt: RECEIVED_AT,
    });

    const response = await h.ingest([assigned(code, "2026-11-16T09:30:00+07:00")]);

    expect(response.status).toBe(202);
    expect(h.eventsDlq.sent()).toHaveLength(0);
    const stored = await h.tables.dossiers.load(code);
    expect(stored?.events.map((e) => e.type)).toEqual(["received", "assigned"]);
    // Read back byte-for-byte: the stored event is not rewritten, trimmed or normalised.
    expect(stored?.events[0]).toEqual(older);
    const state = stored?.state as {
      received: { applicant: { name: string } };
      current: { handler?: { id: string } };
    } | null;
    expect(state?.received.applicant.name).toBe("Lê Thị\u0007 Bích");
    expect(state?.current.handler?.id).toBe("cv-hoa");
    expect(stored?.agenda.length).toBeGreaterThan(0);
    expect(stored?.listing).toMatchObject({ status: "in-progress" });

    // The apology workflow reads the same stored events.
    const drafts = await h.api("GET /dossiers/{code}/apologies", { claims: leaderA, path: { code } });
    expect(drafts.status).toBe(200);

    // From outside, the same event is refused, naming the fields; nothing is queued.
    const queued = h.eventsSent.sent.length;
    const refused = await h.ingest([older]);
    expect(refused.status).toBe(400);
    const reasons: string[] = refused.body.error.details.rejected[0].reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^applicant\.name: control/),
        expect.stringMatching(/^procedure\.name: /),
      ]),
    );
    expect(h.eventsSent.sent).toHaveLength(queued);
  });
});
