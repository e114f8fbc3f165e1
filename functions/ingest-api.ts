import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import * as z from "zod";
import type { IngestEvents } from "../shared/app/ingest-events.ts";
import type { Rejections } from "../shared/app/rejections.ts";
import { DossierCodeSchema } from "../shared/dossier/index.ts";
import { NotFoundError } from "../shared/errors.ts";
import { EVENT_STATUS_ROUTE, INGEST_ROUTE, routeKey } from "./api-routes.ts";
import { composeIngestApi } from "./composition-root.ts";
import { httpErrors, json, requiredJsonBody } from "./http-errors.ts";
import { lambdaEntry } from "./lambda.ts";
import { parseInput } from "./request.ts";

export interface IngestApiDeps {
  readonly ingest: IngestEvents;
  /** The status of one event sent: reads the dossier's log and the recorded refusals. */
  readonly status: Rejections;
  readonly logger: Logger;
}

const StatusPath = z.object({ eventId: z.string().min(1).max(200) });
const StatusQuery = z.object({ dossierCode: DossierCodeSchema });

/**
 * The province's e-one-stop system (IAM SigV4):
 * - `POST /events`: one event or a list of up to 10. 202 when all were queued; 400 with per-event
 *   reasons and nothing queued when any is invalid;
 * - `GET /events/{eventId}/status?dossierCode=`: `accepted` (queued), `applied`, or `refused` with
 *   the reason, error code and rule the worker gave.
 */
export function makeIngestApiHandler(deps: IngestApiDeps) {
  const send = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(requiredJsonBody())
    .handler(async (event) => json(202, await deps.ingest.ingest((event as { body?: unknown }).body)));
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(deps.logger))
    .use(httpErrors(deps.logger))
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      if (event.routeKey === routeKey(EVENT_STATUS_ROUTE)) {
        const { eventId } = parseInput(StatusPath, event.pathParameters ?? {}, "path");
        const { dossierCode } = parseInput(StatusQuery, event.queryStringParameters ?? {}, "query");
        return json(200, await deps.status.status(dossierCode, eventId));
      }
      if (event.routeKey === routeKey(INGEST_ROUTE)) return send(event, context);
      throw new NotFoundError(`no route ${event.routeKey}`);
    });
}

export const handler = lambdaEntry(() => makeIngestApiHandler(composeIngestApi().deps));
