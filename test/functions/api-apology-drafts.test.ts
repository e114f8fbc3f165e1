import { afterEach, describe, expect, it } from "vitest";
import { APOLOGY_REASON_HINT } from "../../shared/letters/apology/index.ts";
import {
  aDossierCode,
  assigned,
  deskLeaderA,
  directorA,
  directoryA,
  directoryB,
  handlerA,
  leaderA,
  received,
  resultReady,
} from "./support/builders.ts";
import { type Claims, Harness } from "./support/harness.ts";

/**
 * Issue 11, server side: the apology draft as the law and a leader need it — no reason nobody
 * wrote, a new appointment a person can keep, the right approver signing, a withdrawal that can
 * be undone, and drafts that go away with the dossier.
 */

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const APPROVE = "POST /dossiers/{code}/apologies/{draftId}/approve";
const SEND = "POST /dossiers/{code}/apologies/{draftId}/send";
const PATCH = "PATCH /dossiers/{code}/apologies/{draftId}";
const GET_DRAFT = "GET /dossiers/{code}/apologies/{draftId}";
const LETTER = "GET /dossiers/{code}/apologies/{draftId}/letter";
const WITHDRAW = "POST /dossiers/{code}/apologies/{draftId}/withdraw";
const REOPEN = "POST /dossiers/{code}/apologies/{draftId}/reopen";
const CREATE = "POST /dossiers/{code}/apologies";
const REASON = "Chờ kết quả xác minh thực địa của Phòng Môi trường";

/**
 * A dossier received 16/11 09:00 (3 working days, due 19/11 09:00), assigned to Phòng Môi trường
 * (leader tp-tuan); at 18/11 09:00 the apology duty asks for a draft. The clock is left at 09:10.
 */
async function withDraft(directories = [directoryA, directoryB]) {
  const h = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories });
  harness = h;
  const code = aDossierCode();
  await h.ingest([
    received(code, { at: "2026-11-16T09:00:00+07:00" }),
    assigned(code, "2026-11-16T09:30:00+07:00"),
  ]);
  h.clock.set("2026-11-18T09:00:00+07:00");
  await h.sweep();
  await h.processApologies();
  h.clock.set("2026-11-18T09:10:00+07:00");
  return { h, code, path: { code, draftId: "draft-v1" } };
}

const htmlOf = async (h: Harness, path: Record<string, string>) =>
  String((await h.api(LETTER, { claims: leaderA, path })).body);

describe("item 1: a draft has no reason until a person writes one", () => {
  it("stores reason null, offers the guidance as reasonHint and prints a blank, never the hint", async () => {
    const { h, code, path } = await withDraft();

    const view = await h.api(GET_DRAFT, { claims: leaderA, path });
    const stored = await h.tables.apologyDrafts.get(code, "draft-v1");
    const html = await htmlOf(h, path);

    expect(view.status).toBe(200);
    expect(view.body.reason).toBeNull();
    expect(view.body.reasonHint).toBe(APOLOGY_REASON_HINT);
    expect(stored?.value.reason).toBeNull();
    expect(html).toMatch(/Lý do: …{6,}\./);
    expect(html).not.toContain("lý do cụ thể do lãnh đạo bổ sung");
    expect(html).not.toContain(APOLOGY_REASON_HINT.slice(0, 30));
  });

  it("refuses to approve without a reason (400 reason-required) and approves when the edits carry it", async () => {
    const { h, path } = await withDraft();

    const bare = await h.api(APPROVE, { claims: leaderA, path });
    const blank = await h.api(APPROVE, { claims: leaderA, path, body: { reason: "   " } });
    const withReason = await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });

    expect(bare.status).toBe(400);
    expect(bare.body.error).toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/Chưa có lý do chậm trễ/),
      details: { field: "reason", rule: "reason-required" },
    });
    expect(blank.status).toBe(400);
    expect(withReason.status).toBe(200);
    expect(withReason.body).toMatchObject({ status: "approved", reason: REASON });
    expect(withReason.body.edits).toEqual([
      expect.objectContaining({ field: "reason", from: null, to: REASON }),
    ]);
    expect(await htmlOf(h, path)).toContain(`Lý do: ${REASON}.`);
  });

  it("refuses to send an approved draft that has no reason (an old stored one) and queues nothing", async () => {
    const { h, code, path } = await withDraft();
    const stored = await h.tables.apologyDrafts.get(code, "draft-v1");
    await h.tables.apologyDrafts.save({ ...stored!.value, status: "approved" }, stored!.version);

    const sent = await h.api(SEND, { claims: leaderA, path });

    expect(sent.status).toBe(400);
    expect(sent.body.error.details).toEqual({ field: "reason", rule: "reason-required" });
    expect(h.eventsSent.sent.filter((m) => m.body.includes("apology-issued"))).toHaveLength(0);
  });
});

describe("item 2: a new appointment a person can keep", () => {
  const cases: [string, string, RegExp][] = [
    ["2026-11-22T10:00:00+07:00", "not-working-day", /22\/11\/2026 không phải là ngày làm việc/],
    ["2026-11-24", "not-working-day", /24\/11\/2026 không phải là ngày làm việc/],
    [
      "2026-11-23T22:00:00+07:00",
      "outside-office-hours",
      /22:00 .*ngoài giờ làm việc \(07:30–11:30, 13:00–17:00\)/,
    ],
    ["2026-11-23T12:00:00+07:00", "outside-office-hours", /ngoài giờ làm việc/],
    ["2026-11-18T08:00:00+07:00", "not-after-now", /phải sau thời điểm hiện tại/],
    [
      "2026-11-18T10:00:00+07:00",
      "not-after-current-appointment",
      /phải sau ngày hẹn hiện tại 09 giờ 00 phút/,
    ],
    ["next tuesday", "invalid-format", /không đúng định dạng/],
    ["2026-02-30", "invalid-format", /không phải là ngày hợp lệ/],
  ];

  it.each(cases)("PATCH newAppointment %s → 400 %s, in Vietnamese", async (value, rule, message) => {
    const { h, path } = await withDraft();

    const response = await h.api(PATCH, { claims: leaderA, path, body: { newAppointment: value } });

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(message),
      details: { field: "newAppointment", rule },
    });
  });

  it("reads a bare date as that working day's closing time (17:00), in the draft and the letter", async () => {
    const { h, path } = await withDraft();

    const edited = await h.api(PATCH, { claims: leaderA, path, body: { newAppointment: "2026-12-08" } });

    expect(edited.status).toBe(200);
    expect(edited.body.newAppointment).toBe("2026-12-08T17:00:00+07:00");
    const html = await htmlOf(h, path);
    expect(html).toContain("17 giờ 00 phút, ngày 08 tháng 12 năm 2026");
    expect(html).not.toContain("00 giờ 00 phút");
  });

  it("applies the same rule to the approval's edits and to the draft's own proposal", async () => {
    const { h, path } = await withDraft();

    const sunday = await h.api(APPROVE, {
      claims: leaderA,
      path,
      body: { reason: REASON, newAppointment: "2026-11-29" },
    });
    // The proposal (23/11 09:00) has passed by 23/11 10:00: approving it as is would promise the past.
    h.clock.set("2026-11-23T10:00:00+07:00");
    const stale = await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });

    expect(sunday.status).toBe(400);
    expect(sunday.body.error.details).toEqual({ field: "newAppointment", rule: "not-working-day" });
    expect(stale.status).toBe(400);
    expect(stale.body.error.details).toEqual({ field: "newAppointment", rule: "not-after-now" });
  });

  it("offers the picker the next 30 working days from the earliest allowed instant", async () => {
    const { h, path } = await withDraft();

    const options = await h.api("GET /dossiers/{code}/apologies/{draftId}/appointment-options", {
      claims: leaderA,
      path,
    });
    const asHandler = await h.api("GET /dossiers/{code}/apologies/{draftId}/appointment-options", {
      claims: handlerA,
      path,
    });

    expect(options.status).toBe(200);
    expect(options.body.proposed).toBe("2026-11-23T09:00:00+07:00");
    // After the current appointment (19/11 09:00), the first whole minute.
    expect(options.body.earliest).toBe("2026-11-19T09:01:00+07:00");
    expect(options.body.days).toHaveLength(30);
    // The lunch break is not office hours: the periods say what a time picker may offer.
    const hours = {
      opens: "07:30",
      closes: "17:00",
      periods: [
        { start: "07:30", end: "11:30" },
        { start: "13:00", end: "17:00" },
      ],
    };
    expect(options.body.days.slice(0, 4)).toEqual([
      { date: "2026-11-19", ...hours },
      { date: "2026-11-20", ...hours },
      { date: "2026-11-23", ...hours },
      // 24/11, Ngày Văn hóa Việt Nam, is a day off.
      { date: "2026-11-25", ...hours },
    ]);
    expect(asHandler.status).toBe(403);
  });
});

describe("item 3: who may approve, who signs, what a unit leader sees", () => {
  it("lets the responsible unit's leader approve; the letter is signed by that person, as approvedBy says", async () => {
    const titled = {
      ...directoryA,
      people: { ...directoryA.people, "tp-tuan": { name: "Đỗ Minh Tuấn", title: "Trưởng phòng Môi trường" } },
    };
    const { h, code, path } = await withDraft([titled, directoryB]);

    const before = await h.api(GET_DRAFT, { claims: leaderA, path });
    const approved = await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });
    const html = await htmlOf(h, path);

    expect(before.body).toMatchObject({ canApprove: true });
    expect(before.body.signer).toBeUndefined();
    expect(before.body.dossier).toEqual({
      code,
      applicantName: "Lê Thị Bích",
      procedureName: "Cấp giấy phép môi trường",
      receivedAt: "2026-11-16T09:00:00+07:00",
      originalAppointment: "2026-11-19T09:00:00+07:00",
      legalDueAt: "2026-11-19T09:00:00+07:00",
      unitId: "phong-mt",
      unitName: "Phòng Môi trường",
    });
    expect(JSON.stringify(before.body.dossier)).not.toMatch(/0987654321|Nguyễn Huệ/);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      approvedBy: "Đỗ Minh Tuấn",
      approvedById: "tp-tuan",
      signer: { title: "Trưởng phòng Môi trường", name: "Đỗ Minh Tuấn" },
    });
    expect(approved.body.signer.authority).toBeUndefined();
    expect(html).toContain('<div class="signer-title">TRƯỞNG PHÒNG MÔI TRƯỜNG</div>');
    expect(html).toContain('<div class="signer-name">Đỗ Minh Tuấn</div>');
    // Not the centre's director, who did not approve it.
    expect(html).not.toContain("Nguyễn Văn Hùng");
    expect(html).not.toContain("KT. GIÁM ĐỐC");
  });

  it("keeps another unit's leader out: not listed, not found, cannot approve", async () => {
    const { h, path } = await withDraft();

    const listed = await h.api("GET /apologies", { claims: deskLeaderA });
    const read = await h.api(GET_DRAFT, { claims: deskLeaderA, path });
    const approve = await h.api(APPROVE, { claims: deskLeaderA, path, body: { reason: REASON } });
    const byDirector = await h.api("GET /apologies", { claims: directorA });

    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
    expect(read.status).toBe(404);
    expect(approve.status).toBe(404);
    expect(byDirector.body.items.map((d: { id: string }) => d.id)).toEqual(["draft-v1"]);
    expect(byDirector.body.items[0].canApprove).toBe(true);
  });

  it("with apologyApprovers agency-leaders-only: a unit leader gets 403 with the reason, the director approves and signs with his block", async () => {
    const { h, path } = await withDraft([
      { ...directoryA, apologyApprovers: "agency-leaders-only" },
      directoryB,
    ]);

    const view = await h.api(GET_DRAFT, { claims: leaderA, path });
    const byUnitLeader = await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });
    const byDirector = await h.api(APPROVE, { claims: directorA, path, body: { reason: REASON } });

    expect(view.body.canApprove).toBe(false);
    expect(byUnitLeader.status).toBe(403);
    expect(byUnitLeader.body.error).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/do lãnh đạo cơ quan duyệt và ký/),
      details: { rule: "not-an-approver" },
    });
    expect(byDirector.status).toBe(200);
    // The directory's signer block is his: data, not a guess.
    expect(byDirector.body.signer).toEqual({
      authority: "KT. GIÁM ĐỐC",
      title: "PHÓ GIÁM ĐỐC",
      name: "Nguyễn Văn Hùng",
    });
    expect(byDirector.body.approvedBy).toBe("Nguyễn Văn Hùng");
  });

  it("scopes GET /dossiers: a unit leader sees what their unit holds; the agency's leader and handlers see all", async () => {
    const h = await Harness.start({
      start: "2026-11-16T10:00:00+07:00",
      directories: [directoryA, directoryB],
    });
    harness = h;
    const [atDesk, atPhong] = [aDossierCode(), aDossierCode()];
    await h.ingest([
      received(atDesk, { at: "2026-11-16T09:00:00+07:00" }),
      received(atPhong, { at: "2026-11-16T09:00:00+07:00" }),
      assigned(atPhong, "2026-11-16T09:30:00+07:00"),
    ]);
    const codes = async (claims: Claims) =>
      (await h.api("GET /dossiers", { claims, query: { status: "in-progress" } })).body.items
        .map((row: { dossierCode: string }) => row.dossierCode)
        .sort();

    expect(await codes(leaderA)).toEqual([atPhong]);
    expect(await codes(deskLeaderA)).toEqual([atDesk]);
    expect(await codes(directorA)).toEqual([atDesk, atPhong].sort());
    expect(await codes(handlerA)).toEqual([atDesk, atPhong].sort());
  });
});

describe("item 3: a unit leader's listing pages past other units' drafts", () => {
  it("fills a page of theirs from later index pages, with a cursor to go on", async () => {
    const h = await Harness.start({
      start: "2026-11-16T10:00:00+07:00",
      directories: [directoryA, directoryB],
    });
    harness = h;
    const [a1, a2, a3] = [aDossierCode(), aDossierCode(), aDossierCode()];
    // a1 and a2 stay at the desk (tp-mai); a3 goes to Phòng Môi trường (tp-tuan) and is due last.
    await h.ingest([
      received(a1, { at: "2026-11-16T09:00:00+07:00" }),
      received(a2, { at: "2026-11-16T09:30:00+07:00" }),
      received(a3, { at: "2026-11-16T10:00:00+07:00" }),
      assigned(a3, "2026-11-16T10:30:00+07:00"),
    ]);
    h.clock.set("2026-11-18T10:05:00+07:00");
    await h.sweep();
    await h.processApologies();
    const ids = (body: { items: { dossierCode: string }[] }) => body.items.map((d) => d.dossierCode);

    const unit = await h.api("GET /apologies", { claims: leaderA, query: { limit: "1" } });
    const desk = await h.api("GET /apologies", { claims: deskLeaderA, query: { limit: "1" } });
    const deskNext = await h.api("GET /apologies", {
      claims: deskLeaderA,
      query: { limit: "1", cursor: desk.body.cursor },
    });

    expect(ids(unit.body)).toEqual([a3]);
    expect(ids(desk.body)).toEqual([a1]);
    expect(ids(deskNext.body)).toEqual([a2]);
  });

  it("takes null edits as no change (the reason is null until written)", async () => {
    const { h, path } = await withDraft();

    const edited = await h.api(PATCH, {
      claims: leaderA,
      path,
      body: { reason: null, newAppointment: "2026-12-08" },
    });

    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ reason: null, newAppointment: "2026-12-08T17:00:00+07:00" });
  });
});

describe("item 4: withdraw is not a dead end", () => {
  it("creates a new draft after a withdrawal, refuses a second one (409), and reopens a withdrawn one", async () => {
    const { h, code, path } = await withDraft();
    await h.api(WITHDRAW, { claims: leaderA, path, body: { reason: "Nhầm hồ sơ" } });

    const created = await h.api(CREATE, { claims: leaderA, path: { code } });
    const again = await h.api(CREATE, { claims: leaderA, path: { code } });
    const reopenWhileOtherWaits = await h.api(REOPEN, { claims: leaderA, path });
    await h.api(WITHDRAW, { claims: leaderA, path: { code, draftId: created.body.id } });
    const reopened = await h.api(REOPEN, { claims: leaderA, path });
    const reopenDraft = await h.api(REOPEN, { claims: leaderA, path });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: "draft-v1-2",
      status: "draft",
      reason: null,
      originalAppointment: "2026-11-19T09:00:00+07:00",
      appointmentVersion: 1,
      createdBy: "Đỗ Minh Tuấn",
      canApprove: true,
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      message: expect.stringMatching(/đang có văn bản xin lỗi chờ xử lý/),
      details: { rule: "draft-pending", draftId: "draft-v1-2" },
    });
    expect(reopenWhileOtherWaits.status).toBe(409);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ id: "draft-v1", status: "draft", reopenedBy: "Đỗ Minh Tuấn" });
    expect(reopened.body.withdrawnBy).toBeUndefined();
    expect(reopenDraft.status).toBe(409);
    const approved = await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });
    expect(approved.status).toBe(200);
  });

  it("refuses a draft for a dossier that had its apology, and one that is finished", async () => {
    const { h, code, path } = await withDraft();
    await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });
    await h.api(SEND, { claims: leaderA, path });
    await h.drainEvents();

    const afterApology = await h.api(CREATE, { claims: leaderA, path: { code } });
    const byHandler = await h.api(CREATE, { claims: handlerA, path: { code } });

    expect(afterApology.status).toBe(409);
    expect(afterApology.body.error).toMatchObject({
      message: expect.stringMatching(/chỉ được hẹn lại một lần \(NĐ 118\/2025\)/),
      details: { rule: "apology-issued" },
    });
    expect(byHandler.status).toBe(403);

    const other = aDossierCode();
    await h.ingest([
      received(other, { at: "2026-11-18T09:00:00+07:00" }),
      resultReady(other, "2026-11-18T09:05:00+07:00"),
    ]);
    const finished = await h.api(CREATE, { claims: directorA, path: { code: other } });
    expect(finished.status).toBe(409);
    expect(finished.body.error.details).toMatchObject({ rule: "dossier-closed" });
  });
});

describe("item 5: a dossier that finishes first takes its waiting draft with it", () => {
  it("withdraws the open draft when the result is ready, once, and leaves a sent one alone", async () => {
    const { h, code, path } = await withDraft();
    h.clock.set("2026-11-18T15:00:00+07:00");

    await h.ingest(resultReady(code, "2026-11-18T14:00:00+07:00"));
    const first = await h.tables.apologyDrafts.get(code, "draft-v1");
    // The same event again (an SQS retry, a resend): nothing more happens.
    await h.ingest(resultReady(code, "2026-11-18T14:00:00+07:00"));
    const second = await h.tables.apologyDrafts.get(code, "draft-v1");
    const send = await h.api(SEND, { claims: leaderA, path });

    expect(first?.value).toMatchObject({
      status: "withdrawn",
      withdrawnBy: "dunghan (tự động)",
      withdrawalReason: "hồ sơ đã giải quyết xong",
      withdrawnAt: "2026-11-18T15:00:00+07:00",
    });
    expect(second?.version).toBe(first?.version);
    expect(send.status).toBe(409);
  });

  it("does not touch a draft already sent", async () => {
    const { h, code, path } = await withDraft();
    await h.api(APPROVE, { claims: leaderA, path, body: { reason: REASON } });
    await h.api(SEND, { claims: leaderA, path });
    await h.drainEvents();

    await h.ingest(resultReady(code, "2026-11-20T10:00:00+07:00"));

    expect((await h.tables.apologyDrafts.get(code, "draft-v1"))?.value.status).toBe("sent");
  });
});
