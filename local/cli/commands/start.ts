import { type Command, parseOptions, reportError } from "../command.ts";

const HELP = `Usage: npm start [-- options]      (or: npx dunghan start [options])

Runs the whole of dunghan on this machine: Amazon DynamoDB Local (Java 17), the same handlers as
on AWS, the SNS and SES adapters pointed at local endpoints, a mail catcher, a recorded SMS
outbox, the sweep on a local timer and the HTTP API on 127.0.0.1. On a fresh data folder it loads
the demo province. Ctrl-C stops everything, the Java process included.

Options:
  --port N         HTTP port on 127.0.0.1 (default 3000)
  --data DIR       data folder kept between runs (default .dunghan)
  --fresh          delete the data folder first (reloads the demo)
  --clock INSTANT  start the clock here, e.g. 2026-11-23T07:00:00+07:00 (default: real time)
  --speed N        clock speed, e.g. 600: a week of alerts in about 17 minutes (default 1)
  --no-demo        do not load the demo province
  --demo-people    load only the demo's agencies, staff and accounts (no dossiers): starts fast
  --zalo           citizens by Zalo ZNS first, SMS and e-mail as fallbacks, through a local stand-in
                   (numbers ending in 0 or 1 have no Zalo account; docs/zalo.md)
  -h, --help       this help`;

export const startCommand: Command = {
  name: "start",
  summary: "run dunghan on this machine (DynamoDB Local, API, outbox, demo data)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        port: { type: "string" },
        data: { type: "string" },
        fresh: { type: "boolean" },
        clock: { type: "string" },
        speed: { type: "string" },
        "no-demo": { type: "boolean" },
        "demo-people": { type: "boolean" },
        zalo: { type: "boolean" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const { runLocal } = await import("../../runtime/run-local.ts");
      return await runLocal(
        {
          ...(values.port ? { port: Number(values.port) } : {}),
          ...(values.data ? { dataDir: values.data } : {}),
          ...(values.fresh ? { fresh: true } : {}),
          ...(values.clock ? { clock: values.clock } : {}),
          ...(values.speed ? { speed: Number(values.speed) } : {}),
          ...(values["no-demo"] ? { demo: false } : values["demo-people"] ? { demo: "people" as const } : {}),
          ...(values.zalo ? { zalo: { noAccountLastDigits: ["0", "1"] } } : {}),
        },
        io,
      );
    } catch (error) {
      return reportError(error, io);
    }
  },
};
