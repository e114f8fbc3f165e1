import { describe, expect, it } from "vitest";
import {
  ZaloTokenRefresher,
  type ZaloTokenStore,
  type ZaloTokens,
} from "../../../shared/adapters/zalo/zalo-tokens.ts";
import {
  ZALO_TOKEN_REFRESH_FAILED,
  ZNS_TEMPLATE_URL,
  ZnsClient,
} from "../../../shared/adapters/zalo/zns-client.ts";
import { ZaloRefusalError } from "../../../shared/app/citizen-channels.ts";
import { ThrottledError } from "../../../shared/app/messaging-ports.ts";
import type { Metrics } from "../../../shared/app/metrics.ts";

const NOW = Date.parse("2026-12-01T02:00:00Z");
const HOUR = 3_600_000;

interface Call {
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
}

/** A fetch that records each call and answers from the list, in turn. */
function scriptedFetch(answers: readonly (Record<string, unknown> | number)[]) {
  const calls: Call[] = [];
  let next = 0;
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), headers: new Headers(init?.headers), body: String(init?.body) });
    const answer = answers[Math.min(next++, answers.length - 1)];
    if (typeof answer === "number") return new Response("upstream error", { status: answer });
    return Response.json(answer);
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

class MemoryTokens implements ZaloTokenStore {
  writes: ZaloTokens[] = [];
  constructor(public tokens: ZaloTokens) {}
  async read() {
    return this.tokens;
  }
  async write(tokens: ZaloTokens) {
    this.tokens = tokens;
    this.writes.push(tokens);
  }
}

function recordingMetrics() {
  const published: string[] = [];
  const metrics: Metrics = { publish: (name) => published.push(name) };
  return { metrics, published };
}

const MESSAGE = {
  phone: "+84912345678",
  templateId: "312001",
  templateData: { ma_ho_so: "000.00.10.H01-261201-0001", ngay_hen: "08h30 04/12/2026" },
  trackingId: "DOSSIER/citizen-receipt/v1/citizen/sms",
};
const VALID: ZaloTokens = { accessToken: "access-A", refreshToken: "refresh-A", expiresAt: NOW + 20 * HOUR };
const SUCCESS = { error: 0, message: "Success", data: { msg_id: "zns-msg-1", sent_time: "1764554400000" } };

describe("ZnsClient: the request", () => {
  it("posts the template message to message/template with the OA access token as a header", async () => {
    const { fetch, calls } = scriptedFetch([SUCCESS]);
    const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

    const sent = await client.send(MESSAGE);

    expect(sent).toEqual({ providerMessageId: "zns-msg-1" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(ZNS_TEMPLATE_URL);
    expect(calls[0]?.headers.get("access_token")).toBe("access-A");
    expect(calls[0]?.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(calls[0]?.body ?? "")).toEqual({
      phone: "84912345678",
      template_id: "312001",
      template_data: MESSAGE.templateData,
      tracking_id: MESSAGE.trackingId,
    });
  });

  it("refuses a number that is not a Vietnamese mobile without calling Zalo", async () => {
    const { fetch, calls } = scriptedFetch([SUCCESS]);
    const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

    await expect(client.send({ ...MESSAGE, phone: "+14155550100" })).rejects.toMatchObject({
      refusal: "PHONE_INVALID",
    });
    expect(calls).toHaveLength(0);
  });
});

describe("ZnsClient: Zalo's errors", () => {
  it.each([
    [-118, "Zalo account not existed", "NO_ZALO_ACCOUNT"],
    [-119, "Account can not receive ZNS", "CANNOT_RECEIVE"],
    [-115, "Out of quota", "QUOTA_EXCEEDED"],
    [-109, "Template ID invalid", "TEMPLATE_REJECTED"],
    [-112, "Template data invalid", "TEMPLATE_REJECTED"],
    [-108, "Phone number invalid", "PHONE_INVALID"],
    [-1472, "Daily quota exceeded", "QUOTA_EXCEEDED"],
    [-999, "Something new", "REFUSED"],
  ])("error %i (%s) is the refusal %s", async (code, message, refusal) => {
    const { fetch } = scriptedFetch([{ error: code, message }]);
    const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

    const error = await client.send(MESSAGE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ZaloRefusalError);
    expect(error).toMatchObject({ refusal, details: { providerCode: code } });
  });

  it.each([
    ["HTTP 503", 503],
    ["HTTP 429", 429],
    ["-100 unknown error", { error: -100, message: "Unknown error" }],
  ])("%s is a throttle: a later attempt may succeed", async (_name, answer) => {
    const { fetch } = scriptedFetch([answer]);
    const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

    await expect(client.send(MESSAGE)).rejects.toBeInstanceOf(ThrottledError);
  });

  it("never puts the access token or the phone number into the error", async () => {
    const { fetch } = scriptedFetch([
      { error: -118, message: "Zalo account not existed 84912345678 access-A" },
    ]);
    const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

    const error = (await client.send(MESSAGE).catch((e: unknown) => e)) as ZaloRefusalError;

    const text = `${error.message} ${JSON.stringify(error.details)}`;
    expect(text).not.toContain("access-A");
    expect(text).not.toContain("912345678");
  });
});

describe("ZnsClient: the access token", () => {
  const refreshed = { access_token: "access-B", refresh_token: "refresh-B", expires_in: "90000" };

  it("renews an expired access token with the refresh token before sending, and stores the new pair", async () => {
    const tokens = new MemoryTokens({ ...VALID, expiresAt: NOW - 1 });
    const oauth = scriptedFetch([refreshed]);
    const zns = scriptedFetch([SUCCESS]);
    const refresher = new ZaloTokenRefresher({
      appId: "app-1",
      secretKey: "secret-1",
      now: () => NOW,
      fetch: oauth.fetch,
    });
    const client = new ZnsClient({ tokens, refresher, now: () => NOW, fetch: zns.fetch });

    await client.send(MESSAGE);

    expect(oauth.calls[0]?.url).toBe("https://oauth.zaloapp.com/v4/oa/access_token");
    expect(oauth.calls[0]?.headers.get("secret_key")).toBe("secret-1");
    expect(Object.fromEntries(new URLSearchParams(oauth.calls[0]?.body))).toEqual({
      app_id: "app-1",
      grant_type: "refresh_token",
      refresh_token: "refresh-A",
    });
    expect(tokens.writes).toEqual([
      { accessToken: "access-B", refreshToken: "refresh-B", expiresAt: NOW + 90_000_000 },
    ]);
    expect(zns.calls[0]?.headers.get("access_token")).toBe("access-B");
  });

  it("renews once when Zalo refuses the token (-124) and sends again with the new one", async () => {
    const tokens = new MemoryTokens(VALID);
    const oauth = scriptedFetch([refreshed]);
    const zns = scriptedFetch([{ error: -124, message: "Access token invalid" }, SUCCESS]);
    const refresher = new ZaloTokenRefresher({
      appId: "app-1",
      secretKey: "secret-1",
      now: () => NOW,
      fetch: oauth.fetch,
    });
    const client = new ZnsClient({ tokens, refresher, now: () => NOW, fetch: zns.fetch });

    const sent = await client.send(MESSAGE);

    expect(sent.providerMessageId).toBe("zns-msg-1");
    expect(zns.calls.map((call) => call.headers.get("access_token"))).toEqual(["access-A", "access-B"]);
  });

  it("a refused refresh publishes ZaloTokenRefreshFailed and refuses the message (the next channel takes it)", async () => {
    const tokens = new MemoryTokens({ ...VALID, expiresAt: NOW - 1 });
    const oauth = scriptedFetch([{ error: -14014, error_name: "Invalid refresh token" }]);
    const zns = scriptedFetch([SUCCESS]);
    const { metrics, published } = recordingMetrics();
    const refresher = new ZaloTokenRefresher({
      appId: "app-1",
      secretKey: "secret-1",
      now: () => NOW,
      fetch: oauth.fetch,
    });
    const client = new ZnsClient({ tokens, refresher, now: () => NOW, fetch: zns.fetch, metrics });

    await expect(client.send(MESSAGE)).rejects.toMatchObject({ refusal: "TOKEN_UNAVAILABLE" });
    expect(published).toEqual([ZALO_TOKEN_REFRESH_FAILED]);
    expect(zns.calls).toHaveLength(0);
    expect(tokens.writes).toHaveLength(0);
  });

  it("without a refresher (AWS: the rotation function renews), an expired secret raises the alarm metric", async () => {
    const { metrics, published } = recordingMetrics();
    const zns = scriptedFetch([SUCCESS]);
    const client = new ZnsClient({
      tokens: new MemoryTokens({ ...VALID, expiresAt: NOW - 1 }),
      now: () => NOW,
      fetch: zns.fetch,
      metrics,
    });

    await expect(client.send(MESSAGE)).rejects.toMatchObject({ refusal: "TOKEN_UNAVAILABLE" });
    expect(published).toEqual([ZALO_TOKEN_REFRESH_FAILED]);
  });

  it("without a refresher, uses a token another process renewed in the store after a -124", async () => {
    const tokens = new MemoryTokens(VALID);
    const zns = scriptedFetch([SUCCESS, { error: -124, message: "Access token invalid" }, SUCCESS]);
    const client = new ZnsClient({ tokens, now: () => NOW, fetch: zns.fetch });
    await client.send(MESSAGE);
    tokens.tokens = {
      accessToken: "access-rotated",
      refreshToken: "refresh-rotated",
      expiresAt: NOW + 25 * HOUR,
    };

    await client.send(MESSAGE);

    expect(zns.calls.map((call) => call.headers.get("access_token"))).toEqual([
      "access-A",
      "access-A",
      "access-rotated",
    ]);
  });
});

describe("ZnsClient: phone numbers", () => {
  it.each([["0912345678"], ["84912345678"], ["+84 912 345 678"]])(
    "writes %s as 84912345678",
    async (phone) => {
      const { fetch, calls } = scriptedFetch([SUCCESS]);
      const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

      await client.send({ ...MESSAGE, phone });

      expect(JSON.parse(calls[0]?.body ?? "").phone).toBe("84912345678");
    },
  );
});

describe("ZnsClient: delivery status", () => {
  it.each([
    [1, true],
    [0, false],
  ])(
    "asks message/status with the message id, phone and token; status %i → delivered %s",
    async (status, delivered) => {
      const { fetch, calls } = scriptedFetch([{ error: 0, message: "Success", data: { status } }]);
      const client = new ZnsClient({ tokens: new MemoryTokens(VALID), now: () => NOW, fetch });

      expect(await client.delivered("zns-msg-1", "0912345678")).toBe(delivered);
      const url = new URL(calls[0]?.url ?? "");
      expect(`${url.origin}${url.pathname}`).toBe("https://business.openapi.zalo.me/message/status");
      expect(Object.fromEntries(url.searchParams)).toEqual({ message_id: "zns-msg-1", phone: "84912345678" });
      expect(calls[0]?.headers.get("access_token")).toBe("access-A");
    },
  );
});
