import { describe, expect, it } from "vitest";
import { type DossierEvent, foldDossier } from "../../../shared/dossier/index.ts";
import { type CounterDelta, counterDeltas, counterRowSortKey } from "../../../shared/reports/index.ts";
import { DOSSIERS, working } from "./fixtures.ts";

/** The deltas each event of a dossier writes, applied in time order, for the agency line only. */
function agencyDeltasPerEvent(events: readonly DossierEvent[]) {
  const out: { event: string; deltas: Pick<CounterDelta, "day" | "values">[] }[] = [];
  for (let k = 1; k <= events.length; k++) {
    const before = k === 1 ? undefined : foldDossier(events.slice(0, k - 1), working);
    const after = foldDossier(events.slice(0, k), working);
    const deltas = counterDeltas(before, after, working)
      .filter((delta) => delta.dimension === "agency")
      .map(({ day, values }) => ({ day, values }));
    out.push({ event: events[k - 1]!.type, deltas });
  }
  return out;
}

describe("counterDeltas", () => {
  it("projects the day an open dossier becomes overdue and settles it when the result comes late", () => {
    // E: received Mon 16/11 09:00, due Thu 19/11 09:00, result Wed 02/12 10:00 (89 office hours).
    expect(agencyDeltasPerEvent(DOSSIERS.E!)).toEqual([
      {
        event: "received",
        deltas: [
          { day: "2026-11-16", values: { receivedInPerson: 1, openNet: 1 } },
          { day: "2026-11-19", values: { overdueNet: 1 } },
        ],
      },
      { event: "assigned", deltas: [] }, // same agency line (the unit and handler lines move)
      {
        event: "result-ready",
        deltas: [
          {
            day: "2026-12-02",
            values: { resolvedLate: 1, officeMsTaken: 89 * 3_600_000, openNet: -1, overdueNet: -1 },
          },
        ],
      },
    ]);
  });

  it("takes the projection back when the result comes before the due date", () => {
    // A: due Mon 09/11 09:00, result Thu 05/11 10:00 (25 office hours), returned 06/11.
    const [, , result, returned] = agencyDeltasPerEvent(DOSSIERS.A!);
    expect(result!.deltas).toEqual([
      { day: "2026-11-05", values: { resolvedEarly: 1, officeMsTaken: 25 * 3_600_000, openNet: -1 } },
      { day: "2026-11-09", values: { overdueNet: -1 } },
    ]);
    expect(returned!.deltas).toEqual([{ day: "2026-11-06", values: { returned: 1 } }]);
  });

  it("moves the projection with a pause and brings it back on the resume", () => {
    // G: due Thu 03/12 08:00; paused Fri 27/11 14:00; resumed Tue 01/12 09:00 → due Fri 04/12 14:00.
    const [, , paused, resumed] = agencyDeltasPerEvent(DOSSIERS.G!);
    expect(paused!.deltas).toEqual([
      { day: "2026-11-27", values: { pausedNet: 1 } },
      { day: "2026-12-03", values: { overdueNet: -1 } },
    ]);
    expect(resumed!.deltas).toEqual([
      { day: "2026-12-01", values: { pausedNet: -1 } },
      { day: "2026-12-04", values: { overdueNet: 1 } },
    ]);
  });

  it("moves every figure of a reassigned dossier to the new unit line, past days included", () => {
    const events = DOSSIERS.C!; // received 04/11, assigned to the environment unit at 11:00
    const before = foldDossier(events.slice(0, 1), working);
    const after = foldDossier(events.slice(0, 2), working);
    const units = counterDeltas(before, after, working).filter((delta) => delta.dimension === "unit");
    expect(units).toEqual([
      {
        agencyId: "so-nnmt",
        day: "2026-11-04",
        dimension: "unit",
        key: "so-nnmt/mot-cua",
        label: "Bộ phận Một cửa",
        values: { receivedInPerson: -1, openNet: -1 },
      },
      {
        agencyId: "so-nnmt",
        day: "2026-11-06",
        dimension: "unit",
        key: "so-nnmt/mot-cua",
        label: "Bộ phận Một cửa",
        values: { overdueNet: -1 },
      },
      {
        agencyId: "so-nnmt",
        day: "2026-11-04",
        dimension: "unit",
        key: "so-nnmt/phong-mt",
        label: "Phòng Môi trường",
        values: { receivedInPerson: 1, openNet: 1 },
      },
      {
        agencyId: "so-nnmt",
        day: "2026-11-06",
        dimension: "unit",
        key: "so-nnmt/phong-mt",
        label: "Phòng Môi trường",
        values: { overdueNet: 1 },
      },
    ]);
  });

  it("writes nothing for an event no report reads", () => {
    const events = DOSSIERS.A!;
    const folded = foldDossier(events, working);
    expect(counterDeltas(folded, folded, working)).toEqual([]);
  });

  it("keys stored rows by grain, day first", () => {
    expect(counterRowSortKey({ period: "2026-11-02", dimension: "unit", key: "so-nnmt/phong-dat" })).toBe(
      "DAY#2026-11-02#unit#so-nnmt/phong-dat",
    );
    expect(counterRowSortKey({ period: "2026-11", dimension: "agency", key: "so-nnmt" })).toBe(
      "MONTH#2026-11#agency#so-nnmt",
    );
    expect(counterRowSortKey({ period: "2026", dimension: "procedure", key: "1.004227" })).toBe(
      "YEAR#2026#procedure#1.004227",
    );
  });
});
