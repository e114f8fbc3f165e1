/**
 * The HTTP API's routes. `POST /events` is the province's e-one-stop system (IAM SigV4); every
 * other route is a person signed in to the Cognito user pool and lands in `functions/api.ts`,
 * whose route table must hold the same method/path pairs (test/infra checks it). The JWT
 * authorizer only proves who the caller is: agency scoping (`custom:agencyId`) and group checks
 * (`cognito:groups`) are the handler's.
 */

export type HttpMethodName = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec {
  readonly method: HttpMethodName;
  readonly path: string;
}

/** Cognito groups (`cognito:groups` claim). */
export const USER_GROUPS = ["handler", "leader", "admin"] as const;
export type UserGroup = (typeof USER_GROUPS)[number];

export const INGEST_ROUTE = { method: "POST", path: "/events" } as const satisfies RouteSpec;

export const HUMAN_ROUTES: readonly RouteSpec[] = [
  { method: "GET", path: "/dossiers" },
  { method: "GET", path: "/dossiers/{code}" },
  { method: "GET", path: "/apologies" },
  { method: "GET", path: "/dossiers/{code}/apologies" },
  { method: "POST", path: "/dossiers/{code}/apologies" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}/letter" },
  { method: "PATCH", path: "/dossiers/{code}/apologies/{draftId}" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/approve" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/send" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/withdraw" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/reopen" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}/appointment-options" },
  { method: "GET", path: "/reports" },
  { method: "GET", path: "/calendar/{year}" },
  { method: "PUT", path: "/calendar/{year}" },
  { method: "GET", path: "/directory/{agencyId}" },
  { method: "PUT", path: "/directory/{agencyId}" },
];
