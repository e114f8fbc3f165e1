import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeHtml } from "../../shared/letters/render/index.ts";
import { readBody } from "./api-gateway.ts";
import { type LocalAccount, type LocalAuth, roleName } from "./local-auth.ts";

/**
 * The local stand-in for Cognito's OAuth 2.0 endpoints, on top of LocalAuth, so the dashboard
 * signs in the same way here as on AWS: `GET /oauth2/authorize` shows the demo accounts (no
 * password: the local runtime is for one machine), picking one redirects to `redirect_uri` with
 * a one-time `code`; `POST /oauth2/token` redeems it for tokens against the PKCE verifier;
 * `GET /logout` returns to `logout_uri`. Public client only (no secret), PKCE S256 required.
 */

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "invalid_scope"
  | "unsupported_grant_type"
  | "unsupported_response_type";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    description: string,
    /** RFC 6749 §4.1.2.1: once client and redirect_uri are known good, the error goes back there. */
    readonly redirectable = false,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly state: string | undefined;
  readonly codeChallenge: string;
}

export interface TokenResponse {
  readonly id_token: string;
  readonly access_token: string;
  readonly expires_in: number;
  readonly token_type: "Bearer";
}

export interface LocalOAuthOptions {
  readonly clientId: string;
  /** The registered redirect (and logout) URIs, compared exactly. A function: the port is known late. */
  readonly redirectUris: () => readonly string[];
  /**
   * Real time by default, not the runtime's clock: a person and a browser make the round trip,
   * however fast the stack's clock runs.
   */
  readonly now?: () => number;
  readonly codeLifetimeMs?: number;
}

/** The scopes the dashboard's client may ask for (as on the Cognito app client). */
const ALLOWED_SCOPES = new Set(["openid", "email", "profile"]);
/** RFC 7636 §4.2: BASE64URL of a SHA-256 is 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

interface IssuedCode {
  readonly request: AuthorizationRequest;
  readonly accountId: string;
  readonly expiresAt: number;
}

export class LocalOAuth {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #now: () => number;
  readonly #codeLifetimeMs: number;

  constructor(
    private readonly auth: LocalAuth,
    private readonly options: LocalOAuthOptions,
  ) {
    this.#now = options.now ?? Date.now;
    // Cognito's codes are valid 5 minutes.
    this.#codeLifetimeMs = options.codeLifetimeMs ?? 5 * 60_000;
  }

  /** The accounts one may sign in as. */
  accounts(): readonly LocalAccount[] {
    return this.auth.list();
  }

  /** Validates the query of `/oauth2/authorize` (RFC 6749 §4.1.1, RFC 7636 §4.3). */
  authorizationRequest(params: URLSearchParams): AuthorizationRequest {
    if (params.get("client_id") !== this.options.clientId) {
      throw new OAuthError("invalid_client", "unknown client_id");
    }
    const redirectUri = params.get("redirect_uri") ?? "";
    if (!this.options.redirectUris().includes(redirectUri)) {
      throw new OAuthError("invalid_request", "redirect_uri is not registered for this client");
    }
    if (params.get("response_type") !== "code") {
      throw new OAuthError("unsupported_response_type", "only response_type=code", true);
    }
    const codeChallenge = params.get("code_challenge") ?? "";
    if (params.get("code_challenge_method") !== "S256" || !S256_CHALLENGE.test(codeChallenge)) {
      throw new OAuthError("invalid_request", "PKCE is required: code_challenge with method S256", true);
    }
    const scope = params.get("scope") ?? "openid";
    const scopes = scope.split(" ").filter(Boolean);
    if (!scopes.includes("openid") || scopes.some((each) => !ALLOWED_SCOPES.has(each))) {
      throw new OAuthError("invalid_scope", `scope must be openid with email, profile`, true);
    }
    return {
      clientId: this.options.clientId,
      redirectUri,
      scope: scopes.join(" "),
      state: params.get("state") ?? undefined,
      codeChallenge,
    };
  }

  /** The person picked an account: the redirect to the client with a one-time code. */
  approve(request: AuthorizationRequest, accountId: string): string {
    if (!this.accounts().some((account) => account.id === accountId)) {
      throw new OAuthError("invalid_request", "unknown account");
    }
    const now = this.#now();
    for (const [code, issued] of this.#codes) if (issued.expiresAt <= now) this.#codes.delete(code);
    const code = randomBytes(32).toString("base64url");
    this.#codes.set(code, { request, accountId, expiresAt: now + this.#codeLifetimeMs });
    return redirect(request.redirectUri, { code, ...(request.state ? { state: request.state } : {}) });
  }

  /** `POST /oauth2/token`, grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6). */
  async token(form: URLSearchParams): Promise<TokenResponse> {
    if (form.get("grant_type") !== "authorization_code") {
      throw new OAuthError("unsupported_grant_type", "only grant_type=authorization_code");
    }
    const code = form.get("code");
    if (!code) throw new OAuthError("invalid_request", "code is missing");
    const issued = this.#codes.get(code);
    // Single use, whatever happens next: a code that failed once cannot be tried again.
    this.#codes.delete(code);
    if (!issued || issued.expiresAt <= this.#now()) {
      throw new OAuthError("invalid_grant", "the code is unknown, used or expired");
    }
    if (form.get("client_id") !== issued.request.clientId) {
      throw new OAuthError("invalid_grant", "the code was issued to another client");
    }
    if (form.get("redirect_uri") !== issued.request.redirectUri) {
      throw new OAuthError("invalid_grant", "redirect_uri differs from the authorization request's");
    }
    const verifier = form.get("code_verifier") ?? "";
    if (!VERIFIER.test(verifier) || !sameText(s256(verifier), issued.request.codeChallenge)) {
      throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge");
    }
    const tokens = await this.auth.tokens(issued.accountId, issued.request.scope);
    if (!tokens) throw new OAuthError("invalid_grant", "the account no longer exists");
    return {
      id_token: tokens.idToken,
      access_token: tokens.accessToken,
      expires_in: tokens.expiresIn,
      token_type: "Bearer",
    };
  }

  /** `GET /logout?client_id&logout_uri`: where to send the browser back. */
  logout(params: URLSearchParams): string {
    if (params.get("client_id") !== this.options.clientId) {
      throw new OAuthError("invalid_client", "unknown client_id");
    }
    const logoutUri = params.get("logout_uri") ?? "";
    if (!this.options.redirectUris().includes(logoutUri)) {
      throw new OAuthError("invalid_request", "logout_uri is not registered for this client");
    }
    return logoutUri;
  }
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function redirect(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The HTTP side: `GET`/`POST /oauth2/authorize`, `POST /oauth2/token`, `GET /logout`. Returns
 * false for any other request.
 */
export function createOAuthRoutes(
  oauth: LocalOAuth,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const route = `${method} ${url.pathname}`;
    if (
      route !== "GET /oauth2/authorize" &&
      route !== "POST /oauth2/authorize" &&
      route !== "POST /oauth2/token" &&
      route !== "GET /logout"
    ) {
      return false;
    }
    if (route === "POST /oauth2/token") {
      try {
        if (!/^application\/x-www-form-urlencoded\b/.test(req.headers["content-type"] ?? "")) {
          throw new OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded");
        }
        tokenJson(res, 200, await oauth.token(new URLSearchParams(await readBody(req, 10_000))));
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        tokenJson(res, error.error === "invalid_client" ? 401 : 400, {
          error: error.error,
          error_description: error.message,
        });
      }
      return true;
    }
    // The picker posts the authorization request back with the account it chose.
    const params = method === "POST" ? new URLSearchParams(await readBody(req, 10_000)) : url.searchParams;
    try {
      if (route === "GET /logout") return found(res, oauth.logout(params));
      const request = oauth.authorizationRequest(params);
      if (method === "GET") {
        page(res, 200, pickerPage(request, oauth.accounts()));
        return true;
      }
      return found(res, oauth.approve(request, params.get("account") ?? ""));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const back = params.get("redirect_uri");
      if (error.redirectable && back) {
        const state = params.get("state");
        return found(
          res,
          redirect(back, {
            error: error.error,
            error_description: error.message,
            ...(state ? { state } : {}),
          }),
        );
      }
      page(res, 400, errorPage(error));
      return true;
    }
  };
}

function found(res: ServerResponse, location: string): true {
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
  return true;
}

function tokenJson(res: ServerResponse, status: number, body: unknown): void {
  // RFC 6749 §5.1: token responses are never cached.
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    pragma: "no-cache",
  });
  res.end(JSON.stringify(body));
}

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
  });
  res.end(body);
}

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;color:#1b1f23}" +
  "h1{font-size:1.3rem}h2{font-size:1rem;margin:1.2rem 0 .4rem}" +
  "button{display:block;width:100%;text-align:left;font:inherit;padding:.6rem .8rem;margin:.3rem 0;border:1px solid #8a949e;border-radius:.3rem;background:#fff;cursor:pointer;min-height:2.75rem}" +
  "button:hover{background:#eef4fa}button:focus-visible{outline:3px solid #f0a500;outline-offset:2px}" +
  ".note{color:#555}";

function pickerPage(request: AuthorizationRequest, accounts: readonly LocalAccount[]): string {
  const hidden = Object.entries({
    response_type: "code",
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scope,
    code_challenge: request.codeChallenge,
    code_challenge_method: "S256",
    ...(request.state ? { state: request.state } : {}),
  })
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("");
  const agencies = [...new Set(accounts.map((account) => account.agencyId))];
  const groups = agencies
    .map((agencyId) => {
      const buttons = accounts
        .filter((account) => account.agencyId === agencyId)
        .map(
          (account) =>
            `<button type="submit" name="account" value="${escapeHtml(account.id)}">${escapeHtml(account.name)} — ${escapeHtml(roleName(account))} (${escapeHtml(account.id)})</button>`,
        )
        .join("");
      const agencyName = accounts.find((account) => account.agencyId === agencyId)?.agencyName;
      return `<h2>${escapeHtml(agencyName ?? agencyId)}</h2>${buttons}`;
    })
    .join("");
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập — dunghan (máy này)</title><link rel="icon" href="/favicon.ico" type="image/svg+xml"><style>${STYLE}</style></head>
<body><main><h1>Đăng nhập: chọn tài khoản thử nghiệm</h1>
<p class="note">Máy này thay Cognito: chọn một tài khoản demo để đăng nhập (không cần mật khẩu).</p>
<form method="post" action="/oauth2/authorize" aria-label="Tài khoản thử nghiệm">${hidden}${groups || "<p>Không có tài khoản demo.</p>"}</form></main></body></html>`;
}

function errorPage(error: OAuthError): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi đăng nhập — dunghan</title><style>${STYLE}</style></head>
<body><h1>Yêu cầu đăng nhập không hợp lệ</h1><p><code>${error.error}</code>: ${escapeHtml(error.message)}</p></body></html>`;
}
