import { App } from "aws-cdk-lib";
import { defineDunghan } from "./dunghan-app.ts";

// One stack per stage: `npx cdk synth -c stage=prod -c smsSenderId=… …` (docs/deploy.md).
defineDunghan(new App());
