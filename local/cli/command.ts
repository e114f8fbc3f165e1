import { parseArgs } from "node:util";
import { DomainError, InvalidInputError } from "../../shared/errors.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of standard input (for `--batch -`). */
  readStdin: () => Promise<string>;
}

export interface Command {
  name: string;
  summary: string;
  /** The full `--help` text. */
  help: string;
  run: (argv: string[], io: CliIo) => Promise<number>;
}

type OptionSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** parseArgs with errors a person understands (an unknown option names itself). */
export function parseOptions<T extends OptionSpec>(argv: string[], options: T) {
  // `--amount -2` must reach the domain check (which names the bad value), not be read as an option.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const spec = arg.startsWith("--") ? options[arg.slice(2)] : undefined;
    if (spec?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new InvalidInputError((error as Error).message.replace(/\. To specify a positional.*$/s, ""));
  }
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === "") throw new InvalidInputError(`missing --${name}`);
  return value;
}

/** Bad input: a clear message on stderr, exit code 2, nothing on stdout (the CLI contract). */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof DomainError) {
    io.stderr(`dunghan: ${error.message}\n`);
    return 2;
  }
  io.stderr(`dunghan: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
