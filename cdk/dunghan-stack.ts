import { Stack, type StackProps, Tags } from "aws-cdk-lib";
import type { Construct } from "constructs";

export interface DunghanStackProps extends StackProps {
  stage: string;
}

/**
 * dunghan as a province deploys it. The table, functions, schedules, queues and alarms are added
 * by the serverless-backbone work; this stack already synthesises offline.
 */
export class DunghanStack extends Stack {
  constructor(scope: Construct, id: string, props: DunghanStackProps) {
    super(scope, id, props);
    Tags.of(this).add("app", "dunghan");
    Tags.of(this).add("stage", props.stage);
  }
}
