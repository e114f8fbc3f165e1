import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { base64url, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  BodyTooLargeError,
  bearerToken,
  matchRoute,
  readApiBody,
} from "../../../local/runtime/api-gateway.ts";
import { LocalAuth } from "../../../local/runtime/local-auth.ts";

/** Forged, altered and misused tokens against the local stand-in for Cognito (docs/security.md). */
const NOW = Date.parse("2026-11-23T01:00:00Z");
const accounts = [
  { id: "gd-a", name: "Giám đốc A", role: "leader" as const, agencyId: "agency-a" },
  { id: "cv-a", name: "Chuyên viên A", role: "handler" as const, agencyId: "agency-a" },
];
const part = (value: unknown) => base64url.encode(JSON.stringify(value));
const split = (token: string) => token.split(".") as [string, string, string];
const claimsOf = (token: string) =>
  JSON.parse(new TextDecoder().decode(base64url.decode(split(token)[1]))) as Record<string, unknown>;

describe("LocalAuth.verify against forged tokens", () => {
  const auth = new LocalAuth(accounts, () => NOW);

  it("accepts its own ID token (the control)", async () => {
    const { token } = (await auth.login("cv-a"))!;
    expect(await auth.verify(token)).toMatchObject({ sub: "cv-a", "custom:agencyId": "agency-a" });
  });

  it("refuses a token whose claims were changed (another agency, the leader group)", async () => {
    const { token } = (await auth.login("cv-a"))!;
    const [header, , signature] = split(token);
    const forged = { ...claimsOf(token), "custom:agencyId": "agency-b", "cognito:groups": ["leader"] };
    expect(await auth.verify(`${header}.${part(forged)}.${signature}`)).toBeUndefined();
  });

  it('refuses alg "none" (unsigned) with the same claims', async () => {
    const { token } = (await auth.login("cv-a"))!;
    const claims = claimsOf(token);
    expect(await auth.verify(`${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`)).toBeUndefined();
    expect(await auth.verify(`${part({ alg: "none" })}.${part(claims)}`)).toBeUndefined();
  });

  it("refuses a token signed with another key, and one with another HMAC algorithm", async () => {
    const { token } = (await auth.login("cv-a"))!;
    const claims = claimsOf(token);
    const otherKey = new Uint8Array(32).fill(7);
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(otherKey);
    expect(await auth.verify(foreign)).toBeUndefined();
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: "HS512" }).sign(new Uint8Array(64));
    expect(await auth.verify(hs512)).toBeUndefined();
  });

  it("refuses an expired token and one not valid yet, on the runtime's clock", async () => {
    const { token } = (await auth.login("cv-a"))!;
    expect(await new LocalAuth(accounts, () => NOW + 13 * 3600_000).verify(token)).toBeUndefined();
    // Another process (another secret) never accepts it either.
    expect(await new LocalAuth(accounts, () => NOW).verify(token)).toBeUndefined();
  });

  it("refuses an access token (no agency claim; API Gateway refuses it for an ID-token audience)", async () => {
    const tokens = (await auth.tokens("gd-a", "openid"))!;
    expect(await auth.verify(tokens.accessToken)).toBeUndefined();
    expect(await auth.verify(tokens.idToken)).toBeDefined();
  });

  it("refuses garbage", async () => {
    for (const junk of ["", "a", "a.b.c", "....", "x".repeat(10_000), "\u0000.\u0000.\u0000"]) {
      expect(await auth.verify(junk)).toBeUndefined();
    }
  });
});

const request = (headers: Record<string, string>, body: Buffer = Buffer.alloc(0)) =>
  Object.assign(Readable.from([body]), { headers }) as unknown as IncomingMessage;

describe("the local API gateway", () => {
  it("takes a token from the Authorization header only — never from a cookie (CSRF)", () => {
    expect(bearerToken(request({ authorization: "Bearer abc.def.ghi" }))).toBe("abc.def.ghi");
    expect(bearerToken(request({ cookie: "dunghan_token=abc.def.ghi" }))).toBeUndefined();
    expect(bearerToken(request({ authorization: "Basic abc" }))).toBeUndefined();
    expect(bearerToken(request({ authorization: "Bearer a b" }))).toBeUndefined();
  });

  it("matches no route for a malformed percent-escape instead of throwing", () => {
    const routes = [{ method: "GET", path: "/dossiers/{code}" }];
    expect(matchRoute(routes, "GET", "/dossiers/%E0%A4%A")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/dossiers/%")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/dossiers/a%2Fb")?.pathParameters).toEqual({ code: "a/b" });
  });

  it("refuses a body over its limit with a 413 error, and passes bytes that are not UTF-8 as base64", async () => {
    await expect(readApiBody(request({}, Buffer.alloc(2_000)), 1_000)).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    const latin1 = await readApiBody(request({}, Buffer.from([0x7b, 0xff, 0x7d])));
    expect(latin1).toEqual({
      body: Buffer.from([0x7b, 0xff, 0x7d]).toString("base64"),
      isBase64Encoded: true,
    });
    expect(await readApiBody(request({}, Buffer.from('{"a":"ă"}')))).toEqual({
      body: '{"a":"ă"}',
      isBase64Encoded: false,
    });
  });
});
