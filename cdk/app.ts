import { App } from "aws-cdk-lib";
import { DunghanStack } from "./dunghan-stack.ts";

// One stack per stage; `npx cdk synth -c stage=prod`. Synthesis needs no AWS account.
const app = new App();
const stage = String(app.node.tryGetContext("stage") ?? "dev");
new DunghanStack(app, `Dunghan-${stage}`, { stage });
