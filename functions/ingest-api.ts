import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { IngestEvents } from "../shared/app/ingest-events.ts";
import { composeIngestApi } from "./composition-root.ts";
import { httpErrors, json, requiredJsonBody } from "./http-errors.ts";
import { lambdaEntry } from "./lambda.ts";

export interface IngestApiDeps {
  readonly ingest: IngestEvents;
  readonly logger: Logger;
}

/**
 * `POST /events` (IAM SigV4: the province's e-one-stop system): one event or a list of up to 10.
 * 202 when all were queued; 400 with per-event reasons and nothing queued when any is invalid.
 */
export function makeIngestApiHandler(deps: IngestApiDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(deps.logger))
    .use(httpErrors(deps.logger))
    .use(httpHeaderNormalizer())
    .use(requiredJsonBody())
    .handler(async (event) => json(202, await deps.ingest.ingest((event as { body?: unknown }).body)));
}

export const handler = lambdaEntry(() => makeIngestApiHandler(composeIngestApi().deps));
