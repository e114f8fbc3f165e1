import { beforeAll, describe, expect, it } from "vitest";
import { stageConfig } from "../../cdk/config.ts";
import { actionsOf, PROD_CONTEXT, resources, type Statement, type Synthesized, synth } from "./synth.ts";

/**
 * The deployed attack surface read from the CDK template (docs/security.md): who may
 * assume each role, which resource policies open anything to everyone, every `Resource: "*"` and
 * its reason, and CORS. test/infra/iam.test.ts holds each function's exact actions.
 */
let prod: Synthesized;
let withDashboard: Synthesized;
beforeAll(() => {
  prod = synth(PROD_CONTEXT);
  withDashboard = synth({ ...PROD_CONTEXT, dashboardOrigins: "https://motcua.example.gov.vn" });
});

type Principal = string | Record<string, unknown>;
interface PolicyStatement extends Statement {
  Principal?: Principal;
  NotPrincipal?: Principal;
  NotAction?: unknown;
  NotResource?: unknown;
}

function documents(synthesized: Synthesized): { where: string; statements: PolicyStatement[] }[] {
  const out: { where: string; statements: PolicyStatement[] }[] = [];
  for (const [id, resource] of Object.entries(resources(synthesized.template))) {
    const properties = resource.Properties ?? {};
    for (const key of ["PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"]) {
      const document = properties[key] as { Statement?: PolicyStatement[] } | undefined;
      if (document?.Statement) out.push({ where: `${id}.${key}`, statements: document.Statement });
    }
  }
  return out;
}

const isEveryone = (principal: Principal | undefined) =>
  principal === "*" ||
  (typeof principal === "object" &&
    principal !== null &&
    [principal.AWS].flat().some((value) => value === "*"));

describe("IAM and resource policies", () => {
  it("lets each role be assumed by an AWS service only, never by any account or principal", () => {
    const roles = Object.entries(resources(prod.template, "AWS::IAM::Role"));
    expect(roles.length).toBeGreaterThan(0);
    for (const [id, role] of roles) {
      const trust = role.Properties?.AssumeRolePolicyDocument as { Statement: PolicyStatement[] };
      for (const statement of trust.Statement) {
        expect(Object.keys(statement.Principal as object), id).toEqual(["Service"]);
        expect(actionsOf(statement), id).toEqual(["sts:AssumeRole"]);
      }
    }
  });

  it("uses no NotAction, NotResource or NotPrincipal with Allow (they grant everything else)", () => {
    for (const { where, statements } of documents(prod)) {
      for (const statement of statements.filter((s) => s.Effect === "Allow")) {
        expect(statement.NotAction, where).toBeUndefined();
        expect(statement.NotResource, where).toBeUndefined();
        expect(statement.NotPrincipal, where).toBeUndefined();
      }
    }
  });

  it("opens no resource to everyone: a Principal * statement is a Deny, or held by a condition", () => {
    const open = documents(prod).flatMap(({ where, statements }) =>
      statements
        .filter((s) => s.Effect === "Allow" && isEveryone(s.Principal) && s.Condition === undefined)
        .map((s) => `${where}: ${JSON.stringify(s.Action)}`),
    );
    expect(open).toEqual([]);
  });

  it('uses Resource "*" only where IAM has no narrower resource, each for a stated reason', () => {
    /**
     * - xray:Put*: X-Ray has no resource-level permissions.
     * - sns:Publish to a phone number: SMS has no topic ARN; notify's statement is held to the region.
     * - kms: in a key policy, "*" means "this key".
     * - the dashboard's upload role and the CDK's own log-retention/bucket-deployment helpers:
     *   written by aws-cdk-lib (cdk-nag acknowledges them in cdk/nag.ts).
     */
    const reasons: [RegExp, string][] = [
      [/^xray:/, "X-Ray"],
      [/^sns:Publish$/, "SMS"],
      [/^kms:/, "key policy"],
      [/^(logs:|s3:|cloudfront:|lambda:)/, "aws-cdk-lib helper"],
    ];
    const unexplained: string[] = [];
    const seen = new Set<string>();
    for (const { where, statements } of documents(prod)) {
      for (const statement of statements.filter((s) => s.Effect === "Allow" && s.Resource === "*")) {
        for (const action of actionsOf(statement)) {
          const reason = reasons.find(([pattern]) => pattern.test(action));
          seen.add(reason?.[1] ?? action);
          if (!reason) unexplained.push(`${where}: ${action}`);
          if (reason?.[1] === "key policy") expect(where, action).toMatch(/KeyPolicy$/);
          if (reason?.[1] === "SMS") {
            expect(statement.Condition, where).toEqual({
              StringEquals: { "aws:RequestedRegion": { Ref: "AWS::Region" } },
            });
          }
        }
      }
    }
    expect(unexplained).toEqual([]);
    // The test sees what it checks: X-Ray, SMS and key policies are all in the template.
    expect([...seen]).toEqual(expect.arrayContaining(["X-Ray", "SMS", "key policy"]));
  });
});

describe("CORS", () => {
  it("is off unless the dashboard's origins are configured", () => {
    const [api] = Object.values(resources(prod.template, "AWS::ApiGatewayV2::Api"));
    expect(api?.Properties?.CorsConfiguration).toBeUndefined();
  });

  it("allows only the configured origin, no credentials, the Authorization header and JSON", () => {
    const [api] = Object.values(resources(withDashboard.template, "AWS::ApiGatewayV2::Api"));
    const cors = api?.Properties?.CorsConfiguration as Record<string, unknown>;
    expect(cors.AllowOrigins).toEqual(["https://motcua.example.gov.vn"]);
    expect(cors.AllowCredentials).not.toBe(true);
    expect(cors.AllowHeaders).toEqual(["authorization", "content-type"]);
    expect(cors.AllowMethods).not.toContain("*");
  });

  it("refuses a wildcard or plain-http origin in the configuration", () => {
    const context: Record<string, string> = { ...PROD_CONTEXT };
    const load = (dashboardOrigins: string) => () =>
      stageConfig((key) => (key === "dashboardOrigins" ? dashboardOrigins : context[key]));
    expect(load("https://motcua.example.gov.vn")).not.toThrow();
    for (const origin of [
      "*",
      "https://*.example.gov.vn",
      "http://evil.example",
      "null",
      "https://a.vn/path",
    ]) {
      expect(load(origin), origin).toThrow(/dashboardOrigins/);
    }
  });
});
