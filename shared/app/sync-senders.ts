import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { InvalidInputError, NotFoundError } from "../errors.ts";
import { parseWith } from "../parse.ts";
import { UnauthenticatedError } from "./actor.ts";

/**
 * The systems allowed to push the national portal's sync payload (a provincial one-stop system,
 * or the province's data-exchange gateway, LGSP) and what each may write.
 *
 * The province issues each sender a credential `<sender id>.<secret>`; dunghan keeps only the
 * SHA-256 of the secret (the secret is 32 random bytes, so a fast hash is as strong as a slow
 * one: there is nothing to guess from a dictionary). A sender is mapped to the agencies it writes
 * for — the `madonvi` of its envelope and the agency of every record — and a record of another
 * agency is refused, never written.
 *
 * The success code is per sender because the senders disagree: TD's HTTP client looks for
 * "thành công" in the message, OpenCPS compares `error_code` with "00" in some versions and with
 * 0 in others (VietOpenCPS/opencps-v2, modules/backend-dossiermgt/backend-dossiermgt-service/src/
 * main/java/org/opencps/dossiermgt/action/impl/DVCQGIntegrationActionImpl.java, `syncData`).
 */

export interface SyncSender {
  /** Stable id, chosen by the province ("mot-cua-thanh-hoa"); part of the credential. */
  readonly id: string;
  readonly name: string;
  /** The agency ids (dunghan's, = the sender's `madonvi` / unit codes) it may write. */
  readonly agencies: readonly string[];
  /** The `error_code` its client reads as success ("0" by default; "00" for some OpenCPS builds). */
  readonly successCode: string;
  /**
   * The agency its records belong to when the envelope names none (TD's three URLs carry no
   * `madonvi`): one of `agencies`. None: the dossier's `DonViXuLy` names the agency.
   */
  readonly defaultAgency?: string | undefined;
  /** SHA-256 (hex) of the secret part of the credential. Never the secret itself. */
  readonly secretHash: string;
  readonly issuedAt: string;
  readonly revokedAt?: string | undefined;
}

/** Where senders are kept: one item per sender (shared/adapters/dynamodb/sync-sender-repository.dynamodb.ts). */
export interface SyncSenderRepository {
  get(senderId: string): Promise<SyncSender | undefined>;
  put(sender: SyncSender): Promise<void>;
  list(): Promise<readonly SyncSender[]>;
}

const SENDER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const SyncSenderInputSchema = z.object({
  id: z.string().regex(SENDER_ID, "lower-case letters, digits and '-', 2 to 63 characters"),
  name: z.string().trim().min(1).max(200),
  agencies: z.array(z.string().trim().min(1).max(64)).min(1).max(500),
  successCode: z.string().trim().min(1).max(10).default("0"),
  defaultAgency: z.string().trim().min(1).max(64).optional(),
});
export type SyncSenderInput = z.input<typeof SyncSenderInputSchema>;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** `<sender id>.<secret>` → its parts, or undefined when it is not shaped like a credential. */
export function parseCredential(text: string): { senderId: string; secret: string } | undefined {
  const dot = text.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const senderId = text.slice(0, dot);
  const secret = text.slice(dot + 1);
  return SENDER_ID.test(senderId) && SECRET.test(secret) ? { senderId, secret } : undefined;
}

/**
 * How long a session from `POST /sync/dvcqg/token` is accepted. OpenCPS keeps the session it
 * fetched for 10 minutes and then asks again (VietOpenCPS/opencps-v2,
 * modules/backend-dossiermgt/backend-dossiermgt-service/src/main/java/org/opencps/dossiermgt/
 * service/impl/AccessTokenLocalServiceImpl.java, `addAccessToken`): half an hour covers that with
 * room for clock skew and a slow sync run.
 */
export const SESSION_TTL_SECONDS = 1800;

/**
 * `<sender id>.<expiry, epoch seconds>.<HMAC-SHA256 of both, keyed by the sender's secret hash>`:
 * nothing stored, refused once expired, and dead as soon as the sender is revoked or re-issued
 * (its hash, the key, changes). Never shaped like a credential (its id part would hold a dot).
 */
function sessionMac(senderId: string, expiresAt: number, secretHash: string): string {
  return createHmac("sha256", Buffer.from(secretHash, "hex"))
    .update(`${senderId}.${expiresAt}`)
    .digest("base64url");
}

function parseSession(text: string): { senderId: string; expiresAt: number; mac: string } | undefined {
  const match = /^([a-z0-9][a-z0-9-]{1,62})\.(\d{10})\.([A-Za-z0-9_-]{43})$/.exec(text);
  if (match === null) return undefined;
  return { senderId: match[1]!, expiresAt: Number(match[2]), mac: match[3]! };
}

/** What a sender may write, once its credential is checked. */
export interface AuthenticatedSender {
  readonly id: string;
  readonly agencies: readonly string[];
  readonly successCode: string;
  /** The agency of a record whose envelope names none (SyncSender.defaultAgency). */
  readonly defaultAgency?: string;
}

export class SyncSenders {
  readonly #repository: SyncSenderRepository;

  constructor(ports: { readonly senders: SyncSenderRepository }) {
    this.#repository = ports.senders;
  }

  /**
   * The sender a credential belongs to. Absent, malformed, unknown, revoked or wrong: the same
   * UnauthenticatedError, which names none of it (a caller learns nothing about which ids exist).
   */
  async authenticate(credential: string | undefined, nowMs?: number): Promise<AuthenticatedSender> {
    const refused = () => new UnauthenticatedError("a valid sender credential is required");
    const session =
      credential === undefined || nowMs === undefined ? undefined : parseSession(credential.trim());
    if (session !== undefined && nowMs !== undefined) {
      // A session is refused once expired, and one claiming a later expiry than any issued is forged.
      const now = Math.floor(nowMs / 1000);
      if (session.expiresAt <= now || session.expiresAt > now + SESSION_TTL_SECONDS) throw refused();
      const sender = await this.#repository.get(session.senderId);
      if (sender === undefined || sender.revokedAt !== undefined) throw refused();
      const expected = Buffer.from(sessionMac(sender.id, session.expiresAt, sender.secretHash));
      const given = Buffer.from(session.mac);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
      return authenticated(sender);
    }
    return authenticated(await this.#verify(credential));
  }

  /** The stored sender a credential (`<id>.<secret>`) proves, live; else the one refusal. */
  async #verify(credential: string | undefined): Promise<SyncSender> {
    const refused = () => new UnauthenticatedError("a valid sender credential is required");
    const parts = credential === undefined ? undefined : parseCredential(credential.trim());
    if (parts === undefined) throw refused();
    const sender = await this.#repository.get(parts.senderId);
    if (sender === undefined || sender.revokedAt !== undefined) throw refused();
    const expected = Buffer.from(sender.secretHash, "hex");
    const given = Buffer.from(hashSecret(parts.secret), "hex");
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
    return sender;
  }

  /**
   * A short-lived session for a sender's credential (OpenCPS's token request: `username` = the
   * sender id, `password` = its credential, whole or only the part after the id). The same
   * refusal as `authenticate` for anything wrong.
   */
  async session(
    login: { readonly username?: unknown; readonly password?: unknown },
    nowMs: number,
  ): Promise<{ readonly sender: AuthenticatedSender; readonly session: string; readonly expiresIn: number }> {
    const { username, password } = login;
    const refused = () => new UnauthenticatedError("a valid sender credential is required");
    if (typeof username !== "string" || typeof password !== "string") throw refused();
    const credential = password.startsWith(`${username}.`) ? password : `${username}.${password}`;
    const stored = await this.#verify(credential);
    if (stored.id !== username) throw refused();
    const expiresAt = Math.floor(nowMs / 1000) + SESSION_TTL_SECONDS;
    return {
      sender: authenticated(stored),
      session: `${stored.id}.${expiresAt}.${sessionMac(stored.id, expiresAt, stored.secretHash)}`,
      expiresIn: SESSION_TTL_SECONDS,
    };
  }

  /**
   * Issues (or re-issues, replacing the old secret) a sender's credential. `secretBytes` are 32
   * random bytes from the caller (this layer draws no randomness). The credential is returned once
   * and stored nowhere.
   */
  async issue(
    input: SyncSenderInput,
    secretBytes: Uint8Array,
    issuedAt: string,
  ): Promise<{ credential: string; sender: SyncSender }> {
    const parsed = parseWith(SyncSenderInputSchema, input, "invalid sender");
    const agencies = [...new Set(parsed.agencies)];
    const defaultAgency = parsed.defaultAgency;
    if (defaultAgency !== undefined && !agencies.includes(defaultAgency)) {
      // The default is a place the sender writes, never a way around its agencies.
      throw new InvalidInputError(
        `invalid sender — defaultAgency: "${defaultAgency}" is not one of the sender's agencies`,
      );
    }
    if (secretBytes.length !== 32) throw new InvalidInputError("a sender secret is 32 random bytes");
    const secret = Buffer.from(secretBytes).toString("base64url");
    const sender: SyncSender = {
      id: parsed.id,
      name: parsed.name,
      agencies,
      successCode: parsed.successCode,
      ...(defaultAgency === undefined ? {} : { defaultAgency }),
      secretHash: hashSecret(secret),
      issuedAt,
    };
    await this.#repository.put(sender);
    return { credential: `${sender.id}.${secret}`, sender };
  }

  /** Revokes a sender: its credential is refused from the next request on. */
  async revoke(senderId: string, revokedAt: string): Promise<SyncSender> {
    const sender = await this.#repository.get(senderId);
    if (sender === undefined) throw new NotFoundError(`no sender "${senderId}"`);
    const revoked = { ...sender, revokedAt };
    await this.#repository.put(revoked);
    return revoked;
  }

  /** Every sender without its hash (for the CLI's listing). */
  async list(): Promise<readonly Omit<SyncSender, "secretHash">[]> {
    return (await this.#repository.list()).map(({ secretHash: _, ...rest }) => rest);
  }
}

/** What a request may do as the sender it authenticated as: the same whether by credential or session. */
function authenticated(sender: SyncSender): AuthenticatedSender {
  return {
    id: sender.id,
    agencies: sender.agencies,
    successCode: sender.successCode,
    ...(sender.defaultAgency === undefined ? {} : { defaultAgency: sender.defaultAgency }),
  };
}
