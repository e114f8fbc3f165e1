import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { makePublicLookupHandler } from "../../functions/public-lookup.ts";
import { createLogger } from "../../shared/adapters/logging/redaction.ts";
import { PublicLookup } from "../../shared/app/public-lookup.ts";
import { InMemoryRateLimiter } from "../../shared/app/rate-limit.ts";
import { builtInWorkingTime, foldedDossiers } from "../support/folded-dossiers.ts";
import { anApology, aReceivedEvent, at, CODE } from "../unit/dossier/builders.ts";
import { lambdaContext } from "./support/harness.ts";

function handlerWith(limits?: ConstructorParameters<typeof PublicLookup>[1]) {
  const { repository } = foldedDossiers([aReceivedEvent({ id: "r1" }), anApology({ id: "a1" })]);
  const lookup = new PublicLookup(
    {
      dossiers: repository,
      workingTime: builtInWorkingTime,
      clock: { now: () => at("2026-11-26T10:00:00+07:00") },
      limiter: new InMemoryRateLimiter(),
    },
    limits,
  );
  return makePublicLookupHandler({ lookup, logger: createLogger({ level: "SILENT" }) });
}

async function post(
  handler: ReturnType<typeof handlerWith>,
  path: string,
  body: unknown,
  sourceIp = "203.0.113.5",
  headers: Record<string, string> = {},
) {
  const event = {
    version: "2.0",
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method: "POST", path, sourceIp }, routeKey: `POST ${path}` },
  } as unknown as APIGatewayProxyEventV2;
  return (await handler(event, lambdaContext)) as APIGatewayProxyStructuredResultV2;
}

describe("POST /public/lookup", () => {
  it("answers the applicant's view, never cached", async () => {
    const response = await post(handlerWith(), "/public/lookup", { code: CODE, phoneLast4: "5678" });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["cache-control"]).toBe("no-store");
    expect(JSON.parse(String(response.body))).toMatchObject({
      dossierCode: CODE,
      appointment: "2026-12-02T09:00:00+07:00",
    });
  });

  it("answers a wrong phone and an unknown code with the same 404 body", async () => {
    const handler = handlerWith();
    const wrongPhone = await post(handler, "/public/lookup", { code: CODE, phoneLast4: "1111" });
    const unknown = await post(handler, "/public/lookup", {
      code: "000.00.12.H42-261120-7777",
      phoneLast4: "5678",
    });
    expect([wrongPhone.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(wrongPhone.body).toBe(unknown.body);
  });

  it("refuses extra fields and says which", async () => {
    const response = await post(handlerWith(), "/public/lookup", {
      code: CODE,
      phoneLast4: "5678",
      name: "x",
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).error.code).toBe("INVALID_INPUT");
  });

  it("answers 429 with Retry-After once the client's limit is reached", async () => {
    const handler = handlerWith({
      perClient: { limit: 1, windowMs: 60_000 },
      failuresPerCode: { limit: 5, windowMs: 3_600_000 },
    });
    await post(handler, "/public/lookup", { code: CODE, phoneLast4: "5678" });
    const second = await post(handler, "/public/lookup", { code: CODE, phoneLast4: "5678" });
    expect(second.statusCode).toBe(429);
    expect(second.headers?.["retry-after"]).toBe("60");
  });
});

describe("POST /public/lookup behind CloudFront", () => {
  it("counts each viewer on its own though they share an edge address", async () => {
    const handler = handlerWith({
      perClient: { limit: 1, windowMs: 60_000 },
      failuresPerCode: { limit: 5, windowMs: 3_600_000 },
    });
    const edge = "130.176.0.10";
    const ask = (viewer: string) =>
      post(handler, "/public/lookup", { code: CODE, phoneLast4: "5678" }, edge, {
        "x-viewer-address": viewer,
      });
    const first = await ask("203.0.113.7");
    const otherViewer = await ask("198.51.100.23");
    const firstAgain = await ask("203.0.113.7");
    expect([first.statusCode, otherViewer.statusCode, firstAgain.statusCode]).toEqual([200, 200, 429]);
  });
});

describe("POST /public/lookup/calendar", () => {
  it("downloads the appointment as text/calendar", async () => {
    const response = await post(handlerWith(), "/public/lookup/calendar", { code: CODE, phoneLast4: "5678" });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.["content-type"]).toBe("text/calendar; charset=utf-8");
    expect(response.headers?.["content-disposition"]).toBe(`attachment; filename="hen-tra-${CODE}.ics"`);
    expect(String(response.body)).toContain("DTSTART:20261202T020000Z");
  });
});
