import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { AppLogger } from "../shared/app/logger.ts";
import { DomainError, InvalidInputError } from "../shared/errors.ts";

/**
 * The one map from typed errors to HTTP statuses (STYLE.md §6). Domain errors become 4xx with
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
      return json(status, {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
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
 * Parses a JSON body when there is one (a GET with a JSON content type has none: middy's parser
 * would answer 415). A malformed body is a 400.
 */
export function optionalJsonBody(): MiddlewareObj {
  return {
    before: async (request) => {
      const event = request.event as { body?: unknown; isBase64Encoded?: boolean };
      if (typeof event.body !== "string" || event.body.trim() === "") {
        event.body = undefined;
        return;
      }
      const text = event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
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
 * parser answers 415 to malformed JSON); another content type stays a 415.
 */
export function requiredJsonBody(): MiddlewareObj {
  const parse = optionalJsonBody();
  return {
    before: async (request) => {
      const headers = (request.event as { headers?: Record<string, string | undefined> }).headers ?? {};
      const type = headers["content-type"] ?? headers["Content-Type"];
      if (type !== undefined && !/^application\/(.+\+)?json(;|$)/i.test(type)) {
        throw Object.assign(new Error(`Unsupported Media Type: expected application/json, not ${type}`), {
          statusCode: 415,
          expose: true,
        });
      }
      await parse.before?.(request);
      if ((request.event as { body?: unknown }).body === undefined) {
        throw new InvalidInputError("the request has no body: expected a dossier event or a list of them");
      }
    },
  };
}
