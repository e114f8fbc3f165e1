import type { OAuthConfig } from "../config.ts";

/**
 * The Authorization Code grant with PKCE (RFC 6749 §4.1, RFC 7636) as a public client runs it in
 * the browser, against Cognito's managed login on AWS and the local stack's stand-in. Only Web
 * APIs (crypto.getRandomValues, crypto.subtle, btoa/atob): the same code runs in Node for tests.
 */

/** What the dashboard keeps between leaving for the sign-in page and coming back. */
export interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** Epoch ms (browser clock): a sign-in that bounces straight back is not retried in a loop. */
  readonly startedAt: number;
}

export interface Tokens {
  readonly idToken: string;
  /** Epoch ms on the browser's clock: `expires_in` counted from receipt (the server's clock may differ). */
  readonly expiresAt: number;
}

export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes, base64url: 43 characters, the shortest code_verifier RFC 7636 §4.1 allows. */
export function randomToken(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** code_challenge = BASE64URL(SHA256(ASCII(code_verifier))) — RFC 7636 §4.2, method S256. */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function newPendingSignIn(now: number): PendingSignIn {
  return { state: randomToken(), verifier: randomToken(), startedAt: now };
}

export async function authorizeUrl(auth: OAuthConfig, pending: PendingSignIn): Promise<string> {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: auth.scopes.join(" "),
    state: pending.state,
    code_challenge: await s256(pending.verifier),
    code_challenge_method: "S256",
  });
  return `${auth.domain}/oauth2/authorize?${query}`;
}

export function tokenRequest(auth: OAuthConfig, code: string, pending: PendingSignIn): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: auth.clientId,
      code,
      redirect_uri: auth.redirectUri,
      code_verifier: pending.verifier,
    }).toString(),
  };
}

/** The ID token of a token response: the API reads `custom:agencyId` and `cognito:groups` from it. */
export function readTokenResponse(body: unknown, now: number): Tokens {
  const response = body as { id_token?: unknown; expires_in?: unknown } | null;
  if (typeof response?.id_token !== "string" || typeof response.expires_in !== "number") {
    throw new Error("token response without id_token and expires_in");
  }
  return { idToken: response.id_token, expiresAt: now + response.expires_in * 1000 };
}

/** Cognito's logout endpoint ends its session and comes back to `logout_uri`. */
export function logoutUrl(auth: OAuthConfig): string {
  const query = new URLSearchParams({ client_id: auth.clientId, logout_uri: auth.redirectUri });
  return `${auth.domain}/logout?${query}`;
}

/**
 * A JWT's claims, unverified: the dashboard only shows who signed in and picks its view; the API
 * (API Gateway's JWT authorizer) is what checks the signature.
 */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1];
  if (!payload) throw new Error("not a JWT");
  const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}
