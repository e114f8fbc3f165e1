import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { DeliverNotices } from "../shared/app/deliver-notices.ts";
import { batchResponse, lambdaEntry, queueRecords } from "./lambda.ts";
import { production } from "./production.ts";
import { buildNotify } from "./wiring.ts";

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

export const handler = lambdaEntry(() => {
  const { wiring, logger } = production("notify");
  return makeNotifyHandler({ notify: buildNotify(wiring), logger });
});
