import { afterEach, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../functions/http-errors.ts";
import { aDossierCode, directoryA, received } from "./support/builders.ts";
import { Harness, lambdaContext } from "./support/harness.ts";

/**
 * The HTTP edge as Lambda sees it on AWS — API Gateway passes up to 10 MB, any bytes and any
 * Content-Type through — attacked directly (docs/security.md): each a 4xx that says why, nothing queued.
 */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});
const start = () =>
  Harness.start({ start: "2026-11-16T10:00:00+07:00", directories: [directoryA] }).then((h) => {
    harness = h;
    return h;
  });

interface Raw {
  body?: string;
  type?: string;
  base64?: boolean;
}
function event(routeKey: string, raw: Raw, extra: Record<string, unknown> = {}) {
  return {
    version: "2.0",
    routeKey,
    headers: raw.type === undefined ? {} : { "content-type": raw.type },
    ...(raw.body === undefined ? {} : { body: raw.body }),
    isBase64Encoded: raw.base64 ?? false,
    requestContext: {},
    ...extra,
  } as never;
}
const parse = (result: unknown) => {
  const { statusCode, body } = result as { statusCode: number; body: string };
  return { status: statusCode, error: JSON.parse(body).error as { code: string; message: string } };
};

describe("POST /events at the edge", () => {
  it.each([
    ["no Content-Type", { body: "{}" }, 415, /expected application\/json, got none/],
    [
      "a form",
      { body: "a=1", type: "application/x-www-form-urlencoded" },
      415,
      /got "application\/x-www-form-urlencoded"/,
    ],
    ["text/plain with JSON in it", { body: "{}", type: "text/plain" }, 415, /text\/plain/],
    [
      "a body over the limit",
      { body: `"${"a".repeat(MAX_BODY_BYTES)}"`, type: "application/json" },
      413,
      /at most 524288/,
    ],
    [
      "a base64 body over the limit",
      {
        body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x61).toString("base64"),
        type: "application/json",
        base64: true,
      },
      413,
      /Payload Too Large/,
    ],
    [
      "bytes that are not UTF-8",
      {
        body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString("base64"),
        type: "application/json",
        base64: true,
      },
      400,
      /not valid UTF-8/,
    ],
    [
      "deeply nested arrays",
      { body: `${"[".repeat(200_000)}${"]".repeat(200_000)}`, type: "application/json" },
      400,
      /invalid/,
    ],
    ["an empty list", { body: "[]", type: "application/json" }, 400, /1 to 10 events \(got 0\)/],
    ["null", { body: "null", type: "application/json" }, 400, /invalid/],
  ])("refuses %s", async (_, raw, status, message) => {
    const h = await start();
    const result = parse(await h.handlers.ingest(event("POST /events", raw as Raw), lambdaContext));
    expect(result.status).toBe(status);
    expect(result.error.message).toMatch(message);
    expect(h.eventsSent.sent).toHaveLength(0);
  });

  it("accepts the same event with a JSON content type and a charset (the control)", async () => {
    const h = await start();
    const body = JSON.stringify(received(aDossierCode(), { at: "2026-11-16T09:00:00+07:00" }));
    const result = await h.handlers.ingest(
      event("POST /events", { body, type: "application/json; charset=utf-8" }),
      lambdaContext,
    );
    expect((result as { statusCode: number }).statusCode).toBe(202);
    expect(h.eventsSent.sent).toHaveLength(1);
  });
});

describe("the staff API at the edge", () => {
  const claims = { sub: "ld-a", name: "Lãnh đạo", "custom:agencyId": "so-a", "cognito:groups": "[leader]" };
  const apiEvent = (raw: Raw, withClaims = true) =>
    event("PATCH /dossiers/{code}/apologies/{draftId}", raw, {
      pathParameters: { code: aDossierCode(), draftId: "d-1" },
      requestContext: withClaims ? { authorizer: { jwt: { claims } } } : {},
    });

  it("refuses a form or text/plain body before any route runs (CSRF shapes)", async () => {
    const h = await start();
    for (const type of [
      "application/x-www-form-urlencoded",
      "text/plain",
      "multipart/form-data; boundary=x",
    ]) {
      const result = parse(await h.handlers.api(apiEvent({ body: "reason=x", type }), lambdaContext));
      expect(result.status).toBe(415);
    }
  });

  it("answers 401 without the authorizer's claims, whatever the body", async () => {
    const h = await start();
    const result = parse(
      await h.handlers.api(apiEvent({ body: "{}", type: "application/json" }, false), lambdaContext),
    );
    expect(result).toMatchObject({ status: 401, error: { code: "UNAUTHENTICATED" } });
  });
});
