import { type CliIo, type Command, reportError } from "./command.ts";
import { backfillListingsCommand } from "./commands/backfill-listings.ts";
import { calendarCommand } from "./commands/calendar.ts";
import { catalogCommand } from "./commands/catalog.ts";
import { deadlineCommand } from "./commands/deadline.ts";
import { importCommand } from "./commands/import.ts";
import { letterCommand } from "./commands/letter.ts";
import { lunarCommand } from "./commands/lunar.ts";
import { reportCommand } from "./commands/report.ts";
import { simulateCommand } from "./commands/simulate.ts";
import { startCommand } from "./commands/start.ts";
import { syncDiscrepanciesCommand } from "./commands/sync-discrepancies.ts";
import { syncFeedCommand } from "./commands/sync-feed.ts";
import { syncReplayCommand } from "./commands/sync-replay.ts";
import { syncSenderCommand } from "./commands/sync-sender.ts";

/** Every command of the `dunghan` CLI; each one answers `--help`. */
export const COMMANDS: readonly Command[] = [
  backfillListingsCommand,
  calendarCommand,
  catalogCommand,
  deadlineCommand,
  importCommand,
  letterCommand,
  lunarCommand,
  reportCommand,
  simulateCommand,
  startCommand,
  syncFeedCommand,
  syncReplayCommand,
  syncSenderCommand,
  syncDiscrepanciesCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const list = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
  return `Usage: dunghan <command> [options]

dunghan keeps Vietnamese one-stop dossiers on time (đúng hạn).

Commands:
${list}

Run "dunghan <command> --help" for a command's options.
`;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`dunghan: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}
