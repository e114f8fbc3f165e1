import * as z from "zod";
import type { Assignment } from "../dossier/index.ts";
import { parseWith } from "../parse.ts";
import type { RecipientRole } from "./alert.ts";

/**
 * Who leads what: agency → units → leader ids, and the agency's leaders. Alerts carry these ids;
 * the notify layer looks up their contacts. Ids only — no phone numbers or e-mails here.
 */
export interface Directory {
  agencies: Readonly<Record<string, AgencyEntry>>;
}

export interface AgencyEntry {
  name?: string;
  /** Lãnh đạo cơ quan (giám đốc, phó giám đốc). */
  leaderIds: readonly string[];
  units: Readonly<Record<string, UnitEntry>>;
}

export interface UnitEntry {
  name?: string;
  /** Lãnh đạo phòng / đơn vị. */
  leaderIds: readonly string[];
}

export const EMPTY_DIRECTORY: Directory = { agencies: {} };

const ids = z.array(z.string().trim().min(1)).default([]);
export const DirectorySchema = z.strictObject({
  agencies: z.record(
    z.string().min(1),
    z.strictObject({
      name: z.string().optional(),
      leaderIds: ids,
      units: z
        .record(z.string().min(1), z.strictObject({ name: z.string().optional(), leaderIds: ids }))
        .default({}),
    }),
  ),
});

export function parseDirectory(input: unknown): Directory {
  return parseWith(DirectorySchema, input, "invalid directory");
}

/** A person or, when the directory does not know them, the role in a unit or agency. */
export interface Recipient {
  role: RecipientRole;
  id?: string | undefined;
  agencyId?: string | undefined;
  unitId?: string | undefined;
}

/**
 * The recipients of a role for a dossier's holder. A step without a handler (a transfer to an
 * agency) warns the unit's leaders instead; an unknown leader is returned without an id, for the
 * notify layer to report rather than to drop silently.
 */
export function recipientsFor(
  role: RecipientRole,
  assignment: Assignment,
  directory: Directory,
): Recipient[] {
  const agencyId = assignment.agency.id;
  const unitId = assignment.unit?.id;
  switch (role) {
    case "citizen":
      return [{ role }];
    case "handler":
      if (assignment.handler) return [{ role, id: assignment.handler.id, agencyId, unitId }];
      return unitId === undefined
        ? recipientsFor("agency-leader", assignment, directory)
        : recipientsFor("unit-leader", assignment, directory);
    case "unit-leader": {
      if (unitId === undefined) return recipientsFor("agency-leader", assignment, directory);
      const leaders = directory.agencies[agencyId]?.units[unitId]?.leaderIds ?? [];
      if (leaders.length === 0) return [{ role, id: undefined, agencyId, unitId }];
      return leaders.map((id) => ({ role, id, agencyId, unitId }));
    }
    case "agency-leader": {
      const leaders = directory.agencies[agencyId]?.leaderIds ?? [];
      if (leaders.length === 0) return [{ role, id: undefined, agencyId, unitId: undefined }];
      return leaders.map((id) => ({ role, id, agencyId, unitId: undefined }));
    }
  }
}

/** The recipient part of a dedupe key. The handler role is keyed by role only: a reassignment does not resend. */
export function recipientKey(recipient: Recipient): string {
  if (recipient.role === "handler" || recipient.role === "citizen") return recipient.role;
  if (recipient.id !== undefined) return `${recipient.role}:${recipient.id}`;
  return `${recipient.role}@${recipient.agencyId ?? "?"}${recipient.unitId === undefined ? "" : `/${recipient.unitId}`}`;
}
