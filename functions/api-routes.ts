/**
 * The HTTP API's routes, defined once. The CDK stack declares each on API Gateway with the
 * authorizer its `caller` names, the local runtime serves them, and `functions/api.ts` builds its
 * dispatch from the staff routes. Data only, importing nothing: cdk/ reads it without pulling in
 * handler code, and it never imports aws-cdk-lib (test/unit/architecture checks both).
 *
 * `caller` is who may call the route:
 * - "e-one-stop": the province's e-one-stop system, signing with IAM SigV4 (`ingest-api.ts`): it
 *   sends events and asks what became of one;
 * - "staff": a person signed in to the Cognito user pool (JWT authorizer; `api.ts`);
 * - "public": anyone — the applicant's lookup (`public-lookup.ts`), no authorizer, its own
 *   function with read-only access to dossiers, rate limited (docs/public-lookup.md).
 * - "sync-sender": a one-stop system pushing the national portal's sync payload as it already does
 *   for Cổng DVCQG (`sync-api.ts`). It can sign nothing, so API Gateway lets the request through
 *   and the function checks the sender's credential (shared/app/sync-senders.ts) before anything.
 * The authorizer only proves who the caller is: agency scoping (`custom:agencyId`) and group checks
 * (`cognito:groups`, GROUPS in shared/app/actor.ts) are the use cases' (functions/README.md lists
 * who may do what).
 */

export type HttpMethodName = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type Caller = "e-one-stop" | "staff" | "public" | "sync-sender";

export interface RouteSpec {
  readonly method: HttpMethodName;
  readonly path: string;
  readonly caller: Caller;
}

/** API Gateway's `routeKey` for a route ("GET /dossiers/{code}"), typed as the literal it is. */
export type RouteKey<R extends RouteSpec> = R extends {
  method: infer M extends string;
  path: infer P extends string;
}
  ? `${M} ${P}`
  : never;

export function routeKey<R extends RouteSpec>(route: R): RouteKey<R> {
  return `${route.method} ${route.path}` as RouteKey<R>;
}

/** The e-one-stop system sends events here. */
export const INGEST_ROUTE = {
  method: "POST",
  path: "/events",
  caller: "e-one-stop",
} as const satisfies RouteSpec;

/**
 * What became of one event the e-one-stop system sent (`?dossierCode=`): accepted, applied or
 * refused with its reason. The sender's question, so the sender's caller (IAM SigV4, the same
 * function as `POST /events`); the agency's admins see the refusals at `GET /rejections`.
 */
export const EVENT_STATUS_ROUTE = {
  method: "GET",
  path: "/events/{eventId}/status",
  caller: "e-one-stop",
} as const satisfies RouteSpec;

/** Every route of the e-one-stop system; all land in `functions/ingest-api.ts`. */
export const E_ONE_STOP_ROUTES = [INGEST_ROUTE, EVENT_STATUS_ROUTE] as const;

/** Every route a signed-in person calls; all land in `functions/api.ts`. */
export const HUMAN_ROUTES = [
  { method: "GET", path: "/dossiers", caller: "staff" },
  { method: "GET", path: "/dossiers/{code}", caller: "staff" },
  { method: "GET", path: "/apologies", caller: "staff" },
  { method: "GET", path: "/dossiers/{code}/apologies", caller: "staff" },
  { method: "POST", path: "/dossiers/{code}/apologies", caller: "staff" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}", caller: "staff" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}/letter", caller: "staff" },
  { method: "PATCH", path: "/dossiers/{code}/apologies/{draftId}", caller: "staff" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/approve", caller: "staff" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/send", caller: "staff" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/withdraw", caller: "staff" },
  { method: "POST", path: "/dossiers/{code}/apologies/{draftId}/reopen", caller: "staff" },
  { method: "GET", path: "/dossiers/{code}/apologies/{draftId}/appointment-options", caller: "staff" },
  { method: "GET", path: "/reports", caller: "staff" },
  { method: "GET", path: "/reports/bieu-06", caller: "staff" },
  { method: "GET", path: "/rejections", caller: "staff" },
  { method: "GET", path: "/calendar/{year}", caller: "staff" },
  { method: "PUT", path: "/calendar/{year}", caller: "staff" },
  { method: "GET", path: "/catalogue", caller: "staff" },
  { method: "PUT", path: "/catalogue", caller: "staff" },
  { method: "GET", path: "/sync/discrepancies", caller: "staff" },
  { method: "GET", path: "/directory/{agencyId}", caller: "staff" },
  { method: "PUT", path: "/directory/{agencyId}", caller: "staff" },
] as const satisfies readonly (RouteSpec & { readonly caller: "staff" })[];

export type StaffRouteKey = RouteKey<(typeof HUMAN_ROUTES)[number]>;

/**
 * The viewer's address as CloudFront saw it, set by the distribution's viewer-request function on
 * every `/api/*` request (cdk/dashboard-site.ts; it replaces any value the client sent). Behind
 * CloudFront, API Gateway's `sourceIp` is the edge's address, shared by every citizen it serves.
 */
export const VIEWER_ADDRESS_HEADER = "x-viewer-address";

/** Tra cứu hồ sơ: the applicant's own dossier by code and the phone's last four digits. */
export const PUBLIC_ROUTES = [
  { method: "POST", path: "/public/lookup", caller: "public" },
  { method: "POST", path: "/public/lookup/calendar", caller: "public" },
] as const satisfies readonly (RouteSpec & { readonly caller: "public" })[];

/**
 * The national sync payload's routes, one per envelope style: the service named in the body
 * (`DongBoHoSoMC`, `CapNhatTienDoHoSoMC`), and the create / update / progress URLs a sender
 * configures one by one. `sync` is the route name `sync-api.ts` hands the use case.
 */
export const SYNC_ROUTES = [
  { method: "POST", path: "/sync/dvcqg", caller: "sync-sender", sync: "service" },
  { method: "POST", path: "/sync/dvcqg/create", caller: "sync-sender", sync: "create" },
  { method: "POST", path: "/sync/dvcqg/update", caller: "sync-sender", sync: "update" },
  { method: "POST", path: "/sync/dvcqg/progress", caller: "sync-sender", sync: "progress" },
] as const satisfies readonly (RouteSpec & { readonly caller: "sync-sender"; readonly sync: string })[];

/**
 * OpenCPS's token request (`auth_endpoint`, beside its `integration_endpoint` on one adapter URL):
 * the sender's credential for a short-lived `session` (shared/app/sync-senders.ts).
 */
export const SYNC_TOKEN_ROUTE = {
  method: "POST",
  path: "/sync/dvcqg/token",
  caller: "sync-sender",
} as const satisfies RouteSpec;

/** The whole table, as API Gateway holds it. */
export const API_ROUTES: readonly RouteSpec[] = [
  ...E_ONE_STOP_ROUTES,
  ...HUMAN_ROUTES,
  ...PUBLIC_ROUTES,
  ...SYNC_ROUTES,
  SYNC_TOKEN_ROUTE,
];
