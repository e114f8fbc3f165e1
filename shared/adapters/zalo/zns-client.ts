/**
 * ZnsSender on Zalo's ZNS REST API: a template message to a phone number.
 *
 *   POST https://business.openapi.zalo.me/message/template
 *   header `access_token: <OA access token>`, JSON body
 *   { "phone": "84912345678", "template_id": "…", "template_data": { … }, "tracking_id": "…" }
 *   → { "error": 0, "message": "Success", "data": { "msg_id": "…", "sent_time": "…", "quota": { … } } }
 *
 * Sources: Zalo for Developers, "Zalo Notification Service — Gửi ZNS"
 * (developers.zalo.me/docs/zalo-notification-service/); the request shape as used by the
 * @warriorteam/redai-zalo-sdk ZNS service (endpoint `message/template`) and the 8x8 / Infobip ZNS
 * guides (templates approved by Zalo in advance, 400 characters at most). There is no maintained
 * official Node SDK, hence this small client.
 *
 * Errors: Zalo answers HTTP 200 with a non-zero `error`. The codes are those of Zalo Cloud's "Cách
 * xử lý mã lỗi" table (zalo.cloud/zns/guidelines/handle-error-code); -118 "Zalo account not
 * existed" and -124 "Access token invalid" are also how integrations in the wild read them.
 */

import {
  type ZaloRefusal,
  ZaloRefusalError,
  type ZnsMessage,
  type ZnsSender,
} from "../../app/citizen-channels.ts";
import type { AppLogger } from "../../app/logger.ts";
import type { SentMessage } from "../../app/messaging-ports.ts";
import { ThrottledError } from "../../app/messaging-ports.ts";
import type { Metrics } from "../../app/metrics.ts";
import {
  ZaloTokenError,
  type ZaloTokenRefresher,
  type ZaloTokenStore,
  type ZaloTokens,
} from "./zalo-tokens.ts";

export const ZNS_TEMPLATE_URL = "https://business.openapi.zalo.me/message/template";
/**
 * ZNS "Lấy thông tin trạng thái ZNS": GET with `message_id` and `phone`, answering
 * `data: { status, delivery_time, message }`, status 1 = "delivered to the user's phone" (as the
 * eSMS gateway relays it in its GetZaloMessageStatus documentation).
 */
export const ZNS_STATUS_URL = "https://business.openapi.zalo.me/message/status";

/** The metric a failed token refresh publishes; cdk/zalo-secret.ts alarms on it. */
export const ZALO_TOKEN_REFRESH_FAILED = "ZaloTokenRefreshFailed";

/** Zalo's error code → what it means for the notice. */
export const ZNS_ERRORS: Readonly<Record<number, ZaloRefusal | "TOKEN_INVALID" | "RETRY">> = {
  [-100]: "RETRY", // Unknown error: "please try again later"
  [-108]: "PHONE_INVALID",
  [-109]: "TEMPLATE_REJECTED", // Template ID invalid
  [-111]: "TEMPLATE_REJECTED", // Template data empty
  [-112]: "TEMPLATE_REJECTED", // Template data invalid
  [-114]: "CANNOT_RECEIVE", // user inactive, rejects ZNS, or an outdated Zalo
  [-115]: "QUOTA_EXCEEDED", // Out of quota
  [-116]: "TEMPLATE_REJECTED", // Text invalid
  [-117]: "TEMPLATE_REJECTED", // OA or app has no permission for this template
  [-118]: "NO_ZALO_ACCOUNT", // Zalo account not existed
  [-119]: "CANNOT_RECEIVE", // Account can not receive ZNS
  [-124]: "TOKEN_INVALID", // Access token invalid
};

/** Renew the access token this long before Zalo would refuse it. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/**
 * A Vietnamese mobile number as the e-one-stop system sends it (+84…, 84… or 0…) → the form ZNS
 * reads: "84" and the national number without its 0.
 */
const VN_MOBILE = /^(?:\+?84|0)([35789]\d{8})$/;

export interface ZnsClientOptions {
  readonly tokens: ZaloTokenStore;
  /**
   * Renews the tokens when the access token is due or refused. Locally the client refreshes; on
   * AWS the secret's rotation function does, and the client only re-reads the secret.
   */
  readonly refresher?: ZaloTokenRefresher;
  readonly now: () => number;
  readonly url?: string;
  readonly statusUrl?: string;
  readonly fetch?: typeof fetch;
  readonly metrics?: Metrics;
  readonly logger?: AppLogger;
}

export class ZnsClient implements ZnsSender {
  readonly #options: ZnsClientOptions;
  #cached: ZaloTokens | undefined;

  constructor(options: ZnsClientOptions) {
    this.#options = options;
  }

  async send(message: ZnsMessage): Promise<SentMessage> {
    const match = VN_MOBILE.exec(message.phone.replace(/[\s.-]/g, ""));
    if (match === null) throw new ZaloRefusalError("PHONE_INVALID", "ZNS needs a Vietnamese mobile number");
    const body = JSON.stringify({
      phone: `84${match[1]}`,
      template_id: message.templateId,
      template_data: message.templateData,
      tracking_id: message.trackingId,
    });
    let tokens = await this.#tokens(false);
    for (let attempt = 1; ; attempt++) {
      const answer = await this.#post(body, tokens.accessToken);
      if (answer.error === 0) {
        const id = answer.data?.msg_id;
        if (typeof id !== "string" || id === "")
          throw new ThrottledError("ZNS answered success without a msg_id");
        return { providerMessageId: id };
      }
      const meaning = ZNS_ERRORS[answer.error] ?? byMessage(answer.message);
      if (meaning === "TOKEN_INVALID" && attempt === 1) {
        tokens = await this.#tokens(true);
        continue;
      }
      if (meaning === "RETRY")
        throw new ThrottledError("ZNS asked to try again later", { providerCode: answer.error });
      const refusal: ZaloRefusal = meaning === "TOKEN_INVALID" ? "TOKEN_UNAVAILABLE" : (meaning ?? "REFUSED");
      throw new ZaloRefusalError(refusal, `ZNS refused the message (${answer.error})`, {
        providerCode: answer.error,
      });
    }
  }

  async delivered(providerMessageId: string, phone: string): Promise<boolean> {
    const match = VN_MOBILE.exec(phone.replace(/[\s.-]/g, ""));
    const url = new URL(this.#options.statusUrl ?? ZNS_STATUS_URL);
    url.searchParams.set("message_id", providerMessageId);
    if (match !== null) url.searchParams.set("phone", `84${match[1]}`);
    const tokens = await this.#tokens(false);
    const answer = await this.#call(url.toString(), {
      method: "GET",
      headers: { access_token: tokens.accessToken },
    });
    return answer.error === 0 && (answer.data as { status?: unknown } | undefined)?.status === 1;
  }

  #post(body: string, accessToken: string): Promise<ZnsAnswer> {
    return this.#call(this.#options.url ?? ZNS_TEMPLATE_URL, {
      method: "POST",
      headers: { "content-type": "application/json", access_token: accessToken },
      body,
    });
  }

  async #call(url: string, init: RequestInit): Promise<ZnsAnswer> {
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch {
      throw new ThrottledError("ZNS could not be reached");
    }
    if (response.status === 429 || response.status >= 500) {
      throw new ThrottledError(`ZNS answered HTTP ${response.status}`, { providerCode: response.status });
    }
    try {
      const json = (await response.json()) as Partial<ZnsAnswer>;
      if (typeof json.error !== "number") throw new Error("no error field");
      return { error: json.error, message: String(json.message ?? ""), data: json.data };
    } catch {
      throw new ThrottledError(`ZNS answered HTTP ${response.status} without its JSON`);
    }
  }

  /**
   * The tokens to use: the cached pair while it is valid, else the stored one; renewed when it is
   * due or Zalo refused it (`refused`). A failed renewal publishes ZaloTokenRefreshFailed and the
   * notice goes by the next channel.
   */
  async #tokens(refused: boolean): Promise<ZaloTokens> {
    const { now, refresher, tokens: store } = this.#options;
    const usable = (t: ZaloTokens | undefined): t is ZaloTokens =>
      t !== undefined && t.expiresAt - EXPIRY_MARGIN_MS > now();
    if (!refused && usable(this.#cached)) return this.#cached;
    const previous = this.#cached;
    try {
      const stored = await store.read();
      // Another process (the rotation function, another container) may have renewed it already.
      const renewedElsewhere =
        refused && previous !== undefined && stored.accessToken !== previous.accessToken;
      if ((usable(stored) && !refused) || renewedElsewhere) {
        this.#cached = stored;
        return stored;
      }
      if (refresher === undefined) {
        throw new ZaloTokenError(
          refused ? "the stored access token was refused" : "the stored access token expired",
        );
      }
      const fresh = await refresher.refresh(stored.refreshToken);
      await store.write(fresh);
      this.#options.logger?.info("Zalo access token renewed", {
        expiresAt: new Date(fresh.expiresAt).toISOString(),
      });
      this.#cached = fresh;
      return fresh;
    } catch (error) {
      this.#cached = undefined;
      this.#options.metrics?.publish(ZALO_TOKEN_REFRESH_FAILED, 1, "Count");
      const code = error instanceof ZaloTokenError ? error.providerCode : undefined;
      this.#options.logger?.error("Zalo access token unavailable", {
        reason: error instanceof ZaloTokenError ? error.message : "token store error",
        ...(code === undefined ? {} : { providerCode: code }),
      });
      throw new ZaloRefusalError("TOKEN_UNAVAILABLE", "no valid Zalo access token");
    }
  }
}

interface ZnsAnswer {
  readonly error: number;
  readonly message: string;
  readonly data?: { readonly msg_id?: unknown } | undefined;
}

/** For codes not in the table: Zalo's English message, for the two refusals that matter most. */
function byMessage(message: string): ZaloRefusal | undefined {
  if (/quota/i.test(message)) return "QUOTA_EXCEEDED";
  if (/zalo account not exist/i.test(message)) return "NO_ZALO_ACCOUNT";
  if (/template/i.test(message)) return "TEMPLATE_REJECTED";
  return undefined;
}
