import { afterEach, describe, expect, it } from "vitest";
import type { DossierListPage, DossierView } from "../../shared/app/api-types.ts";
import { aDossierCode, directorA, directoryA, handlerA, received } from "./support/builders.ts";
import { Harness } from "./support/harness.ts";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** Received Monday 16/11 08:00 with one working day, then assigned with a step due the same day 11:00. */
async function oneDossier(h: Harness) {
  const code = aDossierCode();
  await h.ingest(received(code, { at: "2026-11-16T08:00:00+07:00", limit: 1 }));
  await h.ingest({
    id: `${code}#assigned`,
    type: "assigned",
    dossierCode: code,
    occurredAt: "2026-11-16T09:00:00+07:00",
    handler: { id: "cv-hoa", name: "Phạm Thu Hoa" },
    unit: { id: "phong-mt", name: "Phòng Môi trường" },
    task: "Thẩm định hồ sơ",
    dueAt: "2026-11-16T11:00:00+07:00",
  });
  return code;
}

const mine = async (h: Harness) =>
  ((await h.api("GET /dossiers", { claims: handlerA, query: { mine: "1" } })).body as DossierListPage)
    .items[0]!;
const view = async (h: Harness, code: string) =>
  (await h.api("GET /dossiers/{code}", { claims: directorA, path: { code } })).body as DossierView;

// Ingesting through the queue takes seconds on a loaded machine.
describe("the time left in days and hours, and the next step", { timeout: 90_000 }, () => {
  it("gives the handler's row the open step's task and due instant, and the time left in words", async () => {
    harness = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    const code = await oneDossier(harness);

    const row = await mine(harness);

    expect(row.dossierCode).toBe(code);
    expect(row.summary.stepTask).toBe("Thẩm định hồ sơ");
    expect(row.summary.stepDueAt).toBe("2026-11-16T11:00:00+07:00");
    expect(row.dueAt).toBe("2026-11-17T08:00:00+07:00");
    expect(row.timeLeft).toBe(`còn ${Math.floor(row.remainingOfficeMs! / 3_600_000)} giờ`);
    expect((await view(harness, code)).timeLeft).toBe(row.timeLeft);
  });

  it("reads a dossier one millisecond late as under an hour overdue, and a day later in days and hours", async () => {
    harness = await Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] });
    const code = await oneDossier(harness);

    harness.clock.set("2026-11-17T08:00:00.001+07:00");
    const justLate = await mine(harness);
    harness.clock.set("2026-11-18T10:30:00+07:00");
    const dayLater = await mine(harness);

    expect(justLate.timeliness).toBe("qua-han");
    expect(justLate.timeLeft).toBe("quá hạn dưới 1 giờ");
    expect(dayLater.timeLeft).toMatch(/^quá hạn 1 ngày( \d giờ)?$/);
    expect((await view(harness, code)).timeLeft).toBe(dayLater.timeLeft);
  });
});
