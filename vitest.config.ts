import { defineConfig } from "vitest/config";

// Lambda runs in UTC; tests run there too so host-zone bugs cannot hide (docs/architecture.md).
process.env.TZ = "UTC";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 20_000,
    // Synthesising the CDK stacks (test/infra) takes seconds on a busy 2-core machine.
    hookTimeout: 120_000,
    env: { TZ: "UTC" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/adapters/dynamodb/**", "test/functions/**", "test/e2e/**", "**/node_modules/**"],
        },
      },
      {
        // Against a real DynamoDB Local: one Java process for the whole project, started only
        // when one of its files is in the run (test/support/dynamodb-global-setup.ts), so unit
        // tests never wait for Java. Other suites that need DynamoDB join this project.
        extends: true,
        test: {
          name: "dynamodb",
          include: ["test/adapters/dynamodb/**/*.test.ts", "test/functions/**/*.test.ts"],
          globalSetup: ["test/support/dynamodb-global-setup.ts"],
          hookTimeout: 60_000,
        },
      },
      {
        // The local stack end to end over HTTP (what `npm start` runs), started once in global setup.
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          hookTimeout: 120_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
