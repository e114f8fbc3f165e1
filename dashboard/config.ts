/**
 * `config.json`, read by the dashboard when it starts: the same script runs behind CloudFront
 * (written by the CDK stack, cdk/dashboard-site.ts) and on the local stack (served by
 * local/runtime/stack.ts); only this file differs.
 */
export interface DashboardConfig {
  /** Prefix of the API's routes: `/api` behind CloudFront (same origin), `` on the local stack. */
  readonly apiBaseUrl: string;
  readonly auth: OAuthConfig;
  /**
   * Local stack only: where the runtime's clock is read (`/health`), because it may run ahead of
   * the wall clock (`--clock`, `--speed`). Absent on AWS: the browser's clock is the time.
   */
  readonly clockUrl?: string;
}

/** An OAuth 2.0 authorization server with Cognito's endpoints (`/oauth2/authorize`, `/oauth2/token`, `/logout`). */
export interface OAuthConfig {
  /** Its base URL: the Cognito domain (`https://<prefix>.auth.<region>.amazoncognito.com`) or the local stack. */
  readonly domain: string;
  /** The AWS region of the user pool (`local` on the local stack). */
  readonly region: string;
  /** The public app client (no secret): PKCE protects the code instead. */
  readonly clientId: string;
  /** Registered with the client, exactly: the dashboard's own URL. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

export const DASHBOARD_SCOPES = ["openid", "email", "profile"] as const;

/** Checks a `config.json` field by field (the browser bundle carries no schema library). */
export function parseDashboardConfig(input: unknown): DashboardConfig {
  const config = record(input, "config.json");
  const auth = record(config.auth, "auth");
  const scopes = auth.scopes;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === "string")) {
    throw new Error("config.json: auth.scopes must be a list of strings");
  }
  const clockUrl = config.clockUrl;
  if (clockUrl !== undefined && typeof clockUrl !== "string") throw new Error("config.json: clockUrl");
  return {
    apiBaseUrl: text(config.apiBaseUrl, "apiBaseUrl", true),
    auth: {
      domain: text(auth.domain, "auth.domain").replace(/\/+$/, ""),
      region: text(auth.region, "auth.region"),
      clientId: text(auth.clientId, "auth.clientId"),
      redirectUri: text(auth.redirectUri, "auth.redirectUri"),
      scopes,
    },
    ...(clockUrl === undefined ? {} : { clockUrl }),
  };
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new Error(`config.json: ${name} must be an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, name: string, emptyAllowed = false): string {
  if (typeof value !== "string" || (!emptyAllowed && value === "")) {
    throw new Error(`config.json: ${name} must be a${emptyAllowed ? "" : " non-empty"} string`);
  }
  return value;
}
