import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../local/dynamodb-local.ts";

/**
 * One DynamoDB Local (in memory) for the whole `adapters` project: started before its first test
 * file, stopped after the last. Each test file makes its own table (test/support/dynamodb.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const local = await startDynamoDbLocal();
  project.provide("dynamodbEndpoint", local.endpoint);
  project.provide("dynamodbStartMs", Date.now() - started);
  return () => local.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    dynamodbStartMs: number;
  }
}
