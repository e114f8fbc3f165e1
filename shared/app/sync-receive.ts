import { createHash } from "node:crypto";
import { SYNC_ROUTES, type SyncRoute } from "../sync/dvcqg/payload.ts";
import type { BlobStore } from "./blob-store.ts";
import type { Clock } from "./clock.ts";
import type { AppLogger } from "./logger.ts";
import type { AuthenticatedSender, SyncSenders } from "./sync-senders.ts";

/**
 * The receiving edge of the national portal's sync payload: who is sending (SyncSenders), the raw
 * payload kept (encrypted, for a while) so a mapping fix can be replayed, then the sync itself
 * (shared/app/sync-dossiers.ts) — and the reply in the shape the senders parse.
 *
 * The four routes are the two envelope styles: "service" is OpenCPS's one URL with the service
 * named in the body (VietOpenCPS/opencps-v2, …/DVCQGIntegrationActionImpl.java,
 * `createSyncDossierBodyRequest`, `syncData`); "create", "update", "progress" are TD's three
 * configurable URLs, each POSTed a JSON array (HuanVu201/DichVuCong_KhoaLuan_PASETO,
 * DichVuCongApi/src/Core/Application/Common/KetNoi/DVC/SyncLocalDataToDVCQG/ — `URLThemMoi`,
 * `URLCapNhat`, `URLDongBoTienTrinh`).
 */
export { SYNC_ROUTES, type SyncRoute };

export interface RefusedRecord {
  readonly index: number;
  readonly maHoSo?: string | undefined;
  readonly reason: string;
  readonly rule: string;
}

export interface SyncOutcome {
  readonly accepted: number;
  readonly unchanged: number;
  readonly refused: readonly RefusedRecord[];
}

/** The sync use case (shared/app/sync-dossiers.ts `syncDossiers`, bound to its ports). */
export type SyncDossiersCall = (input: {
  readonly senderId: string;
  readonly allowedAgencies: readonly string[];
  /** The agency of a record whose envelope names none (the sender's default, one of allowedAgencies). */
  readonly defaultAgency?: string | undefined;
  readonly route: SyncRoute;
  readonly body: unknown;
  /** Epoch ms. */
  readonly receivedAt: number;
}) => Promise<SyncOutcome>;

/**
 * What the senders read: `error_code` and `message` (TD: success when the message contains
 * "thành công"; OpenCPS: `error_code` equal to its configured success code). The counts and the
 * per-record list are extra fields both ignore and a person reading the sender's log can use.
 */
export interface SyncReplyBody {
  readonly error_code: string;
  readonly message: string;
  readonly accepted?: number;
  readonly unchanged?: number;
  readonly errors?: readonly RefusedRecord[];
}

/** `error_code` when some records were refused: anything but a sender's success code. */
export const PARTLY_REFUSED_CODE = "1";

export interface SyncReceipt {
  /** 200 when every record was taken (or was unchanged), 422 when some were refused. */
  readonly statusCode: 200 | 422;
  readonly body: SyncReplyBody;
}

export interface ReceiveSyncRequest {
  readonly route: SyncRoute;
  readonly body: unknown;
  /** From the `session` field, the Authorization header or the `key` query parameter (the handler's choice). */
  readonly credential: string | undefined;
}

export class ReceiveSync {
  readonly #senders: SyncSenders;
  readonly #archive: BlobStore;
  readonly #sync: SyncDossiersCall;
  readonly #clock: Clock;
  readonly #logger: AppLogger;

  constructor(ports: {
    readonly senders: SyncSenders;
    readonly archive: BlobStore;
    readonly sync: SyncDossiersCall;
    readonly clock: Clock;
    readonly logger: AppLogger;
  }) {
    this.#senders = ports.senders;
    this.#archive = ports.archive;
    this.#sync = ports.sync;
    this.#clock = ports.clock;
    this.#logger = ports.logger;
  }

  async receive(request: ReceiveSyncRequest): Promise<SyncReceipt> {
    const sender = await this.#senders.authenticate(request.credential);
    const receivedAt = this.#clock.now();
    const archived = await this.#keep(sender, request, new Date(receivedAt).toISOString());
    const outcome = await this.#sync({
      senderId: sender.id,
      allowedAgencies: sender.agencies,
      defaultAgency: sender.defaultAgency,
      route: request.route,
      body: request.body,
      receivedAt,
    });
    // Counts, ids and rules only: the payload carries names, phone numbers and e-mail addresses.
    this.#logger.info("sync received", {
      senderId: sender.id,
      route: request.route,
      archived,
      accepted: outcome.accepted,
      unchanged: outcome.unchanged,
      refused: outcome.refused.map(({ index, rule }) => ({ index, rule })),
    });
    return replyFor(sender, outcome);
  }

  /** The raw payload, without the credential, under `dvcqg/<sender>/<local day>/<instant>-<digest>.json`. */
  async #keep(sender: AuthenticatedSender, request: ReceiveSyncRequest, receivedAt: string): Promise<string> {
    const body = withoutSession(request.body);
    const text = JSON.stringify({ senderId: sender.id, route: request.route, receivedAt, body });
    const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
    const key = archiveKey(sender.id, receivedAt, digest);
    await this.#archive.put(key, text, "application/json");
    return key;
  }
}

export function archiveKey(senderId: string, receivedAt: string, digest: string): string {
  // The local (Asia/Ho_Chi_Minh, UTC+7 all year) day: a replay asks for "what came on 05/12".
  const local = new Date(Date.parse(receivedAt) + 7 * 3_600_000).toISOString().slice(0, 10);
  return `dvcqg/${senderId}/${local}/${receivedAt.replace(/[:.]/g, "-")}-${digest}.json`;
}

/** An archived payload as `#keep` wrote it. */
export interface ArchivedPayload {
  readonly senderId: string;
  readonly route: SyncRoute;
  readonly receivedAt: string;
  readonly body: unknown;
}

function withoutSession(body: unknown): unknown {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const { session: _, ...rest } = body as Record<string, unknown>;
  return rest;
}

export function replyFor(sender: AuthenticatedSender, outcome: SyncOutcome): SyncReceipt {
  const counts = { accepted: outcome.accepted, unchanged: outcome.unchanged };
  if (outcome.refused.length === 0) {
    return { statusCode: 200, body: { error_code: sender.successCode, message: "Thành công", ...counts } };
  }
  const total = outcome.accepted + outcome.unchanged + outcome.refused.length;
  return {
    statusCode: 422,
    body: {
      error_code: PARTLY_REFUSED_CODE,
      // No "thành công" in it: TD would take the whole batch as synced.
      message: `Từ chối ${outcome.refused.length}/${total} bản ghi (xem errors)`,
      ...counts,
      errors: outcome.refused,
    },
  };
}
