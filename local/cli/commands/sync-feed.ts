import { parseInstant } from "../../../shared/calendar/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { generateDemo } from "../../demo/generate.ts";
import { demoSyncRequests, playSyncFeed } from "../../demo/sync-feed.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";

const HELP = `Usage: dunghan sync-feed --credential CREDENTIAL [--url URL] [--dossiers N] [--style service|three-url]

Plays part of the demo province into a running dunghan through the national sync route, as a
one-stop system would: each dossier sent whole after every change, a progress row for every step
(docs/integration.md). Start the stack without demo dossiers (npm start -- --demo-people), issue a
credential for the demo agencies (dunghan sync-sender issue, with the stack stopped), then run this.

Options:
  --credential CRED   the sender's credential (dunghan sync-sender issue)
  --url URL           the running stack (default http://127.0.0.1:3000)
  --dossiers N        how many demo dossiers (default 20)
  --style S           service (one URL, madonvi in the body; default) or three-url (create/update/progress)
  -h, --help          this help`;

export const syncFeedCommand: Command = {
  name: "sync-feed",
  summary: "play demo dossiers into a running dunghan through the national sync route",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        credential: { type: "string" },
        url: { type: "string" },
        dossiers: { type: "string" },
        style: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const credential = requireOption(values.credential, "credential");
      const url = (values.url ?? "http://127.0.0.1:3000").replace(/\/$/, "");
      const style = values.style ?? "service";
      if (style !== "service" && style !== "three-url")
        throw new InvalidInputError("--style is service or three-url");
      const dossiers = Number(values.dossiers ?? 20);
      if (!Number.isInteger(dossiers) || dossiers < 1)
        throw new InvalidInputError("--dossiers must be a whole number ≥ 1");
      const health = (await (await fetch(`${url}/health`)).json()) as { versions?: { clock?: string } };
      const now = parseInstant(health.versions?.clock ?? new Date().toISOString());
      const demo = generateDemo({ now });
      const requests = demoSyncRequests(demo.events, { dossiers, style: () => style });
      const result = await playSyncFeed(requests, { url, credential });
      io.stdout(`${JSON.stringify(result)}\n`);
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};
