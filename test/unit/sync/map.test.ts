import { describe, expect, it } from "vitest";
import type { DossierEvent, EventOfType } from "../../../shared/dossier/index.ts";
import { EMPTY_CATALOGUE, type MapResult, mapSyncRecord } from "../../../shared/sync/index.ts";
import {
  at,
  CODE,
  context,
  dossierRecord,
  hoSo,
  progressRecord,
  stateOf,
  tienDo,
} from "../../fixtures/dvcqg/builders.ts";

function mapped(result: MapResult) {
  if (!result.ok) throw new Error(`refused: ${result.rule} — ${result.reason}`);
  return result;
}
const types = (events: readonly DossierEvent[]) => events.map((event) => event.type);
function only<T extends DossierEvent["type"]>(events: readonly DossierEvent[], type: T): EventOfType<T> {
  const found = events.filter((event) => event.type === type);
  expect(found).toHaveLength(1);
  return found[0] as EventOfType<T>;
}
const received = mapped(mapSyncRecord(dossierRecord(hoSo()), context())).events;

describe("a dossier record (HoSo)", () => {
  it("maps NgayTiepNhan to the reception, NgayHenTra to the receipt's appointment, the limit from the catalogue", () => {
    const event = only(received, "received");
    expect(event.receivedAt).toBe(at("2026-11-02T09:00:00+07:00"));
    expect(event.appointment).toBe(at("2026-11-09T09:00:00+07:00"));
    expect(event.procedure).toEqual({
      code: "1.001612",
      name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
      field: "Hoạt động xây dựng",
      timeLimit: { amount: 5, unit: "working-days" },
    });
    expect(event.channel).toBe("in-person");
    expect(event.agency).toEqual({ id: "UBND xã Quảng Phú", name: "UBND xã Quảng Phú" });
  });

  it("gives the same events with the same ids for the same record (a re-send is a replay)", () => {
    const again = mapped(mapSyncRecord(dossierRecord(hoSo(), 7, true), context())).events;
    expect(again).toEqual(received);
    expect(received.map((event) => event.id)).toEqual([`${CODE}/dvcqg/received`]);
  });

  it("takes the agency from the envelope's madonvi when there is one", () => {
    const result = mapped(mapSyncRecord(dossierRecord(hoSo()), context({ madonvi: "000.00.17.H56" })));
    expect(result.agencyId).toBe("000.00.17.H56");
  });

  it("uses the catalogue's online limit for KenhThucHien 2", () => {
    const record = hoSo({ MaTTHC: "1.004227", KenhThucHien: "2", NgayHenTra: "20261112090000" });
    const event = only(mapped(mapSyncRecord(dossierRecord(record), context())).events, "received");
    expect(event.channel).toBe("online");
    expect(event.procedure.timeLimit).toEqual({ amount: 8, unit: "working-days" });
  });

  it("records nothing for a dossier registered but not received (status 1)", () => {
    const result = mapped(
      mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "1", NgayTiepNhan: "" })), context()),
    );
    expect(result.events).toEqual([]);
  });

  it("refuses a received status without NgayTiepNhan", () => {
    const result = mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "4", NgayTiepNhan: "" }), 3), context());
    expect(result).toMatchObject({ ok: false, index: 3, maHoSo: CODE, rule: "reception-date" });
  });

  it("refuses a malformed date naming the field, never the value", () => {
    const result = mapSyncRecord(dossierRecord(hoSo({ NgayHenTra: "2026-11-09 25:00" })), context());
    expect(result).toMatchObject({ ok: false, rule: "date" });
    if (!result.ok) {
      expect(result.reason).toContain("NgayHenTra");
      expect(result.reason).not.toContain("25:00");
    }
  });

  it("refuses a status outside 1–10", () => {
    expect(mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "11" })), context())).toMatchObject({
      ok: false,
      rule: "status",
    });
  });

  it("maps 3 to a rejection at NgayTuChoi", () => {
    const events = mapped(
      mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "3", NgayTuChoi: "20261102100000" })), context()),
    ).events;
    expect(types(events)).toEqual(["received", "rejected"]);
    expect(events[1]!.occurredAt).toBe(at("2026-11-02T10:00:00+07:00"));
  });

  it("maps 7 to a withdrawal and 8 to a stop, at NgayKetThucXuLy", () => {
    for (const [status, type] of [
      ["7", "withdrawn"],
      ["8", "stopped"],
    ] as const) {
      const record = hoSo({ TrangThaiHoSo: status, NgayKetThucXuLy: "20261104140000" });
      const event = only(mapped(mapSyncRecord(dossierRecord(record), context())).events, type);
      expect(event.occurredAt).toBe(at("2026-11-04T14:00:00+07:00"));
    }
  });

  it("maps 9 to the result at NgayKetThucXuLy and 10 to the result and its return at NgayTra", () => {
    const nine = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261106150000" })),
        context(),
      ),
    ).events;
    expect(types(nine)).toEqual(["received", "result-ready"]);
    expect(nine[1]!.occurredAt).toBe(at("2026-11-06T15:00:00+07:00"));
    const ten = mapped(
      mapSyncRecord(
        dossierRecord(
          hoSo({ TrangThaiHoSo: "10", NgayKetThucXuLy: "20261106150000", NgayTra: "20261109080000" }),
        ),
        context(),
      ),
    ).events;
    expect(types(ten)).toEqual(["received", "result-ready", "returned"]);
    expect(only(ten, "returned").occurredAt).toBe(at("2026-11-09T08:00:00+07:00"));
  });

  it("maps 6 to a pause dated at the record's latest instant, flagged as inferred", () => {
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "6", NgayYeuCauBoSung: "20261104100000" })),
        context(),
      ),
    );
    expect(only(result.events, "paused").occurredAt).toBe(at("2026-11-04T10:00:00+07:00"));
    expect(result.flags.map((flag) => flag.rule)).toContain("instant-inferred");
  });

  it("adds no second pause while the dossier is already paused, and resumes when the status leaves 6", () => {
    const paused = mapped(mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "6" })), context())).events;
    const previous = stateOf(paused);
    const again = mapped(
      mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "6" })), context({ previous })),
    ).events;
    expect(types(again)).toEqual(["received"]);
    const back = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261105100000" })),
        context({ previous }),
      ),
    ).events;
    expect(types(back)).toEqual(["received", "resumed", "result-ready"]);
    expect(only(back, "resumed").occurredAt).toBe(at("2026-11-05T10:00:00+07:00"));
  });
});

describe("supplements (DanhSachHoSoBoSung)", () => {
  const round = {
    HoSoBoSungId: 17,
    NoiDungBoSung: "Bổ sung bản vẽ",
    NgayBoSung: "2026-11-04T14:00:00",
    NgayTiepNhanBoSung: null,
    NgayHenTraTruoc: "2026-11-09T09:00:00",
    NgayHenTraMoi: null,
  };

  it("maps an open round to a supplement request at NgayBoSung (a .NET DateTime, Asia/Ho_Chi_Minh)", () => {
    const events = mapped(
      mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "5", DanhSachHoSoBoSung: [round] })), context()),
    ).events;
    expect(types(events)).toEqual(["received", "supplement-requested"]);
    const request = only(events, "supplement-requested");
    expect(request.occurredAt).toBe(at("2026-11-04T14:00:00+07:00"));
    expect(request.reason).toBe("Bổ sung bản vẽ");
  });

  it("maps the round's reception to a restart with NgayHenTraMoi, and keeps NgayHenTraTruoc as the receipt's", () => {
    const done = { ...round, NgayTiepNhanBoSung: "20261110090000", NgayHenTraMoi: "2026-11-17T09:00:00" };
    const events = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "4", NgayHenTra: "20261117090000", DanhSachHoSoBoSung: [done] })),
        context(),
      ),
    ).events;
    expect(types(events)).toEqual(["received", "supplement-requested", "supplement-received"]);
    expect(only(events, "supplement-received").appointment).toBe(at("2026-11-17T09:00:00+07:00"));
    expect(only(events, "received").appointment).toBe(at("2026-11-09T09:00:00+07:00"));
  });

  it("reads a 9 with an open round and no finish date as still waiting (TD collapses 5 into 9)", () => {
    const result = mapped(
      mapSyncRecord(dossierRecord(hoSo({ TrangThaiHoSo: "9", DanhSachHoSoBoSung: [round] })), context()),
    );
    expect(types(result.events)).toEqual(["received", "supplement-requested"]);
    expect(result.flags.map((flag) => flag.rule)).toEqual(["status-collapsed"]);
  });
});

describe("progress rows (TienDo)", () => {
  const previous = stateOf(received);

  it("maps a row to a step with its own due instant, unit and handler", () => {
    const result = mapped(mapSyncRecord(progressRecord(tienDo()), context({ previous })));
    const step = only(result.events, "assigned");
    expect(step.occurredAt).toBe(at("2026-11-02T10:00:00+07:00"));
    expect(step.dueAt).toBe(at("2026-11-05T10:00:00+07:00"));
    expect(step.unit).toEqual({ id: "Phòng Quản lý đô thị", name: "Phòng Quản lý đô thị" });
    expect(step.handler).toEqual({ id: "Trần Văn Bình", name: "Trần Văn Bình" });
    expect(step.task).toBe("Thẩm định hồ sơ");
    expect(result.agencyId).toBe(previous.agency.id);
  });

  it("refuses progress for a dossier not synced yet", () => {
    expect(mapSyncRecord(progressRecord(tienDo(), 4), context())).toMatchObject({
      ok: false,
      index: 4,
      rule: "unknown-dossier",
    });
  });

  it("maps a row with status 6 to a pause at ThoiDiemXuLy (the pause TD hides behind a 9)", () => {
    const row = tienDo({ TrangThai: "6", ThoiDiemXuLy: "20261103090000", NgayBatDau: "" });
    const event = only(mapped(mapSyncRecord(progressRecord(row), context({ previous }))).events, "paused");
    expect(event.occurredAt).toBe(at("2026-11-03T09:00:00+07:00"));
  });

  it("keeps the pause when the dossier then says 9 with no finish date", () => {
    const row = tienDo({ TrangThai: "6", ThoiDiemXuLy: "20261103090000", NgayBatDau: "" });
    const pause = mapped(mapSyncRecord(progressRecord(row), context({ previous }))).events;
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "9" })),
        context({ previous: stateOf([...received, ...pause]) }),
      ),
    );
    expect(types(result.events)).toEqual(["received"]);
    expect(result.flags.map((flag) => flag.rule)).toEqual(["status-collapsed"]);
  });

  it("adds no step for TD's synthetic closing row (TrangThai 9)", () => {
    const row = tienDo({ TrangThai: "9", NoiDungXuLy: "Kết thúc xử lý hồ sơ" });
    expect(mapped(mapSyncRecord(progressRecord(row), context({ previous }))).events).toEqual([]);
  });
});

describe("appointments and the catalogue", () => {
  it("takes an unknown procedure's allotment from NgayHenTra and flags it", () => {
    const result = mapped(mapSyncRecord(dossierRecord(hoSo({ MaTTHC: "9.000001" })), context()));
    const event = only(result.events, "received");
    expect(event.procedure.timeLimit).toEqual({ amount: 5, unit: "working-days" });
    expect(event.procedure.name).toBe("Cấp giấy phép xây dựng nhà ở riêng lẻ");
    expect(result.flags).toMatchObject([
      { rule: "unknown-procedure", procedureCode: "9.000001", details: { allotmentAmount: 5 } },
    ]);
  });

  it("counts an unknown procedure's partial day in working hours", () => {
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ NgayHenTra: "20261103130000" })),
        context({ catalogue: EMPTY_CATALOGUE }),
      ),
    );
    const limit = only(result.events, "received").procedure.timeLimit;
    expect(limit.unit).toBe("working-hours");
    expect(limit.amount).toBeGreaterThan(8);
    expect(limit.amount).toBeLessThan(16);
  });

  it("refuses an unknown procedure with no NgayHenTra", () => {
    const result = mapSyncRecord(dossierRecord(hoSo({ MaTTHC: "9.000001", NgayHenTra: "" })), context());
    expect(result).toMatchObject({ ok: false, rule: "unknown-procedure" });
  });

  it("keeps the law's due instant over a later promise, and flags the disagreement with both", () => {
    const result = mapped(mapSyncRecord(dossierRecord(hoSo({ NgayHenTra: "20261113090000" })), context()));
    expect(only(result.events, "received").appointment).toBeUndefined();
    expect(result.flags).toMatchObject([
      {
        rule: "appointment-disagrees-with-catalogue",
        details: { legalDueAt: "2026-11-09T09:00:00+07:00", appointment: "2026-11-13T09:00:00+07:00" },
      },
    ]);
    const state = stateOf(result.events);
    expect(state.legalDueAt).toBe("2026-11-09T09:00:00+07:00");
    expect(state.originalAppointment).toBe("2026-11-09T09:00:00+07:00");
  });

  it("keeps an earlier promise as the receipt's appointment, and flags it", () => {
    const result = mapped(mapSyncRecord(dossierRecord(hoSo({ NgayHenTra: "20261106090000" })), context()));
    expect(only(result.events, "received").appointment).toBe(at("2026-11-06T09:00:00+07:00"));
    expect(result.flags.map((flag) => flag.rule)).toEqual(["appointment-disagrees-with-catalogue"]);
  });

  it("flags a NgayHenTra moved with no restart and no apology", () => {
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "4", NgayHenTra: "20261111090000" })),
        context({ previous: stateOf(received) }),
      ),
    );
    expect(result.flags.filter((flag) => flag.rule === "appointment-moved")).toMatchObject([
      { details: { from: "2026-11-09T09:00:00+07:00", to: "2026-11-11T09:00:00+07:00" } },
    ]);
  });

  it("takes a NgayHenTra moved to the apology's new appointment as the apology's", () => {
    const apology: DossierEvent = {
      id: "apology-1",
      dossierCode: CODE,
      type: "apology-issued",
      occurredAt: at("2026-11-06T10:00:00+07:00"),
      reason: "Chờ ý kiến cơ quan thuế",
      responsibleUnit: { id: "qldt", name: "Phòng Quản lý đô thị" },
      newAppointment: at("2026-11-11T09:00:00+07:00"),
    };
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "4", NgayHenTra: "20261111090000" })),
        context({ previous: stateOf([...received, apology]) }),
      ),
    );
    expect(result.flags.map((flag) => flag.rule)).not.toContain("appointment-moved");
  });

  it("flags a finish moved after it was recorded (an overdue finish rewritten to the appointment)", () => {
    const late = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261111150000" })),
        context(),
      ),
    ).events;
    const result = mapped(
      mapSyncRecord(
        dossierRecord(hoSo({ TrangThaiHoSo: "9", NgayKetThucXuLy: "20261109090000" })),
        context({ previous: stateOf(late) }),
      ),
    );
    expect(result.flags).toMatchObject([
      {
        rule: "finish-rewritten",
        details: { first: "2026-11-11T15:00:00+07:00", sent: "2026-11-09T09:00:00+07:00" },
      },
    ]);
  });
});

describe("contacts", () => {
  it("takes phone and e-mail from the payload with no consent unless the agency's default gives it", () => {
    expect(only(received, "received").applicant).toEqual({
      name: "Nguyễn Văn An",
      phone: "0912345678",
      email: "an.nguyen@example.vn",
      consent: { sms: false, email: false },
    });
    const consenting = mapped(
      mapSyncRecord(dossierRecord(hoSo()), context({ consentFor: () => ({ sms: true, email: false }) })),
    ).events;
    expect(only(consenting, "received").applicant.consent).toEqual({ sms: true, email: false });
  });

  it("leaves out a phone the edge refuses, flagged, and keeps the dossier", () => {
    const result = mapped(mapSyncRecord(dossierRecord(hoSo({ SoDienThoai: "12345" })), context()));
    expect(only(result.events, "received").applicant.phone).toBeUndefined();
    expect(result.flags).toMatchObject([{ rule: "contact-dropped", details: { field: "SoDienThoai" } }]);
  });
});
