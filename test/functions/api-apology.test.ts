import { afterEach, describe, expect, it } from "vitest";
import { API_ROUTE_KEYS } from "../../functions/api.ts";
import type { StoredApologyDraft } from "../../shared/app/apology-drafts.ts";
import {
  AGENCY_B,
  aDossierCode,
  assigned,
  directoryA,
  directoryB,
  handlerA,
  handlerB,
  leaderA,
  received,
} from "./support/builders.ts";
import { Harness } from "./support/harness.ts";
import type { RecordingSms } from "./support/recorders.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const start = async () => {
  harness = await Harness.start({
    start: "2026-11-16T10:00:00+07:00",
    directories: [directoryA, directoryB],
  });
  return harness;
};

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

  it("routes every staff route the CDK stack declares", async () => {
    const { HUMAN_ROUTES } = await import("../../cdk/api-routes.ts");
    for (const route of HUMAN_ROUTES) expect(API_ROUTE_KEYS).toContain(`${route.method} ${route.path}`);
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
    // The applicant's SMS: the receipt with the first appointment, then the apology with the new one.
    const sms = (h.sms as RecordingSms).sent.filter((m) => m.to === "+84987654321");
    // (Notify sends concurrently: the order between the two is not fixed.)
    expect(sms).toHaveLength(2);
    expect(sms.filter((m) => /da tiep nhan ho so/i.test(m.text))).toHaveLength(1);
    expect(sms.filter((m) => /xin loi/i.test(m.text))).toHaveLength(1);
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
    await h.api("POST /dossiers/{code}/apologies/{draftId}/approve", { claims: leaderA, path });
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
      reason: expect.stringMatching(
        /an apology was already issued; NĐ 61\/2018 Art\. 19\(9\) allows one per dossier/,
      ),
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
