import { type ApiDeps, makeApiHandler } from "../../functions/api.ts";
import { type ApologyDeps, makeApologyHandler } from "../../functions/apology.ts";
import { type ApplyEventsDeps, makeApplyEventsHandler } from "../../functions/apply-events.ts";
import type { FunctionName } from "../../functions/config.ts";
import { type DigestDeps, makeDigestHandler } from "../../functions/digest.ts";
import { type IngestApiDeps, makeIngestApiHandler } from "../../functions/ingest-api.ts";
import { makeNotifyHandler, type NotifyDeps } from "../../functions/notify.ts";
import { makePublicLookupHandler, type PublicLookupDeps } from "../../functions/public-lookup.ts";
import { makeSweepHandler, type SweepDeps } from "../../functions/sweep.ts";
import { makeSyncApiHandler, type SyncApiDeps } from "../../functions/sync-api.ts";
import { buildReceiveSync, type SyncEdgePorts } from "../../functions/sync-wiring.ts";
import {
  type AppOptions,
  apiFunction,
  apologyFunction,
  applyEventsFunction,
  digestFunction,
  ingestApiFunction,
  notifyFunction,
  type Ports,
  publicLookupFunction,
  sweepFunction,
  type WorkingTimeOptions,
  workingTimeOf,
} from "../../functions/wiring.ts";
import {
  makeZaloTokenRotationHandler,
  type ZaloTokenRotationDeps,
} from "../../functions/zalo-token-rotation.ts";
import { letterFontFiles } from "../../shared/adapters/fonts/letter-font-files.ts";
import type { ZaloTokenRefresher, ZaloTokenStore } from "../../shared/adapters/zalo/zalo-tokens.ts";
import { ZALO_TOKEN_REFRESH_FAILED } from "../../shared/adapters/zalo/zns-client.ts";
import type { ApologyDrafts } from "../../shared/app/apology-drafts.ts";
import type { ApplyEvents } from "../../shared/app/apply-events.ts";
import type { BlobStore } from "../../shared/app/blob-store.ts";
import type { CalendarAdmin } from "../../shared/app/calendar-admin.ts";
import { realSleep, type Sleep } from "../../shared/app/clock.ts";
import type { DeliverNotices } from "../../shared/app/deliver-notices.ts";
import type { DirectoryAdmin } from "../../shared/app/directory-admin.ts";
import type { DossierLookup } from "../../shared/app/dossier-lookup.ts";
import type { IngestEvents } from "../../shared/app/ingest-events.ts";
import { type Metrics, noMetrics } from "../../shared/app/metrics.ts";
import type { Reports } from "../../shared/app/reports.ts";
import type { SendDigests } from "../../shared/app/send-digests.ts";
import type { SweepAgenda } from "../../shared/app/sweep-agenda.ts";
import type { WorkingTimeProvider } from "../../shared/app/working-time-provider.ts";

/**
 * The local composition root (docs/architecture.md, "Composition"): the local runtime and the
 * handler tests give every port at once (DynamoDB Local, in-process queues, fake SNS/SES, a
 * folder for letters) and get every function built by the same builders as on AWS
 * (functions/wiring.ts), then run the same handlers.
 */

/** Every port but the working calendar, which is built here (one per app). */
export interface LocalPorts
  extends Omit<Ports, "workingTime" | "metrics" | "sleep" | "random" | "letterFonts"> {
  /** Default: none recorded. */
  readonly metrics?: Metrics;
  /** Default: real timers. */
  readonly sleep?: Sleep;
  /** Default: Math.random. */
  readonly random?: () => number;
  /** Default: the vendored font files of the source tree, read once per process. */
  readonly letterFonts?: Ports["letterFonts"];
  /** Where the sync edge keeps raw payloads; default: the letters store under `sync-payloads/`. */
  readonly syncArchive?: SyncEdgePorts["archive"];
  /** The procedure catalogue the sync edge maps with; default: none loaded. */
  readonly syncCatalogue?: SyncEdgePorts["catalogue"];
  /**
   * The Zalo token file under the data folder and its renewal (`npm start -- --zalo`): what the
   * local rotation function renews. Absent: Zalo is off and a rotation is refused.
   */
  readonly zaloTokens?: { readonly store: ZaloTokenStore; readonly refresher: ZaloTokenRefresher };
}

export interface LocalOptions extends AppOptions, WorkingTimeOptions {}

interface DepsOf {
  readonly "ingest-api": IngestApiDeps;
  readonly "apply-events": ApplyEventsDeps;
  readonly sweep: SweepDeps;
  readonly digest: DigestDeps;
  readonly notify: NotifyDeps;
  readonly apology: ApologyDeps;
  readonly api: ApiDeps;
  readonly "public-lookup": PublicLookupDeps;
  readonly "sync-api": SyncApiDeps;
  readonly "zalo-token-rotation": ZaloTokenRotationDeps;
}

/** Each function's handler dependencies; a function added to functions/config.ts must be added here. */
export type FunctionDeps = { readonly [N in FunctionName]: DepsOf[N] };

export interface App {
  readonly ports: Ports;
  readonly functions: FunctionDeps;
  readonly workingTime: WorkingTimeProvider;
  // The use cases, for benchmarks and tests that call them directly.
  readonly ingest: IngestEvents;
  readonly applyEvents: ApplyEvents;
  readonly sweep: SweepAgenda;
  readonly digests: SendDigests;
  readonly notify: DeliverNotices;
  /** The api function's (it sends letters); the apology function has its own, drafting only. */
  readonly apologies: ApologyDrafts;
  readonly lookup: DossierLookup;
  readonly reports: Reports;
  readonly calendarAdmin: CalendarAdmin;
  readonly directoryAdmin: DirectoryAdmin;
}

/** Every function over `ports`. */
export function createApp(local: LocalPorts, options: LocalOptions): App {
  const ports: Ports = {
    ...local,
    workingTime: workingTimeOf(local, options),
    metrics: local.metrics ?? noMetrics,
    sleep: local.sleep ?? realSleep,
    random: local.random ?? Math.random,
    letterFonts: local.letterFonts ?? letterFontFiles,
  };
  const ingestApi = ingestApiFunction(ports);
  const functions: FunctionDeps = {
    "ingest-api": ingestApi,
    "apply-events": applyEventsFunction(ports, options),
    sweep: sweepFunction(ports, options),
    digest: digestFunction(ports, options),
    notify: notifyFunction(ports, options),
    apology: apologyFunction(ports, options),
    api: apiFunction(ports, options),
    "public-lookup": publicLookupFunction(ports),
    "sync-api": {
      receive: buildReceiveSync({
        senders: ports.syncSenders,
        archive: local.syncArchive ?? prefixed(ports.blobs, "sync-payloads/"),
        dossiers: ports.dossiers,
        ledger: ports.syncLedger,
        ingest: ingestApi.ingest,
        workingTime: ports.workingTime,
        catalogue: local.syncCatalogue,
        discrepancies: ports.syncDiscrepancies,
        clock: ports.clock,
        logger: ports.logger,
      }),
      logger: ports.logger,
    },
    "zalo-token-rotation": {
      rotate: () => renewZaloTokenFile(local.zaloTokens, ports),
      logger: ports.logger,
    },
  };
  const { api } = functions;
  return {
    ports,
    functions,
    workingTime: ports.workingTime,
    ingest: functions["ingest-api"].ingest,
    applyEvents: functions["apply-events"].applyEvents,
    sweep: functions.sweep.sweep,
    digests: functions.digest.digests,
    notify: functions.notify.notify,
    apologies: api.apologies,
    lookup: api.lookup,
    reports: api.reports,
    calendarAdmin: api.calendarAdmin,
    directoryAdmin: api.directoryAdmin,
  };
}

/** Every function's handler over one app: the same handlers as on Lambda. */
export function makeHandlers(app: App) {
  const { functions } = app;
  return {
    ingest: makeIngestApiHandler(functions["ingest-api"]),
    applyEvents: makeApplyEventsHandler(functions["apply-events"]),
    sweep: makeSweepHandler(functions.sweep),
    digest: makeDigestHandler(functions.digest),
    notify: makeNotifyHandler(functions.notify),
    apology: makeApologyHandler(functions.apology),
    api: makeApiHandler(functions.api),
    publicLookup: makePublicLookupHandler(functions["public-lookup"]),
    syncApi: makeSyncApiHandler(functions["sync-api"]),
    zaloTokenRotation: makeZaloTokenRotationHandler(functions["zalo-token-rotation"]),
  };
}

/**
 * The local stand-in for the secret's rotation: the token file is the secret, so every step is
 * one renewal with the refresh token (the ZNS client also renews the file itself when it is due).
 * A refused renewal publishes ZaloTokenRefreshFailed, as the AWS rotation does, and is thrown.
 */
async function renewZaloTokenFile(
  zalo: LocalPorts["zaloTokens"],
  ports: Pick<Ports, "metrics" | "logger">,
): Promise<void> {
  if (zalo === undefined)
    throw new Error("Zalo is off in this local stack (npm start -- --zalo turns it on)");
  try {
    const fresh = await zalo.refresher.refresh((await zalo.store.read()).refreshToken);
    await zalo.store.write(fresh);
    ports.logger.info("Zalo tokens renewed", { expiresAt: new Date(fresh.expiresAt).toISOString() });
  } catch (error) {
    ports.metrics.publish(ZALO_TOKEN_REFRESH_FAILED, 1, "Count");
    ports.logger.error("Zalo token refresh failed", { reason: (error as Error).message });
    throw error;
  }
}

/** A blob store under a key prefix of another. */
function prefixed(store: BlobStore, prefix: string): BlobStore {
  return {
    put: (key, body, contentType) => store.put(prefix + key, body, contentType),
    get: (key) => store.get(prefix + key),
  };
}
