import * as z from "zod";
import type { AgencyEntry, Directory } from "../alerts/index.ts";
import { parseWith } from "../parse.ts";

/**
 * The staff directory, one document per agency: its units and their leaders (what the alert plan
 * needs) and the people with their contacts (what the notify function needs), plus what an apology
 * letter prints for the agency. Stored in the table as entity `agency-directory`, edited through
 * `PUT /directory/{agencyId}` by the agency's admins, loaded once per invocation and cached
 * (DirectorySession). Contacts are checked when a message is sent, so one bad number fails that
 * message only (recorded on the alert), never the whole directory.
 */
const id = z.string().trim().min(1).max(100);

export const APOLOGY_APPROVER_POLICIES = ["unit-and-agency-leaders", "agency-leaders-only"] as const;
export type ApologyApproverPolicy = (typeof APOLOGY_APPROVER_POLICIES)[number];
const text = z.string().trim().min(1).max(300);
const contact = z.string().trim().min(1).max(254);

export const AgencyDirectorySchema = z.strictObject({
  agencyId: id,
  name: text,
  /** Used in SMS instead of the name, e.g. "UBND phuong Tan An". */
  shortName: text.optional(),
  /** Cơ quan chủ quản, printed above the agency on letters. */
  parentName: text.optional(),
  /** Place of issue on letters ("Tân An, ngày …"); defaults to the agency name. */
  placeName: text.optional(),
  /** Lãnh đạo cơ quan. */
  leaderIds: z.array(id).default([]),
  units: z.record(id, z.strictObject({ name: text, leaderIds: z.array(id).default([]) })).default({}),
  people: z
    .record(
      id,
      z.strictObject({
        name: text,
        title: text.optional(),
        /** Printed above the title when this person signs on behalf of the head, e.g. "KT. GIÁM ĐỐC". */
        signingAuthority: text.optional(),
        phone: contact.optional(),
        email: contact.optional(),
      }),
    )
    .default({}),
  /** Who signs apology letters (NĐ 61/2018 Art. 19(9): the head of the agency, or on their behalf). */
  signer: z.strictObject({ authority: text.optional(), title: text, name: text }).optional(),
  /**
   * Who may approve (and send) an apology draft: the leaders of the responsible unit and the
   * agency's leaders (default), or the agency's leaders only. The approving person signs.
   */
  apologyApprovers: z.enum(APOLOGY_APPROVER_POLICIES).optional(),
});
export type AgencyDirectory = z.output<typeof AgencyDirectorySchema>;
export type Person = AgencyDirectory["people"][string];

export function parseAgencyDirectory(input: unknown): AgencyDirectory {
  return parseWith(AgencyDirectorySchema, input, "invalid directory");
}

export interface DirectoryRepository {
  get(agencyId: string): Promise<AgencyDirectory | undefined>;
  /** Every agency's directory (one Query); how the digest and the calendar admin find the agencies. */
  list(): Promise<readonly AgencyDirectory[]>;
  put(directory: AgencyDirectory): Promise<void>;
}

/** The alert domain's view: ids only, no contacts. */
export function toDomainDirectory(directories: Iterable<AgencyDirectory>): Directory {
  const agencies: Record<string, AgencyEntry> = {};
  for (const directory of directories) {
    agencies[directory.agencyId] = {
      name: directory.name,
      leaderIds: directory.leaderIds,
      units: Object.fromEntries(
        Object.entries(directory.units).map(([unitId, unit]) => [
          unitId,
          { name: unit.name, leaderIds: unit.leaderIds },
        ]),
      ),
    };
  }
  return { agencies };
}

/** Directories read in one invocation: each agency at most once, then cached until the invocation ends. */
export class DirectorySession {
  readonly #repository: DirectoryRepository;
  readonly #loaded = new Map<string, Promise<AgencyDirectory | undefined>>();

  constructor(repository: DirectoryRepository) {
    this.#repository = repository;
  }

  get(agencyId: string): Promise<AgencyDirectory | undefined> {
    let found = this.#loaded.get(agencyId);
    if (found === undefined) {
      found = this.#repository.get(agencyId);
      this.#loaded.set(agencyId, found);
    }
    return found;
  }

  async domain(agencyIds: Iterable<string>): Promise<Directory> {
    const found = await Promise.all([...new Set(agencyIds)].map((agencyId) => this.get(agencyId)));
    return toDomainDirectory(found.filter((d): d is AgencyDirectory => d !== undefined));
  }

  async person(agencyId: string | undefined, personId: string | undefined): Promise<Person | undefined> {
    if (agencyId === undefined || personId === undefined) return undefined;
    return (await this.get(agencyId))?.people[personId];
  }
}
