import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SweepAgenda, SweepResult } from "../shared/app/sweep-agenda.ts";
import { composeSweep } from "./composition-root.ts";
import { lambdaEntry } from "./lambda.ts";

export interface SweepDeps {
  readonly sweep: SweepAgenda;
  readonly logger: Logger;
}

/** Every minute (EventBridge Scheduler): send what the agenda says is due; publishes SweepLagSeconds (EMF). */
export function makeSweepHandler(deps: SweepDeps) {
  return middy<unknown, SweepResult>()
    .use(injectLambdaContext(deps.logger))
    .handler(() => deps.sweep.run());
}

export const handler = lambdaEntry(() => makeSweepHandler(composeSweep().deps));
