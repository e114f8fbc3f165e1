import { InvalidInputError } from "../../shared/errors.ts";
import type { CliIo } from "../cli/command.ts";
import { type LocalStackOptions, startLocalStack } from "./stack.ts";

/** `npm start`: starts the local stack, prints what runs where, and stops it on Ctrl-C. */
export async function runLocal(options: LocalStackOptions, io: CliIo): Promise<number> {
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)
  ) {
    throw new InvalidInputError(`invalid --port ${options.port}`);
  }
  if (options.speed !== undefined && !(options.speed > 0))
    throw new InvalidInputError(`invalid --speed ${options.speed}`);
  const started = Date.now();
  io.stdout("dunghan: starting DynamoDB Local, mail catcher, SMS outbox and the API…\n");
  const stack = await startLocalStack({
    ...options,
    // The fault bench's baseline only (bench/faults.bench.ts): the queues as they were, in memory.
    ...(process.env.DUNGHAN_QUEUES === "memory" ? { durableQueues: false } : {}),
    log: (line) => io.stdout(`dunghan: ${line}\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const highlights = stack.demo?.summary.highlights;
  io.stdout(
    [
      "",
      `dunghan is running (ready in ${seconds} s) — clock ${stack.versions.clock}, speed ×${stack.clock.speed}`,
      `  API            ${stack.url}            (health: ${stack.url}/health)`,
      `  Dashboard      ${stack.url}/dashboard  (sign in: pick a demo account)`,
      `  Outbox         ${stack.url}/outbox     (SMS and e-mail sent)`,
      `  Mail inbox     ${stack.url}/inbox`,
      `  Demo accounts  ${stack.url}/           (log in: curl -X POST ${stack.url}/login -d account=ID)`,
      ...(highlights
        ? [
            `  Look at        heading for late: ${highlights.headingForLate.join(", ")}`,
            `                 apology owed today: ${highlights.apologyDutyToday.join(", ")}`,
            `                 overdue: ${highlights.overdue.join(", ")}   (walkthrough: docs/demo.md)`,
          ]
        : []),
      "",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  io.stdout("\ndunghan: stopping…\n");
  await stack.stop();
  io.stdout("dunghan: stopped.\n");
  return 0;
}
