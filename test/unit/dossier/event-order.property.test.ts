import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInstant } from "../../../shared/calendar/index.ts";
import { type DossierEvent, decide, describeDossier, foldDossier } from "../../../shared/dossier/index.ts";
import {
  anAcknowledgement,
  anApology,
  anAssignedEvent,
  aPause,
  aReceivedEvent,
  aRejection,
  aResultReady,
  aResume,
  aReturn,
  aStop,
  aSupplementReceipt,
  aSupplementRequest,
  aTransferredEvent,
  at,
  aWithdrawal,
  procedure,
  working,
} from "./builders.ts";

const MINUTE = 60_000;
const START = at("2026-11-16T08:00:00+07:00");

type Fact = "assigned" | "transferred" | "pause" | "supplement" | "apology" | "ack";
type Ending = "none" | "result" | "result+return" | "rejected" | "withdrawn" | "stopped";

/** A valid dossier stream in time order; gaps of 0 make ties, which the order must also settle. */
const validStream = fc
  .record({
    facts: fc.array(fc.constantFrom<Fact>("assigned", "transferred", "pause", "supplement", "ack"), {
      maxLength: 6,
    }),
    apology: fc.boolean(),
    ending: fc.constantFrom<Ending>("none", "result", "result+return", "rejected", "withdrawn", "stopped"),
    supplementPolicy: fc.constantFrom("restart" as const, "pause" as const),
    gaps: fc.array(fc.integer({ min: 0, max: 3 * 24 * 60 }), { minLength: 16, maxLength: 16 }),
  })
  .map(({ facts, apology, ending, supplementPolicy, gaps }) => {
    let t = START;
    let n = 0;
    const next = () => {
      t += (gaps[n % gaps.length] ?? 0) * MINUTE;
      return { id: `e${++n}`, occurredAt: formatInstant(t) };
    };
    const events: DossierEvent[] = [
      aReceivedEvent({
        id: "e0",
        occurredAt: formatInstant(START),
        procedure: procedure({ timeLimit: { amount: 5, unit: "working-days" }, supplementPolicy }),
      }),
    ];
    const sequence: Fact[] = apology ? [...facts.slice(0, 2), "apology", ...facts.slice(2)] : facts;
    for (const fact of sequence) {
      if (fact === "assigned") events.push(anAssignedEvent(next()));
      if (fact === "transferred") events.push(aTransferredEvent(next()));
      if (fact === "pause") events.push(aPause(next()), aResume(next()));
      if (fact === "supplement") events.push(aSupplementRequest(next()), aSupplementReceipt(next()));
      if (fact === "ack") events.push(anAcknowledgement(next()));
      if (fact === "apology") {
        const when = next();
        const newAppointment = formatInstant(at(when.occurredAt) + 7 * 24 * 60 * MINUTE);
        events.push(anApology({ ...when, newAppointment }));
      }
    }
    if (ending === "result" || ending === "result+return") events.push(aResultReady(next()));
    if (ending === "result+return") events.push(aReturn(next()));
    if (ending === "rejected") events.push(aRejection(next()));
    if (ending === "withdrawn") events.push(aWithdrawal(next()));
    if (ending === "stopped") events.push(aStop(next()));
    return events;
  });

/** A permutation of the stream with some events delivered twice. */
const deliveries = validStream.chain((events) =>
  fc.tuple(
    fc.constant(events),
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    fc.array(fc.tuple(fc.nat({ max: events.length - 1 }), fc.nat()), { maxLength: 4 }),
  ),
);

function withDuplicates(permuted: DossierEvent[], duplicates: [number, number][]): DossierEvent[] {
  const out = [...permuted];
  for (const [index, position] of duplicates) out.splice(position % (out.length + 1), 0, permuted[index]!);
  return out;
}

const NOW = at("2027-01-15T10:00:00+07:00");

describe("a dossier's state is a function of the set of its events", () => {
  it("any permutation of a valid stream, with duplicates, gives the same state", () => {
    fc.assert(
      fc.property(deliveries, ([events, permuted, duplicates]) => {
        const expected = describeDossier(foldDossier(events, working), NOW, working);
        const delivered = withDuplicates(permuted, duplicates);
        expect(describeDossier(foldDossier(delivered, working), NOW, working)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("the ingest decision accepts every such delivery, each event once", () => {
    fc.assert(
      fc.property(deliveries, ([events, permuted, duplicates]) => {
        const stored: DossierEvent[] = [];
        let duplicatesSeen = 0;
        for (const event of withDuplicates(permuted, duplicates)) {
          const { outcome } = decide(stored, event);
          if (outcome === "accepted") stored.push(event);
          else duplicatesSeen++;
        }
        expect(stored).toHaveLength(events.length);
        expect(duplicatesSeen).toBe(duplicates.length);
      }),
      { numRuns: 300 },
    );
  });
});
