import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { AppLogger } from "../shared/app/logger.ts";
import { DomainError, InvalidInputError } from "../shared/errors.ts";

/**
 * The one map from typed errors to HTTP statuses (docs/architecture.md). Domain errors become 4xx with
 * their message and details (safe by contract: no personal data); middy's own 4xx HttpErrors
 * (415 from the body parser) keep their status; anything else is a 500 without details, logged.
 */
export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_INPUT: 400,
  UNSUPPORTED_DATE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Record<string, unknown>;
  };
}

export function errorResponse(error: unknown): APIGatewayProxyStructuredResultV2 & { statusCode: number } {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) {
      const response = json(status, {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
      // A 429 says when to come back (RFC 9110 §10.2.3 Retry-After).
      const retryAfter = error.details?.retryAfterSeconds;
      if (status === 429 && typeof retryAfter === "number")
        return { ...response, headers: { ...response.headers, "retry-after": String(retryAfter) } };
      return response;
    }
  }
  const http = error as { statusCode?: unknown; expose?: unknown; message?: unknown };
  if (
    typeof http.statusCode === "number" &&
    http.statusCode >= 400 &&
    http.statusCode < 500 &&
    http.expose !== false
  ) {
    return json(http.statusCode, {
      error: { code: `HTTP_${http.statusCode}`, message: String(http.message) },
    });
  }
  return json(500, { error: { code: "INTERNAL", message: "Internal error" } });
}

/** middy onError: shapes the response; logs 5xx as errors and 4xx as info (the logger redacts contacts). */
export function httpErrors(logger: AppLogger): MiddlewareObj {
  return {
    onError: async (request) => {
      const response = errorResponse(request.error);
      if (response.statusCode >= 500) logger.error("request failed", { error: request.error as Error });
      else logger.info("request refused", { statusCode: response.statusCode, body: response.body });
      request.response = response;
    },
  };
}

export function json(
  statusCode: number,
  body: unknown,
): APIGatewayProxyStructuredResultV2 & { statusCode: number } {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
  };
}

/**
 * The most a request body may carry (bytes, after base64 decoding): ten events at their longest
 * realistic size are about 60 KB; 512 KB also stays under one SQS batch (1 MiB) once re-encoded.
 * API Gateway itself lets 10 MB through, so the limit is the handler's. docs/security.md.
 */
export const MAX_BODY_BYTES = 512 * 1024;

const JSON_TYPE = /^application\/(.+\+)?json\s*(;|$)/i;

function headerOf(request: { event: unknown }, name: string): string | undefined {
  const headers = (request.event as { headers?: Record<string, string | undefined> }).headers ?? {};
  return headers[name] ?? headers[name.replace(/(^|-)\w/g, (c) => c.toUpperCase())];
}

function unsupportedMediaType(type: string | undefined): Error {
  const got = type === undefined ? "none" : JSON.stringify(type.slice(0, 100));
  return Object.assign(new Error(`Unsupported Media Type: expected application/json, got ${got}`), {
    statusCode: 415,
    expose: true,
  });
}

/**
 * Parses a JSON body when there is one (a GET with a JSON content type has none: middy's parser
 * would answer 415). A body of another type is a 415 — a form post or a text/plain "simple
 * request" never reaches a route (CSRF shapes, docs/security.md) —, a body over MAX_BODY_BYTES a
 * 413, a malformed body a 400.
 */
export function optionalJsonBody(): MiddlewareObj {
  return {
    before: async (request) => {
      const event = request.event as { body?: unknown; isBase64Encoded?: boolean };
      if (typeof event.body !== "string" || event.body.trim() === "") {
        event.body = undefined;
        return;
      }
      const type = headerOf(request, "content-type");
      if (type === undefined || !JSON_TYPE.test(type)) throw unsupportedMediaType(type);
      const bytes = event.isBase64Encoded
        ? Buffer.from(event.body, "base64")
        : Buffer.from(event.body, "utf8");
      if (bytes.length > MAX_BODY_BYTES) {
        throw Object.assign(
          new Error(`Payload Too Large: the body is ${bytes.length} bytes, at most ${MAX_BODY_BYTES}`),
          { statusCode: 413, expose: true },
        );
      }
      // fatal: invalid UTF-8 is refused, not silently turned into U+FFFD.
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        throw new InvalidInputError("the request body is not valid UTF-8");
      }
      try {
        event.body = JSON.parse(text);
      } catch {
        throw new InvalidInputError("the request body is not JSON");
      }
    },
  };
}

/**
 * A JSON body that must be there: a missing or malformed body is a 400 that says so (middy's
 * parser answers 415 to malformed JSON); another content type, or none, is a 415.
 */
export function requiredJsonBody(): MiddlewareObj {
  const parse = optionalJsonBody();
  return {
    before: async (request) => {
      const type = headerOf(request, "content-type");
      if (type === undefined || !JSON_TYPE.test(type)) throw unsupportedMediaType(type);
      await parse.before?.(request);
      if ((request.event as { body?: unknown }).body === undefined) {
        throw new InvalidInputError("the request has no body: expected a dossier event or a list of them");
      }
    },
  };
}
