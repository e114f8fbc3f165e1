import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliverNotices } from "../shared/app/deliver-notices.ts";
import { composeNotify } from "./composition-root.ts";
import { batchResponse, lambdaEntry, queueRecords } from "./lambda.ts";

export interface NotifyDeps {
  readonly notify: DeliverNotices;
  readonly logger: Logger;
}

/** SMS (SNS) and e-mail (SES) for the notify queue; throttled sends come back as batch item failures. */
export function makeNotifyHandler(deps: NotifyDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(deps.logger))
    .handler(async (event) => batchResponse(await deps.notify.deliverBatch(queueRecords(event))));
}

export const handler = lambdaEntry(() => makeNotifyHandler(composeNotify().deps));
