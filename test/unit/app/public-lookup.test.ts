import { describe, expect, it } from "vitest";
import { PublicLookup, type PublicLookupLimits } from "../../../shared/app/public-lookup.ts";
import { InMemoryRateLimiter } from "../../../shared/app/rate-limit.ts";
import type { DossierEvent } from "../../../shared/dossier/index.ts";
import { NotFoundError, RateLimitedError } from "../../../shared/errors.ts";
import { builtInWorkingTime, foldedDossiers } from "../../support/folded-dossiers.ts";
import {
  anApology,
  aReceivedEvent,
  aResultReady,
  aSupplementRequest,
  at,
  CODE,
} from "../dossier/builders.ts";

const workingTime = builtInWorkingTime;
const repositoryOf = foldedDossiers;

function lookupWith(streams: DossierEvent[][], options: { now?: string; limits?: PublicLookupLimits } = {}) {
  const clock = { now: () => at(options.now ?? "2026-11-24T10:00:00+07:00") };
  const { repository, reads } = repositoryOf(...streams);
  const limiter = new InMemoryRateLimiter();
  const lookup = new PublicLookup({ dossiers: repository, workingTime, clock, limiter }, options.limits);
  return { lookup, reads, clock };
}

const received = () => aReceivedEvent({ id: "r1" });
const OTHER_CODE = "000.00.12.H42-261120-0002";

describe("public lookup: what the applicant sees", () => {
  it("answers the status, the appointment and its history with no personal data", async () => {
    const { lookup } = lookupWith([
      [received(), aSupplementRequest({ id: "s1", documents: ["Bản sao sổ đỏ"] })],
    ]);

    const view = await lookup.lookup({ code: CODE, phoneLast4: "5678", client: "203.0.113.9" });

    expect(view).toMatchObject({
      dossierCode: CODE,
      status: "cho-bo-sung",
      statusLabel: "Chờ bổ sung hồ sơ",
      agencyName: "Sở Nông nghiệp và Môi trường",
      supplement: { reason: "Thiếu bản sao giấy chứng nhận", documents: ["Bản sao sổ đỏ"] },
      apology: null,
    });
    expect(view.appointments.map((a) => a.kind)).toEqual(["receipt"]);
    const text = JSON.stringify(view);
    for (const personal of [
      "Nguyễn Văn An",
      "0912345678",
      "5678",
      "an.nguyen@example.vn",
      "Trần Thị Lan",
      "cb-lan",
    ])
      expect(text).not.toContain(personal);
  });

  it("shows the apology's reason and new date, and the appointment it moved", async () => {
    const { lookup } = lookupWith([[received(), anApology({ id: "a1", letterNumber: "12/XL-SNNMT" })]], {
      now: "2026-11-26T10:00:00+07:00",
    });

    const view = await lookup.lookup({ code: CODE, phoneLast4: "5678", client: "c" });

    expect(view.apology).toEqual({
      issuedAt: "2026-11-25T09:00:00+07:00",
      letterNumber: "12/XL-SNNMT",
      reason: "Chờ ý kiến cơ quan thuế",
      responsibleUnit: "Phòng Quản lý đất đai",
      newAppointment: "2026-12-02T09:00:00+07:00",
    });
    expect(view.appointment).toBe("2026-12-02T09:00:00+07:00");
    expect(view.appointments.map((a) => [a.kind, a.label])).toEqual([
      ["receipt", "Ngày hẹn trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả"],
      ["apology", "Hẹn lại kèm Thư xin lỗi"],
    ]);
  });

  it("says the result is ready once it is", async () => {
    const { lookup } = lookupWith([[received(), aResultReady({ id: "x" })]], {
      now: "2026-11-26T10:00:00+07:00",
    });
    const view = await lookup.lookup({ code: CODE, phoneLast4: "5678", client: "c" });
    expect([view.status, view.finishedAt]).toEqual(["co-ket-qua", "2026-11-25T15:00:00+07:00"]);
  });
});

describe("public lookup: no enumeration", () => {
  it("gives a wrong code, a wrong phone and a dossier without a phone the same error after one read each", async () => {
    const noPhone = aReceivedEvent({
      id: "r2",
      dossierCode: OTHER_CODE,
      applicant: { name: "Trần B", honorific: "Ông", consent: { sms: false, email: false } },
    });
    const { lookup, reads } = lookupWith([[received()], [noPhone]]);

    const errors = await Promise.all(
      [
        { code: "000.00.12.H42-261120-9999", phoneLast4: "5678" },
        { code: CODE, phoneLast4: "5679" },
        { code: OTHER_CODE, phoneLast4: "0000" },
      ].map((q) => lookup.lookup({ ...q, client: "c" }).catch((error: unknown) => error)),
    );

    for (const error of errors) {
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({
        message: "no dossier matches this code and phone number",
        details: undefined,
      });
    }
    expect(reads).toEqual(["000.00.12.H42-261120-9999", CODE, OTHER_CODE]);
  });

  it("finds a code typed in small letters as printed", async () => {
    const { lookup } = lookupWith([[received()]]);
    const view = await lookup.lookup({ code: CODE.toLowerCase(), phoneLast4: "5678", client: "c" });
    expect(view.dossierCode).toBe(CODE);
  });

  it("refuses a malformed code or last-four before reading anything", async () => {
    const { lookup, reads } = lookupWith([[received()]]);
    await expect(lookup.lookup({ code: "../etc", phoneLast4: "5678", client: "c" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(lookup.lookup({ code: CODE, phoneLast4: "567", client: "c" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    expect(reads).toEqual([]);
  });
});

describe("public lookup: limits", () => {
  const limits: PublicLookupLimits = {
    perClient: { limit: 3, windowMs: 600_000 },
    failuresPerCode: { limit: 2, windowMs: 3_600_000 },
  };

  it("refuses a client's fourth lookup in the window, and lets it in the next window", async () => {
    const { lookup, clock } = lookupWith([[received()]], { limits });
    const ask = () => lookup.lookup({ code: CODE, phoneLast4: "5678", client: "198.51.100.7" });
    await ask();
    await ask();
    await ask();
    const refused = await ask().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).details).toEqual({ retryAfterSeconds: 600 });
    // Another client is not affected.
    await expect(lookup.lookup({ code: CODE, phoneLast4: "5678", client: "other" })).resolves.toBeDefined();
    const later = { now: () => clock.now() + 600_000 };
    const next = new PublicLookup(
      {
        dossiers: repositoryOf([received()]).repository,
        workingTime,
        clock: later,
        limiter: new InMemoryRateLimiter(),
      },
      limits,
    );
    await expect(
      next.lookup({ code: CODE, phoneLast4: "5678", client: "198.51.100.7" }),
    ).resolves.toMatchObject({
      dossierCode: CODE,
    });
  });

  it("locks a code after its failures from any client, even for the right phone, and not a code nobody missed", async () => {
    const { lookup } = lookupWith([[received()]], { limits });
    for (const client of ["a", "b"])
      await expect(lookup.lookup({ code: CODE, phoneLast4: "0000", client })).rejects.toBeInstanceOf(
        NotFoundError,
      );

    const right = await lookup
      .lookup({ code: CODE, phoneLast4: "5678", client: "c" })
      .catch((e: unknown) => e);
    expect(right).toBeInstanceOf(RateLimitedError);
    // A code that does not exist locks the same way (nothing tells the two apart).
    for (const client of ["a", "b"])
      await lookup.lookup({ code: OTHER_CODE, phoneLast4: "0000", client }).catch(() => undefined);
    await expect(lookup.lookup({ code: OTHER_CODE, phoneLast4: "0000", client: "d" })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });
});

describe("public lookup: calendar file", () => {
  it("puts the current appointment in an .ics named after the dossier", async () => {
    const { lookup } = lookupWith([[received(), anApology({ id: "a1" })]], {
      now: "2026-11-26T10:00:00+07:00",
    });
    const file = await lookup.calendar({ code: CODE, phoneLast4: "5678", client: "c" });
    expect(file.filename).toBe(`hen-tra-${CODE}.ics`);
    expect(file.body).toContain("\r\nDTSTART:20261202T020000Z\r\n");
    expect(file.body).toContain(`\r\nUID:${CODE}-v2@dunghan\r\n`);
  });
});
