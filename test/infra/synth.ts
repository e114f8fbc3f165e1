import { readFileSync } from "node:fs";
import { App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { defineDunghan } from "../../cdk/dunghan-app.ts";
import type { DunghanStack } from "../../cdk/dunghan-stack.ts";

/** A province's prod context, as docs/deploy.md shows it. */
export const PROD_CONTEXT = {
  stage: "prod",
  smsSenderId: "SONOIVU",
  emailFrom: "Sở Nội vụ <canhbao@sonoivu.example.gov.vn>",
  sesIdentity: "sonoivu.example.gov.vn",
  alarmEmail: "vanhanh@sonoivu.example.gov.vn",
} as const;

/** A prod stage with citizens on Zalo, the example channels given as JSON text (docs/deploy.md). */
export const ZALO_CONTEXT = {
  ...PROD_CONTEXT,
  zalo: "true",
  citizenChannels: readFileSync(new URL("../../examples/citizen-channels.json", import.meta.url), "utf8"),
} as const;

export interface Synthesized {
  readonly app: App;
  readonly stack: DunghanStack;
  readonly template: Template;
}

/**
 * The app exactly as cdk/app.ts builds it (cdk.json's feature flags, cdk-nag registered), minus
 * esbuild: `aws:cdk:bundling-stacks: []` makes NodejsFunction skip bundling (entries must exist).
 * Template.fromStack synthesises, so an unacknowledged cdk-nag finding fails it right here.
 */
export function synth(context: Record<string, string> = {}): Synthesized {
  const cdkJson = JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, ...context, "aws:cdk:bundling-stacks": [] } });
  const stack = defineDunghan(app);
  return { app, stack, template: Template.fromStack(stack) };
}

export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild as CfnElement | undefined;
  if (!child) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(child);
}

export type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>
>;

export function resources(template: Template, type?: string): Resources {
  const all = template.toJSON().Resources as Resources;
  if (type === undefined) return all;
  return Object.fromEntries(Object.entries(all).filter(([, resource]) => resource.Type === type));
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` → id; `{ Ref: id }` → id. */
export function refId(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === "string") return record.Ref;
  const getAtt = record["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
  return undefined;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Every Allow statement of the inline and managed policies attached to a role. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(resources(template))) {
    if (policy.Type !== "AWS::IAM::Policy" && policy.Type !== "AWS::IAM::ManagedPolicy") continue;
    const roles = (policy.Properties?.Roles ?? []) as unknown[];
    if (!roles.some((role) => refId(role) === roleId)) continue;
    const document = policy.Properties?.PolicyDocument as { Statement: Statement[] };
    statements.push(...document.Statement.filter((statement) => statement.Effect === "Allow"));
  }
  return statements;
}
