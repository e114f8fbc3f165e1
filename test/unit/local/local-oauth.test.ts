import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_SCOPES, type OAuthConfig } from "../../../dashboard/config.ts";
import {
  authorizeUrl,
  jwtClaims,
  logoutUrl,
  newPendingSignIn,
  type PendingSignIn,
  readTokenResponse,
  s256,
  tokenRequest,
} from "../../../dashboard/web/oauth.ts";
import { LOCAL_CLIENT_ID, LocalAuth } from "../../../local/runtime/local-auth.ts";
import { createOAuthRoutes, LocalOAuth } from "../../../local/runtime/local-oauth.ts";

/**
 * The local OAuth 2.0 endpoints over HTTP, driven by the dashboard's own PKCE code
 * (dashboard/web/oauth.ts): what the browser does on the local stack and against Cognito.
 */
const REDIRECT = "http://127.0.0.1:3000/dashboard/";
const ACCOUNTS = [
  {
    id: "gd-trung",
    name: "Nguyễn Quốc Trung",
    role: "leader" as const,
    agencyId: "ttpvhcc-tinh",
    agencyName: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
  },
  { id: "cv-khang", name: "Đỗ Minh Khang", role: "handler" as const, agencyId: "ttpvhcc-tinh" },
];

let server: Server;
let base: string;
let wallClock = Date.parse("2026-11-23T01:00:00Z");
const auth = new LocalAuth(ACCOUNTS, () => Date.parse("2026-11-23T01:00:00Z"));
let config: OAuthConfig;

beforeAll(async () => {
  const oauth = new LocalOAuth(auth, {
    clientId: LOCAL_CLIENT_ID,
    redirectUris: () => [REDIRECT],
    now: () => wallClock,
  });
  const routes = createOAuthRoutes(oauth);
  server = createServer((req, res) => {
    routes(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = {
    domain: base,
    region: "local",
    clientId: LOCAL_CLIENT_ID,
    redirectUri: REDIRECT,
    scopes: [...DASHBOARD_SCOPES],
  };
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The picker's form, submitted with one account: the 302 back to the dashboard. */
async function pick(url: string, account: string): Promise<Response> {
  const form = new URLSearchParams(new URL(url).searchParams);
  form.set("account", account);
  return fetch(`${base}/oauth2/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
}

/** Authorize as `account`: the pending sign-in and the code the redirect carries. */
async function codeFor(account = "gd-trung"): Promise<{ pending: PendingSignIn; code: string }> {
  const pending = newPendingSignIn(wallClock);
  const back = new URL((await pick(await authorizeUrl(config, pending), account)).headers.get("location")!);
  expect(back.searchParams.get("state")).toBe(pending.state);
  return { pending, code: back.searchParams.get("code")! };
}

async function redeem(
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const formOf = (init: RequestInit) => Object.fromEntries(new URLSearchParams(String(init.body)));

describe("the dashboard's PKCE", () => {
  it("computes S256 challenges as RFC 7636 Appendix B does", async () => {
    expect(await s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("makes a fresh 43-character verifier and state for every sign-in", () => {
    const [a, b] = [newPendingSignIn(0), newPendingSignIn(0)];
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.state).not.toBe(b.state);
  });

  it("signs out through the server's /logout, back to the dashboard", () => {
    expect(logoutUrl(config)).toBe(
      `${base}/logout?client_id=${LOCAL_CLIENT_ID}&logout_uri=${encodeURIComponent(REDIRECT)}`,
    );
  });
});

describe("GET /oauth2/authorize", () => {
  it("shows the demo accounts to pick, carrying the request along", async () => {
    const url = await authorizeUrl(config, newPendingSignIn(wallClock));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<button type="submit" name="account" value="gd-trung">');
    // The roles and the agency as the desk names them, the id only where it is picked.
    expect(page).toContain("Nguyễn Quốc Trung — Lãnh đạo cơ quan (gd-trung)");
    expect(page).toContain("Đỗ Minh Khang — Cán bộ xử lý (cv-khang)");
    expect(page).toContain("<h2>Trung tâm Phục vụ hành chính công tỉnh Tây Ninh</h2>");
    expect(page).toContain(
      `name="code_challenge" value="${new URL(url).searchParams.get("code_challenge")}"`,
    );
  });

  it("refuses an unregistered redirect_uri with a page, never a redirect there", async () => {
    const url = await authorizeUrl({ ...config, redirectUri: "https://evil.example/" }, newPendingSignIn(0));
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("redirect_uri is not registered");
  });

  it("refuses an unknown client", async () => {
    const url = await authorizeUrl({ ...config, clientId: "someone-else" }, newPendingSignIn(0));
    expect((await fetch(url, { redirect: "manual" })).status).toBe(400);
  });

  it("sends a request without PKCE S256 back to the client with invalid_request", async () => {
    const url = new URL(await authorizeUrl(config, newPendingSignIn(0)));
    url.searchParams.set("code_challenge_method", "plain");
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("state")).toBe(url.searchParams.get("state"));
    expect(back.searchParams.get("code")).toBeNull();
  });
});

describe("POST /oauth2/token", () => {
  it("redeems a code with its verifier for an ID token the API reads, and an access token", async () => {
    const { pending, code } = await codeFor("gd-trung");
    const { status, body } = await redeem(formOf(tokenRequest(config, code, pending)));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 12 * 3600 });
    const claims = await auth.verify(String(body.id_token));
    expect(claims).toMatchObject({
      sub: "gd-trung",
      aud: LOCAL_CLIENT_ID,
      token_use: "id",
      "custom:agencyId": "ttpvhcc-tinh",
      "cognito:groups": ["leader"],
    });
    // The access token, as Cognito's, carries no agency: the API needs the ID token and refuses it.
    expect(await auth.verify(String(body.access_token))).toBeUndefined();
    // What the dashboard keeps, and reads back.
    const tokens = readTokenResponse(body, 1_000);
    expect(tokens.expiresAt).toBe(1_000 + 12 * 3600_000);
    expect(jwtClaims(tokens.idToken).name).toBe("Nguyễn Quốc Trung");
  });

  it("refuses a wrong verifier with 400 invalid_grant, and the code is spent", async () => {
    const { pending, code } = await codeFor();
    const wrong = { ...pending, verifier: newPendingSignIn(0).verifier };
    expect(await redeem(formOf(tokenRequest(config, code, wrong)))).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await redeem(formOf(tokenRequest(config, code, pending)))).status).toBe(400);
  });

  it("refuses a code used twice with 400 invalid_grant", async () => {
    const { pending, code } = await codeFor();
    const form = formOf(tokenRequest(config, code, pending));
    expect((await redeem(form)).status).toBe(200);
    expect(await redeem(form)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a redirect_uri other than the authorization request's with 400 invalid_grant", async () => {
    const { pending, code } = await codeFor();
    const form = { ...formOf(tokenRequest(config, code, pending)), redirect_uri: "http://127.0.0.1:3000/" };
    expect(await redeem(form)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses a code after 5 minutes, another client, a missing verifier, another grant type", async () => {
    const late = await codeFor();
    wallClock += 5 * 60_000;
    expect((await redeem(formOf(tokenRequest(config, late.code, late.pending)))).body.error).toBe(
      "invalid_grant",
    );
    const other = await codeFor();
    const form = formOf(tokenRequest(config, other.code, other.pending));
    expect((await redeem({ ...form, client_id: "someone-else" })).body.error).toBe("invalid_grant");
    const bare = await codeFor();
    const { code_verifier: _, ...withoutVerifier } = formOf(tokenRequest(config, bare.code, bare.pending));
    expect((await redeem(withoutVerifier)).body.error).toBe("invalid_grant");
    expect(await redeem({ ...form, grant_type: "password" })).toMatchObject({
      status: 400,
      body: { error: "unsupported_grant_type" },
    });
  });

  it("takes form bodies only, and is never cached", async () => {
    const { pending, code } = await codeFor();
    const response = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(formOf(tokenRequest(config, code, pending))),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });
});

describe("GET /logout", () => {
  it("returns to a registered logout_uri only", async () => {
    const ok = await fetch(logoutUrl(config), { redirect: "manual" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(REDIRECT);
    const elsewhere = await fetch(logoutUrl({ ...config, redirectUri: "https://evil.example/" }), {
      redirect: "manual",
    });
    expect(elsewhere.status).toBe(400);
  });
});
