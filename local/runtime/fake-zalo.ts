/**
 * A local stand-in for Zalo's ZNS endpoint and the OA token endpoint (docs/zalo.md), for
 * `npm start` and the e2e tests. It answers the way Zalo does — HTTP 200 with `{ error, message,
 * data }` — and records every accepted message (the /outbox page shows them):
 *
 * - POST /message/template: checks the `access_token` header against the current token (-124
 *   when it is not), then answers per number: "no Zalo account" (-118), "out of quota" (-115),
 *   "template rejected" (-112) for the chosen numbers, success otherwise;
 * - POST /v4/oa/access_token: exchanges the current refresh token (single use) for a new pair.
 *
 * Phone numbers appear in the records (the developer's own machine) but never in a log line.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  FileZaloTokenStore,
  ZaloTokenRefresher,
  type ZaloTokenStore,
} from "../../shared/adapters/zalo/zalo-tokens.ts";
import { ZnsClient } from "../../shared/adapters/zalo/zns-client.ts";
import { CitizenChannels, parseCitizenChannelsConfig } from "../../shared/app/citizen-channels.ts";
import type { AppLogger } from "../../shared/app/logger.ts";
import type { Metrics } from "../../shared/app/metrics.ts";
import type { Clock } from "./clock.ts";
import { listen, readBody } from "./fake-aws/http.ts";

export interface ZaloRecord {
  /** The msg_id returned. */
  readonly id: string;
  readonly at: number;
  /** As sent: "84912345678". */
  readonly phone: string;
  readonly templateId: string;
  readonly templateData: Readonly<Record<string, string>>;
  readonly trackingId: string;
}

export interface FakeZaloOptions {
  readonly clock: Clock;
  /** JSON Lines file the accepted messages are appended to and reloaded from. */
  readonly file?: string;
  /** Numbers (E.164 or 84…) that answer "Zalo account not existed". */
  readonly noAccount?: readonly string[];
  /** Numbers that answer "Out of quota". */
  readonly quotaExceeded?: readonly string[];
  /** Numbers whose message answers "Template data invalid". */
  readonly templateRejected?: readonly string[];
  /** Numbers whose messages are accepted but never reach the phone (the status API says so). */
  readonly undelivered?: readonly string[];
  /**
   * Numbers whose last digit is one of these have no Zalo account: a share of the demo province's
   * applicants, for the cost per notice (default none).
   */
  readonly noAccountLastDigits?: readonly string[];
  /** Template ids Zalo has approved; others answer -109 (default: any). */
  readonly approvedTemplates?: readonly string[];
  /** Seconds an access token lives (Zalo: about 25 hours). */
  readonly tokenLifetimeSeconds?: number;
  /** The pair stored by an earlier run, so a restart keeps accepting it; default a new pair. */
  readonly tokens?: { readonly accessToken: string; readonly refreshToken: string };
}

export interface FakeZalo {
  readonly url: string;
  /** The ZNS send endpoint. */
  readonly sendUrl: string;
  /** The OA token endpoint. */
  readonly oauthUrl: string;
  /** The pair a fresh installation starts with (written to the token file by the caller). */
  initialTokens(): { accessToken: string; refreshToken: string; expiresAt: number };
  /** Makes the current access token invalid, as when Zalo revokes or expires it early. */
  expireAccessToken(): void;
  /** Makes the refresh token invalid: the next refresh fails (the alarm's case). */
  revokeRefreshToken(): void;
  list(): readonly ZaloRecord[];
  readonly refreshCount: number;
  close(): Promise<void>;
}

const ERRORS = {
  tokenInvalid: { error: -124, message: "Access token invalid" },
  noAccount: { error: -118, message: "Zalo account not existed" },
  quota: { error: -115, message: "Out of quota" },
  template: { error: -112, message: "Template data invalid" },
  templateId: { error: -109, message: "Template ID invalid" },
  phone: { error: -108, message: "Phone number invalid" },
} as const;

export async function startFakeZalo(options: FakeZaloOptions): Promise<FakeZalo> {
  const records: ZaloRecord[] = options.file === undefined ? [] : await loadLines(options.file);
  if (options.file !== undefined) mkdirSync(dirname(options.file), { recursive: true });
  const national = (phone: string) => phone.replace(/^\+?84/, "").replace(/^0/, "");
  const set = (list: readonly string[] | undefined) => new Set((list ?? []).map(national));
  const noAccount = set(options.noAccount);
  const quota = set(options.quotaExceeded);
  const rejected = set(options.templateRejected);
  const undelivered = set(options.undelivered);
  const lifetime = (options.tokenLifetimeSeconds ?? 25 * 3600) * 1000;
  let accessToken = options.tokens?.accessToken ?? `fake-access-${randomUUID()}`;
  let refreshToken = options.tokens?.refreshToken ?? `fake-refresh-${randomUUID()}`;
  const initial = { accessToken, refreshToken, expiresAt: options.clock.now() + lifetime };
  let refreshCount = 0;

  const json = (response: ServerResponse, body: unknown) => {
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(body));
  };

  const send = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.access_token !== accessToken) return json(response, ERRORS.tokenInvalid);
    let body: { phone?: unknown; template_id?: unknown; template_data?: unknown; tracking_id?: unknown };
    try {
      body = JSON.parse(await readBody(request, 64 * 1024));
    } catch {
      return json(response, { error: -121, message: "Body data empty or invalid" });
    }
    if (typeof body.phone !== "string" || !/^84\d{9}$/.test(body.phone)) return json(response, ERRORS.phone);
    if (typeof body.template_id !== "string") return json(response, ERRORS.templateId);
    if (options.approvedTemplates !== undefined && !options.approvedTemplates.includes(body.template_id)) {
      return json(response, ERRORS.templateId);
    }
    const number = national(body.phone);
    if (noAccount.has(number) || (options.noAccountLastDigits ?? []).includes(number.slice(-1))) {
      return json(response, ERRORS.noAccount);
    }
    if (quota.has(number)) return json(response, ERRORS.quota);
    const data = body.template_data;
    if (rejected.has(number) || typeof data !== "object" || data === null || Object.keys(data).length === 0) {
      return json(response, ERRORS.template);
    }
    const record: ZaloRecord = {
      id: randomUUID().replaceAll("-", ""),
      at: options.clock.now(),
      phone: body.phone,
      templateId: body.template_id,
      templateData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])),
      trackingId: typeof body.tracking_id === "string" ? body.tracking_id : "",
    };
    if (options.file !== undefined) appendFileSync(options.file, `${JSON.stringify(record)}\n`, "utf8");
    records.push(record);
    json(response, {
      error: 0,
      message: "Success",
      data: {
        msg_id: record.id,
        sent_time: String(record.at),
        quota: { dailyQuota: "500", remainingQuota: "499" },
      },
    });
  };

  const status = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.headers.access_token !== accessToken) return json(response, ERRORS.tokenInvalid);
    const id = new URL(request.url ?? "/", "http://localhost").searchParams.get("message_id");
    const record = records.find((r) => r.id === id);
    if (record === undefined) return json(response, { error: -107, message: "Message ID invalid" });
    const delivered = !undelivered.has(national(record.phone));
    json(response, {
      error: 0,
      message: "Success",
      data: delivered
        ? {
            status: 1,
            delivery_time: String(record.at + 2000),
            message: "The message was delivered to the user's phone",
          }
        : { status: 0, message: "The message has not been delivered yet" },
    });
  };

  const refresh = async (request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(await readBody(request, 16 * 1024));
    if (
      typeof request.headers.secret_key !== "string" ||
      form.get("grant_type") !== "refresh_token" ||
      form.get("refresh_token") !== refreshToken
    ) {
      return json(response, { error: -14014, error_name: "Invalid refresh token", error_description: "" });
    }
    refreshCount++;
    accessToken = `fake-access-${randomUUID()}`;
    refreshToken = `fake-refresh-${randomUUID()}`;
    json(response, {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: String(lifetime / 1000),
    });
  };

  const running = await listen((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const route =
      request.method === "POST" && path === "/message/template"
        ? send
        : request.method === "GET" && path === "/message/status"
          ? status
          : request.method === "POST" && path === "/v4/oa/access_token"
            ? refresh
            : undefined;
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    route(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  return {
    url: running.url,
    sendUrl: `${running.url}/message/template`,
    oauthUrl: `${running.url}/v4/oa/access_token`,
    initialTokens: () => initial,
    expireAccessToken: () => {
      accessToken = `fake-access-${randomUUID()}`;
    },
    revokeRefreshToken: () => {
      refreshToken = `fake-refresh-${randomUUID()}`;
    },
    list: () => records,
    get refreshCount() {
      return refreshCount;
    },
    close: () => running.close(),
  };
}

async function loadLines(file: string): Promise<ZaloRecord[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ZaloRecord);
}

// ---------------------------------------------------------------------------------------------
// The local stack's Zalo: the stand-in, the token file under the data folder, the ZNS client

export interface LocalZaloSetup {
  readonly fake: FakeZalo;
  /** Counts of the metrics the ZNS client published (ZaloTokenRefreshFailed). */
  readonly metrics: ReadonlyMap<string, number>;
  channels(logger: AppLogger): CitizenChannels;
  /** Price of one message per channel (VND), from the channels' configuration (`costVnd`). */
  readonly prices: Readonly<Partial<Record<"zalo" | "sms" | "email", number>>>;
  /** The token file and its renewal: what the local rotation function renews. */
  readonly tokens: { readonly store: ZaloTokenStore; readonly refresher: ZaloTokenRefresher };
}

/** The example configuration: the demo province's (invented) template ids. */
export const EXAMPLE_CITIZEN_CHANNELS = fileURLToPath(
  new URL("../../examples/citizen-channels.json", import.meta.url),
);

/**
 * Starts the stand-in and prepares the client as the notify function has it: tokens in a file
 * (mode 0600) under the data folder — `secrets/zalo-tokens.json` — renewed by the client itself
 * when due, the way the rotation function renews the secret on AWS.
 */
export async function startLocalZalo(
  options: Omit<FakeZaloOptions, "clock" | "file" | "tokens"> & { readonly config?: unknown },
  dataDir: string | undefined,
  clock: Clock,
): Promise<LocalZaloSetup> {
  const folder = dataDir ?? (await mkdtemp(join(tmpdir(), "dunghan-zalo-")));
  const store = new FileZaloTokenStore(join(folder, "secrets", "zalo-tokens.json"));
  const stored = await store.read().catch(() => undefined);
  const fake = await startFakeZalo({
    ...options,
    clock,
    ...(dataDir === undefined ? {} : { file: join(dataDir, "zalo.jsonl") }),
    ...(stored === undefined ? {} : { tokens: stored }),
  });
  if (stored === undefined) await store.write(fake.initialTokens());
  const config = parseCitizenChannelsConfig(
    options.config ?? JSON.parse(await readFile(EXAMPLE_CITIZEN_CHANNELS, "utf8")),
  );
  const counts = new Map<string, number>();
  const metrics: Metrics = { publish: (name, value) => counts.set(name, (counts.get(name) ?? 0) + value) };
  const refresher = new ZaloTokenRefresher({
    appId: "local-app",
    secretKey: "local-secret",
    url: fake.oauthUrl,
    now: () => clock.now(),
  });
  return {
    fake,
    metrics: counts,
    prices: config.costVnd,
    tokens: { store, refresher },
    channels: (logger) =>
      new CitizenChannels(
        config,
        new ZnsClient({
          tokens: store,
          refresher,
          now: () => clock.now(),
          url: fake.sendUrl,
          statusUrl: `${fake.url}/message/status`,
          metrics,
          logger,
        }),
      ),
  };
}
