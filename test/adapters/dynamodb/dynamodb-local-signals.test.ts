import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../../local/dynamodb-local.ts";

// `npm start` stops gracefully on SIGTERM/SIGINT: the queues finish their in-flight work (notify
// records what the provider accepted) and only then is DynamoDB Local stopped, last. Java killed
// at the signal instead made every in-flight "sent" record fail: the message stayed queued, was
// sent again after the restart, and the first copy was named by no alert record
// (test/e2e/faults-clock.test.ts).
describe("DynamoDB Local and the process's stop signals", () => {
  let local: DynamoDbLocal | undefined;
  const graceful = () => {};
  afterEach(async () => {
    process.removeListener("SIGTERM", graceful);
    await local?.stop();
  });

  it("keeps answering after SIGTERM while someone else handles the signal (a graceful stop)", async () => {
    local = await startDynamoDbLocal();
    // What run-local does: it stops the stack itself on SIGTERM.
    process.once("SIGTERM", graceful);
    process.emit("SIGTERM", "SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const client = local.client();
    const tables = await client.send(new ListTablesCommand({}));
    expect(tables.TableNames).toEqual([]);
    client.destroy();
  }, 60_000);
});
