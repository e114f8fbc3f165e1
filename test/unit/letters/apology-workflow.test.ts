import { describe, expect, it } from "vitest";
import { ConflictError, InvalidInputError } from "../../../shared/errors.ts";
import {
  type AddWorkingDays,
  type ApologyDraft,
  approveApology,
  assertNoPriorApology,
  createApologyDraft,
  editApologyDraft,
  markApologySent,
  proposeNewAppointment,
  reopenApology,
  withdrawApology,
} from "../../../shared/letters/apology/index.ts";
import { CODE, LONG_REASON, LONG_UNIT } from "./builders.ts";

const NOW = "2026-11-20T09:00:00+07:00";

function aDraft(overrides: Partial<Parameters<typeof createApologyDraft>[0]> = {}): ApologyDraft {
  return createApologyDraft({
    id: "apology-1",
    dossierCode: CODE,
    reason: LONG_REASON,
    responsibleUnit: LONG_UNIT,
    originalAppointment: "2026-11-23T16:00:00+07:00",
    newAppointment: "2026-11-26T08:30:00+07:00",
    createdBy: "chuyenvien.anh",
    now: NOW,
    ...overrides,
  });
}

const approve = (draft: ApologyDraft) =>
  approveApology(draft, { actor: "lanhdao.viet", now: "2026-11-20T10:15:00+07:00" });

describe("apology workflow: the reason a person writes", () => {
  const reasonless = () => aDraft({ reason: null });

  it("creates an automatic draft with no reason at all, not a placeholder", () => {
    expect(reasonless().reason).toBeNull();
    expect(aDraft({ reason: undefined }).reason).toBeNull();
  });

  it("refuses to approve a draft without a reason, naming the field and the rule", () => {
    let caught: unknown;
    try {
      approve(reasonless());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).details).toEqual({ field: "reason", rule: "reason-required" });
    expect((caught as InvalidInputError).message).toMatch(/^Chưa có lý do chậm trễ/);
  });

  it("approves when the approval's edits carry the first reason (an edit from null)", () => {
    const approved = approveApology(reasonless(), {
      actor: "lanhdao.viet",
      now: "2026-11-20T10:15:00+07:00",
      edits: { reason: "Chờ ý kiến của Sở Tài chính" },
      signer: { title: "Trưởng phòng", name: "Lê Văn Việt" },
    });
    expect(approved).toMatchObject({
      status: "approved",
      reason: "Chờ ý kiến của Sở Tài chính",
      signer: { title: "Trưởng phòng", name: "Lê Văn Việt" },
    });
    expect(approved.edits).toEqual([
      expect.objectContaining({ field: "reason", from: null, to: "Chờ ý kiến của Sở Tài chính" }),
    ]);
  });

  it("refuses to send an approved apology that has no reason", () => {
    const approvedWithout: ApologyDraft = { ...reasonless(), status: "approved" };
    expect(() =>
      markApologySent(approvedWithout, { actor: "x", now: "2026-11-20T11:00:00+07:00", priorApologies: [] }),
    ).toThrow(/Chưa có lý do chậm trễ/);
  });

  it("edits a draft without approving it, and refuses to edit an approved one", () => {
    const edited = editApologyDraft(reasonless(), {
      actor: "lanhdao.viet",
      now: "2026-11-20T10:00:00+07:00",
      edits: { newAppointment: "2026-11-27T14:00:00+07:00" },
    });
    expect(edited).toMatchObject({
      status: "draft",
      reason: null,
      newAppointment: "2026-11-27T14:00:00+07:00",
    });
    expect(() =>
      editApologyDraft(approve(aDraft()), { actor: "x", now: "2026-11-20T11:00:00+07:00", edits: {} }),
    ).toThrow(ConflictError);
  });

  it("reopens a withdrawn draft as a draft, clearing approval and withdrawal; nothing else reopens", () => {
    const approved = approveApology(aDraft(), {
      actor: "lanhdao.viet",
      now: "2026-11-20T10:15:00+07:00",
      signer: { title: "Trưởng phòng", name: "Lê Văn Việt" },
    });
    const withdrawn = withdrawApology(approved, {
      actor: "lanhdao.viet",
      now: "2026-11-20T11:00:00+07:00",
      reason: "x",
    });
    const reopened = reopenApology(withdrawn, { actor: "lanhdao.nam", now: "2026-11-20T12:00:00+07:00" });
    expect(reopened).toMatchObject({
      status: "draft",
      reopenedBy: "lanhdao.nam",
      reopenedAt: "2026-11-20T12:00:00+07:00",
    });
    for (const key of [
      "approvedBy",
      "approvedAt",
      "signer",
      "withdrawnBy",
      "withdrawnAt",
      "withdrawalReason",
    ]) {
      expect(reopened).not.toHaveProperty(key);
    }
    expect(() => reopenApology(aDraft(), { actor: "x", now: NOW })).toThrow(ConflictError);
  });

  it("cites the dossier's law when it refuses a second apology", () => {
    const sent: ApologyDraft = { ...approve(aDraft()), status: "sent" };
    expect(() =>
      markApologySent(approve(aDraft({ id: "apology-2" })), {
        actor: "x",
        now: "2026-11-20T11:00:00+07:00",
        priorApologies: [sent],
        legalBasis: { apologyCitation: "NĐ 118/2025" },
      }),
    ).toThrow(/chỉ được hẹn lại một lần \(NĐ 118\/2025: /);
  });
});

describe("apology workflow", () => {
  it("creates a draft with instants in +07:00", () => {
    const draft = aDraft({ now: "2026-11-20T02:00:00Z", newAppointment: "2026-11-26T01:30:00Z" });
    expect(draft.status).toBe("draft");
    expect(draft.createdAt).toBe("2026-11-20T09:00:00+07:00");
    expect(draft.newAppointment).toBe("2026-11-26T08:30:00+07:00");
    expect(draft.edits).toEqual([]);
  });

  it("refuses a new appointment that is not after the original one", () => {
    expect(() => aDraft({ newAppointment: "2026-11-23T16:00:00+07:00" })).toThrow(InvalidInputError);
  });

  it("approves, recording who and when", () => {
    const approved = approve(aDraft());
    expect(approved.status).toBe("approved");
    expect(approved.approvedBy).toBe("lanhdao.viet");
    expect(approved.approvedAt).toBe("2026-11-20T10:15:00+07:00");
    expect(approved.edits).toEqual([]);
  });

  it("approves with the leader's edits to reason and new date, recording each change", () => {
    const approved = approveApology(aDraft(), {
      actor: "lanhdao.viet",
      now: "2026-11-20T03:15:00Z",
      edits: { reason: "Chờ kết quả đo đạc thực địa", newAppointment: "2026-11-27T14:00:00+07:00" },
    });
    expect(approved.reason).toBe("Chờ kết quả đo đạc thực địa");
    expect(approved.newAppointment).toBe("2026-11-27T14:00:00+07:00");
    expect(approved.approvedAt).toBe("2026-11-20T10:15:00+07:00");
    expect(approved.edits).toEqual([
      {
        field: "reason",
        from: LONG_REASON,
        to: "Chờ kết quả đo đạc thực địa",
        by: "lanhdao.viet",
        at: "2026-11-20T10:15:00+07:00",
      },
      {
        field: "newAppointment",
        from: "2026-11-26T08:30:00+07:00",
        to: "2026-11-27T14:00:00+07:00",
        by: "lanhdao.viet",
        at: "2026-11-20T10:15:00+07:00",
      },
    ]);
  });

  it("does not record an edit that changes nothing", () => {
    const approved = approveApology(aDraft(), {
      actor: "lanhdao.viet",
      now: NOW,
      edits: { reason: LONG_REASON, newAppointment: "2026-11-26T01:30:00Z" },
    });
    expect(approved.edits).toEqual([]);
  });

  it("refuses an edited date before the original appointment", () => {
    expect(() =>
      approveApology(aDraft(), {
        actor: "lanhdao.viet",
        now: NOW,
        edits: { newAppointment: "2026-11-22T08:00:00+07:00" },
      }),
    ).toThrow(InvalidInputError);
  });

  it("sends an approved apology and returns the apology-issued event", () => {
    const { draft, event } = markApologySent(approve(aDraft()), {
      actor: "motcua.lan",
      now: "2026-11-20T14:00:00+07:00",
      priorApologies: [],
    });
    expect(draft.status).toBe("sent");
    expect(draft.sentAt).toBe("2026-11-20T14:00:00+07:00");
    expect(draft.sentBy).toBe("motcua.lan");
    expect(event).toEqual({
      type: "apology-issued",
      dossierCode: CODE,
      reason: LONG_REASON,
      responsibleUnit: LONG_UNIT,
      newAppointment: "2026-11-26T08:30:00+07:00",
    });
  });

  it.each([
    ["approve a sent apology", (d: ApologyDraft) => approve(d)],
    [
      "send a sent apology",
      (d: ApologyDraft) => markApologySent(d, { actor: "x", now: NOW, priorApologies: [] }),
    ],
    ["withdraw a sent apology", (d: ApologyDraft) => withdrawApology(d, { actor: "x", now: NOW })],
  ])("refuses to %s", (_, act) => {
    const sent = markApologySent(approve(aDraft()), { actor: "x", now: NOW, priorApologies: [] }).draft;
    expect(() => act(sent)).toThrow(ConflictError);
  });

  it("refuses to send a draft that was not approved", () => {
    expect(() => markApologySent(aDraft(), { actor: "x", now: NOW, priorApologies: [] })).toThrow(
      /cannot send an apology that is draft/,
    );
  });

  it("withdraws a draft or an approved apology, and nothing moves after", () => {
    const fromDraft = withdrawApology(aDraft(), {
      actor: "lanhdao.viet",
      now: NOW,
      reason: "Đã trả kết quả kịp",
    });
    expect(fromDraft).toMatchObject({
      status: "withdrawn",
      withdrawnBy: "lanhdao.viet",
      withdrawnAt: NOW,
      withdrawalReason: "Đã trả kết quả kịp",
    });
    expect(withdrawApology(approve(aDraft()), { actor: "lanhdao.viet", now: NOW }).status).toBe("withdrawn");
    expect(() => approve(fromDraft)).toThrow(ConflictError);
  });

  it("refuses a second sent apology for the same dossier", () => {
    const first = markApologySent(approve(aDraft()), { actor: "x", now: NOW, priorApologies: [] }).draft;
    const second = approve(aDraft({ id: "apology-2", newAppointment: "2026-11-30T08:00:00+07:00" }));
    expect(() => markApologySent(second, { actor: "x", now: NOW, priorApologies: [first, second] })).toThrow(
      ConflictError,
    );
    expect(() => assertNoPriorApology([first], CODE)).toThrow(/chỉ được hẹn lại một lần/);
    expect(() => assertNoPriorApology([second, first])).toThrow(ConflictError);
    expect(() => assertNoPriorApology([second])).not.toThrow();
  });

  it("allows an apology when earlier ones were withdrawn or belong to other dossiers", () => {
    const withdrawn = withdrawApology(aDraft({ id: "old" }), { actor: "x", now: NOW });
    const other = markApologySent(
      approve(aDraft({ id: "other", dossierCode: "000.00.12.H42-261120-0009" })),
      {
        actor: "x",
        now: NOW,
        priorApologies: [],
      },
    ).draft;
    expect(() => assertNoPriorApology([withdrawn, other], CODE)).not.toThrow();
    const { draft } = markApologySent(approve(aDraft()), {
      actor: "x",
      now: NOW,
      priorApologies: [withdrawn, other],
    });
    expect(draft.status).toBe("sent");
  });
});

describe("proposeNewAppointment", () => {
  // A fake calendar: Monday–Friday, whole days, same time of day.
  const weekdaysOnly: AddWorkingDays = (from, n) => {
    const date = new Date(from);
    let left = n;
    while (left > 0) {
      date.setUTCDate(date.getUTCDate() + 1);
      const local = new Date(date.getTime() + 7 * 3600_000).getUTCDay();
      if (local !== 0 && local !== 6) left -= 1;
    }
    return date.toISOString();
  };

  it("adds working days from now and returns +07:00", () => {
    // Friday 20/11/2026 09:00 + 3 working days = Wednesday 25/11/2026 09:00.
    expect(proposeNewAppointment({ now: NOW, extraWorkingDays: 3, addWorkingDays: weekdaysOnly })).toBe(
      "2026-11-25T09:00:00+07:00",
    );
  });

  it("passes now as +07:00 to the calendar", () => {
    const calls: Array<[string, number]> = [];
    proposeNewAppointment({
      now: "2026-11-20T02:00:00Z",
      extraWorkingDays: 2,
      addWorkingDays: (from, n) => {
        calls.push([from, n]);
        return "2026-11-24T09:00:00+07:00";
      },
    });
    expect(calls).toEqual([["2026-11-20T09:00:00+07:00", 2]]);
  });

  it("refuses zero or negative days and a calendar that goes backwards", () => {
    expect(() =>
      proposeNewAppointment({ now: NOW, extraWorkingDays: 0, addWorkingDays: weekdaysOnly }),
    ).toThrow(InvalidInputError);
    expect(() => proposeNewAppointment({ now: NOW, extraWorkingDays: 1, addWorkingDays: () => NOW })).toThrow(
      InvalidInputError,
    );
  });
});
