import { beforeAll, describe, expect, it } from "vitest";
import type { DunghanStack } from "../../cdk/dunghan-stack.ts";
import { INDEX } from "../../shared/adapters/dynamodb/table-design.ts";
import {
  actionsOf,
  logicalId,
  PROD_CONTEXT,
  refId,
  resources,
  roleStatements,
  type Statement,
  type Synthesized,
  synth,
} from "./synth.ts";

let prod: Synthesized;
beforeAll(() => {
  prod = synth(PROD_CONTEXT);
});

/** The functions of every stack; the Zalo rotation (stage-optional) is pinned in zalo-stack.test.ts. */
type FunctionKey = Exclude<keyof DunghanStack["functions"], "zaloTokenRotation">;

/** What every function has: its own log group, X-Ray. */
const BASE = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];
/** What an SQS event source mapping uses on its queue. */
const CONSUME = [
  "sqs:ChangeMessageVisibility",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:ReceiveMessage",
];
const READ_WRITE = [
  "dynamodb:ConditionCheckItem",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
];

/**
 * functions/README.md, column "needs", as IAM actions (kms: only through the owning service), as
 * the landed use cases need them: apply-events also dead-letters poison events itself; the
 * digest and notify also read dossiers, the calendar and the directories (Query/GetItem) and
 * write alert records only.
 */
const CONTRACT: Record<FunctionKey, string[]> = {
  ingestApi: [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "sqs:SendMessage",
    "kms:GenerateDataKey",
    "kms:Decrypt",
    "kms:DescribeKey",
  ],
  applyEvents: [
    ...READ_WRITE,
    ...CONSUME,
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  sweep: [
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:Query",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  digest: [
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  notify: [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
    "sns:Publish",
    "ses:SendEmail",
    ...CONSUME,
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  apology: [
    ...READ_WRITE,
    "s3:PutObject",
    ...CONSUME,
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  api: [
    ...READ_WRITE,
    "dynamodb:BatchGetItem",
    "s3:GetObject",
    "s3:PutObject",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  publicLookup: [
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
  ],
  syncApi: [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "s3:PutObject",
    "sqs:SendMessage",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt", // the ledger's items, in the table encrypted with the data key
    "kms:GenerateDataKey",
  ],
};

function statementsOf(key: FunctionKey): Statement[] {
  return roleStatements(prod.template, logicalId(prod.stack.functions[key].role));
}

function actionSet(statements: readonly Statement[]): string[] {
  return [...new Set(statements.flatMap(actionsOf))].sort();
}

const KEYS = Object.keys(CONTRACT) as FunctionKey[];

const dashboardUploadRole = () => prod.stack.node.findChild("Dashboard").node.findChild("DeployRole");

describe("least privilege", () => {
  it.each(KEYS)("%s holds exactly what its use cases need", (key) => {
    expect(actionSet(statementsOf(key))).toEqual([...new Set([...BASE, ...CONTRACT[key]])].sort());
  });

  it("never allows dynamodb:Scan or a wildcard action, and attaches no AWS managed policy", () => {
    // Outside the application: the dashboard's upload role, whose grants aws-cdk-lib writes (below).
    const upload = logicalId(dashboardUploadRole());
    const everything = Object.values(resources(prod.template))
      .filter((r) => r.Type === "AWS::IAM::Policy" || r.Type === "AWS::IAM::ManagedPolicy")
      .filter((r) => !((r.Properties?.Roles ?? []) as unknown[]).some((role) => refId(role) === upload))
      .flatMap((policy) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = everything.flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => /scan/i.test(action))).toEqual([]);
    expect(actions.filter((action) => action.includes("*"))).toEqual([]);
    expect(Object.keys(resources(prod.template, "AWS::IAM::Role"))).not.toHaveLength(0);
    for (const role of Object.values(resources(prod.template, "AWS::IAM::Role"))) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });

  it("uses Resource * only for X-Ray and for SMS straight to phone numbers, held to the region", () => {
    for (const key of KEYS) {
      for (const statement of statementsOf(key).filter((s) => s.Resource === "*")) {
        const actions = actionsOf(statement);
        if (actions.every((action) => action.startsWith("xray:"))) continue;
        expect(actions, key).toEqual(["sns:Publish"]);
        expect(key).toBe("notify");
        expect(statement.Condition).toEqual({
          StringEquals: { "aws:RequestedRegion": { Ref: "AWS::Region" } },
        });
      }
    }
  });

  it("ingest-api reads only dossiers, the calendar and refusals (the status route), writes nothing to the table, cannot touch the bucket; notify cannot touch the bucket", () => {
    const ingest = statementsOf("ingestApi");
    expect(actionSet(ingest).filter((a) => a.startsWith("s3:"))).toEqual([]);
    const table = ingest.filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
    expect(table.map((s) => ({ actions: actionsOf(s).sort(), condition: s.Condition }))).toEqual([
      {
        actions: ["dynamodb:Query"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["DOSSIER#*", "CALENDAR"] } },
      },
      {
        actions: ["dynamodb:GetItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["REJECTED#*"] } },
      },
    ]);
    for (const statement of table) expect(JSON.stringify(statement.Resource)).not.toContain("/index/");
    expect(actionSet(statementsOf("notify")).filter((a) => a.startsWith("s3:"))).toEqual([]);
  });

  it("lets the api batch-read alert records only (a dossier's page), nothing else", () => {
    const batch = statementsOf("api").filter((s) => actionsOf(s).includes("dynamodb:BatchGetItem"));
    expect(batch.map((s) => ({ actions: actionsOf(s), condition: s.Condition }))).toEqual([
      {
        actions: ["dynamodb:BatchGetItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["ALERT#*"] } },
      },
    ]);
  });

  it("sync-api reads only the senders, the dossiers and the calendar, and writes only its own ledger", () => {
    const table = statementsOf("syncApi").filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
    expect(table.map((s) => ({ actions: actionsOf(s).sort(), condition: s.Condition }))).toEqual([
      {
        actions: ["dynamodb:GetItem", "dynamodb:Query"],
        condition: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["SYNC-SENDER", "DOSSIER#*", "CALENDAR"] },
        },
      },
      {
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["SYNC-LEDGER#*"] } },
      },
    ]);
  });

  it("digest writes alert records only (partition ALERT#…); notify also agenda entries (DOSSIER#…)", () => {
    const writes = [
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
    ];
    const partitions = { digest: ["ALERT#*"], notify: ["ALERT#*", "DOSSIER#*"] } as const;
    for (const key of ["digest", "notify"] as const) {
      const writing = statementsOf(key).filter((s) => actionsOf(s).some((a) => writes.includes(a)));
      expect(writing.length, key).toBe(1);
      expect(writing[0]?.Condition, key).toEqual({
        "ForAllValues:StringLike": { "dynamodb:LeadingKeys": partitions[key] },
      });
    }
  });

  it("lets the public lookup read dossiers and the calendar, and write nothing but its rate counters", () => {
    const table = statementsOf("publicLookup").filter((s) =>
      actionsOf(s).some((a) => a.startsWith("dynamodb:")),
    );
    expect(table.map((s) => ({ actions: actionsOf(s).sort(), condition: s.Condition }))).toEqual([
      {
        actions: ["dynamodb:Query"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["DOSSIER#*", "CALENDAR"] } },
      },
      {
        actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["RATE#*"] } },
      },
    ]);
    for (const statement of table) expect(JSON.stringify(statement.Resource)).not.toContain("/index/");
  });

  it("lets the digest, the sweep and the api Query only their own index", () => {
    const queried = (key: FunctionKey) =>
      statementsOf(key)
        .filter((s) => actionsOf(s).includes("dynamodb:Query"))
        .map((s) => JSON.stringify(s.Resource));
    expect(queried("digest")).toEqual([expect.stringContaining(`/index/${INDEX.byAgencyStatus}`)]);
    expect(queried("sweep")).toEqual([expect.stringContaining(`/index/${INDEX.agenda}`)]);
    // GET /dossiers and GET /apologies both read by-agency-status; the table's own Query is the other.
    expect(queried("api").filter((resource) => resource.includes("/index/"))).toEqual([
      expect.stringContaining(`/index/${INDEX.byAgencyStatus}`),
    ]);
  });

  it("sends e-mail only from the configured address, through the configured SES identity", () => {
    const [ses] = statementsOf("notify").filter((s) => actionsOf(s).includes("ses:SendEmail"));
    expect(ses?.Condition).toEqual({ StringEquals: { "ses:FromAddress": "canhbao@sonoivu.example.gov.vn" } });
    expect(JSON.stringify(ses?.Resource)).toContain(`:identity/${PROD_CONTEXT.sesIdentity}`);
  });

  it("uses the data key only through DynamoDB, SQS or S3 (or to read its own queue)", () => {
    for (const key of KEYS) {
      for (const statement of statementsOf(key).filter((s) =>
        actionsOf(s).some((a) => a.startsWith("kms:")),
      )) {
        expect(statement.Resource, key).toEqual({
          "Fn::GetAtt": [logicalId(prod.stack.node.findChild("DataKey")), "Arn"],
        });
        const via = JSON.stringify(statement.Condition ?? {});
        const consumerDecrypt = statement.Action === "kms:Decrypt" && statement.Condition === undefined;
        expect(consumerDecrypt || /kms:ViaService.*(dynamodb|sqs|s3)\./.test(via), `${key}: ${via}`).toBe(
          true,
        );
      }
    }
  });

  it("lets the dashboard's upload copy from the CDK assets bucket into the dashboard bucket, and nothing else", () => {
    const statements = roleStatements(prod.template, logicalId(dashboardUploadRole()));
    const files = logicalId(prod.stack.node.findChild("Dashboard").node.findChild("Files"));
    for (const statement of statements) {
      const actions = actionsOf(statement);
      const targets = JSON.stringify(statement.Resource);
      if (actions.every((action) => action.startsWith("logs:"))) {
        expect(targets).toContain("DashboardDeployLogs");
      } else {
        expect(actions.every((action) => action.startsWith("s3:"))).toBe(true);
        expect(targets.includes(files) || /cdk-[a-z0-9]+-assets-/.test(targets), targets).toBe(true);
        // Writes go to the dashboard bucket only.
        if (actions.some((action) => /^s3:(Put|Delete|Abort)/.test(action))) {
          expect(targets).not.toMatch(/cdk-[a-z0-9]+-assets-/);
        }
      }
    }
  });

  it("lets EventBridge Scheduler invoke only the sweep and the digest", () => {
    const role = prod.stack.node.findChild("SchedulerRole");
    const statements = roleStatements(prod.template, logicalId(role));
    expect(actionSet(statements)).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
    const invoked = JSON.stringify(
      statements.find((s) => actionsOf(s).includes("lambda:InvokeFunction"))?.Resource,
    );
    const { sweep, digest, api } = prod.stack.functions;
    expect(invoked).toContain(logicalId(sweep.lambda));
    expect(invoked).toContain(logicalId(digest.lambda));
    expect(invoked).not.toContain(logicalId(api.lambda));
  });
});
