import { describe, expect, it } from "vitest";
import { matchRoute } from "../../../local/runtime/api-gateway.ts";
import { LocalAuth } from "../../../local/runtime/local-auth.ts";

const ROUTES = [
  { method: "GET", path: "/dossiers" },
  { method: "GET", path: "/dossiers/{code}" },
  { method: "POST", path: "/apologies/{id}/approve" },
  { method: "GET", path: "/assets/{proxy+}" },
];

describe("matchRoute", () => {
  it("matches HTTP API route patterns and extracts parameters", () => {
    expect(matchRoute(ROUTES, "GET", "/dossiers")?.route.path).toBe("/dossiers");
    expect(matchRoute(ROUTES, "GET", "/dossiers/000.00.12.H42-261120-0001")).toEqual({
      route: ROUTES[1],
      pathParameters: { code: "000.00.12.H42-261120-0001" },
    });
    expect(matchRoute(ROUTES, "POST", "/apologies/d-1/approve")?.pathParameters).toEqual({ id: "d-1" });
    expect(matchRoute(ROUTES, "GET", "/assets/js/app.js")?.pathParameters).toEqual({ proxy: "js/app.js" });
  });

  it("refuses other methods and longer or shorter paths", () => {
    expect(matchRoute(ROUTES, "DELETE", "/dossiers")).toBeUndefined();
    expect(matchRoute(ROUTES, "GET", "/dossiers/a/b")).toBeUndefined();
    expect(matchRoute(ROUTES, "POST", "/apologies/d-1")).toBeUndefined();
  });
});

describe("LocalAuth", () => {
  const accounts = [{ id: "ld-tp", name: "Lê Văn Lãnh", role: "leader" as const, agencyId: "stp" }];

  it("issues tokens with the claims Cognito would carry", async () => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const auth = new LocalAuth(accounts, () => now);
    const login = await auth.login("ld-tp");
    expect(login?.account.name).toBe("Lê Văn Lãnh");
    const claims = await auth.verify(login!.token);
    expect(claims).toMatchObject({ sub: "ld-tp", "custom:agencyId": "stp", "cognito:groups": ["leader"] });
    // Tokens expire on the runtime's clock (which may run fast), and never verify elsewhere.
    now += 13 * 3600_000;
    expect(await auth.verify(login!.token)).toBeUndefined();
    expect(await new LocalAuth(accounts, () => now).verify(login!.token)).toBeUndefined();
  });

  it("knows only its accounts", async () => {
    expect(await new LocalAuth(accounts, Date.now).login("nobody")).toBeUndefined();
  });
});
