import type { Logger } from "@aws-lambda-powertools/logger";
import { makeApiHandler } from "./api.ts";
import { makeApologyHandler } from "./apology.ts";
import { makeApplyEventsHandler } from "./apply-events.ts";
import type { App } from "./composition-root.ts";
import { makeDigestHandler } from "./digest.ts";
import { makeIngestApiHandler } from "./ingest-api.ts";
import { makeNotifyHandler } from "./notify.ts";
import { makeSweepHandler } from "./sweep.ts";

/**
 * Every function's handler over one app — the local runtime and the handler tests run the SAME
 * handlers as Lambda, wired to their own ports. (Lambda entries build only their own handler.)
 */
export function makeHandlers(app: App, logger: Logger) {
  return {
    ingest: makeIngestApiHandler({ ingest: app.ingest, logger }),
    applyEvents: makeApplyEventsHandler({ applyEvents: app.applyEvents, logger }),
    sweep: makeSweepHandler({ sweep: app.sweep, logger }),
    digest: makeDigestHandler({ digests: app.digests, logger }),
    notify: makeNotifyHandler({ notify: app.notify, logger }),
    apology: makeApologyHandler({ apologies: app.apologies, logger }),
    api: makeApiHandler({
      lookup: app.lookup,
      apologies: app.apologies,
      calendarAdmin: app.calendarAdmin,
      catalogueAdmin: app.catalogueAdmin,
      directoryAdmin: app.directoryAdmin,
      reports: app.reports,
      logger,
    }),
  };
}
