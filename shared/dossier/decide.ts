import { formatInstant } from "../calendar/index.ts";
import { ConflictError, InvalidInputError } from "../errors.ts";
import { type DossierEvent, type DossierEventType, sameEvent } from "./events.ts";
import { type LegalBasis, legalBasisFor } from "./legal-basis.ts";

export type Decision = { outcome: "accepted" } | { outcome: "duplicate" };

/**
 * The ingest path's decision for one incoming event against the events already stored for its
 * dossier. Replaying an event is a no-op ("duplicate"); the same id with other content is a
 * ConflictError. Otherwise the event is accepted when the set of events with it stays valid —
 * a rule about the set, not about arrival order, so a shuffled stream of a valid dossier is
 * always accepted whole (`assertValidEventSet`).
 */
export function decide(existing: readonly DossierEvent[], incoming: DossierEvent): Decision {
  const code = existing[0]?.dossierCode;
  if (code !== undefined && incoming.dossierCode !== code) {
    throw new InvalidInputError(`event ${incoming.id} is for dossier ${incoming.dossierCode}, not ${code}`, {
      eventId: incoming.id,
    });
  }
  const same = existing.find((event) => event.id === incoming.id);
  if (same) {
    if (sameEvent(same, incoming)) return { outcome: "duplicate" };
    throw new ConflictError(`event ${incoming.id} was already recorded with other content`, {
      eventId: incoming.id,
      dossierCode: incoming.dossierCode,
    });
  }
  assertValidEventSet([...existing, incoming], incoming);
  return { outcome: "accepted" };
}

/** Facts a dossier has at most once; the citation follows the dossier's receipt date (legal-basis.ts). */
const ONCE: Partial<Record<DossierEventType, string | ((basis: LegalBasis) => string)>> = {
  received: "the dossier was already received",
  // NĐ 61/2018 Art. 19(9) (NĐ 118/2025 from 01/07/2025): an apology moves the appointment "không quá một lần".
  "apology-issued": (basis) =>
    `an apology was already issued; ${basis.apologyCitation} allows one per dossier`,
  "result-ready": "the result is already ready",
  returned: "the result was already returned",
};
const CLOSURES: readonly DossierEventType[] = ["rejected", "withdrawn", "stopped"];
/** May be recorded after the dossier is finished or closed. */
const AFTER_END: readonly DossierEventType[] = ["returned", "alert-acknowledged"];

/**
 * Checks the rules a dossier's events must obey whatever order they arrive in. Throws for the
 * first rule broken, naming `blame` (the incoming event) when it is involved. Messages carry event
 * ids, types and instants only — never applicant data.
 */
export function assertValidEventSet(events: readonly DossierEvent[], blame?: DossierEvent): void {
  const byId = new Map<string, DossierEvent>();
  const code = events[0]?.dossierCode;
  for (const event of events) {
    if (event.dossierCode !== code) {
      throw new InvalidInputError(`event ${event.id} is for dossier ${event.dossierCode}, not ${code}`);
    }
    const seen = byId.get(event.id);
    if (seen && !sameEvent(seen, event)) {
      throw new ConflictError(`event ${event.id} was recorded twice with different content`, {
        eventId: event.id,
      });
    }
    byId.set(event.id, event);
  }
  const unique = [...byId.values()];
  const pick = (predicate: (event: DossierEvent) => boolean) => {
    const found = unique.filter(predicate);
    // Report the incoming event rather than the one stored first.
    if (blame) found.sort((a, b) => Number(a.id === blame.id) - Number(b.id === blame.id));
    return found;
  };

  for (const [type, rule] of Object.entries(ONCE)) {
    const found = pick((event) => event.type === type);
    if (found.length > 1) {
      const other = found[found.length - 1]!;
      const message = typeof rule === "function" ? rule(basisOf(unique)) : rule;
      throw new ConflictError(
        `dossier ${code}: ${message} (event ${found[0]!.id}); ${type} ${other.id} refused`,
        {
          eventId: other.id,
          rule: `once:${type}`,
        },
      );
    }
  }
  const closures = pick((event) => CLOSURES.includes(event.type));
  if (closures.length > 1) {
    const other = closures[closures.length - 1]!;
    throw new ConflictError(
      `dossier ${code} is already ${closures[0]!.type} (event ${closures[0]!.id}); ${other.type} ${other.id} refused`,
      {
        eventId: other.id,
        rule: "once:closure",
      },
    );
  }

  const received = unique.find((event) => event.type === "received");
  if (received) {
    const early = pick((event) => event.occurredAt < earliestOf(received));
    if (early.length > 0) {
      const event = early[early.length - 1]!;
      throw new InvalidInputError(
        `event ${event.id} (${event.type}) at ${formatInstant(event.occurredAt)} is before the dossier was received at ${formatInstant(earliestOf(received))}`,
        { eventId: event.id, rule: "after-received" },
      );
    }
  }

  const ends = [
    ...unique.filter((event) => CLOSURES.includes(event.type)),
    ...unique.filter((event) => event.type === "result-ready"),
  ];
  if (ends.length > 1) {
    throw new ConflictError(
      `dossier ${code} cannot be both ${ends.map((event) => event.type).join(" and ")}`,
      {
        eventId: blame?.id ?? ends[1]!.id,
        rule: "one-ending",
      },
    );
  }
  const end = ends[0] ?? unique.find((event) => event.type === "returned");
  if (end) {
    const late = pick((event) => event.occurredAt > end.occurredAt && !AFTER_END.includes(event.type));
    if (late.length > 0) {
      const event = late[late.length - 1]!;
      throw new ConflictError(
        `event ${event.id} (${event.type}) at ${formatInstant(event.occurredAt)} comes after the dossier ended (${end.type} at ${formatInstant(end.occurredAt)})`,
        { eventId: event.id, rule: "nothing-after-end" },
      );
    }
  }
  const resultReady = unique.find((event) => event.type === "result-ready");
  const returned = unique.find((event) => event.type === "returned");
  if (resultReady && returned && returned.occurredAt < resultReady.occurredAt) {
    throw new InvalidInputError(`dossier ${code}: the result was returned before it was ready`, {
      eventId: blame?.id ?? returned.id,
      rule: "returned-after-ready",
    });
  }
}

/** The rules of the dossier's receipt date (the reception's, else the earliest event's). */
function basisOf(events: readonly DossierEvent[]): LegalBasis {
  const received = events.find((event) => event.type === "received");
  if (received?.type === "received") return legalBasisFor(received.receivedAt);
  return legalBasisFor(Math.min(...events.map((event) => event.occurredAt)));
}

function earliestOf(received: Extract<DossierEvent, { type: "received" }>): number {
  return Math.min(received.occurredAt, received.receivedAt);
}
