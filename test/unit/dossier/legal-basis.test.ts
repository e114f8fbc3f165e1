import { describe, expect, it } from "vitest";
import { parseInstant } from "../../../shared/calendar/index.ts";
import { foldDossier, LEGAL_BASES, legalBasisFor } from "../../../shared/dossier/index.ts";
import { anApology, aReceivedEvent, working } from "./builders.ts";

describe("legalBasisFor: the one-stop rules of a dossier's receipt date", () => {
  it("is NĐ 61/2018 + TT 01/2018 until 30/06/2025 and NĐ 118/2025 + TT 03/2025 from 01/07/2025 (local date)", () => {
    const basis = (instant: string) => legalBasisFor(parseInstant(instant));
    expect(basis("2025-06-30T23:59:00+07:00")).toMatchObject({
      decree: "NĐ 61/2018/NĐ-CP",
      circular: "TT 01/2018/TT-VPCP",
      apologyCitation: "NĐ 61/2018 Art. 19(9)",
    });
    // 30/06 17:30 UTC is already 01/07 00:30 in Vietnam.
    expect(basis("2025-06-30T17:30:00Z").decree).toBe("NĐ 118/2025/NĐ-CP");
    expect(basis("2025-08-26T09:00:00+07:00")).toMatchObject({
      decree: "NĐ 118/2025/NĐ-CP",
      circular: "TT 03/2025/TT-VPCP",
      apologyCitation: "NĐ 118/2025",
    });
    expect(basis("2019-01-07T09:00:00+07:00").decree).toBe("NĐ 61/2018/NĐ-CP");
  });

  it("is data: consecutive periods, each with its source", () => {
    for (const [i, basis] of LEGAL_BASES.entries()) {
      expect(basis.source).toMatch(/Nghị định/);
      const next = LEGAL_BASES[i + 1];
      if (next) expect(basis.until! < next.since).toBe(true);
      else expect(basis.until).toBeNull();
    }
  });

  it("words the fold's note on an ignored second apology by the receipt date", () => {
    const events = (receivedAt: string) => [
      aReceivedEvent({ occurredAt: receivedAt }),
      anApology({ occurredAt: "2025-08-29T09:00:00+07:00", newAppointment: "2025-09-05T09:00:00+07:00" }),
      anApology({
        id: "apology-2",
        occurredAt: "2025-08-29T10:00:00+07:00",
        newAppointment: "2025-09-08T09:00:00+07:00",
      }),
    ];
    const notes = (receivedAt: string) => foldDossier(events(receivedAt), working).anomalies.join("\n");
    expect(notes("2025-08-26T09:00:00+07:00")).toMatch(
      /second apology is ignored \(NĐ 118\/2025: once only\)/,
    );
    expect(notes("2025-06-26T09:00:00+07:00")).toMatch(/\(NĐ 61\/2018 Art\. 19\(9\): once only\)/);
  });
});
