/**
 * The Zalo Official Account's tokens and how they are kept and renewed (docs/zalo.md).
 *
 * Zalo OA API v4: an access token lives about 25 hours and comes with a refresh token that is valid
 * for about 3 months and can be used ONCE; a refresh is
 *   POST https://oauth.zaloapp.com/v4/oa/access_token
 *   header `secret_key: <app secret>`, form body `app_id`, `grant_type=refresh_token`, `refresh_token`
 * and answers `{ access_token, refresh_token, expires_in }` (seconds, sent as a string) or
 * `{ error, error_name, error_description }`. Sources: Zalo for Developers, "Official Account API —
 * Xác thực và ủy quyền" (developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new),
 * as walked through in hexasync.vn "Zalo OA API: Hướng dẫn cách lấy Access Token từ Refresh token"
 * and beehexa.com/devdocs/zalo-oa-tutorial-creating-access-token.
 *
 * Tokens are secrets: they are never logged and never put into an error's message or details.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import * as z from "zod";

export const ZALO_OAUTH_TOKEN_URL = "https://oauth.zaloapp.com/v4/oa/access_token";

export interface ZaloTokens {
  readonly accessToken: string;
  /** Single use: a refresh replaces it. */
  readonly refreshToken: string;
  /** Epoch ms after which the access token is refused. */
  readonly expiresAt: number;
}

/** Where the tokens live: a file under the data folder locally, a Secrets Manager secret on AWS. */
export interface ZaloTokenStore {
  read(): Promise<ZaloTokens>;
  write(tokens: ZaloTokens): Promise<void>;
}

// Not strict: on AWS the secret also holds the app's `appId` and `secretKey` (its rotation needs them).
const TokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number().int().nonnegative(),
});

/** The JSON form of the tokens, the same in the file and in the secret. */
export function parseZaloTokens(text: string): ZaloTokens {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ZaloTokenError("the stored Zalo tokens are not JSON");
  }
  const parsed = TokensSchema.safeParse(json);
  if (!parsed.success)
    throw new ZaloTokenError("the stored Zalo tokens lack accessToken, refreshToken or expiresAt");
  return {
    accessToken: parsed.data.accessToken,
    refreshToken: parsed.data.refreshToken,
    expiresAt: parsed.data.expiresAt,
  };
}

/** A token could not be read or renewed; the message never holds a token. */
export class ZaloTokenError extends Error {
  constructor(
    message: string,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = "ZaloTokenError";
  }
}

/** Tokens in a JSON file readable by its owner only (mode 0600), replaced atomically on write. */
export class FileZaloTokenStore implements ZaloTokenStore {
  constructor(readonly file: string) {}

  async read(): Promise<ZaloTokens> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch {
      throw new ZaloTokenError("no Zalo tokens stored");
    }
    return parseZaloTokens(text);
  }

  async write(tokens: ZaloTokens): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temp, `${JSON.stringify(tokens)}\n`, { mode: 0o600 });
    await rename(temp, this.file);
  }
}

export interface ZaloTokenRefresherOptions {
  readonly appId: string;
  readonly secretKey: string;
  readonly url?: string;
  readonly fetch?: typeof fetch;
  readonly now: () => number;
}

/** Exchanges the refresh token for a new pair (the OA API v4 refresh above). */
export class ZaloTokenRefresher {
  readonly #options: ZaloTokenRefresherOptions;

  constructor(options: ZaloTokenRefresherOptions) {
    this.#options = options;
  }

  async refresh(refreshToken: string): Promise<ZaloTokens> {
    const { appId, secretKey, now } = this.#options;
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(this.#options.url ?? ZALO_OAUTH_TOKEN_URL, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", secret_key: secretKey },
        body: new URLSearchParams({
          app_id: appId,
          grant_type: "refresh_token",
          refresh_token: refreshToken,
        }).toString(),
      });
    } catch {
      throw new ZaloTokenError("the Zalo token endpoint could not be reached");
    }
    let body: Record<string, unknown>;
    try {
      body = (await response.json()) as Record<string, unknown>;
    } catch {
      throw new ZaloTokenError(`the Zalo token endpoint answered HTTP ${response.status} without JSON`);
    }
    const expiresIn = Number(body.expires_in);
    if (
      typeof body.access_token !== "string" ||
      typeof body.refresh_token !== "string" ||
      !Number.isFinite(expiresIn) ||
      expiresIn <= 0
    ) {
      const code = body.error === undefined ? `HTTP ${response.status}` : String(body.error);
      throw new ZaloTokenError(`Zalo refused the refresh token (${code})`, code);
    }
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: now() + expiresIn * 1000,
    };
  }
}
