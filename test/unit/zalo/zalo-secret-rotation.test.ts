import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ResourceNotFoundException } from "@aws-sdk/client-secrets-manager";
import { describe, expect, it } from "vitest";
import { rotateZaloSecret } from "../../../shared/adapters/zalo/zalo-secret-rotation.ts";
import { ZALO_TOKEN_REFRESH_FAILED } from "../../../shared/adapters/zalo/zns-client.ts";
import { silentLogger } from "../../../shared/app/logger.ts";

const NOW = Date.parse("2026-12-01T02:00:00Z");
const CURRENT = {
  appId: "app-1",
  secretKey: "secret-1",
  accessToken: "a-1",
  refreshToken: "r-1",
  expiresAt: NOW,
};

/** Secrets Manager with one secret: versions by id, stages by version. */
function fakeSecrets() {
  const versions = new Map<string, string>([["v1", JSON.stringify(CURRENT)]]);
  const stages: Record<string, string[]> = { v1: ["AWSCURRENT"], v2: [] };
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const input = command.input;
      switch (command.constructor.name) {
        case "DescribeSecretCommand":
          return { VersionIdsToStages: structuredClone(stages) };
        case "GetSecretValueCommand": {
          const id =
            (input.VersionId as string | undefined) ??
            Object.keys(stages).find((v) => stages[v]?.includes(String(input.VersionStage)));
          const value = id === undefined ? undefined : versions.get(id);
          if (
            value === undefined ||
            (input.VersionStage && !stages[id ?? ""]?.includes(String(input.VersionStage)))
          ) {
            throw new ResourceNotFoundException({ message: "no such version", $metadata: {} });
          }
          return { SecretString: value };
        }
        case "PutSecretValueCommand":
          versions.set(String(input.ClientRequestToken), String(input.SecretString));
          stages[String(input.ClientRequestToken)] = input.VersionStages as string[];
          return {};
        case "UpdateSecretVersionStageCommand":
          stages[String(input.RemoveFromVersionId)] = [];
          stages[String(input.MoveToVersionId)] = ["AWSCURRENT"];
          return {};
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    },
  } as unknown as SecretsManagerClient;
  return { client, versions, stages };
}

const oauth = (answer: Record<string, unknown>) => {
  const bodies: string[] = [];
  const fetch = (async (_url: string, init?: RequestInit) => {
    bodies.push(String(init?.body));
    return Response.json(answer);
  }) as typeof globalThis.fetch;
  return { fetch, bodies };
};

describe("rotateZaloSecret", () => {
  it("createSecret spends the refresh token and stores the new pair as AWSPENDING; finishSecret makes it current", async () => {
    const secrets = fakeSecrets();
    const zalo = oauth({ access_token: "a-2", refresh_token: "r-2", expires_in: "90000" });
    const deps = {
      client: secrets.client,
      metrics: { publish: () => {} },
      logger: silentLogger,
      now: () => NOW,
      fetch: zalo.fetch,
    };

    for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) {
      await rotateZaloSecret({ SecretId: "zalo", ClientRequestToken: "v2", Step }, deps);
    }

    expect(new URLSearchParams(zalo.bodies[0]).get("refresh_token")).toBe("r-1");
    expect(JSON.parse(secrets.versions.get("v2") ?? "")).toEqual({
      ...CURRENT,
      accessToken: "a-2",
      refreshToken: "r-2",
      expiresAt: NOW + 90_000_000,
    });
    expect(secrets.stages).toEqual({ v1: [], v2: ["AWSCURRENT"] });
  });

  it("a refused refresh publishes ZaloTokenRefreshFailed and fails the rotation, the current version untouched", async () => {
    const secrets = fakeSecrets();
    const published: string[] = [];
    const deps = {
      client: secrets.client,
      metrics: { publish: (name: string) => published.push(name) },
      logger: silentLogger,
      now: () => NOW,
      fetch: oauth({ error: -14014, error_name: "Invalid refresh token" }).fetch,
    };

    await expect(
      rotateZaloSecret({ SecretId: "zalo", ClientRequestToken: "v2", Step: "createSecret" }, deps),
    ).rejects.toThrow(/refused the refresh token/);
    expect(published).toEqual([ZALO_TOKEN_REFRESH_FAILED]);
    expect(secrets.stages).toEqual({ v1: ["AWSCURRENT"], v2: [] });
  });
});
