import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { JwtClaims } from "./local-auth.ts";

/** One HTTP API route, as the CDK stack declares it: `GET /dossiers/{code}`. */
export interface RouteSpec {
  method: string;
  path: string;
}

export interface MatchedRoute<R extends RouteSpec> {
  route: R;
  pathParameters: Record<string, string>;
}

/** Matches a request against HTTP API routes (`{name}` segments; `{proxy+}` greedy). */
export function matchRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  path: string,
): MatchedRoute<R> | undefined {
  // A malformed escape ("%E0%A4%A") matches no route (a 404), as on API Gateway, not a URIError.
  let segments: string[];
  try {
    segments = path.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  for (const route of routes) {
    if (route.method !== method && route.method !== "ANY") continue;
    const pattern = route.path.split("/").filter(Boolean);
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length; i++) {
      const part = pattern[i]!;
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy) {
        params[greedy[1]!] = segments.slice(i).join("/");
        return { route, pathParameters: params };
      }
      const segment = segments[i];
      const param = /^\{(\w+)\}$/.exec(part);
      if (segment === undefined) ok = false;
      else if (param) params[param[1]!] = segment;
      else if (part !== segment) ok = false;
      if (!ok) break;
    }
    if (ok && segments.length === pattern.length) return { route, pathParameters: params };
  }
  return undefined;
}

/** A body over the gateway's limit: answered 413, as API Gateway does over its 10 MB. */
export class BodyTooLargeError extends Error {
  readonly statusCode = 413;
  constructor(readonly limitBytes: number) {
    super(`Payload Too Large: the request body is over ${limitBytes} bytes`);
  }
}

/** The body's bytes, refused past `limitBytes` (API Gateway's own limit is 10 MB). */
export async function readBodyBytes(req: IncomingMessage, limitBytes = 1_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.resume(); // drain the rest without keeping it
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<string> {
  return (await readBodyBytes(req, limitBytes)).toString("utf8");
}

/**
 * The body as an API handler gets it. Bytes that are not UTF-8 are passed base64-encoded, as
 * API Gateway does for a binary body, so the handler — not this gateway — decides
 * (functions/http-errors.ts refuses them with a 400 and bodies over MAX_BODY_BYTES with a 413).
 */
export async function readApiBody(
  req: IncomingMessage,
  limitBytes = 1_000_000,
): Promise<{ body: string; isBase64Encoded: boolean }> {
  const bytes = await readBodyBytes(req, limitBytes);
  try {
    return { body: new TextDecoder("utf-8", { fatal: true }).decode(bytes), isBase64Encoded: false };
  } catch {
    return { body: bytes.toString("base64"), isBase64Encoded: true };
  }
}

/**
 * The token of `Authorization: Bearer …` — and nothing else. No cookie is read: a browser sends
 * cookies with a cross-site form post, so a cookie-authenticated API would be open to CSRF; a
 * header only a script of the dashboard's origin can set is not (docs/security.md).
 */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? "");
  return match?.[1];
}

/**
 * The API Gateway HTTP API (payload 2.0) event for a local request, with the JWT authorizer's
 * claims where API Gateway puts them — so the same handler runs locally and on AWS.
 */
export function toApiGatewayEvent(
  req: IncomingMessage,
  request: string | { body: string; isBase64Encoded: boolean },
  match: MatchedRoute<RouteSpec>,
  claims: JwtClaims | undefined,
  now: number,
): APIGatewayProxyEventV2 {
  const { body, isBase64Encoded } =
    typeof request === "string" ? { body: request, isBase64Encoded: false } : request;
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, name) => {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  });
  const method = req.method ?? "GET";
  const routeKey = `${match.route.method} ${match.route.path}`;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
    ...(body ? { body } : {}),
    isBase64Encoded,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: "127.0.0.1",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: req.socket?.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: `local-${now}-${Math.random().toString(36).slice(2, 10)}`,
      routeKey,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as APIGatewayProxyEventV2;
}

/** Writes a handler's result (a structured result or a bare value, as Lambda allows) to the response. */
export function sendResult(
  res: ServerResponse,
  result: APIGatewayProxyStructuredResultV2 | string | object | undefined,
): void {
  const structured =
    result && typeof result === "object" && "statusCode" in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : {
          statusCode: 200,
          body: typeof result === "string" ? result : JSON.stringify(result ?? null),
          headers: { "content-type": "application/json" },
        };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
  res.writeHead(structured.statusCode ?? 200, headers);
  const body = structured.body ?? "";
  res.end(structured.isBase64Encoded ? Buffer.from(body, "base64") : body);
}
