import { defineConfig } from "vitest/config";

// Lambda runs in UTC; tests run there too so host-zone bugs cannot hide (STYLE.md §3).
process.env.TZ = "UTC";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    env: { TZ: "UTC" },
  },
});
