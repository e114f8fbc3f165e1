import { Aws, type CfnElement, Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer, HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolEmail,
} from "aws-cdk-lib/aws-cognito";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import {
  API_ROUTES,
  type Caller,
  E_ONE_STOP_ROUTES,
  PUBLIC_ROUTES,
  routeKey,
} from "../functions/api-routes.ts";
import { INDEX, keys } from "../shared/adapters/dynamodb/table-design.ts";
import { GROUPS } from "../shared/app/actor.ts";
import type { StageConfig } from "./config.ts";
import { DashboardSite } from "./dashboard-site.ts";
import type { DunghanData } from "./data.ts";
import { DunghanFunction, pascal, READ_WRITE } from "./dunghan-function.ts";
import { DvcqgSync } from "./dvcqg-sync.ts";
import type { DunghanMessaging } from "./messaging.ts";
import { acknowledge } from "./nag.ts";

/** The local stack's dashboard (`npm start`), registered with Cognito only with `dashboardLocalCallbacks`. */
export const LOCAL_DASHBOARD_URL = "http://localhost:3000/dashboard/";

export interface StaffApiProps {
  readonly config: StageConfig;
  readonly removalPolicy: RemovalPolicy;
  readonly data: DunghanData;
  readonly messaging: DunghanMessaging;
}

/**
 * The HTTP API and who may call it: `POST /events` for the province's one-stop system (IAM,
 * SigV4, through the EventsPublisher policy) and the dashboard routes for officials (Cognito
 * users, MFA required), with the ingest-api and api functions behind them, the leaders'
 * dashboard (DashboardSite) and Cognito's managed login. A group of resources created in the
 * given scope (the stack) with their old ids, not a construct level: see DunghanData for why.
 */
export class StaffApi {
  readonly functions: Readonly<Record<"ingestApi" | "api" | "publicLookup" | "syncApi", DunghanFunction>>;
  /** The national sync payload's function and its raw-payload bucket. */
  readonly sync: DvcqgSync;
  readonly userPool: UserPool;
  readonly api: HttpApi;
  readonly site: DashboardSite;
  readonly signInDomain: UserPoolDomain;
  readonly dashboardClient: UserPoolClient;
  /** Attach to the one-stop system's IAM role/user: may call POST /events and nothing else. */
  readonly publisher: ManagedPolicy;

  constructor(scope: Construct, props: StaffApiProps) {
    const { config, removalPolicy, data, messaging } = props;
    const { table, letters, dataKey } = data;
    const events = messaging.events;

    // ---- Functions ----------------------------------------------------------------------------
    const fn = (
      name: "ingest-api" | "api" | "public-lookup",
      description: string,
      timeout: Duration,
      memorySize?: number,
    ) =>
      new DunghanFunction(scope, pascal(name), {
        name,
        description,
        config,
        logKey: dataKey,
        timeout,
        ...(memorySize ? { memorySize } : {}),
      });
    const f = {
      ingestApi: fn(
        "ingest-api",
        "POST /events: validate and enqueue on the events FIFO queue",
        Duration.seconds(10),
      ),
      api: fn("api", "Dashboard API (Cognito users)", Duration.seconds(15), 1024),
      publicLookup: fn(
        "public-lookup",
        "Tra cứu hồ sơ: an applicant's own dossier by code and the phone's last four digits (no sign-in)",
        Duration.seconds(10),
      ),
    };
    this.sync = new DvcqgSync(scope, { config, removalPolicy, data, messaging });
    this.functions = { ...f, syncApi: this.sync.fn };
    f.ingestApi
      // The status route reads a dossier's log and the refusal of one event; it writes nothing.
      .useTable(table, { scoped: INGEST_TABLE_ACCESS })
      .sendsTo(events.queue, "EVENTS_QUEUE_URL");
    f.api
      .useTable(table, {
        ...READ_WRITE,
        // A dossier's page reads the records of the alerts it was sent in batches.
        scoped: { actions: ["BatchGetItem"], partitions: [keys.alertRecord("*").pk] },
        queryIndexes: [INDEX.byAgencyStatus],
      })
      .usesBucket(letters, "LETTERS_BUCKET", "read-write")
      .sendsTo(events.queue, "EVENTS_QUEUE_URL")
      .gradesReportsWith(config.reportGrades);
    // Unauthenticated: it may read dossiers and the calendar, and count attempts — nothing else
    // (no drafts, no alerts, no directories, no index, no write outside RATE#…).
    f.publicLookup.useTable(table, {
      scoped: [
        { actions: ["Query"], partitions: [keys.dossierPartition("*"), keys.calendarPartition()] },
        { actions: ["GetItem", "UpdateItem"], partitions: [keys.ratePartition("*")] },
      ],
    });

    // ---- Users --------------------------------------------------------------------------------
    const userPool = new UserPool(scope, "Users", {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Every read and write is scoped to it; an official who moves agency gets a new account.
      customAttributes: {
        agencyId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        // The official's id in the province's one-stop system (the `handler.id` its events carry):
        // how the dashboard finds "my dossiers". Mutable: set when the account is linked.
        staffId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Officials see citizens' personal data (NĐ 13/2023/NĐ-CP) and sign apologies: MFA is
      // required, with an authenticator app (TOTP) — no SMS cost and no SIM-swap exposure.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection (compromised credentials, risky sign-ins blocked).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: config.retainData,
      removalPolicy,
      ...(config.cognitoEmailViaSes ? { email: cognitoEmail(config) } : {}),
    });
    this.userPool = userPool;
    // Lower precedence wins when a user is in several groups: admin, then leader, then handler.
    for (const [index, group] of GROUPS.entries()) {
      userPool.addGroup(pascal(group), {
        groupName: group,
        precedence: (GROUPS.length - index) * 10,
        description: `dunghan ${group}`,
      });
    }

    // ---- HTTP API -----------------------------------------------------------------------------
    const api = new HttpApi(scope, "HttpApi", {
      description: `dunghan ${config.stage}`,
      createDefaultStage: false,
      ...(config.dashboardOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.dashboardOrigins],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PUT,
                CorsHttpMethod.PATCH,
              ],
              allowHeaders: ["authorization", "content-type"],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.api = api;
    const accessLogGroup = new LogGroup(scope, "ApiAccessLogs", {
      logGroupName: `/dunghan/${config.stage}/api-access`,
      retention: config.logRetention,
      encryptionKey: dataKey,
      removalPolicy,
    });
    const stage = new HttpStage(scope, "HttpApiStage", {
      httpApi: api,
      stageName: "$default",
      autoDeploy: true,
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // The public lookup answers anyone: API Gateway caps its rate for all clients together before
    // any Lambda runs; the function's own limits (per client, per dossier code) come after.
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      PUBLIC_ROUTES.map((route) => [routeKey(route), PUBLIC_ROUTE_THROTTLE]),
    );

    // ---- Dashboard: CloudFront + S3, and Cognito's managed login ------------------------------
    // Prefixes are unique per region across all AWS accounts: the default carries the account id.
    const signInPrefix = config.cognitoDomainPrefix ?? `dunghan-${config.stage}-${Aws.ACCOUNT_ID}`;
    const site = new DashboardSite(scope, "Dashboard", {
      config,
      api,
      accessLogs: data.accessLogs,
      logKey: dataKey,
      removalPolicy,
      signInOrigin: `https://${signInPrefix}.auth.${config.region}.amazoncognito.com`,
    });
    this.site = site;
    const signInDomain = userPool.addDomain("SignIn", {
      cognitoDomain: { domainPrefix: signInPrefix },
      // Managed login: sign-in, the first password change and TOTP enrolment, in the browser.
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.signInDomain = signInDomain;
    // The dashboard's own URL; a developer's machine only when the stage asks for it.
    const dashboardUrls = [site.url, ...(config.dashboardLocalCallbacks ? [LOCAL_DASHBOARD_URL] : [])];
    const dashboard: UserPoolClient = userPool.addClient("Dashboard", {
      // A public client: the browser cannot keep a secret; PKCE (S256) protects the code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: dashboardUrls,
        logoutUrls: dashboardUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    this.dashboardClient = dashboard;
    // Managed login shows a client's pages only once the client has a style: Cognito's defaults.
    new CfnManagedLoginBranding(scope, "SignInBranding", {
      userPoolId: userPool.userPoolId,
      clientId: dashboard.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    site.deploy({ domain: signInDomain, client: dashboard });

    // ---- HTTP API routes ----------------------------------------------------------------------
    const users = new HttpUserPoolAuthorizer("Users", userPool, { userPoolClients: [dashboard] });
    const byCaller = {
      "e-one-stop": {
        integration: new HttpLambdaIntegration("Ingest", f.ingestApi.lambda),
        authorizer: new HttpIamAuthorizer(),
      },
      staff: { integration: new HttpLambdaIntegration("Dashboard", f.api.lambda), authorizer: users },
      public: { integration: new HttpLambdaIntegration("PublicLookup", f.publicLookup.lambda) },
      // No API Gateway authorizer: a one-stop system cannot sign; sync-api checks its credential.
      "sync-sender": { integration: new HttpLambdaIntegration("DvcqgSync", this.sync.fn.lambda) },
    } satisfies Record<Caller, unknown>;
    for (const route of API_ROUTES) {
      const added = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        ...byCaller[route.caller],
      });
      const unauthorized = OPEN_ROUTE_REASONS[route.caller];
      if (unauthorized === undefined) continue;
      for (const each of added) {
        acknowledge(each.node.defaultChild!, "AwsSolutions-APIG4", unauthorized);
      }
    }
    // The province's e-one-stop system: attach to its IAM role/user (or to a role it assumes).
    this.publisher = new ManagedPolicy(scope, "EventsPublisher", {
      description: `dunghan ${config.stage}: may call POST /events and GET /events/{id}/status (SigV4), nothing else`,
      statements: [
        new PolicyStatement({
          actions: ["execute-api:Invoke"],
          resources: E_ONE_STOP_ROUTES.map((route) =>
            // An ARN names a path parameter by a wildcard.
            api.arnForExecuteApi(route.method, route.path.replace(/\{[^}]+\}/g, "*"), "$default"),
          ),
        }),
      ],
    });
    const apiId = Stack.of(api).getLogicalId(api.node.defaultChild as CfnElement);
    acknowledge(
      this.publisher,
      `AwsSolutions-IAM5[Resource::arn:aws:execute-api:${config.region}:<AWS::AccountId>:<${apiId}>/$default/GET/events/*/status]`,
      "The wildcard is the route's {eventId} path parameter: the sender asks about any event it sent, on this one route of this one API.",
    );
  }
}

/**
 * The ingest function reads, for `GET /events/{eventId}/status`, one dossier (a Query on its
 * partition; the calendar too, as the public lookup: a snapshot of an older shape is folded again
 * on it) and one refusal (a GetItem on REJECTED#…), and nothing else of the table.
 */
export const INGEST_TABLE_ACCESS = [
  { actions: ["Query"], partitions: [keys.dossierPartition("*"), keys.calendarPartition()] },
  { actions: ["GetItem"], partitions: [`${keys.rejectedEventPartitionPrefix()}*`] },
] as const;

/** Cognito sends invitations and codes through the province's SES identity. */
function cognitoEmail(config: StageConfig): UserPoolEmail {
  const { sesIdentity, emailFromAddress, emailFromName } = config.messaging;
  const arn = /^arn:[^:]+:ses:([^:]+):\d+:identity\/(.+)$/.exec(sesIdentity);
  const name = arn?.[2] ?? sesIdentity;
  return UserPoolEmail.withSES({
    fromEmail: emailFromAddress,
    fromName: emailFromName ?? "dunghan",
    sesRegion: arn?.[1] ?? Aws.REGION,
    ...(name.includes("@") ? {} : { sesVerifiedDomain: name }),
  });
}

/** What each API request leaves in the access log; never a token or a body. */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  iamCaller: "$context.identity.userArn",
  user: "$context.authorizer.claims.sub",
  authorizerError: "$context.authorizer.error",
  integrationError: "$context.integrationErrorMessage",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  responseLength: "$context.responseLength",
  protocol: "$context.protocol",
} as const;

/** Requests per second (steady, burst) the public lookup takes from everyone together. */
const PUBLIC_ROUTE_THROTTLE = { throttlingRateLimit: 20, throttlingBurstLimit: 40 } as const;

/** The callers whose routes have no API Gateway authorizer, and why (cdk-nag AwsSolutions-APIG4). */
const OPEN_ROUTE_REASONS: Partial<Record<Caller, string>> = {
  public:
    "The applicant's lookup is public by design (docs/public-lookup.md): the caller proves knowledge of the dossier code and the phone's last four digits in the function, which limits attempts per client and per code; the stage throttles the route for everyone together.",
  "sync-sender":
    "A one-stop system sends its sync payload as it sends it to the national portal: it cannot sign (SigV4) or hold a user-pool token, and its credential may be in the JSON body (`session`), which no API Gateway authorizer reads. sync-api checks it first (hashed per-sender credential, shared/app/sync-senders.ts) and answers 401 before reading anything else.",
};
