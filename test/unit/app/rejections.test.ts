import { describe, expect, it } from "vitest";
import { namedEvent, type Rejection, type RejectionLog, Rejections } from "../../../shared/app/rejections.ts";

describe("namedEvent", () => {
  it("keeps the ids, the type and a received event's agency id, nothing of the applicant", () => {
    const body = JSON.stringify({
      id: "e-1",
      type: "received",
      dossierCode: "H42-261116-0001",
      agency: { id: "so-nnmt", name: "Sở Nông nghiệp" },
      applicant: { name: "Lê Thị Bích", phone: "0987654321" },
    });
    expect(namedEvent(body)).toEqual({
      eventId: "e-1",
      dossierCode: "H42-261116-0001",
      type: "received",
      agencyId: "so-nnmt",
    });
  });

  it("gives nothing for a body that is not JSON or names no dossier code and event id", () => {
    expect(namedEvent("{oops")).toBeUndefined();
    expect(namedEvent(JSON.stringify({ id: "e-1" }))).toBeUndefined();
    expect(namedEvent(JSON.stringify({ id: "e-1", dossierCode: "A#B" }))).toBeUndefined();
    expect(namedEvent("[1]")).toBeUndefined();
  });

  it("takes no agency from an event other than received", () => {
    const body = JSON.stringify({
      id: "e-2",
      type: "transferred",
      dossierCode: "X",
      agency: { id: "so-tp" },
    });
    expect(namedEvent(body)).toEqual({ eventId: "e-2", dossierCode: "X", type: "transferred" });
  });
});

describe("Rejections", () => {
  const refusal: Rejection = {
    eventId: "e-2",
    dossierCode: "X",
    agencyId: "so-nnmt",
    reason: "refused",
    errorCode: "CONFLICT",
    at: "2026-11-18T10:00:00+07:00",
  };
  const log: RejectionLog = {
    record: async () => {},
    find: async (code, id) => (code === "X" && id === "e-2" ? refusal : undefined),
    listByAgency: async () => ({ items: [refusal], cursor: undefined }),
  };
  const rejections = new Rejections({
    rejections: log,
    dossiers: {
      load: async () =>
        ({ events: [{ id: "e-1" }, { id: "e-2" }], state: {}, agenda: [], version: 1 }) as never,
    },
  });

  it("answers applied when the log holds the id, even if a refusal of the same id was recorded", async () => {
    expect(await rejections.status("X", "e-2")).toEqual({
      eventId: "e-2",
      dossierCode: "X",
      status: "applied",
    });
  });

  it("lists only for admins", async () => {
    const actor = { userId: "u", name: "U", agencyId: "so-nnmt", groups: ["leader"] as const };
    await expect(rejections.list(actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await rejections.list({ ...actor, groups: ["admin"] })).items).toEqual([
      { ...refusal, dossierKnown: true },
    ]);
  });
});
