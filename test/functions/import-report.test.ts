import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { backfill, eventsOfFile } from "../../local/cli/commands/import.ts";
import { CivilCalendar, WorkingTime } from "../../shared/calendar/index.ts";
import { type DossierEvent, dossierEventToJson } from "../../shared/dossier/index.ts";
import { parseCatalogue } from "../../shared/sync/index.ts";
import { AGENCY_A, adminA, directoryA, directoryB, leaderA } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

// The import runs on 01/12/2026: everything in the list is past.
const IMPORT_AT = "2026-12-01T08:00:00+07:00";

const CATALOGUE = parseCatalogue([
  {
    code: "1.010727",
    name: "Cấp giấy phép môi trường",
    field: "Môi trường",
    timeLimit: { amount: 3, unit: "working-days" },
  },
]);

// A one-stop system's dossier list, as exported (semicolons, a BOM, Vietnamese headers and words).
// 3 working days each: received Mon 02/11 09:00 → due Thu 05/11 09:00, and so on.
const LIST = [
  "Mã hồ sơ;Mã TTHC;Tên thủ tục;Lĩnh vực;Hình thức nộp;Chủ hồ sơ;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Ngày trả kết quả;Ngày từ chối;Trạng thái;Đơn vị xử lý",
  // Early: finished 04/11.
  `000.00.12.H42-261102-0001;1.010727;Cấp giấy phép môi trường;Môi trường;Trực tuyến;Nguyễn Văn An;02/11/2026 09:00;05/11/2026 09:00;04/11/2026 10:00;05/11/2026 08:00;;Đã trả kết quả;${AGENCY_A}`,
  // Late: due Fri 06/11 09:00, finished 12/11.
  `000.00.12.H42-261103-0002;1.010727;Cấp giấy phép môi trường;Môi trường;Trực tiếp;Trần Thị Bình;03/11/2026 09:00;06/11/2026 09:00;12/11/2026 10:00;;;9;${AGENCY_A}`,
  // Still in progress on 01/12, due Mon 09/11 09:00: overdue.
  `000.00.12.H42-261104-0003;1.010727;Cấp giấy phép môi trường;Môi trường;Trực tiếp;Lê Văn Cường;04/11/2026 09:00;09/11/2026 09:00;;;;Đang xử lý;${AGENCY_A}`,
  // Rejected at the desk.
  `000.00.12.H42-261105-0004;1.010727;Cấp giấy phép môi trường;Môi trường;Bưu chính;Phạm Thị Dung;05/11/2026 09:00;10/11/2026 09:00;;;05/11/2026 10:00;Không được tiếp nhận;${AGENCY_A}`,
].join("\r\n");

async function listEvents(): Promise<DossierEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), "dunghan-import-"));
  const path = join(dir, "ho-so.csv");
  await writeFile(path, `\uFEFF${LIST}\r\n`);
  const { events } = await eventsOfFile(path, CATALOGUE, new WorkingTime(CivilCalendar.default()));
  return events;
}

const start = async () => {
  harness = await Harness.start({ start: IMPORT_AT, directories: [directoryA, directoryB] });
  return harness;
};

/** Through POST /events, as a sender would: 10 events a request, drained. */
const through = (h: Harness) => ({
  apply: async (batch: readonly DossierEvent[]) => {
    const response = await h.ingest(batch.map((event) => dossierEventToJson(event)));
    expect(response.status).toBe(202);
  },
  agenda: h.tables.agenda,
});

describe("dunghan import: a past dossier list", () => {
  it("sends no past alert: after the import a sweep queues nothing", async () => {
    const h = await start();
    const events = await listEvents();

    const result = await backfill(through(h), events, h.clock.now());
    const sweep = await h.sweep();

    expect(result.dossiers).toBe(4);
    expect(result.historyAlerts).toBeGreaterThan(0);
    expect(sweep.queued).toBe(0);
    expect(h.notifyQueue.size).toBe(0);
    expect(h.eventsDlq.sent()).toHaveLength(0);
  });

  it("(control) the same events applied live, without the backfill, would send past alerts", async () => {
    const h = await start();
    const events = await listEvents();
    for (let i = 0; i < events.length; i += 10) {
      await h.ingest(events.slice(i, i + 10).map((event) => dossierEventToJson(event)));
    }

    const sweep = await h.sweep();

    expect(sweep.queued).toBeGreaterThan(0);
  });

  it("counts the imported dossiers in the report and in Biểu số 06", async () => {
    const h = await start();
    await backfill(through(h), await listEvents(), h.clock.now());

    const report = await h.api("GET /reports", {
      claims: leaderA,
      query: { from: "2026-11-01", to: "2026-11-30", by: "agency" },
    });

    expect(report.body.total).toMatchObject({
      receivedNew: 4,
      receivedOnline: 1,
      receivedInPerson: 2,
      receivedPostal: 1,
      resolved: 2,
      resolvedEarly: 1,
      resolvedLate: 1,
      rejected: 1,
      openAtEnd: 1,
      inProgressOverdue: 1,
    });
    await h.api("PUT /catalogue", { claims: adminA, body: [...CATALOGUE.procedures.values()] });
    const form = await h.api("GET /reports/bieu-06", {
      claims: leaderA,
      query: { from: "2026-11-01", to: "2026-11-30" },
    });
    expect(form.body.lines).toHaveLength(1);
    expect(form.body.lines[0]).toMatchObject({
      fieldName: "Môi trường",
      receivedTotal: 4,
      resolvedEarly: 1,
      resolvedLate: 1,
      inProgressOverdue: 1,
      closed: 1,
    });
  });
});
