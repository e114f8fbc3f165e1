import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import type { Group } from "../../shared/app/actor.ts";

/** A demo account that can log in locally (the local stand-in for a Cognito user). */
export interface LocalAccount {
  id: string;
  name: string;
  role: Group;
  agencyId: string;
  /** What the pages of this machine show instead of the ids (the demo directory's names). */
  agencyName?: string;
  unitId?: string;
  unitName?: string;
  /** The person's title (chức vụ). */
  title?: string;
}

/** The roles as the one-stop desk says them. */
export const ROLE_NAMES: Readonly<Record<Group, string>> = {
  leader: "Lãnh đạo",
  handler: "Cán bộ xử lý",
  admin: "Quản trị",
};

/** A leader of the agency or of one unit; the role's name for the others. */
export function roleName(account: Pick<LocalAccount, "role" | "unitId">): string {
  if (account.role === "leader") return account.unitId === undefined ? "Lãnh đạo cơ quan" : "Lãnh đạo đơn vị";
  return ROLE_NAMES[account.role];
}

/** The claims the API reads, shaped as Cognito puts them in an access/ID token. */
export type JwtClaims = Record<string, string | number | boolean | string[]>;

const ISSUER = "dunghan-local";
/** The dashboard's client id on the local stack: ID tokens are issued to it (`aud`), as Cognito does. */
export const LOCAL_CLIENT_ID = "dunghan-dashboard";
const AUDIENCE = LOCAL_CLIENT_ID;
/** On the runtime's clock (which may run fast). */
const TOKEN_LIFETIME_S = 12 * 3600;

/**
 * Local login instead of Cognito: tokens carry the same claims the API reads on AWS
 * (`sub`, `name`, `custom:agencyId`, `cognito:groups`), signed with a key made at start-up, so a
 * token never outlives the process that issued it.
 */
export class LocalAuth {
  private readonly secret = new Uint8Array(randomBytes(32));

  constructor(
    private readonly accounts: readonly LocalAccount[],
    private readonly now: () => number,
  ) {}

  list(): readonly LocalAccount[] {
    return this.accounts;
  }

  /** The ID token of an account (what `POST /login` returns), or undefined for an unknown account. */
  async login(accountId: string): Promise<{ token: string; account: LocalAccount } | undefined> {
    const account = this.accounts.find((candidate) => candidate.id === accountId);
    if (!account) return undefined;
    return { token: await this.sign(account, "id"), account };
  }

  /**
   * What Cognito's token endpoint returns for a code: an ID token (the profile and
   * `custom:agencyId`, what the API needs) and an access token (groups and scopes only, so the
   * API refuses it as it does on AWS).
   */
  async tokens(
    accountId: string,
    scope: string,
  ): Promise<{ idToken: string; accessToken: string; expiresIn: number } | undefined> {
    const account = this.accounts.find((candidate) => candidate.id === accountId);
    if (!account) return undefined;
    return {
      idToken: await this.sign(account, "id"),
      accessToken: await this.sign(account, "access", scope),
      expiresIn: TOKEN_LIFETIME_S,
    };
  }

  private async sign(account: LocalAccount, use: "id" | "access", scope?: string): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    const claims =
      use === "id"
        ? { name: account.name, "custom:agencyId": account.agencyId, "custom:staffId": account.id }
        : { scope: scope ?? "", client_id: AUDIENCE };
    return new SignJWT({ ...claims, "cognito:groups": [account.role], token_use: use })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(account.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + TOKEN_LIFETIME_S)
      .sign(this.secret);
  }

  /**
   * The claims of a valid ID token, or undefined: a bad or foreign signature, another algorithm
   * than the one issued (alg "none", RS256 with the secret as a public key…), expired or not yet
   * valid on the runtime's clock, another issuer or audience, or an access token — API Gateway's
   * JWT authorizer refuses Cognito access tokens for an ID-token audience the same way.
   */
  async verify(token: string): Promise<JwtClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
        requiredClaims: ["exp", "iat", "sub"],
      });
      if (payload.token_use !== "id") return undefined;
      return payload as JwtClaims;
    } catch {
      return undefined;
    }
  }
}
