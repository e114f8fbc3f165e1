import type { App } from "aws-cdk-lib";
import { stageConfig } from "./config.ts";
import { DunghanStack } from "./dunghan-stack.ts";
import { addNagChecks } from "./nag.ts";

/**
 * The whole CDK app on an `App`: cdk/app.ts calls it with the CLI's context, the infra tests
 * with theirs, so both synthesise the same stack under the same cdk-nag checks.
 */
export function defineDunghan(app: App): DunghanStack {
  const config = stageConfig((key) => app.node.tryGetContext(key));
  // Pinned to a region (context `region`), not to an account: synthesis needs no credentials
  // and makes no lookups; `cdk deploy` takes the account from the AWS profile.
  const stack = new DunghanStack(app, `Dunghan-${config.stage}`, {
    config,
    env: { region: config.region },
    description: `dunghan (${config.stage}): Vietnamese one-stop dossiers kept on time`,
  });
  addNagChecks(app);
  return stack;
}
