import { join } from "node:path";
import {
  AssetHashType,
  Aws,
  type CfnElement,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  type RemovalPolicy,
  Stack,
  Token,
} from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import type { UserPoolClient, UserPoolDomain } from "aws-cdk-lib/aws-cognito";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { BucketDeployment, CacheControl, type ISource, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { DASHBOARD_SCOPES, type DashboardConfig } from "../dashboard/config.ts";
import {
  buildDashboard,
  type DashboardBuild,
  dashboardContentSecurityPolicy,
  ENTRY_PAGES,
  writeDashboard,
} from "../dashboard/page.ts";
import { VIEWER_ADDRESS_HEADER } from "../functions/api-routes.ts";
import { letterFontFiles } from "../shared/adapters/fonts/letter-font-files.ts";
import type { StageConfig } from "./config.ts";
import { REPO_ROOT } from "./dunghan-function.ts";
import { acknowledge } from "./nag.ts";

/**
 * The API behind the dashboard's own CloudFront distribution, at `/api/*`. Same origin rather
 * than CORS on the HTTP API: the browser sends no preflight before each call (CORS caches a
 * preflight per URL, and every dossier has its own), the page's CSP allows `connect-src 'self'`
 * only (plus the Cognito domain for the token endpoint), and the API's CORS setting stays free
 * for dashboards hosted elsewhere (`dashboardOrigins`).
 */
export const API_PATH_PREFIX = "/api";

/** Hashed assets are cached for a year (a new build has new names); the rest is revalidated every time. */
export const ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const ENTRY_CACHE_CONTROL = "no-cache";

export interface DashboardSiteProps {
  readonly config: StageConfig;
  readonly api: HttpApi;
  /** The stack's S3 server-access-log bucket (SSE-S3, ACLs off). */
  readonly accessLogs: IBucket;
  /** Encrypts the deployment function's log group. */
  readonly logKey: IKey;
  readonly removalPolicy: RemovalPolicy;
  /** The origin of the OAuth server the page fetches tokens from (the Cognito domain). */
  readonly signInOrigin: string;
}

/**
 * The leaders' dashboard on AWS: its static files in a private S3 bucket read by CloudFront
 * through Origin Access Control, the HTTP API under `/api/*` of the same distribution, and the
 * files uploaded at deployment together with the `config.json` that points the page at the API
 * and at Cognito's managed login.
 */
export class DashboardSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>/`: the page, and its OAuth redirect and sign-out URI. */
  readonly url: string;
  readonly #props: DashboardSiteProps;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    this.#props = props;
    const { config, removalPolicy, accessLogs } = props;

    // Public code and no data: SSE-S3 (a KMS key would need CloudFront in its key policy for nothing).
    this.bucket = new Bucket(this, "Files", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "dashboard/",
      removalPolicy,
    });
    // CloudFront standard logs are delivered with an ACL grant: this bucket keeps ACLs on
    // (the other buckets have them off), and nothing else.
    const cdnLogs = new Bucket(this, "CdnLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "dashboard-cdn-logs/",
      lifecycleRules: [{ expiration: config.accessLogsExpireAfter }],
      removalPolicy,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: `dunghan ${config.stage} dashboard: CSP, HSTS, no framing, no referrer`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The same policy the local runtime sends (page.ts), plus the Cognito domain's token endpoint.
          contentSecurityPolicy: dashboardContentSecurityPolicy(letterFontFiles, props.signInOrigin),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // The sign-in redirect brings `?code=…` to the page: no Referer may carry it anywhere.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const staticCache = new CachePolicy(this, "StaticCache", {
      comment: `dunghan ${config.stage} dashboard: each object's own Cache-Control, nothing cached without one`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingBrotli: true,
      enableAcceptEncodingGzip: true,
    });
    const stripApiPrefix = new CloudFrontFunction(this, "StripApiPrefix", {
      comment: `dunghan ${config.stage}: ${API_PATH_PREFIX}/dossiers → /dossiers, and the viewer's address, for the HTTP API`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        `function handler(event) { var request = event.request; request.uri = request.uri.substring(${API_PATH_PREFIX.length}) || "/"; request.headers["${VIEWER_ADDRESS_HEADER}"] = { value: event.viewer.ip }; return request; }`,
      ),
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: `dunghan ${config.stage} dashboard`,
      defaultRootObject: "index.html",
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: cdnLogs,
      logFilePrefix: "dashboard/",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: staticCache,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      additionalBehaviors: {
        [`${API_PATH_PREFIX}/*`]: {
          origin: new HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Never cached. With caching disabled, the all-viewer-headers policy forwards
          // Authorization; the Host stays API Gateway's own (it routes by it).
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
          functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: stripApiPrefix }],
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    const distribution = this.distribution.node.defaultChild!;
    acknowledge(
      distribution,
      "AwsSolutions-CFR1",
      "No geo restriction: officials sign in from wherever they work (missions abroad included); every page needs a Cognito sign-in with MFA and the API a JWT. A province may restrict to VN later.",
    );
    acknowledge(
      distribution,
      "AwsSolutions-CFR2",
      "No AWS WAF yet: a CloudFront web ACL lives in us-east-1 (another stack) and is a per-province stage configuration; the page is static, the API requires a Cognito JWT and is throttled per stage.",
    );
    acknowledge(
      distribution,
      "AwsSolutions-CFR4",
      "No custom domain yet, so the *.cloudfront.net default certificate, whose TLS policy CloudFront fixes; a province's own domain with an ACM certificate and TLSv1.2_2021 is a stage configuration (docs/deploy.md).",
    );
  }

  /**
   * Uploads the dashboard (built at synthesis) and its config.json. Two deployments in order: the
   * hashed assets first, kept from earlier deployments (a page still open refers to its own), then
   * the unhashed pages (index.html, tra-cuu.html: ENTRY_PAGES) and config.json, which are
   * revalidated on every load and so need no invalidation.
   */
  deploy(signIn: { domain: UserPoolDomain; client: UserPoolClient }): void {
    const { config, logKey, removalPolicy } = this.#props;
    // Our own role and log group, as for the functions: not AWSLambdaBasicExecutionRole.
    const role = new Role(this, "DeployRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `dunghan ${config.stage}: copies the dashboard's files into its bucket at deployment`,
    });
    const logGroup = new LogGroup(this, "DeployLogs", {
      logGroupName: `/dunghan/${config.stage}/dashboard-deployment`,
      retention: config.logRetention,
      encryptionKey: logKey,
      removalPolicy,
    });
    logGroup.grantWrite(role);
    const files = dashboardSource();
    const dashboardConfig: DashboardConfig = {
      apiBaseUrl: API_PATH_PREFIX,
      auth: {
        domain: signIn.domain.baseUrl(),
        region: Stack.of(this).region,
        clientId: signIn.client.userPoolClientId,
        redirectUri: this.url,
        scopes: [...DASHBOARD_SCOPES],
      },
    };
    const assets = new BucketDeployment(this, "DeployAssets", {
      sources: [files],
      destinationBucket: this.bucket,
      exclude: [...ENTRY_PAGES],
      prune: false,
      cacheControl: [CacheControl.fromString(ASSET_CACHE_CONTROL)],
      role,
      logGroup,
    });
    const entry = new BucketDeployment(this, "DeployEntry", {
      sources: [files, Source.jsonData("config.json", dashboardConfig)],
      destinationBucket: this.bucket,
      exclude: ["*"],
      include: [...ENTRY_PAGES, "config.json"],
      prune: false,
      cacheControl: [CacheControl.fromString(ENTRY_CACHE_CONTROL)],
      role,
      logGroup,
    });
    entry.node.addDependency(assets);

    const stack = Stack.of(this);
    const partition = Token.isUnresolved(stack.partition) ? "<AWS::Partition>" : stack.partition;
    const qualifier =
      (this.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) as string | undefined) ??
      DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const reason =
      "BucketDeployment's grants: read the CDK assets bucket (the zipped build) and write the dashboard bucket, both as bucket/* object patterns; no other bucket.";
    for (const finding of [
      "Action::s3:GetObject*",
      "Action::s3:GetBucket*",
      "Action::s3:List*",
      "Action::s3:DeleteObject*",
      "Action::s3:Abort*",
      `Resource::arn:${partition}:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${stack.region}/*`,
      `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`,
    ]) {
      acknowledge(role.node.findChild("DefaultPolicy"), `AwsSolutions-IAM5[${finding}]`, reason);
    }
    // The singleton handler both deployments share sits at the stack's root.
    for (const handler of stack.node.children.filter((child) =>
      child.node.id.startsWith(DEPLOYMENT_HANDLER),
    )) {
      acknowledge(
        handler,
        "AwsSolutions-L1",
        "aws-cdk-lib's BucketDeployment handler pins its Python runtime (python3.13, with its AWS CLI layer); it runs only during deployments and moves with aws-cdk-lib upgrades.",
      );
    }
  }
}

/** BucketDeployment's singleton handler: `Custom::CDKBucketDeployment<uuid>`. */
const DEPLOYMENT_HANDLER = "Custom::CDKBucketDeployment";
const BOOTSTRAP_QUALIFIER_CONTEXT = "@aws-cdk/core:bootstrapQualifier";

/**
 * The build as a CDK asset: bundled at synthesis by page.ts's buildDashboard, the one the local
 * runtime serves, with the esbuild in node_modules (offline, never Docker).
 */
function dashboardSource(): ISource {
  let built: DashboardBuild | undefined;
  return Source.asset(join(REPO_ROOT, "dashboard"), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: local bundling either writes the files or throws.
      image: DockerImage.fromRegistry("dunghan/dashboard-builds-locally"),
      local: {
        tryBundle(outputDir: string): boolean {
          built ??= buildDashboard();
          writeDashboard(outputDir, built);
          return true;
        },
      },
    },
  });
}
