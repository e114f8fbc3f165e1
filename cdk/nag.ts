import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin: a finding (error or warning) that is not
 * acknowledged stops `cdk synth`. The acknowledgments are also written into the template's
 * Metadata (`cdk_nag.rules_to_suppress`) so a reviewer sees each reason next to its resource.
 */
export function addNagChecks(app: App): AwsSolutionsChecks {
  const checks = new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true });
  Validations.of(app).addPlugins(checks);
  return checks;
}

/**
 * Acknowledges one cdk-nag finding on one construct (and its children). `id` is the rule, or for
 * granular rules the finding: `AwsSolutions-IAM5[Resource::*]`. The reason must say why the
 * finding is right here, not that it was reviewed.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`cdk-nag acknowledgment of ${id} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}
