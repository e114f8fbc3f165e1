import { readFileSync } from "node:fs";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  type AwsClients,
  composeApplyEvents,
  composeNotify,
  composeSweep,
  composeZaloTokenRotation,
  containerClients,
} from "../../functions/composition-root.ts";
import { ConfigError, FUNCTION_ENV, readConfig } from "../../functions/config.ts";
import { errorResponse } from "../../functions/http-errors.ts";
import type { SweepPorts, sweepFunction } from "../../functions/wiring.ts";
import { createApp, makeHandlers } from "../../local/runtime/app.ts";
import { keys, TTL_ATTRIBUTE } from "../../shared/adapters/dynamodb/table-design.ts";
import { SqsMessageQueue } from "../../shared/adapters/sqs/sqs-message-queue.ts";
import {
  ZaloTokenRefresher,
  type ZaloTokenStore,
  type ZaloTokens,
} from "../../shared/adapters/zalo/zalo-tokens.ts";
import { ZNS_TEMPLATE_URL } from "../../shared/adapters/zalo/zns-client.ts";
import { ForbiddenError, UnauthenticatedError } from "../../shared/app/actor.ts";
import { processEach, processFifo } from "../../shared/app/batch.ts";
import { CitizenChannels, type CitizenNoticeInput } from "../../shared/app/citizen-channels.ts";
import type { AgendaAlert } from "../../shared/app/dossier-records.ts";
import { ConcurrencyError } from "../../shared/app/ports.ts";
import { QueueSendError } from "../../shared/app/queue.ts";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UnsupportedDateError,
} from "../../shared/errors.ts";
import { useTestTable } from "../support/dynamodb.ts";
import { Harness, lambdaContext } from "./support/harness.ts";

describe("config", () => {
  it("fails fast with every missing variable of the function's contract", () => {
    const error = (() => {
      try {
        readConfig("sweep", { STAGE: "dev" });
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).missing).toEqual(["TABLE_NAME", "NOTIFY_QUEUE_URL", "APOLOGY_QUEUE_URL"]);
    expect((error as Error).message).toBe(
      "sweep: missing environment variable(s): TABLE_NAME, NOTIFY_QUEUE_URL, APOLOGY_QUEUE_URL",
    );
    expect(() => readConfig("api", {})).toThrow(/STAGE, TABLE_NAME, LETTERS_BUCKET, EVENTS_QUEUE_URL/);
  });

  it("reads the report grade thresholds from REPORT_GRADES and refuses a malformed scale at start", () => {
    const env = {
      STAGE: "dev",
      TABLE_NAME: "t",
      LETTERS_BUCKET: "b",
      EVENTS_QUEUE_URL: "https://sqs/q.fifo",
      REPORT_GRADES: '{"green":0.98,"yellow":0.9,"orange":0.8,"source":"QĐ 1/UBND"}',
    };

    expect(readConfig("api", env).grades).toMatchObject({ green: 0.98, yellow: 0.9, orange: 0.8 });
    expect(readConfig("api", { ...env, REPORT_GRADES: "" }).grades).toBeUndefined();
    expect(() => readConfig("api", { ...env, REPORT_GRADES: '{"green":0.5,"yellow":0.9}' })).toThrow(
      ConfigError,
    );
    expect(() => readConfig("api", { ...env, REPORT_GRADES: "not json" })).toThrow(/REPORT_GRADES/);
  });

  it("builds a function's ports from its environment alone (no other function's variables needed)", () => {
    const env = {
      STAGE: "dev",
      TABLE_NAME: "dunghan-dev",
      EVENTS_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/events.fifo",
      EVENTS_DLQ_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/events-dlq.fifo",
      AGENDA_SHARDS: "16",
    };

    const { config, ports } = composeApplyEvents(env);

    expect(config.env).toEqual({
      STAGE: "dev",
      TABLE_NAME: "dunghan-dev",
      EVENTS_QUEUE_URL: env.EVENTS_QUEUE_URL,
      EVENTS_DLQ_URL: env.EVENTS_DLQ_URL,
    });
    expect(config.agendaShards).toBe(16);
    expect(Object.keys(ports).sort()).toEqual([
      // TABLE_NAME: the repositories its use case takes and the working calendar over the table
      "apologyDrafts",
      "clock",
      "counters",
      "directories",
      "dossierQuery",
      "dossiers",
      "eventsDeadLetters", // EVENTS_DLQ_URL
      "eventsQueue", // EVENTS_QUEUE_URL
      "logger",
      "rejections",
      "workingTime",
    ]); // no notify or apology queue, SMS, e-mail or letters bucket: those are other functions' variables;
    // no agenda, alert log, rate limiter or sync tables: other functions' repositories
    expect(Object.keys(FUNCTION_ENV).sort()).toEqual(
      [
        "api",
        "apology",
        "apply-events",
        "digest",
        "ingest-api",
        "notify",
        "public-lookup",
        "sweep",
        "sync-api",
        "zalo-token-rotation",
      ].sort(),
    );
  });

  it("gives a second call with another environment its own configuration", () => {
    const env = {
      STAGE: "dev",
      TABLE_NAME: "dunghan-dev",
      NOTIFY_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/notify",
      APOLOGY_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/apology",
    };

    const first = composeSweep(env);
    const second = composeSweep({ ...env, STAGE: "prod", TABLE_NAME: "dunghan-prod" });

    expect([first.config.env.TABLE_NAME, second.config.env.TABLE_NAME]).toEqual([
      "dunghan-dev",
      "dunghan-prod",
    ]);
  });

  it("refuses, at compile time, a function given too few ports (checked by tsc)", () => {
    type SweepTakes = Parameters<typeof sweepFunction>[0];

    expectTypeOf<SweepPorts>().toExtend<SweepTakes>();
    expectTypeOf<Omit<SweepPorts, "apologyQueue">>().not.toExtend<SweepTakes>();
    expectTypeOf<Omit<SweepPorts, "metrics">>().not.toExtend<SweepTakes>();
  });
});

describe("the AWS composition root over a table", () => {
  const table = useTestTable();

  it("keeps alert records for ALERT_RETENTION_DAYS after the claim", async () => {
    const { config, ports } = composeSweep(
      {
        STAGE: "dev",
        TABLE_NAME: table.design.tableName,
        NOTIFY_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/notify",
        APOLOGY_QUEUE_URL: "https://sqs.ap-southeast-1.amazonaws.com/1/apology",
        ALERT_RETENTION_DAYS: "30",
      },
      { ...containerClients, dynamo: () => table.doc },
    );
    const alert: AgendaAlert = {
      at: "2026-11-20T07:30:00+07:00",
      dedupeKey: "000.00.00.H00-261116-0001:due-soon",
      rule: "due-soon",
      kind: "notice",
      recipientRole: "handler",
      recipientId: "cb-01",
      channel: "email",
      dossierCode: "000.00.00.H00-261116-0001",
      agencyId: "so-nnmt",
      appointmentVersion: 1,
      context: { procedureName: "Thủ tục", agencyName: "Sở", unitName: "Phòng" },
    };

    await ports.alerts.claim(alert.dedupeKey, { alert, claimedAt: "2026-11-20T00:00:00Z" });
    const { Item } = await table.doc.send(
      new GetCommand({ TableName: table.design.tableName, Key: keys.alertRecord(alert.dedupeKey) }),
    );

    expect(config.alertRetentionDays).toBe(30);
    expect(Item?.[TTL_ATTRIBUTE]).toBe(Date.UTC(2026, 11, 20) / 1000);
  });

  it("refuses an ALERT_RETENTION_DAYS that is not a whole number of days", () => {
    expect(() =>
      readConfig("digest", {
        STAGE: "dev",
        TABLE_NAME: "t",
        NOTIFY_QUEUE_URL: "https://sqs/notify",
        ALERT_RETENTION_DAYS: "1.5",
      }),
    ).toThrow('digest: ALERT_RETENTION_DAYS must be a whole number, got "1.5"');
  });
});

describe("the HTTP error map", () => {
  it("maps domain error codes once: 400, 401, 403, 404, 409; anything else 500 without details", () => {
    const status = (error: unknown) => errorResponse(error).statusCode;

    expect(status(new InvalidInputError("x"))).toBe(400);
    expect(status(new UnsupportedDateError("x"))).toBe(400);
    expect(status(new UnauthenticatedError("x"))).toBe(401);
    expect(status(new ForbiddenError("x"))).toBe(403);
    expect(status(new NotFoundError("x"))).toBe(404);
    expect(status(new ConflictError("x"))).toBe(409);
    expect(status(new ConcurrencyError("x", { reason: "stale-version" }))).toBe(409);
    expect(
      status(Object.assign(new Error("Unsupported Media Type"), { statusCode: 415, expose: true })),
    ).toBe(415);
    const internal = errorResponse(new Error("connect ECONNREFUSED 10.0.0.1:443 for 0912345678"));
    expect(internal.statusCode).toBe(500);
    expect(JSON.parse(internal.body!)).toEqual({ error: { code: "INTERNAL", message: "Internal error" } });
  });
});

describe("partial batch responses", () => {
  const rec = (messageId: string, groupId?: string) => ({ messageId, body: messageId, groupId });

  it("FIFO: fails a record and every later record of its group, not other groups", async () => {
    const seen: string[] = [];
    const result = await processFifo(
      [rec("a1", "A"), rec("b1", "B"), rec("a2", "A"), rec("b2", "B"), rec("a3", "A")],
      async (record) => {
        seen.push(record.messageId);
        if (record.messageId === "a2") throw new ConcurrencyError("stale");
      },
    );

    expect(result.failures.map((f) => f.messageId)).toEqual(["a2", "a3"]);
    expect(seen.sort()).toEqual(["a1", "a2", "b1", "b2"]);
    expect(result.failures[1]?.reason).toBe("after a2 failed");
  });

  it("standard queue: fails only the records that threw", async () => {
    const result = await processEach([rec("m1"), rec("m2"), rec("m3")], async (record) => {
      if (record.messageId === "m2") throw new Error("throttled");
    });

    expect(result.failures).toEqual([{ messageId: "m2", reason: "Error: throttled" }]);
  });
});

describe("SqsMessageQueue", () => {
  it("sends FIFO fields and attributes in batches of 10 and retries entries the service could not take", async () => {
    const calls: { Entries: { Id: string; MessageGroupId?: string; MessageAttributes?: unknown }[] }[] = [];
    let refuse = true;
    const client = {
      send: async (command: { input: (typeof calls)[number] }) => {
        calls.push(command.input);
        if (refuse && command.input.Entries.length === 10) {
          refuse = false;
          return { Failed: [{ Id: "3", Code: "InternalError", SenderFault: false }] };
        }
        return { Failed: [] };
      },
    } as unknown as SQSClient;
    const queue = new SqsMessageQueue({ client, queueUrl: "https://sqs/q.fifo" });

    await queue.send(
      Array.from({ length: 12 }, (_, i) => ({
        body: `m${i}`,
        groupId: "G",
        deduplicationId: `d${i}`,
        ...(i === 0 ? { attributes: { reason: "r" } } : {}),
      })),
    );

    expect(calls.map((c) => c.Entries.length).sort()).toEqual([1, 10, 2].sort());
    expect(calls[0]?.Entries[0]).toMatchObject({
      MessageGroupId: "G",
      MessageAttributes: { reason: { DataType: "String", StringValue: "r" } },
    });
  });

  it("reports entries refused for a sender fault without retrying them", async () => {
    const client = {
      send: async () => ({ Failed: [{ Id: "0", Code: "InvalidParameterValue", SenderFault: true }] }),
    } as unknown as SQSClient;

    await expect(new SqsMessageQueue({ client, queueUrl: "q" }).send([{ body: "x" }])).rejects.toBeInstanceOf(
      QueueSendError,
    );
  });
});

// ---- Citizens on Zalo (docs/zalo.md) ----------------------------------------------------------

const SECRET_ARN = "arn:aws:secretsmanager:ap-southeast-1:111122223333:secret:dunghan-zalo-AbCdEf";
const CHANNELS = readFileSync(new URL("../../examples/citizen-channels.json", import.meta.url), "utf8");
const NOTIFY_ENV = {
  STAGE: "dev",
  TABLE_NAME: "dunghan-dev",
  SMS_SENDER_ID: "DUNGHAN",
  EMAIL_FROM: "dunghan <no-reply@example.com>",
};

const RECEIPT: CitizenNoticeInput = {
  dedupeKey: "000.00.10.H01-261201-0001/citizen-receipt/v1/citizen/sms",
  agencyId: "ubnd-tan-an",
  data: {
    kind: "citizen-receipt",
    agencyName: "UBND phường Tân An",
    dossierCode: "000.00.10.H01-261201-0001",
    procedureName: "Đăng ký khai sinh",
    receivedAt: "2026-12-01T08:00:00+07:00",
    appointment: "2026-12-04T08:30:00+07:00",
    recipient: { honorific: "Bà", name: "Nguyễn Thị An" },
  },
  applicant: { phone: "0912345678", consent: { sms: true, email: false } },
};

/** A Secrets Manager client that answers every GetSecretValue with the tokens and records the ids. */
function secretsHolding(tokens: object) {
  const asked: unknown[] = [];
  const client = {
    send: async (command: { input: unknown; constructor: { name: string } }) => {
      asked.push({ command: command.constructor.name, input: command.input });
      return { SecretString: JSON.stringify(tokens) };
    },
  } as unknown as SecretsManagerClient;
  return { clients: { ...containerClients, secrets: () => client } satisfies AwsClients, asked };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("composeNotify and Zalo", () => {
  it("without ZALO_SECRET_ARN and CITIZEN_CHANNELS gives citizens SMS and e-mail as planned (no channels)", () => {
    const { config, ports } = composeNotify(NOTIFY_ENV);

    expect(config.zalo).toBeUndefined();
    expect("citizenChannels" in ports).toBe(false);
  });

  it("with both, sends a citizen notice by Zalo with the access token read from that secret", async () => {
    const secrets = secretsHolding({
      appId: "app",
      secretKey: "never-sent",
      accessToken: "oa-access-token",
      refreshToken: "oa-refresh-token",
      expiresAt: Date.now() + 24 * 3_600_000,
    });
    const calls: { url: string; headers: Record<string, string>; body: Record<string, unknown> }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push({
        url,
        headers: init.headers as Record<string, string>,
        body: JSON.parse(String(init.body)) as Record<string, unknown>,
      });
      return new Response(JSON.stringify({ error: 0, message: "Success", data: { msg_id: "zns-42" } }));
    });

    const { config, ports } = composeNotify(
      { ...NOTIFY_ENV, ZALO_SECRET_ARN: SECRET_ARN, CITIZEN_CHANNELS: CHANNELS },
      secrets.clients,
    );
    const channels = ports.citizenChannels;
    const outcome = await channels?.deliver(RECEIPT, {
      send: async () => {
        throw new Error("Zalo took it: no other channel is tried");
      },
      retry: (send) => send(),
    });

    expect(config.zalo?.secretArn).toBe(SECRET_ARN);
    expect(channels).toBeInstanceOf(CitizenChannels);
    expect(secrets.asked).toEqual([{ command: "GetSecretValueCommand", input: { SecretId: SECRET_ARN } }]);
    expect(calls.map((c) => [c.url, c.headers.access_token, c.body.phone, c.body.template_id])).toEqual([
      [ZNS_TEMPLATE_URL, "oa-access-token", "84912345678", "400001"],
    ]);
    expect(outcome).toMatchObject({ channel: "zalo", detail: { providerMessageId: "zns-42" } });
  });

  it("refuses, at cold start, one of the two variables without the other, or channels that do not parse", () => {
    const missing = (() => {
      try {
        readConfig("notify", { ...NOTIFY_ENV, ZALO_SECRET_ARN: SECRET_ARN });
      } catch (error) {
        return error;
      }
    })();

    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as ConfigError).missing).toEqual(["CITIZEN_CHANNELS"]);
    expect(() => readConfig("notify", { ...NOTIFY_ENV, CITIZEN_CHANNELS: CHANNELS })).toThrow(
      /ZALO_SECRET_ARN/,
    );
    expect(() =>
      readConfig("notify", {
        ...NOTIFY_ENV,
        ZALO_SECRET_ARN: SECRET_ARN,
        CITIZEN_CHANNELS: '{"order":["fax"]}',
      }),
    ).toThrow(/CITIZEN_CHANNELS is not a citizen channels configuration/);
    expect(() =>
      readConfig("notify", { ...NOTIFY_ENV, ZALO_SECRET_ARN: "dunghan-zalo", CITIZEN_CHANNELS: CHANNELS }),
    ).toThrow(/ZALO_SECRET_ARN is not a Secrets Manager secret ARN/);
    // Only notify reads them: another function ignores them.
    expect(
      readConfig("sweep", {
        ...NOTIFY_ENV,
        NOTIFY_QUEUE_URL: "q",
        APOLOGY_QUEUE_URL: "a",
        ZALO_SECRET_ARN: "x",
      }).zalo,
    ).toBeUndefined();
  });
});

describe("composeZaloTokenRotation", () => {
  it("needs only STAGE and turns each rotation step into calls on the secret the event names", async () => {
    const secrets = secretsHolding({});
    const { config, deps } = composeZaloTokenRotation({ STAGE: "prod" }, secrets.clients);

    // DescribeSecret first: this client answers without the version's stages, so the step stops there.
    await expect(
      deps.rotate({ SecretId: SECRET_ARN, ClientRequestToken: "v2", Step: "createSecret" }),
    ).rejects.toThrow(/not a version of the secret/);
    expect(config.stage).toBe("prod");
    expect(secrets.asked).toEqual([{ command: "DescribeSecretCommand", input: { SecretId: SECRET_ARN } }]);
  });
});

describe("the local root's Zalo token rotation", () => {
  const event = { SecretId: "local", ClientRequestToken: "v2", Step: "createSecret" } as const;

  it("renews the local token file with its refresh token, and refuses when Zalo is off", async () => {
    const harness = await Harness.start({ start: "2026-12-01T08:00:00+07:00" });
    try {
      let stored: ZaloTokens = { accessToken: "a1", refreshToken: "r1", expiresAt: 0 };
      const spent: string[] = [];
      const store: ZaloTokenStore = {
        read: async () => stored,
        write: async (tokens) => {
          stored = tokens;
        },
      };
      const refresher = new ZaloTokenRefresher({
        appId: "local-app",
        secretKey: "local-secret",
        now: () => harness.clock.now(),
        fetch: async (_url, init) => {
          spent.push(new URLSearchParams(String(init?.body)).get("refresh_token") ?? "");
          return new Response(
            JSON.stringify({ access_token: "a2", refresh_token: "r2", expires_in: 90_000 }),
          );
        },
      });
      const withZalo = makeHandlers(
        createApp({ ...harness.app.ports, zaloTokens: { store, refresher } }, { emailFrom: "a <a@b.vn>" }),
      );

      await expect(harness.handlers.zaloTokenRotation(event, lambdaContext)).rejects.toThrow(/Zalo is off/);
      await withZalo.zaloTokenRotation(event, lambdaContext);

      expect(spent).toEqual(["r1"]);
      expect(stored).toMatchObject({ accessToken: "a2", refreshToken: "r2" });
    } finally {
      await harness.dispose();
    }
  });
});
