import { isOldSnapshot, snapshotDigest } from "../../../shared/app/sync-ledger.ts";
import type { WorkingTime } from "../../../shared/calendar/index.ts";
import type { DossierEvent } from "../../../shared/dossier/index.ts";
import { DomainError, InvalidInputError } from "../../../shared/errors.ts";
import {
  freshEvents,
  mapSyncRecord,
  type ProcedureCatalogue,
  parseSyncRequest,
  type SyncFlag,
  type SyncRoute,
  storedDossier,
} from "../../../shared/sync/index.ts";

/**
 * `simulate --format dvcqg`: the events a file of national sync payloads gives, as dunghan's sync
 * route would store them (docs/dvcqg-mapping.md). The file is a JSON array of request bodies in
 * arrival order: a service-in-body envelope (`{"service": "DongBoHoSoMC" | "CapNhatTienDoHoSoMC", …}`)
 * or `{"endpoint": "create" | "update" | "progress", "body": […]}` for the three-URL style.
 * A record that cannot be mapped stops it with its position (1-based) and the reason.
 */
export function eventsFromSyncPayloads(
  payloads: unknown,
  catalogue: ProcedureCatalogue,
  workingTime: WorkingTime,
): { events: DossierEvent[]; flags: SyncFlag[] } {
  if (!Array.isArray(payloads)) {
    throw new InvalidInputError("payloads: expected a JSON array of sync request bodies");
  }
  const byDossier = new Map<string, DossierEvent[]>();
  /** Digests of the dossier records that brought something, per dossier, oldest first. */
  const snapshots = new Map<string, string[]>();
  const events: DossierEvent[] = [];
  const flags: SyncFlag[] = [];
  payloads.forEach((payload, p) => {
    const where = `payload ${p + 1}`;
    const { route, body } = routeOf(payload, where);
    let request: ReturnType<typeof parseSyncRequest>;
    try {
      request = parseSyncRequest(body, route);
    } catch (error) {
      throw located(error, where);
    }
    for (const record of request.records) {
      const code = codeOf(record.raw);
      const stored = code === undefined ? [] : (byDossier.get(code) ?? []);
      const previous = storedDossier(
        stored,
        workingTime,
        Math.max(...stored.map((event) => event.occurredAt)),
      );
      const result = mapSyncRecord(record, {
        catalogue,
        workingTime,
        previous,
        ...(request.madonvi === undefined ? {} : { madonvi: request.madonvi }),
      });
      const at = `${where}, record ${record.index + 1}`;
      // As the sync route does (shared/app/sync-ledger.ts): a dossier record taken before and
      // followed by another since is an old snapshot sent late, and brings nothing.
      const digest = record.kind === "dossier" ? snapshotDigest(record.raw) : undefined;
      const seen = code === undefined ? [] : (snapshots.get(code) ?? []);
      if (digest !== undefined && isOldSnapshot(seen, digest)) continue;
      if (!result.ok) {
        const named = result.maHoSo === undefined ? "" : ` (MaHoSo ${result.maHoSo})`;
        throw new InvalidInputError(`${at}${named}: ${result.reason} [${result.rule}]`);
      }
      let fresh: DossierEvent[];
      try {
        const reconciled = freshEvents(stored, result);
        fresh = reconciled.fresh;
        flags.push(...reconciled.flags);
      } catch (error) {
        throw located(error, `${at} (MaHoSo ${result.dossierCode})`, "lifecycle");
      }
      byDossier.set(result.dossierCode, [...stored, ...fresh]);
      events.push(...fresh);
      if (digest !== undefined && fresh.length > 0) snapshots.set(result.dossierCode, [...seen, digest]);
    }
  });
  return { events, flags };
}

function routeOf(payload: unknown, where: string): { route: SyncRoute; body: unknown } {
  if (payload !== null && typeof payload === "object" && !Array.isArray(payload)) {
    const object = payload as Record<string, unknown>;
    if ("service" in object) return { route: "service", body: payload };
    const endpoint = object.endpoint;
    if (endpoint === "create" || endpoint === "update" || endpoint === "progress") {
      return { route: endpoint, body: object.body };
    }
  }
  throw new InvalidInputError(
    `${where}: expected a service-in-body envelope ({"service": …}) or {"endpoint": "create" | "update" | "progress", "body": […]}`,
  );
}

function codeOf(raw: unknown): string | undefined {
  const code = raw !== null && typeof raw === "object" ? (raw as { MaHoSo?: unknown }).MaHoSo : undefined;
  return typeof code === "string" ? code.trim() : undefined;
}

function located(error: unknown, where: string, rule?: string): unknown {
  if (!(error instanceof DomainError)) return error;
  return new InvalidInputError(
    `${where}: ${error.message}${rule === undefined ? "" : ` [${rule}]`}`,
    error.details,
  );
}
