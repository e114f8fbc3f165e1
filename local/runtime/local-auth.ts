import { randomBytes } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

/** A demo account that can log in locally (the local stand-in for a Cognito user). */
export interface LocalAccount {
  id: string;
  name: string;
  role: "handler" | "leader" | "admin";
  agencyId: string;
}

/** The claims the API reads, shaped as Cognito puts them in an access/ID token. */
export type JwtClaims = Record<string, string | number | boolean | string[]>;

const ISSUER = "dunghan-local";
const AUDIENCE = "dunghan-dashboard";

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

  async login(accountId: string): Promise<{ token: string; account: LocalAccount } | undefined> {
    const account = this.accounts.find((candidate) => candidate.id === accountId);
    if (!account) return undefined;
    const issuedAt = Math.floor(this.now() / 1000);
    const token = await new SignJWT({
      name: account.name,
      "custom:agencyId": account.agencyId,
      "cognito:groups": [account.role],
    })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(account.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 12 * 3600)
      .sign(this.secret);
    return { token, account };
  }

  /** The claims of a valid token, or undefined (bad signature, expired on the runtime's clock). */
  async verify(token: string): Promise<JwtClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
      });
      return payload as JwtClaims;
    } catch {
      return undefined;
    }
  }
}
