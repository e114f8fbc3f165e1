import { InvalidInputError } from "../../shared/errors.ts";
import type { CliIo } from "../cli/command.ts";
import { startBanner } from "./banner.ts";
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
  io.stdout(
    startBanner({
      url: stack.url,
      clock: stack.versions.clock!,
      speed: stack.clock.speed,
      readySeconds: seconds,
      demo: stack.demoSummary,
      warnings: stack.warnings,
    }),
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
