import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import middy from "@middy/core";
import { EmfMetrics } from "../shared/adapters/logging/emf-metrics.ts";
import { createLogger } from "../shared/adapters/logging/redaction.ts";
import { type RotationEvent, rotateZaloSecret } from "../shared/adapters/zalo/zalo-secret-rotation.ts";

/**
 * The Zalo token secret's rotation function (cdk/zalo-secret.ts): Secrets Manager calls it with
 * each rotation step; the tokens are renewed with Zalo's refresh token (docs/zalo.md).
 */
export function makeZaloTokenRotationHandler(deps: Omit<Parameters<typeof rotateZaloSecret>[1], "now">) {
  return middy<RotationEvent, void>().handler((event) => rotateZaloSecret(event, { ...deps, now: Date.now }));
}

const stage = process.env.STAGE ?? "dev";
export const handler = makeZaloTokenRotationHandler({
  client: new SecretsManagerClient({}),
  metrics: new EmfMetrics({ stage }),
  logger: createLogger({ serviceName: "dunghan-zalo-token-rotation" }),
});
