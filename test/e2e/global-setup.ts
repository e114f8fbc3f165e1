import type { TestProject } from "vitest/node";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    localStackUrl: string;
  }
}

export const E2E_START = "2026-11-20T08:00:00+07:00";

let stack: LocalStack | undefined;

/** The local stack as `npm start` runs it — in memory, on a free port, with a clock the tests move. */
export async function setup(project: TestProject): Promise<void> {
  stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock: new ManualClock(E2E_START),
    demo: "people",
    timers: false,
    controls: true,
  });
  project.provide("localStackUrl", stack.url);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
