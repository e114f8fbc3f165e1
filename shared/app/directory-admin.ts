import { InvalidInputError, NotFoundError } from "../errors.ts";
import { type Actor, ForbiddenError, requireGroup } from "./actor.ts";
import { type AgencyDirectory, type DirectoryRepository, parseAgencyDirectory } from "./directory.ts";

/** `GET`/`PUT /directory/{agencyId}`: an agency's admins keep its units, leaders and contacts. */
export class DirectoryAdmin {
  readonly #directories: DirectoryRepository;

  constructor(ports: { readonly directories: DirectoryRepository }) {
    this.#directories = ports.directories;
  }

  async get(actor: Actor, agencyId: string): Promise<AgencyDirectory> {
    this.#assertAdminOf(actor, agencyId);
    const directory = await this.#directories.get(agencyId);
    if (directory === undefined) throw new NotFoundError(`no directory for agency ${agencyId}`, { agencyId });
    return directory;
  }

  async put(actor: Actor, agencyId: string, body: unknown): Promise<AgencyDirectory> {
    this.#assertAdminOf(actor, agencyId);
    const withId =
      body !== null && typeof body === "object" && !Array.isArray(body) ? { agencyId, ...body } : body;
    const directory = parseAgencyDirectory(withId);
    if (directory.agencyId !== agencyId) {
      throw new InvalidInputError("the directory names another agency than the path", { agencyId });
    }
    await this.#directories.put(directory);
    return directory;
  }

  #assertAdminOf(actor: Actor, agencyId: string): void {
    requireGroup(actor, "admin");
    if (actor.agencyId !== agencyId) {
      throw new ForbiddenError("an admin edits the directory of their own agency only", { agencyId });
    }
  }
}
