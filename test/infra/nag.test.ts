import { App, Stack, Validations } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { addNagChecks } from "../../cdk/nag.ts";
import { PROD_CONTEXT, type Synthesized, synth } from "./synth.ts";

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  // Both stages differ in what they create (SES for Cognito, subscriptions, retention), so both are checked.
  dev = synth({});
  prod = synth(PROD_CONTEXT);
});

function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ""),
          reason,
        })),
      ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it.each([
    ["dev", () => dev],
    ["prod", () => prod],
  ])("finds nothing unacknowledged in %s (errors and warnings)", (_stage, get) => {
    const { violations } = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(get().app);
    expect(
      violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
  });

  it("acknowledges only granular findings, each on the resource it concerns, each with a reason", () => {
    const all = acknowledgments(prod.app);
    expect(all.length).toBeGreaterThan(0);
    for (const { path, id, reason } of all) {
      expect(id, path).toMatch(/^AwsSolutions-(IAM5\[(Resource|Action)::[^\]]+\]|L1|SQS3|CFR[124]|APIG4)$/);
      // Routes without an authorizer: the applicant's lookup and the sync senders' (each function checks its caller).
      if (id === "AwsSolutions-APIG4")
        expect(path).toMatch(
          /\/HttpApi\/POST--(public--lookup(--calendar)?|sync--dvcqg(--(create|update|progress|token))?)\/Resource$/,
        );
      expect(reason.trim().length, `${path} ${id}`).toBeGreaterThanOrEqual(40);
    }
    // No stack-wide or app-wide acknowledgment.
    expect(all.filter(({ path }) => path === prod.stack.node.path || path === "")).toEqual([]);
  });

  it("writes the reasons into the template next to the resources", () => {
    const metadata = Object.values(
      prod.template.toJSON().Resources as Record<string, { Metadata?: Record<string, unknown> }>,
    )
      .map(
        (resource) =>
          resource.Metadata?.cdk_nag as { rules_to_suppress: { id: string; reason: string }[] } | undefined,
      )
      .filter((entry) => entry !== undefined);
    expect(metadata.length).toBeGreaterThan(0);
    for (const entry of metadata) {
      for (const rule of entry.rules_to_suppress) expect(rule.reason.length).toBeGreaterThanOrEqual(40);
    }
  });

  it("stops synthesis when a finding is not acknowledged (the checks are wired as in cdk/app.ts)", () => {
    const app = new App();
    new Bucket(new Stack(app, "Unchecked"), "Bucket");
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|Validation failed/);
  });
});
