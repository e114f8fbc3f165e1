import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../shared/canonical-json.ts";
import {
  type DossierEventJson,
  DossierEventSchema,
  decide,
  dossierEventToJson,
  parseDossierEvent,
  parseStoredDossierEvent,
  sameEvent,
} from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { aReceivedEvent, aSupplementRequest } from "./builders.ts";

/**
 * Events stored before the edge rules tightened (text safety, NFC, names 500 instead of 2,000,
 * `documents` 50) must still load: `parseStoredDossierEvent` checks structure only and reads text
 * back as stored, while `parseDossierEvent` keeps refusing the same event from outside.
 */
type Wire = Record<string, unknown> & { applicant: Record<string, unknown>; agency: Record<string, unknown> };
const wire = (): Wire => structuredClone(dossierEventToJson(aReceivedEvent())) as Wire;

/** A received event as an older version stored it: a control character and a 600-character name. */
function olderReceived(): Wire {
  const event = wire();
  event.applicant.name = "Nguyễn\u0007Văn An";
  event.agency.name = `Ủy ban nhân dân ${"x".repeat(600)}`;
  return event;
}

describe("stored dossier events", () => {
  it("loads an event the edge now refuses, text byte-for-byte as stored", () => {
    const json = olderReceived();
    expect(() => parseDossierEvent(json)).toThrow(InvalidInputError);
    const event = parseStoredDossierEvent(json);
    expect(event.type === "received" && event.applicant.name).toBe("Nguyễn\u0007Văn An");
    expect(event.type === "received" && event.agency.name).toHaveLength(616);
    // Written back, it is the same JSON as stored: canonical forms and dedupe keys do not move.
    expect(canonicalJson(dossierEventToJson(event))).toBe(canonicalJson(json));
  });

  it.each([
    ["a bidi override", "An\u202eoM"],
    ["a lone surrogate", "An \ud83d"],
    ["untrimmed decomposed (NFD) text", " Nguye\u0302\u0303n Văn An "],
  ])("reads %s back unchanged", (_, name) => {
    const json = wire();
    json.applicant.name = name;
    const event = parseStoredDossierEvent(json);
    expect(event.type === "received" && event.applicant.name).toBe(name);
  });

  it("loads more than 50 documents", () => {
    const json = {
      ...(dossierEventToJson(aSupplementRequest()) as Record<string, unknown>),
      documents: Array.from({ length: 60 }, (_, i) => `Giấy ${i}`),
    };
    expect(DossierEventSchema.safeParse(json).success).toBe(false);
    const event = parseStoredDossierEvent(json);
    expect(event.type === "supplement-requested" && event.documents).toHaveLength(60);
  });

  it.each([
    ["an instant without offset", { occurredAt: "2026-11-16T09:00:00" }, /occurredAt/],
    ["an unknown type", { type: "archived" }, /type/],
    ["an unknown field", { colour: "red" }, /colour|unrecognized/i],
    [
      "a name that is not a string",
      { applicant: { name: 42, consent: { sms: false, email: false } } },
      /applicant\.name/,
    ],
    ["a malformed dossier code", { dossierCode: "x" }, /dossierCode: invalid dossier code/],
  ])("still refuses %s", (_, overrides, message) => {
    const json = { ...wire(), ...overrides };
    expect(() => parseStoredDossierEvent(json)).toThrow(InvalidInputError);
    expect(() => parseStoredDossierEvent(json)).toThrow(message);
  });

  it("gives the same event as the strict parse for what the edge accepts", () => {
    const json = dossierEventToJson(aReceivedEvent());
    expect(parseStoredDossierEvent(json)).toEqual(parseDossierEvent(json));
  });

  it("treats a replay in NFC of an event stored in NFD as the same event, not a conflict", () => {
    const json = wire();
    json.applicant.name = "Nguye\u0302\u0303n Văn An"; // stored before the edge normalised to NFC
    const stored = parseStoredDossierEvent(json);
    const replay = parseDossierEvent(json as DossierEventJson);
    expect(replay.type === "received" && replay.applicant.name).toBe("Nguyễn Văn An");
    expect(sameEvent(stored, replay)).toBe(true);
    expect(decide([stored], replay).outcome).toBe("duplicate");
    const other = wire();
    other.applicant.name = "Nguyễn Văn Bình";
    expect(sameEvent(stored, parseDossierEvent(other))).toBe(false);
  });
});
