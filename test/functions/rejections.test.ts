import { describe, expect, it } from "vitest";
import {
  AGENCY_A,
  AGENCY_B,
  aDossierCode,
  adminA,
  assigned,
  directoryA,
  directoryB,
  handlerA,
  leaderA,
  received,
} from "./support/builders.ts";
import { useHarness } from "./support/harness.ts";

const start = useHarness({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA, directoryB] });

const adminB = { sub: "admin-b", agencyId: AGENCY_B, groups: ["admin"], name: "Quản trị B" } as const;

function apology(code: string, id: string, at: string): Record<string, unknown> {
  return {
    id,
    type: "apology-issued",
    dossierCode: code,
    occurredAt: at,
    reason: "Chờ ý kiến liên ngành",
    responsibleUnit: { id: "phong-mt", name: "Phòng Môi trường" },
    newAppointment: "2026-11-30T09:00:00+07:00",
  };
}

describe("refused events", () => {
  it("records a second apology: the agency's admin lists it, the sender reads it refused with its rule", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    await h.ingest(apology(code, "apology-1", "2026-11-18T09:00:00+07:00"));
    h.clock.set("2026-11-18T10:00:00+07:00");
    const sent = await h.ingest(apology(code, "apology-2", "2026-11-18T10:00:00+07:00"));
    expect(sent.status).toBe(202);

    const listed = await h.api("GET /rejections", { claims: adminA });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      {
        eventId: "apology-2",
        dossierCode: code,
        agencyId: AGENCY_A,
        type: "apology-issued",
        reason: expect.stringMatching(/apology-issued apology-2 refused$/),
        errorCode: "CONFLICT",
        rule: "once:apology-issued",
        at: "2026-11-18T10:00:00+07:00",
        dossierKnown: true,
      },
    ]);
    // No personal data: the applicant's name and phone are nowhere in it.
    expect(JSON.stringify(listed.body)).not.toMatch(/Bích|0987654321/);

    const refused = await h.eventStatus("apology-2", { dossierCode: code });
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({
      eventId: "apology-2",
      dossierCode: code,
      status: "refused",
      reason: listed.body.items[0].reason,
      errorCode: "CONFLICT",
      rule: "once:apology-issued",
      at: "2026-11-18T10:00:00+07:00",
    });
    expect((await h.eventStatus("apology-1", { dossierCode: code })).body).toEqual({
      eventId: "apology-1",
      dossierCode: code,
      status: "applied",
    });
    expect((await h.eventStatus("not-yet", { dossierCode: code })).body).toEqual({
      eventId: "not-yet",
      dossierCode: code,
      status: "accepted",
    });
    // The DLQ still has the message, with its reason.
    expect(h.eventsDlq.sent().map((m) => m.attributes?.errorCode)).toEqual(["CONFLICT"]);
  });

  it("shows a refusal only to its own agency's admins", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    await h.ingest(apology(code, "apology-1", "2026-11-18T09:00:00+07:00"));
    await h.ingest(apology(code, "apology-2", "2026-11-18T10:00:00+07:00"));

    const other = await h.api("GET /rejections", { claims: adminB });
    expect(other.status).toBe(200);
    expect(other.body.items).toEqual([]);
    for (const claims of [handlerA, leaderA]) {
      const refused = await h.api("GET /rejections", { claims });
      expect(refused.status, claims.sub).toBe(403);
    }
    expect((await h.api("GET /rejections", { claims: adminA })).body.items).toHaveLength(1);
  });

  it("lists newest first, one page at a time, and refuses another agency's cursor", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    await h.ingest(apology(code, "apology-1", "2026-11-17T09:00:00+07:00"));
    for (const [n, at] of [
      [2, "2026-11-17T10:00:00+07:00"],
      [3, "2026-11-17T11:00:00+07:00"],
      [4, "2026-11-17T12:00:00+07:00"],
    ] as const) {
      h.clock.set(at);
      await h.ingest(apology(code, `apology-${n}`, at));
    }

    const first = await h.api("GET /rejections", { claims: adminA, query: { limit: "2" } });
    expect(first.body.items.map((r: { eventId: string }) => r.eventId)).toEqual(["apology-4", "apology-3"]);
    const second = await h.api("GET /rejections", {
      claims: adminA,
      query: { limit: "2", cursor: first.body.cursor },
    });
    expect(second.body.items.map((r: { eventId: string }) => r.eventId)).toEqual(["apology-2"]);
    const stolen = await h.api("GET /rejections", { claims: adminB, query: { cursor: first.body.cursor } });
    expect(stolen.status).toBe(400);
  });

  it("records a refusal once: recording the same event again (a retried record) keeps the first time", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));
    await h.ingest(apology(code, "apology-1", "2026-11-17T09:00:00+07:00"));
    const rejection = {
      eventId: "apology-2",
      dossierCode: code,
      agencyId: AGENCY_A,
      type: "apology-issued",
      reason: "refused",
      errorCode: "CONFLICT",
      at: "2026-11-17T10:00:00+07:00",
    };
    await h.tables.rejections.record(rejection);
    await h.tables.rejections.record({ ...rejection, at: "2026-11-17T10:00:05+07:00" });

    const listed = await h.api("GET /rejections", { claims: adminA });
    expect(listed.body.items).toEqual([{ ...rejection, dossierKnown: true }]);
  });

  it("says which refusals name a dossier that is not stored (a refused received leaves none)", async () => {
    const h = await start();
    const stored = aDossierCode();
    const missing = aDossierCode();
    await h.ingest(received(stored, { at: "2026-11-16T09:00:00+07:00" }));
    const refusal = {
      dossierCode: missing,
      agencyId: AGENCY_A,
      reason: "refused",
      errorCode: "INVALID_INPUT",
      at: "2026-11-17T10:00:00+07:00",
    };
    await h.tables.rejections.record({ ...refusal, eventId: "r-1", type: "received" });
    await h.tables.rejections.record({
      ...refusal,
      eventId: "a-2",
      dossierCode: stored,
      at: "2026-11-17T11:00:00+07:00",
    });

    const listed = await h.api("GET /rejections", { claims: adminA });
    expect(
      listed.body.items.map((r: { eventId: string; dossierKnown: boolean }) => [r.eventId, r.dossierKnown]),
    ).toEqual([
      ["a-2", true],
      ["r-1", false],
    ]);
  });

  it("answers 400 without the dossier code", async () => {
    const h = await start();
    const response = await h.eventStatus("e1", {});
    expect(response.status).toBe(400);
  });
});
