import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { API_PATH_PREFIX, ASSET_CACHE_CONTROL, ENTRY_CACHE_CONTROL } from "../../cdk/dashboard-site.ts";
import { LOCAL_DASHBOARD_URL } from "../../cdk/dunghan-stack.ts";
import { buildDashboard } from "../../dashboard/page.ts";
import { logicalId, PROD_CONTEXT, resources, type Synthesized, synth } from "./synth.ts";

/** CloudFront's managed policies (their ids are fixed by AWS). */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

let prod: Synthesized;
let dev: Synthesized;
let devWithLocal: Synthesized;
beforeAll(() => {
  prod = synth({ ...PROD_CONTEXT, cognitoDomainPrefix: "dunghan-sonoivu" });
  dev = synth({});
  devWithLocal = synth({ dashboardLocalCallbacks: "true" });
});

type Properties = Record<string, unknown>;
const one = (stack: Synthesized, type: string): Properties => {
  const all = Object.values(resources(stack.template, type));
  expect(all, type).toHaveLength(1);
  return all[0]!.Properties!;
};
const site = (stack: Synthesized) => stack.stack.node.findChild("Dashboard");
const distributionConfig = (stack: Synthesized) =>
  one(stack, "AWS::CloudFront::Distribution").DistributionConfig as {
    DefaultRootObject: string;
    Origins: {
      Id: string;
      DomainName: unknown;
      OriginAccessControlId?: unknown;
      CustomOriginConfig?: Properties;
    }[];
    DefaultCacheBehavior: Properties;
    CacheBehaviors: Properties[];
    Logging?: Properties;
  };
const dashboardClient = (stack: Synthesized) => one(stack, "AWS::Cognito::UserPoolClient");

describe("the dashboard's bucket", () => {
  it("is private, encrypted, TLS-only and access-logged", () => {
    const files = logicalId(site(prod).node.findChild("Files"));
    const bucket = resources(prod.template)[files]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId(prod.stack.node.findChild("AccessLogs")) },
      },
    });
    expect(bucket.Properties?.WebsiteConfiguration).toBeUndefined();
    expect(bucket.DeletionPolicy).toBe("Retain");
    prod.template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: files },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          // Only this distribution, through Origin Access Control.
          Match.objectLike({
            Effect: "Allow",
            Action: "s3:GetObject",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Condition: { StringEquals: { "AWS:SourceArn": Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe("the distribution", () => {
  it("reads the bucket through Origin Access Control and opens index.html at /", () => {
    const config = distributionConfig(prod);
    expect(config.DefaultRootObject).toBe("index.html");
    const s3 = config.Origins.find((origin) => origin.OriginAccessControlId !== undefined);
    expect(s3?.DomainName).toEqual({
      "Fn::GetAtt": [logicalId(site(prod).node.findChild("Files")), "RegionalDomainName"],
    });
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(s3?.Id);
    expect(one(prod, "AWS::CloudFront::OriginAccessControl").OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: "s3",
      SigningBehavior: "always",
      SigningProtocol: "sigv4",
    });
  });

  it("serves HTTPS only, and logs", () => {
    const config = distributionConfig(prod);
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ViewerProtocolPolicy).toBe("https-only");
    }
    for (const origin of config.Origins.filter((each) => each.CustomOriginConfig)) {
      expect(origin.CustomOriginConfig).toEqual({
        OriginProtocolPolicy: "https-only",
        OriginSSLProtocols: ["TLSv1.2"],
      });
    }
    expect(config.Logging).toMatchObject({
      Bucket: { "Fn::GetAtt": [logicalId(site(prod).node.findChild("CdnLogs")), "RegionalDomainName"] },
    });
  });

  it("sends the page with a strict CSP (the Cognito domain the only other origin), HSTS, no framing, no referrer", () => {
    const config = distributionConfig(prod);
    const policy = logicalId(site(prod).node.findChild("SecurityHeaders"));
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policy });
    const headers = (resources(prod.template)[policy]!.Properties!.ResponseHeadersPolicyConfig as Properties)
      .SecurityHeadersConfig as Record<string, Properties>;
    const csp = String(headers.ContentSecurityPolicy!.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(
      "connect-src 'self' https://dunghan-sonoivu.auth.ap-southeast-1.amazoncognito.com;",
    );
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000 });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: "DENY" });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: "no-referrer" });
  });

  it("caches files only as their own Cache-Control says: hashed assets a year, the unhashed pages and config.json revalidated", () => {
    const cache = logicalId(site(prod).node.findChild("StaticCache"));
    expect(distributionConfig(prod).DefaultCacheBehavior.CachePolicyId).toEqual({ Ref: cache });
    expect(resources(prod.template)[cache]!.Properties!.CachePolicyConfig).toMatchObject({
      MinTTL: 0,
      DefaultTTL: 0,
      MaxTTL: 31536000,
    });
    const deployments = Object.values(resources(prod.template, "Custom::CDKBucketDeployment")).map(
      (deployment) => deployment.Properties!,
    );
    expect(deployments).toHaveLength(2);
    // Every page whose name carries no hash (tra-cuu.html too: a year's immutable cache would keep
    // citizens on last release's lookup script) goes with config.json, revalidated.
    const unhashed = buildDashboard()
      .files.filter((file) => !file.immutable)
      .map((file) => file.path);
    expect(unhashed.sort()).toEqual(["index.html", "tra-cuu.html"]);
    const assets = deployments.find((d) => d.Exclude !== undefined && JSON.stringify(d.Exclude) !== '["*"]');
    const entry = deployments.find((d) => JSON.stringify(d.Exclude) === '["*"]');
    expect([...(assets!.Exclude as string[])].sort()).toEqual(unhashed);
    expect([...(entry!.Include as string[])].sort()).toEqual([...unhashed, "config.json"].sort());
    expect(assets).toMatchObject({ Prune: false, SystemMetadata: { "cache-control": ASSET_CACHE_CONTROL } });
    expect(entry).toMatchObject({
      Prune: false,
      Exclude: ["*"],
      SystemMetadata: { "cache-control": ENTRY_CACHE_CONTROL },
    });
    expect(ASSET_CACHE_CONTROL).toMatch(/max-age=31536000.*immutable/);
    expect(ENTRY_CACHE_CONTROL).toBe("no-cache");
  });

  it(`passes ${API_PATH_PREFIX}/* to the HTTP API uncached, every method, the viewer's headers (Authorization) but not Host`, () => {
    const config = distributionConfig(prod);
    const api = config.CacheBehaviors.find((behavior) => behavior.PathPattern === `${API_PATH_PREFIX}/*`);
    expect(api).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: expect.arrayContaining(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]),
      FunctionAssociations: [
        {
          EventType: "viewer-request",
          FunctionARN: {
            "Fn::GetAtt": [logicalId(site(prod).node.findChild("StripApiPrefix")), "FunctionARN"],
          },
        },
      ],
    });
    const origin = config.Origins.find((each) => each.Id === api?.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(prod.stack.node.findChild("HttpApi")));
    expect(JSON.stringify(origin?.DomainName)).toContain(".execute-api.");
    // The function turns /api/dossiers into the API's /dossiers.
    const code = String(one(prod, "AWS::CloudFront::Function").FunctionCode);
    const handler = new Function(`${code}; return handler;`)() as (event: unknown) => {
      uri: string;
      headers: Record<string, { value: string }>;
    };
    const request = handler({
      request: {
        uri: "/api/dossiers/000.00.11.H42-261120-0801",
        headers: { "x-viewer-address": { value: "6.6.6.6" } },
      },
      viewer: { ip: "203.0.113.7" },
    });
    expect(request.uri).toBe("/dossiers/000.00.11.H42-261120-0801");
    // And it says who the viewer is, over whatever the client claimed (the public lookup's limit per client).
    expect(request.headers["x-viewer-address"]).toEqual({ value: "203.0.113.7" });
  });
});

describe("the upload", () => {
  it("writes the build and a config.json pointing at /api, the Cognito domain, the client and the CloudFront URL", () => {
    const entry = Object.values(resources(prod.template, "Custom::CDKBucketDeployment"))
      .map((deployment) => deployment.Properties!)
      .find((d) => Array.isArray(d.SourceMarkers) && JSON.stringify(d.SourceMarkers).includes("marker"));
    expect(entry?.DestinationBucketName).toEqual({ Ref: logicalId(site(prod).node.findChild("Files")) });
    // config.json's values that only CloudFormation knows, substituted at deployment.
    const markers = JSON.stringify(entry?.SourceMarkers);
    expect(markers).toContain(logicalId(prod.stack.node.findChild("Users").node.findChild("SignIn")));
    expect(markers).toContain(logicalId(prod.stack.node.findChild("Users").node.findChild("Dashboard")));
    expect(markers).toContain(logicalId(site(prod).node.findChild("Distribution")));
  });

  it("outputs the dashboard's URL and the sign-in domain", () => {
    const outputs = prod.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.DashboardUrl?.Value)).toContain(
      logicalId(site(prod).node.findChild("Distribution")),
    );
    expect(JSON.stringify(outputs.SignInDomain?.Value)).toContain("amazoncognito.com");
  });
});

describe("sign-in with Cognito", () => {
  it("has a managed-login domain with the stage's prefix (default: per stage and account)", () => {
    expect(one(prod, "AWS::Cognito::UserPoolDomain")).toMatchObject({
      Domain: "dunghan-sonoivu",
      ManagedLoginVersion: 2,
    });
    expect(JSON.stringify(one(dev, "AWS::Cognito::UserPoolDomain").Domain)).toMatch(
      /dunghan-dev-.*AWS::AccountId/,
    );
    expect(one(prod, "AWS::Cognito::ManagedLoginBranding")).toMatchObject({
      ClientId: { Ref: logicalId(prod.stack.node.findChild("Users").node.findChild("Dashboard")) },
      UseCognitoProvidedValues: true,
    });
  });

  it("lets the public client (no secret) use the code grant with openid, email, profile", () => {
    expect(dashboardClient(prod)).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      SupportedIdentityProviders: ["COGNITO"],
    });
  });

  it("calls back to the CloudFront URL only, and never to localhost unless asked", () => {
    const cloudFrontUrl = {
      "Fn::Join": [
        "",
        [
          "https://",
          { "Fn::GetAtt": [logicalId(site(prod).node.findChild("Distribution")), "DomainName"] },
          "/",
        ],
      ],
    };
    expect(dashboardClient(prod)).toMatchObject({
      CallbackURLs: [cloudFrontUrl],
      LogoutURLs: [cloudFrontUrl],
    });
    for (const stack of [prod, dev]) {
      const client = dashboardClient(stack);
      expect(client.CallbackURLs).toHaveLength(1);
      expect(JSON.stringify([client.CallbackURLs, client.LogoutURLs])).not.toMatch(
        /localhost|127\.0\.0\.1|http:/,
      );
    }
    const local = dashboardClient(devWithLocal);
    expect(local.CallbackURLs).toEqual([expect.anything(), LOCAL_DASHBOARD_URL]);
    expect(local.LogoutURLs).toEqual([expect.anything(), LOCAL_DASHBOARD_URL]);
  });

  it("has the API's JWT authorizer accept this client's ID tokens", () => {
    prod.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(prod.stack.node.findChild("Users").node.findChild("Dashboard")) }],
      },
    });
  });
});
