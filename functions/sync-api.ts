import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { AppLogger } from "../shared/app/logger.ts";
import type { ReceiveSync, SyncReplyBody, SyncRoute } from "../shared/app/sync-receive.ts";
import { InvalidInputError } from "../shared/errors.ts";
import { routeKey, SYNC_ROUTES, SYNC_TOKEN_ROUTE } from "./api-routes.ts";
import { composeSyncApi } from "./composition-root.ts";
import { errorResponse, json, requiredJsonBody } from "./http-errors.ts";
import { lambdaEntry } from "./lambda.ts";

export interface SyncApiDeps {
  readonly receive: ReceiveSync;
  readonly logger: Logger;
}

const ROUTE_BY_KEY: ReadonlyMap<string, SyncRoute> = new Map(
  SYNC_ROUTES.map((route) => [routeKey(route), route.sync]),
);

/**
 * `POST /sync/dvcqg[/create|/update|/progress]`: a one-stop system's national sync payload, as it
 * sends it to Cổng DVCQG. Every answer, refusals included, is `{"error_code","message"}`
 * (docs/integration.md).
 */
export function makeSyncApiHandler(deps: SyncApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(deps.logger))
    .use(senderErrors(deps.logger))
    .use(httpHeaderNormalizer())
    .use(requiredJsonBody())
    .handler(async (event) => {
      if (event.routeKey === routeKey(SYNC_TOKEN_ROUTE)) {
        const receipt = await deps.receive.token((event as { body?: unknown }).body);
        return json(receipt.statusCode, receipt.body);
      }
      const route = ROUTE_BY_KEY.get(event.routeKey);
      if (route === undefined) throw new InvalidInputError(`no sync route ${event.routeKey}`);
      const body = (event as { body?: unknown }).body;
      const receipt = await deps.receive.receive({ route, body, credential: credentialOf(event, body) });
      return json(receipt.statusCode, receipt.body);
    });
}

/**
 * The sender's credential, wherever its software can put it without a code change: the
 * `Authorization: Bearer` header; the envelope's `session` field (OpenCPS fills it from its
 * configuration); the `key` query parameter of a configured URL (TD's client sets no header and
 * sends a bare array: only its URLs are configuration).
 */
export function credentialOf(event: APIGatewayProxyEventV2, body: unknown): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(event.headers?.authorization ?? "")?.[1];
  if (bearer) return bearer;
  const session =
    body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as { session?: unknown }).session
      : undefined;
  if (typeof session === "string" && session !== "") return session;
  return event.queryStringParameters?.key || undefined;
}

/** Errors in the senders' shape; the status is the one map's (http-errors.ts). */
function senderErrors(logger: AppLogger): MiddlewareObj {
  return {
    onError: async (request) => {
      const shaped = errorResponse(request.error);
      const status = shaped.statusCode;
      const message =
        status >= 500
          ? "Lỗi hệ thống, xin gửi lại sau"
          : (JSON.parse(String(shaped.body)) as { error: { message: string } }).error.message;
      if (status >= 500) logger.error("sync request failed", { error: request.error as Error });
      else logger.info("sync request refused", { statusCode: status, message });
      request.response = json(status, { error_code: String(status), message } satisfies SyncReplyBody);
    },
  };
}

export const handler = lambdaEntry(() => makeSyncApiHandler(composeSyncApi().deps));
