import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { DigestRun, SendDigests } from "../shared/app/send-digests.ts";
import { composeDigest } from "./composition-root.ts";
import { lambdaEntry } from "./lambda.ts";

export interface DigestDeps {
  readonly digests: SendDigests;
  readonly logger: Logger;
}

/** 07:30 Monday–Saturday, Asia/Ho_Chi_Minh: one digest per leader on working days (làm bù Saturdays included). */
export function makeDigestHandler(deps: DigestDeps) {
  return middy<unknown, DigestRun>()
    .use(injectLambdaContext(deps.logger))
    .handler(() => deps.digests.run());
}

export const handler = lambdaEntry(() => makeDigestHandler(composeDigest().deps));
