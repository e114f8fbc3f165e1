import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { ApologyDrafts } from "../shared/app/apology-drafts.ts";
import { composeApology } from "./composition-root.ts";
import { batchResponse, lambdaEntry, queueRecords } from "./lambda.ts";

export interface ApologyDeps {
  readonly apologies: ApologyDrafts;
  readonly logger: Logger;
}

/** The apology queue: drafts the apology letter (HTML + DOCX into the letters bucket) for a leader to approve. */
export function makeApologyHandler(deps: ApologyDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger))
    .handler(async (event) => batchResponse(await deps.apologies.createRequestedBatch(queueRecords(event))));
}

export const handler = lambdaEntry(() => makeApologyHandler(composeApology().deps));
