/**
 * Rotation of the Zalo token secret by Secrets Manager (cdk/zalo-secret.ts schedules it): the four
 * steps of a Secrets Manager rotation function (AWS Secrets Manager User Guide, "Rotation by Lambda
 * function": createSecret, setSecret, testSecret, finishSecret).
 *
 * The secret is one JSON document: `{ appId, secretKey, accessToken, refreshToken, expiresAt }`.
 * createSecret spends the (single-use) refresh token at Zalo and stores the new pair as AWSPENDING;
 * finishSecret makes it AWSCURRENT. A failed refresh publishes ZaloTokenRefreshFailed (the alarm)
 * and fails the rotation, which Secrets Manager retries.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import type { AppLogger } from "../../app/logger.ts";
import type { Metrics } from "../../app/metrics.ts";
import { parseZaloTokens, ZaloTokenRefresher, type ZaloTokenStore, type ZaloTokens } from "./zalo-tokens.ts";
import { ZALO_TOKEN_REFRESH_FAILED } from "./zns-client.ts";

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";

export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

export interface ZaloSecretRotationDeps {
  readonly client: SecretsManagerClient;
  readonly metrics: Metrics;
  readonly logger: AppLogger;
  readonly now: () => number;
  /** The OA token endpoint (tests point it elsewhere). */
  readonly oauthUrl?: string;
  readonly fetch?: typeof fetch;
}

export async function rotateZaloSecret(event: RotationEvent, deps: ZaloSecretRotationDeps): Promise<void> {
  const { client } = deps;
  const { SecretId: id, ClientRequestToken: token, Step: step } = event;
  const described = await client.send(new DescribeSecretCommand({ SecretId: id }));
  const stages = described.VersionIdsToStages?.[token];
  if (stages === undefined) throw new Error("the rotation's version is not a version of the secret");
  if (stages.includes("AWSCURRENT") && step !== "finishSecret") return;

  if (step === "createSecret") {
    try {
      await client.send(
        new GetSecretValueCommand({ SecretId: id, VersionId: token, VersionStage: "AWSPENDING" }),
      );
      return; // this rotation already renewed the tokens
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const current = await client.send(
      new GetSecretValueCommand({ SecretId: id, VersionStage: "AWSCURRENT" }),
    );
    const document = JSON.parse(current.SecretString ?? "{}") as Record<string, unknown>;
    const tokens = parseZaloTokens(current.SecretString ?? "");
    let fresh: ZaloTokens;
    try {
      fresh = await new ZaloTokenRefresher({
        appId: String(document.appId ?? ""),
        secretKey: String(document.secretKey ?? ""),
        now: deps.now,
        ...(deps.oauthUrl === undefined ? {} : { url: deps.oauthUrl }),
        ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      }).refresh(tokens.refreshToken);
    } catch (error) {
      deps.metrics.publish(ZALO_TOKEN_REFRESH_FAILED, 1, "Count");
      deps.logger.error("Zalo token refresh failed", { reason: (error as Error).message });
      throw error;
    }
    await client.send(
      new PutSecretValueCommand({
        SecretId: id,
        ClientRequestToken: token,
        SecretString: JSON.stringify({ ...document, ...fresh }),
        VersionStages: ["AWSPENDING"],
      }),
    );
    deps.logger.info("Zalo tokens renewed", { expiresAt: new Date(fresh.expiresAt).toISOString() });
    return;
  }
  if (step === "finishSecret") {
    const current = Object.entries(described.VersionIdsToStages ?? {}).find(([, s]) =>
      s.includes("AWSCURRENT"),
    )?.[0];
    if (current === token) return;
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: id,
        VersionStage: "AWSCURRENT",
        MoveToVersionId: token,
        ...(current === undefined ? {} : { RemoveFromVersionId: current }),
      }),
    );
  }
  // setSecret / testSecret: Zalo itself issued the pair; nothing to set elsewhere.
}

/** The token store the notify function reads (it never writes: rotation renews the tokens). */
export class SecretsManagerZaloTokens implements ZaloTokenStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async read(): Promise<ZaloTokens> {
    const value = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    return parseZaloTokens(value.SecretString ?? "");
  }

  async write(): Promise<void> {
    throw new Error("the Zalo secret is renewed by its rotation function only");
  }
}
