import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbRateLimiter } from "../../../shared/adapters/dynamodb/rate-limiter.dynamodb.ts";
import { useTestTable } from "../../support/dynamodb.ts";

const table = useTestTable();
const limiter = () => new DynamoDbRateLimiter({ client: table.doc, design: table.design });
const WINDOW = { limit: 3, windowMs: 600_000 };
const NOW = Date.parse("2026-11-24T03:05:00Z");

describe("DynamoDbRateLimiter", () => {
  it("counts 20 concurrent hits exactly once each, and lets only the first three through", async () => {
    const key = `lookup:client:198.51.100.${Math.floor(Math.random() * 1e6)}`;
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter().hit(key, WINDOW, NOW)));

    expect(decisions.map((d) => d.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    expect((await limiter().peek(key, WINDOW, NOW)).count).toBe(20);
  });

  it("starts again in the next window, and peeks without counting", async () => {
    const key = `lookup:code:${Math.random()}`;
    await limiter().hit(key, WINDOW, NOW);
    expect(await limiter().peek(key, WINDOW, NOW)).toEqual({
      allowed: true,
      count: 1,
      retryAfterMs: 300_000,
    });
    expect(await limiter().peek(key, WINDOW, NOW)).toMatchObject({ count: 1 });
    expect(await limiter().hit(key, WINDOW, NOW + 600_000)).toMatchObject({ allowed: true, count: 1 });
  });

  it("stores the key only as its hash, with a TTL after the window", async () => {
    const key = "lookup:client:203.0.113.250";
    await limiter().hit(key, WINDOW, NOW);
    const { createHash } = await import("node:crypto");
    const pk = `RATE#${createHash("sha256").update(key).digest("hex")}`;
    const { Items } = await table.doc.send(
      new QueryCommand({
        TableName: table.design.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(JSON.stringify(Items)).not.toContain("203.0.113.250");
    const start = Math.floor(NOW / 600_000) * 600_000;
    expect(Items?.[0]).toMatchObject({
      sk: `WINDOW#${start}`,
      entity: "rate-window",
      expiresAt: (start + 600_000 + 3_600_000) / 1000,
    });
  });
});
