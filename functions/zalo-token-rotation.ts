import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { RotationEvent } from "../shared/adapters/zalo/zalo-secret-rotation.ts";
import { composeZaloTokenRotation } from "./composition-root.ts";
import { lambdaEntry } from "./lambda.ts";

export interface ZaloTokenRotationDeps {
  /**
   * One step of a rotation of the Zalo token secret (createSecret renews the tokens with Zalo's
   * refresh token, finishSecret makes them current); locally, renews the token file.
   */
  readonly rotate: (event: RotationEvent) => Promise<void>;
  readonly logger: Logger;
}

/**
 * The Zalo token secret's rotation function (cdk/zalo-secret.ts): Secrets Manager calls it with
 * each rotation step (docs/zalo.md, "Tokens"). A failure is thrown: Secrets Manager retries it,
 * and a refused refresh has already raised the alarm.
 */
export function makeZaloTokenRotationHandler(deps: ZaloTokenRotationDeps) {
  return middy<RotationEvent, void>()
    .use(injectLambdaContext(deps.logger))
    .handler((event) => deps.rotate(event));
}

export const handler = lambdaEntry(() => makeZaloTokenRotationHandler(composeZaloTokenRotation().deps));
