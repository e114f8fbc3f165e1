import type { Dossier } from "../dossier/index.ts";
import { DomainError, NotFoundError } from "../errors.ts";
import type { AgencyDirectory } from "./directory.ts";

/**
 * The Cognito groups (`cognito:groups` claim), defined once: the CDK stack creates one user-pool
 * group each, in this order of rising precedence (admin wins over leader over handler), and
 * functions/request.ts keeps only these from a token.
 */
export const GROUPS = ["handler", "leader", "admin"] as const;
export type Group = (typeof GROUPS)[number];

/**
 * A signed-in person, from the Cognito JWT the HTTP API authorizer verified: `custom:agencyId`
 * scopes every read and write to one agency; `cognito:groups` holds handler, leader or admin.
 */
export interface Actor {
  /** The token's subject. */
  readonly userId: string;
  /** Shown on the apology workflow ("approved by"): the name claim, else the user name. */
  readonly name: string;
  readonly agencyId: string;
  readonly groups: readonly Group[];
  /**
   * The person's id in the staff directory and the events (`custom:staffId`, e.g. "tp-tuan"):
   * what unit and agency `leaderIds` hold. Undefined when the token has none.
   */
  readonly staffId?: string | undefined;
}

/**
 * What a person reads: the whole agency (admins, handlers, the agency's leaders), or only what
 * concerns the units they lead (a unit leader): dossiers their unit holds or made late, and
 * apology drafts their unit is responsible for. A leader the directory does not list leads no unit.
 */
export type ReadScope =
  | { readonly kind: "agency" }
  | { readonly kind: "units"; readonly unitIds: ReadonlySet<string> };

export function readScope(actor: Actor, directory: AgencyDirectory | undefined): ReadScope {
  if (actor.groups.includes("admin") || !actor.groups.includes("leader")) return { kind: "agency" };
  const staffId = actor.staffId;
  if (staffId === undefined || directory === undefined) return { kind: "units", unitIds: new Set() };
  if (directory.leaderIds.includes(staffId)) return { kind: "agency" };
  const unitIds = Object.entries(directory.units)
    .filter(([, unit]) => unit.leaderIds.includes(staffId))
    .map(([unitId]) => unitId);
  return { kind: "units", unitIds: new Set(unitIds) };
}

/** Whether any of the unit ids is in scope (always, for the agency scope). */
export function inScope(scope: ReadScope, unitIds: Iterable<string | undefined>): boolean {
  if (scope.kind === "agency") return true;
  for (const id of unitIds) if (id !== undefined && scope.unitIds.has(id)) return true;
  return false;
}

/** No valid identity on the request (the authorizer should have stopped it). */
export class UnauthenticatedError extends DomainError {
  override readonly name: string = "UnauthenticatedError";
  readonly code = "UNAUTHENTICATED";
}

/** The actor is known but may not do this (a handler approving an apology). */
export class ForbiddenError extends DomainError {
  override readonly name: string = "ForbiddenError";
  readonly code = "FORBIDDEN";
}

export function requireGroup(actor: Actor, ...allowed: readonly Group[]): void {
  if (!allowed.some((group) => actor.groups.includes(group))) {
    throw new ForbiddenError(`this action needs one of the groups: ${allowed.join(", ")}`, {
      required: [...allowed],
    });
  }
}

/** The agencies that may see a dossier: the receiving one and every one a step sent it to (liên thông). */
export function agenciesOf(dossier: Dossier): Set<string> {
  const agencies = new Set([dossier.received.agency.id, dossier.current.agency.id]);
  for (const step of dossier.steps) agencies.add(step.assignment.agency.id);
  return agencies;
}

/**
 * Another agency's dossier is reported as not found, not forbidden: a 403 would tell the caller
 * that the code exists.
 */
export function assertVisible(actor: Actor, code: string, dossier: Dossier | null | undefined): Dossier {
  if (dossier === null || dossier === undefined || !agenciesOf(dossier).has(actor.agencyId)) {
    throw new NotFoundError(`dossier ${code} not found`, { dossierCode: code });
  }
  return dossier;
}
