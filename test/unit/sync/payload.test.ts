import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import { MAX_RECORDS_PER_REQUEST, parseSenderDate, parseSyncRequest } from "../../../shared/sync/index.ts";
import { hoSo, tienDo } from "../../fixtures/dvcqg/builders.ts";

describe("parseSyncRequest", () => {
  it("reads OpenCPS's DongBoHoSoMC envelope with its session, madonvi and isUpdating", () => {
    const request = parseSyncRequest(
      {
        session: "s-1",
        madonvi: "000.00.17.H56",
        service: "DongBoHoSoMC",
        isUpdating: "True",
        data: [hoSo(), hoSo()],
      },
      "service",
    );
    expect(request.kind).toBe("dossiers");
    expect(request.session).toBe("s-1");
    expect(request.madonvi).toBe("000.00.17.H56");
    expect(
      request.records.map((record) => [
        record.index,
        record.kind,
        "isUpdating" in record && record.isUpdating,
      ]),
    ).toEqual([
      [0, "dossier", true],
      [1, "dossier", true],
    ]);
  });

  it("reads isUpdating False as a first sync", () => {
    const request = parseSyncRequest(
      { service: "DongBoHoSoMC", isUpdating: "False", data: [hoSo()] },
      "service",
    );
    expect(request.records[0]).toMatchObject({ kind: "dossier", isUpdating: false });
  });

  it("reads CapNhatTienDoHoSoMC as progress rows", () => {
    const request = parseSyncRequest({ service: "CapNhatTienDoHoSoMC", data: [tienDo()] }, "service");
    expect(request.kind).toBe("progress");
    expect(request.records[0]).toMatchObject({ index: 0, kind: "progress" });
  });

  it("reads TD's three URLs, each a JSON array", () => {
    expect(parseSyncRequest([hoSo()], "create").records[0]).toMatchObject({
      kind: "dossier",
      isUpdating: false,
    });
    expect(parseSyncRequest([hoSo()], "update").records[0]).toMatchObject({
      kind: "dossier",
      isUpdating: true,
    });
    expect(parseSyncRequest([tienDo()], "progress")).toMatchObject({ kind: "progress" });
  });

  it("keeps a malformed record for the mapper to refuse on its own", () => {
    const request = parseSyncRequest([hoSo(), 42, null], "create");
    expect(request.records.map((record) => record.raw)).toEqual([hoSo(), 42, null]);
  });

  it("refuses an unknown service or a missing data array, naming the field", () => {
    expect(() => parseSyncRequest({ service: "LayThuTuc", data: [] }, "service")).toThrow(/service/);
    expect(() => parseSyncRequest({ service: "DongBoHoSoMC" }, "service")).toThrow(/data/);
    expect(() => parseSyncRequest({ MaHoSo: "x" }, "create")).toThrow(InvalidInputError);
  });

  it("refuses an empty or oversized batch", () => {
    expect(() => parseSyncRequest([], "create")).toThrow(/1 to 500/);
    const oversized = Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, () => hoSo());
    expect(() => parseSyncRequest(oversized, "update")).toThrow(/got 501/);
    expect(parseSyncRequest(oversized.slice(1), "update").records).toHaveLength(MAX_RECORDS_PER_REQUEST);
  });
});

describe("parseSenderDate", () => {
  it("reads yyyyMMddHHmmss in Asia/Ho_Chi_Minh", () => {
    expect(parseSenderDate("20261102090000")).toBe(Date.parse("2026-11-02T09:00:00+07:00"));
  });

  it("reads the .NET local DateTime form in Asia/Ho_Chi_Minh", () => {
    expect(parseSenderDate("2026-11-05T14:00:00")).toBe(Date.parse("2026-11-05T14:00:00+07:00"));
  });

  it("reads an empty value and .NET's DateTime.MinValue as no date", () => {
    expect(parseSenderDate("")).toBeUndefined();
    expect(parseSenderDate(undefined)).toBeUndefined();
    expect(parseSenderDate("0001-01-01T00:00:00")).toBeUndefined();
  });

  it("refuses impossible dates and other shapes", () => {
    for (const text of [
      "20260230090000",
      "20261102250000",
      "02/11/2026 09:00",
      "2026110209",
      "2026-11-02T09:00:00+07:00",
    ]) {
      expect(parseSenderDate(text), text).toBe("invalid");
    }
  });
});
