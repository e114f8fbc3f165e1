import { describe, expect, it } from "vitest";
import { HUMAN_ROUTES, routeKey } from "../../functions/api-routes.ts";
import { INDEX } from "../../shared/adapters/dynamodb/table-design.ts";
import type { StoredApologyDraft } from "../../shared/app/apology-drafts.ts";
import {
  AGENCY_B,
  aDossierCode,
  adminA,
  assigned,
  directorA,
  directoryA,
  directoryB,
  handlerA,
  handlerB,
  leaderA,
  received,
} from "./support/builders.ts";
import { type Harness, useHarness } from "./support/harness.ts";
import type { RecordingSms } from "./support/recorders.ts";

const start = useHarness({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA, directoryB] });

describe("api: agency scoping", () => {
  it("gives a handler of agency A a 404, not a 403, for agency B's dossier, and B its own with contacts masked", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(
      received(code, { at: "2026-11-16T09:00:00+07:00", agencyId: AGENCY_B, email: "bich.le@example.vn" }),
    );

    const fromA = await h.api("GET /dossiers/{code}", { claims: handlerA, path: { code } });
    const unknown = await h.api("GET /dossiers/{code}", {
      claims: handlerA,
      path: { code: "000.00.12.H42-261116-9999" },
    });
    const fromB = await h.api("GET /dossiers/{code}", { claims: handlerB, path: { code } });
    const listA = await h.api("GET /dossiers", { claims: handlerA, query: { status: "in-progress" } });

    expect(fromA.status).toBe(404);
    // Exactly what a code that does not exist gets: nothing tells A that B has this dossier.
    expect(fromA.body).toEqual({
      error: { code: "NOT_FOUND", message: `dossier ${code} not found`, details: { dossierCode: code } },
    });
    expect(unknown.status).toBe(404);
    expect(fromB.status).toBe(200);
    expect(fromB.body.dossier.applicant).toMatchObject({
      phone: "09******21",
      email: "b***@e***.vn",
      address: "***",
    });
    expect(JSON.stringify(fromB.body)).not.toMatch(/0987654321|bich\.le@example\.vn|Nguyễn Huệ/);
    expect(fromB.body.timeline[0].applicant.phone).toBe("09******21");
    expect(listA.body.items.map((row: { dossierCode: string }) => row.dossierCode)).not.toContain(code);
  });

  it("refuses a request without identity (401) and a handler on leader routes (403)", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest(received(code, { at: "2026-11-16T09:00:00+07:00" }));

    expect((await h.api("GET /dossiers/{code}", { path: { code } })).status).toBe(401);
    expect((await h.api("GET /dossiers/{code}/apologies", { claims: handlerA, path: { code } })).status).toBe(
      403,
    );
    expect(
      (await h.api("PUT /calendar/{year}", { claims: leaderA, path: { year: "2026" }, body: {} })).status,
    ).toBe(403);
  });

  it("serves every staff route of the table (no identity: 401, not the unknown route's 404)", async () => {
    const h = await start();
    for (const route of HUMAN_ROUTES)
      expect((await h.api(routeKey(route))).status, routeKey(route)).toBe(401);
    expect((await h.api("GET /nowhere")).status).toBe(404);
  });
});

describe("apology workflow", () => {
  it("drafts when the policy asks, then approve → send → apology-issued applied → citizen notice sent", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    // One working day before the due instant (11-19 09:00) the apology duty falls due.
    h.clock.set("2026-11-18T09:00:00+07:00");
    await h.sweep();
    await h.processApologies();

    const list = await h.api("GET /dossiers/{code}/apologies", { claims: leaderA, path: { code } });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const draft = list.body.items[0] as StoredApologyDraft & { version: number };
    expect(draft).toMatchObject({ id: "draft-v1", status: "draft", responsibleUnit: "Phòng Môi trường" });
    const html = await h.blobs.get(draft.documents.html);
    expect(Buffer.from(html!.body).toString("utf8")).toContain(code);
    expect((await h.blobs.get(draft.documents.docx))?.body.byteLength).toBeGreaterThan(1000);

    const path = { code, draftId: draft.id };
    h.clock.set("2026-11-18T09:10:00+07:00");
    const approved = await h.api("POST /dossiers/{code}/apologies/{draftId}/approve", {
      claims: leaderA,
      path,
      body: { reason: "Chờ kết quả xác minh thực địa của Phòng Môi trường" },
    });
    const sent = await h.api("POST /dossiers/{code}/apologies/{draftId}/send", { claims: leaderA, path });
    await h.drainEvents();

    expect(approved.body).toMatchObject({
      status: "approved",
      approvedBy: "Đỗ Minh Tuấn",
      edits: [{ field: "reason" }],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe("sent");
    const dossier = await h.tables.dossiers.load(code);
    expect(dossier?.events.map((e) => e.type)).toContain("apology-issued");
    expect(dossier?.state?.apology?.reason).toBe("Chờ kết quả xác minh thực địa của Phòng Môi trường");
    const citizenNotice = dossier?.agenda.find((e) => e.alert.rule === "citizen-apology");
    expect(citizenNotice?.alert).toMatchObject({
      recipientRole: "citizen",
      channel: "sms",
      at: "2026-11-18T09:10:00+07:00",
    });

    h.clock.set("2026-11-18T09:11:00+07:00");
    await h.sweep();
    await h.deliverNotices();
    // The applicant's SMS: the apology with the new appointment. The receipt, never sent until
    // now, would announce the replaced appointment: it is expired, not sent (notice-expiry.ts).
    const sms = (h.sms as RecordingSms).sent.filter((m) => m.to === "+84987654321");
    expect(sms).toHaveLength(1);
    expect(sms.filter((m) => /xin loi/i.test(m.text))).toHaveLength(1);
    const receipt = await h.tables.alerts.get(`${code}/citizen-receipt/v1/citizen/sms`);
    expect(receipt?.status).toBe("expired");
    expect(receipt?.deliveries.at(-1)?.detail).toMatchObject({ code: "SUPERSEDED" });
    expect((await h.tables.alerts.get(`${code}/citizen-apology/v2/citizen/sms`))?.status).toBe("sent");
  });

  it("rejects a second apology: at the API (409) and in the worker (DLQ with the reason)", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    h.clock.set("2026-11-18T09:00:00+07:00");
    await h.sweep();
    await h.processApologies();
    const path = { code, draftId: "draft-v1" };
    await h.api("POST /dossiers/{code}/apologies/{draftId}/approve", {
      claims: leaderA,
      path,
      body: { reason: "Chờ kết quả xác minh thực địa" },
    });
    await h.api("POST /dossiers/{code}/apologies/{draftId}/send", { claims: leaderA, path });
    await h.drainEvents();
    // A second draft, approved, for the same dossier.
    const first = await h.tables.apologyDrafts.get(code, "draft-v1");
    await h.tables.apologyDrafts.save({ ...first!.value, id: "draft-extra", status: "approved" }, undefined);

    const second = await h.api("POST /dossiers/{code}/apologies/{draftId}/send", {
      claims: leaderA,
      path: { code, draftId: "draft-extra" },
    });
    await h.ingest({
      id: "other-system-apology",
      type: "apology-issued",
      dossierCode: code,
      occurredAt: "2026-11-18T10:00:00+07:00",
      reason: "Lý do khác",
      responsibleUnit: { id: "phong-mt", name: "Phòng Môi trường" },
      newAppointment: "2026-11-30T09:00:00+07:00",
    });

    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/chỉ được hẹn lại một lần/);
    const letters = h.eventsDlq.sent();
    expect(letters).toHaveLength(1);
    expect(letters[0]?.attributes).toMatchObject({
      errorCode: "CONFLICT",
      // Received in 2026: the citation is NĐ 118/2025's, not NĐ 61/2018's.
      reason: expect.stringMatching(/an apology was already issued; NĐ 118\/2025 allows one per dossier/),
    });
    expect(
      (await h.tables.dossiers.load(code))?.events.filter((e) => e.type === "apology-issued"),
    ).toHaveLength(1);
  });

  it("lets a leader edit a draft and withdraw it; a withdrawn draft cannot be sent", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    h.clock.set("2026-11-18T09:00:00+07:00");
    await h.sweep();
    await h.processApologies();
    const path = { code, draftId: "draft-v1" };

    const edited = await h.api("PATCH /dossiers/{code}/apologies/{draftId}", {
      claims: leaderA,
      path,
      body: { newAppointment: "2026-11-27T16:00:00+07:00" },
    });
    const withdrawn = await h.api("POST /dossiers/{code}/apologies/{draftId}/withdraw", {
      claims: leaderA,
      path,
      body: { reason: "Đã giải quyết kịp" },
    });
    const send = await h.api("POST /dossiers/{code}/apologies/{draftId}/send", { claims: leaderA, path });

    expect(edited.body).toMatchObject({
      status: "draft",
      newAppointment: "2026-11-27T16:00:00+07:00",
      edits: [{ field: "newAppointment" }],
    });
    expect(withdrawn.body).toMatchObject({ status: "withdrawn", withdrawalReason: "Đã giải quyết kịp" });
    expect(send.status).toBe(409);
    expect(h.eventsSent.sent.filter((m) => m.body.includes("apology-issued"))).toHaveLength(0);
  });

  it("serves the letter to a leader of the agency and to nobody else", async () => {
    const h = await start();
    const code = aDossierCode();
    await h.ingest([
      received(code, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(code, "2026-11-16T09:30:00+07:00"),
    ]);
    h.clock.set("2026-11-18T09:00:00+07:00");
    await h.sweep();
    await h.processApologies();
    const path = { code, draftId: "draft-v1" };

    const html = await h.api("GET /dossiers/{code}/apologies/{draftId}/letter", { claims: leaderA, path });
    const docx = await h.api("GET /dossiers/{code}/apologies/{draftId}/letter", {
      claims: leaderA,
      path,
      query: { format: "docx" },
    });
    const otherAgency = await h.api("GET /dossiers/{code}/apologies/{draftId}/letter", {
      claims: { ...leaderA, agencyId: AGENCY_B },
      path,
    });

    expect(html.status).toBe(200);
    // Issued in 2026: the TT 03/2025 form's title.
    expect(html.body).toContain("VĂN BẢN XIN LỖI");
    expect(html.body).toContain(code);
    expect(docx.headers["content-type"]).toMatch(/wordprocessingml/);
    expect(otherAgency.status).toBe(404);
  });
});

describe("GET /apologies: the agency's drafts in one call", () => {
  const leaderB = { sub: "tp-b", agencyId: AGENCY_B, groups: ["leader"], name: "Trưởng phòng B" } as const;
  const codes = (body: { items: { dossierCode: string }[] }) => body.items.map((draft) => draft.dossierCode);

  /** Four dossiers heading for late, three of agency A (due 19/11 09:00, 19/11 09:30, 20/11 09:00), one of B. */
  async function draftsOfTwoAgencies(h: Harness) {
    const [a1, a2, a3, b1] = [aDossierCode(), aDossierCode(), aDossierCode(), aDossierCode()];
    // Received out of due order, so the listing's order is the appointment's, not the creation's.
    await h.ingest([
      received(a3, { at: "2026-11-16T09:00:00+07:00", limit: 4 }),
      received(a2, { at: "2026-11-16T09:30:00+07:00" }),
      received(b1, { at: "2026-11-16T09:00:00+07:00", agencyId: AGENCY_B }),
      received(a1, { at: "2026-11-16T09:00:00+07:00" }),
    ]);
    // One working day before each due instant the apology duty falls due and a draft is requested.
    h.clock.set("2026-11-19T09:05:00+07:00");
    await h.sweep();
    await h.processApologies();
    return { a1, a2, a3, b1 };
  }

  it("lists a leader's own agency's drafts waiting for approval, the earliest appointment first; never another agency's", async () => {
    const h = await start();
    const { a1, a2, a3, b1 } = await draftsOfTwoAgencies(h);

    const fromA = await h.api("GET /apologies", { claims: directorA });
    const fromB = await h.api("GET /apologies", { claims: leaderB, query: { status: "draft" } });
    const asAdmin = await h.api("GET /apologies", { claims: adminA });

    expect(fromA.status).toBe(200);
    expect(codes(fromA.body)).toEqual([a1, a2, a3]);
    expect(fromA.body.items[0]).toMatchObject({
      id: "draft-v1",
      dossierCode: a1,
      agencyId: "so-nnmt",
      status: "draft",
      originalAppointment: "2026-11-19T09:00:00+07:00",
      version: 1,
    });
    expect(fromA.body.cursor).toBeUndefined();
    expect(JSON.stringify(fromA.body)).not.toContain(b1);
    expect(codes(fromB.body)).toEqual([b1]);
    expect(codes(asAdmin.body)).toEqual([a1, a2, a3]);
  });

  it("pages with limit and cursor; a cursor cannot be replayed by another agency", async () => {
    const h = await start();
    const { a1, a2, a3 } = await draftsOfTwoAgencies(h);

    const first = await h.api("GET /apologies", { claims: directorA, query: { limit: "2" } });
    const second = await h.api("GET /apologies", {
      claims: directorA,
      query: { limit: "2", cursor: first.body.cursor },
    });
    const replayedByB = await h.api("GET /apologies", {
      claims: leaderB,
      query: { cursor: first.body.cursor },
    });
    const garbage = await h.api("GET /apologies", { claims: directorA, query: { cursor: "bm90LWEta2V5" } });

    expect(codes(first.body)).toEqual([a1, a2]);
    expect(first.body.cursor).toEqual(expect.any(String));
    expect(codes(second.body)).toEqual([a3]);
    expect(second.body.cursor).toBeUndefined();
    expect(replayedByB.status).toBe(400);
    expect(replayedByB.body.error).toEqual({ code: "INVALID_INPUT", message: "invalid page cursor" });
    expect(garbage.status).toBe(400);
  });

  it("follows a draft through approve, send and withdraw", async () => {
    const h = await start();
    const { a1, a2, a3 } = await draftsOfTwoAgencies(h);
    const list = async (status?: string) =>
      codes(
        (await h.api("GET /apologies", { claims: directorA, ...(status ? { query: { status } } : {}) })).body,
      );

    const reason = { reason: "Chờ ý kiến của Sở Tài chính" };
    await h.api("POST /dossiers/{code}/apologies/{draftId}/approve", {
      claims: directorA,
      path: { code: a1, draftId: "draft-v1" },
      body: reason,
    });
    await h.api("POST /dossiers/{code}/apologies/{draftId}/approve", {
      claims: directorA,
      path: { code: a2, draftId: "draft-v1" },
      body: reason,
    });
    await h.api("POST /dossiers/{code}/apologies/{draftId}/send", {
      claims: directorA,
      path: { code: a2, draftId: "draft-v1" },
    });
    await h.api("POST /dossiers/{code}/apologies/{draftId}/withdraw", {
      claims: directorA,
      path: { code: a3, draftId: "draft-v1" },
      body: { reason: "Đã giải quyết kịp" },
    });

    expect(await list()).toEqual([]);
    expect(await list("approved")).toEqual([a1]);
    expect(await list("sent")).toEqual([a2]);
    expect(await list("withdrawn")).toEqual([a3]);
  });

  it("is for leaders and admins only, and refuses an unknown status or page size", async () => {
    const h = await start();

    const asHandler = await h.api("GET /apologies", { claims: handlerA });
    const anonymous = await h.api("GET /apologies");
    const badStatus = await h.api("GET /apologies", { claims: leaderA, query: { status: "pending" } });
    const badLimit = await h.api("GET /apologies", { claims: leaderA, query: { limit: "1000" } });

    expect(asHandler.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toMatch(/status/);
    expect(badLimit.status).toBe(400);
  });

  it("reads one index partition: a Query on by-agency-status, never a Scan", async () => {
    const h = await start();
    await draftsOfTwoAgencies(h);
    h.reads.length = 0;

    await h.api("GET /apologies", { claims: leaderA });

    expect(h.reads.map((read) => [read.operation, read.index])).toEqual([["Query", INDEX.byAgencyStatus]]);
  });
});
