import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { ApplyEvents } from "../shared/app/apply-events.ts";
import { composeApplyEvents } from "./composition-root.ts";
import { batchResponse, lambdaEntry, queueRecords } from "./lambda.ts";

export interface ApplyEventsDeps {
  readonly applyEvents: ApplyEvents;
  readonly logger: Logger;
}

/**
 * The worker on the events FIFO queue: partial batch response; transient failures (a stale
 * version) fail the record and the later ones of its dossier; poison goes to the DLQ with its reason.
 */
export function makeApplyEventsHandler(deps: ApplyEventsDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger))
    .handler(async (event) => batchResponse(await deps.applyEvents.applyBatch(queueRecords(event))));
}

export const handler = lambdaEntry(() => makeApplyEventsHandler(composeApplyEvents().deps));
