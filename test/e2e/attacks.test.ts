import { base64url, SignJWT } from "jose";
import JSZip from "jszip";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUMAN_ROUTES } from "../../functions/api-routes.ts";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { hasChromium, launchChromium, signIn } from "../support/browser.ts";

/**
 * The local stack attacked the way a hostile client would (docs/security.md): forged
 * and misused tokens on every route, one agency reaching for another's dossiers, drafts and
 * reports, a handler trying a leader's actions, CSRF shapes, markup in every free-text field
 * (letters, e-mails, SMS and the dashboard in Chromium) and malformed input over HTTP. Each
 * attack also checks that nothing changed. Its own stack: the clock moves three days.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes
type Json = any;

const A = { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" };
const B_LEADER = "gd-son"; // ttpvhcc-tan-an
const B_HANDLER = "cb-trang";
const A_LEADER = "gd-trung";
const A_HANDLER = "cv-khang";
const XSS = `<img src=x onerror="window.__xss=(window.__xss||0)+1"><script>window.__xss=1</script>`;
const CODE = "000.00.11.H42-261120-0901";
const OTHER = "000.00.11.H42-261120-0902";

function received(code: string, workingDays: number) {
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: "2026-11-20T08:00:00+07:00",
    receivedAt: "2026-11-20T08:00:00+07:00",
    procedure: {
      code: "1.001612",
      name: `Đăng ký khai sinh ${XSS}`,
      field: `Hộ tịch ${XSS}`,
      timeLimit: { amount: workingDays, unit: "working-days" },
    },
    agency: A,
    unit: { id: "quay-tu-phap", name: `Quầy Sở Tư pháp ${XSS}` },
    channel: "online",
    applicant: {
      name: `Trần Thị Bé Năm ${XSS}`,
      honorific: "Bà",
      address: `Số 1 ${XSS}`,
      phone: "0900005678",
      email: "benam@example.vn",
      consent: { sms: true, email: true },
    },
    handler: { id: A_HANDLER, name: `Khang ${XSS}` },
  };
}

describe("the local stack under attack", () => {
  let stack: LocalStack;
  let url: string;
  let staleToken: string;
  const tokens: Record<string, string> = {};
  let draft: Json;

  const request = async (
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : new Uint8Array(options.body) }),
    });
    const text = await response.text();
    let body: Json = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, body, text, headers: response.headers };
  };
  const get = (path: string, token?: string) => request("GET", path, token === undefined ? {} : { token });
  const post = (path: string, body: unknown, token?: string) =>
    request("POST", path, { ...(token ? { token } : {}), body: JSON.stringify(body) });
  const login = async (account: string) => (await post("/login", { account })).body.token as string;
  const draftNow = async () => (await get(`/dossiers/${CODE}/apologies/${draft.id}`, tokens[A_LEADER])).body;

  beforeAll(async () => {
    stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock("2026-11-20T08:00:00+07:00"),
      demo: "people",
      timers: false,
      controls: true,
    });
    url = stack.url;
    staleToken = await login(A_LEADER); // expires 12 h later on the stack's clock
    expect((await post("/events", [received(CODE, 2), received(OTHER, 4)])).status).toBe(202);
    await post("/_local/advance", { ms: 5 * 60_000 });
    await post("/_local/advance", { ms: 3 * 24 * 60 * 60_000 }); // Monday 08:05: CODE overdue, apology drafted
    for (const account of [A_LEADER, A_HANDLER, B_LEADER, B_HANDLER, "admin"])
      tokens[account] = await login(account);
    const drafts = await get(`/dossiers/${CODE}/apologies`, tokens[A_LEADER]);
    expect(drafts.status).toBe(200);
    draft = drafts.body.items[0];
    expect(draft?.status, JSON.stringify(drafts.body)).toBe("draft");
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** Every route of functions/api-routes.ts with real parameters: A's dossier, its draft, A's agency. */
  const routes = () =>
    HUMAN_ROUTES.map((route) => ({
      method: route.method,
      path: route.path
        .replace("{code}", CODE)
        .replace("{draftId}", draft.id)
        .replace("{year}", "2027")
        .replace("{agencyId}", A.id),
      body: ["PUT", "PATCH", "POST"].includes(route.method) ? "{}" : undefined,
    }));

  describe("authentication on every route", () => {
    const forged = async () => {
      const valid = tokens[A_LEADER]!;
      const [header, payload, signature] = valid.split(".") as [string, string, string];
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
      const part = (value: unknown) => base64url.encode(JSON.stringify(value));
      return {
        "no token": undefined,
        expired: staleToken,
        "tampered claims": `${header}.${part({ ...claims, "custom:agencyId": "ttpvhcc-tan-an" })}.${signature}`,
        'alg "none"': `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`,
        "another key": await new SignJWT(claims)
          .setProtectedHeader({ alg: "HS256" })
          .sign(new Uint8Array(32).fill(1)),
        garbage: "not-a-token",
      };
    };

    it("answers 401 to no token, an expired, tampered, unsigned or foreign token, on every route", async () => {
      const before = await draftNow();
      const outcomes: string[] = [];
      for (const [name, token] of Object.entries(await forged())) {
        for (const route of routes()) {
          const response = await request(route.method, route.path, {
            ...(token === undefined ? {} : { token }),
            ...(route.body === undefined ? {} : { body: route.body }),
          });
          if (response.status !== 401)
            outcomes.push(`${name} ${route.method} ${route.path}: ${response.status}`);
        }
      }
      expect(outcomes).toEqual([]);
      expect(await draftNow()).toEqual(before);
    });

    it("refuses a cookie-only request and a form post (CSRF): the API reads a Bearer header only", async () => {
      const before = await draftNow();
      const cookie = { cookie: `dunghan_token=${tokens[A_LEADER]}` };
      for (const route of routes()) {
        expect((await request(route.method, route.path, { headers: cookie })).status).toBe(401);
      }
      const approve = `/dossiers/${CODE}/apologies/${draft.id}/approve`;
      const form = { "content-type": "application/x-www-form-urlencoded", ...cookie };
      expect((await request("POST", approve, { headers: form, body: "reason=x" })).status).toBe(401);
      // Even with a token, a body that is not JSON (a form, text/plain) is refused before any route.
      for (const type of [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
      ]) {
        const response = await request("POST", approve, {
          token: tokens[A_LEADER]!,
          headers: { "content-type": type },
          body: '{"reason":"x"}',
        });
        expect(response.status).toBe(415);
      }
      expect(await draftNow()).toEqual(before);
    });

    it("allows no other origin: no CORS header for a foreign origin, preflight or not", async () => {
      const evil = { origin: "https://evil.example" };
      const preflight = await request("OPTIONS", "/dossiers", {
        headers: {
          ...evil,
          "access-control-request-method": "GET",
          "access-control-request-headers": "authorization",
        },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const read = await request("GET", "/dossiers", { token: tokens[A_LEADER]!, headers: evil });
      expect(read.headers.get("access-control-allow-origin")).toBeNull();
      expect(read.headers.get("access-control-allow-credentials")).toBeNull();
    });
  });

  describe("agency B reaching for agency A", () => {
    it("finds none of A's dossiers: by code, in listings, in reports — 404s that say nothing more", async () => {
      for (const account of [B_LEADER, B_HANDLER]) {
        const token = tokens[account]!;
        const real = await get(`/dossiers/${CODE}`, token);
        const absent = await get("/dossiers/000.00.11.H42-261120-9999", token);
        expect(real.status).toBe(404);
        expect(absent.status).toBe(404);
        // The same answer for A's dossier and for one that does not exist: nothing to tell them apart.
        expect(real.text.replaceAll(CODE, "X")).toBe(
          absent.text.replaceAll("000.00.11.H42-261120-9999", "X"),
        );
        for (const status of ["in-progress", "paused", "awaiting-supplement"]) {
          const list = await get(`/dossiers?status=${status}&limit=500`, token);
          expect(list.status).toBe(200);
          expect(list.text).not.toContain(CODE);
          expect(list.text).not.toContain(OTHER);
        }
      }
      const report = await get("/reports?from=2026-11-01&to=2026-11-30&by=unit", tokens[B_LEADER]);
      expect(report.status).toBe(200);
      expect(report.text).not.toContain(A.id);
      expect(report.text).not.toContain("quay-tu-phap");
      const csv = await get("/reports?from=2026-11-01&to=2026-11-30&by=unit&format=csv", tokens[B_LEADER]);
      expect(csv.text).not.toContain("Quầy Sở Tư pháp");
    });

    it("can neither read nor change A's drafts — by listing, by code, by guessing — and nothing changes", async () => {
      const before = await draftNow();
      const token = tokens[B_LEADER]!;
      expect((await get("/apologies?status=draft", token)).text).not.toContain(CODE);
      const base = `/dossiers/${CODE}/apologies`;
      const attempts = [
        request("GET", base, { token }),
        request("GET", `${base}/${draft.id}`, { token }),
        request("GET", `${base}/${draft.id}/letter?format=html`, { token }),
        request("GET", `${base}/${draft.id}/letter?format=docx`, { token }),
        request("PATCH", `${base}/${draft.id}`, { token, body: '{"reason":"Lý do của B"}' }),
        request("POST", `${base}/${draft.id}/approve`, { token, body: "{}" }),
        request("POST", `${base}/${draft.id}/send`, { token, body: "{}" }),
        request("POST", `${base}/${draft.id}/withdraw`, { token, body: "{}" }),
        request("GET", `${base}/apology-guess-0001`, { token }),
        request("POST", `${base}/apology-guess-0001/approve`, { token, body: "{}" }),
      ];
      for (const response of await Promise.all(attempts)) expect(response.status).toBe(404);
      expect(await draftNow()).toEqual(before);
    });

    it("cannot read or replace A's directory, even as an admin of another agency", async () => {
      const directory = await get(`/directory/${A.id}`, tokens.admin);
      expect(directory.status).toBe(200);
      const put = await request("PUT", `/directory/${A.id}`, {
        token: tokens[B_LEADER]!,
        body: JSON.stringify(directory.body),
      });
      expect([403, 404]).toContain(put.status);
      expect([403, 404]).toContain((await get(`/directory/${A.id}`, tokens[B_LEADER])).status);
      expect((await get(`/directory/${A.id}`, tokens.admin)).body).toEqual(directory.body);
    });
  });

  describe("a handler trying a leader's actions", () => {
    it("is refused with 403, and the draft, the calendar and the directory are unchanged", async () => {
      const before = await draftNow();
      const token = tokens[A_HANDLER]!;
      const base = `/dossiers/${CODE}/apologies`;
      const attempts: [string, string, string | undefined][] = [
        ["GET", base, undefined],
        ["GET", "/apologies", undefined],
        ["GET", `${base}/${draft.id}`, undefined],
        ["PATCH", `${base}/${draft.id}`, '{"reason":"Lý do của cán bộ"}'],
        ["POST", `${base}/${draft.id}/approve`, "{}"],
        ["POST", `${base}/${draft.id}/send`, "{}"],
        ["POST", `${base}/${draft.id}/withdraw`, "{}"],
        ["GET", "/reports?from=2026-11-01&to=2026-11-30", undefined],
        ["PUT", "/calendar/2027", '{"year":2027,"sources":["x"],"daysOff":[],"workingDays":[]}'],
        ["PUT", `/directory/${A.id}`, "{}"],
      ];
      for (const [method, path, body] of attempts) {
        const response = await request(method, path, { token, ...(body === undefined ? {} : { body }) });
        expect(`${method} ${path} ${response.status}`).toBe(`${method} ${path} 403`);
      }
      expect(await draftNow()).toEqual(before);
      expect((await get("/calendar/2027", tokens.admin)).text).not.toContain('"sources":["x"]');
    });
  });

  describe("markup in every free-text field", () => {
    it("is escaped in the HTML and DOCX letters, also in a reason the leader typed", async () => {
      const token = tokens[A_LEADER]!;
      const base = `/dossiers/${CODE}/apologies/${draft.id}`;
      const edited = await request("PATCH", base, {
        token,
        body: JSON.stringify({ reason: "Chờ ý kiến <script>alert(1)</script> <img src=x onerror=alert(1)>" }),
      });
      expect(edited.status, edited.text).toBe(200);
      const html = await get(`${base}/letter?format=html`, token);
      expect(html.status).toBe(200);
      expect(html.text).not.toMatch(/<script|<img|onerror="/i);
      expect(html.text).toContain("&lt;img src=x onerror=");
      const docx = await fetch(`${url}${base}/letter?format=docx`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
      const xml = await zip.file("word/document.xml")!.async("string");
      expect(xml).not.toMatch(/<script|<img/i);
      expect(xml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    });

    it("is inert in the e-mails (HTML body and one-line subject) and the SMS", async () => {
      const outbox = (await get("/outbox.json")).body as { sms: Json[]; emails: Json[] };
      const mine = outbox.emails.filter((mail) => JSON.stringify(mail).includes(CODE));
      expect(mine.length).toBeGreaterThan(0);
      for (const mail of mine) {
        expect(String(mail.subject)).not.toMatch(/[\r\n]/);
        expect(String(mail.html ?? "")).not.toMatch(/<script|<img|onerror="/i);
      }
      expect(JSON.stringify(mine)).toMatch(/&lt;img|&lt;script/);
      const sms = outbox.sms.filter((message) => JSON.stringify(message).includes(CODE));
      expect(sms.length).toBeGreaterThan(0);
      for (const message of sms)
        expect(String(message.text ?? message.message ?? "")).not.toMatch(/[\r\p{Cc}]/u);
    });

    it.skipIf(!hasChromium)(
      "runs no script in the dashboard (leader and handler views) in Chromium",
      async () => {
        let browser: Browser | undefined;
        try {
          browser = await launchChromium();
          for (const account of [A_LEADER, A_HANDLER]) {
            const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
            const dialogs: string[] = [];
            const violations: string[] = [];
            page.on("dialog", (dialog) => {
              dialogs.push(dialog.message());
              void dialog.dismiss();
            });
            page.on("console", (message) => {
              if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
            });
            await signIn(page, url, account);
            await expect.poll(() => page.locator("body").textContent(), { timeout: 20_000 }).toContain(CODE);
            // The payload is on the page as text (the attack reached the view)…
            expect(await page.locator("body").textContent()).toContain("onerror=");
            // …and as nothing else: no element of it, no script run, no handler the CSP had to block.
            expect(await page.locator('img[src="x"], [onerror]').count()).toBe(0);
            expect(
              await page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
            ).toBeUndefined();
            expect(dialogs).toEqual([]);
            expect(violations).toEqual([]);
            await page.close();
          }
        } finally {
          await browser?.close();
        }
      },
      120_000,
    );
  });

  describe("malformed input over HTTP: a clear 4xx, nothing stored", () => {
    const event = (code: string, patch: (e: Json) => void = () => {}) => {
      const e: Json = received(code, 3);
      e.applicant.name = "Nguyễn Văn An";
      patch(e);
      return e;
    };
    const send = (body: string | Buffer, type = "application/json") =>
      request("POST", "/events", { headers: { "content-type": type }, body });
    const code = (n: number) => `000.00.11.H42-261120-${String(7000 + n).padStart(4, "0")}`;

    it.each([
      ["a 1 MB name", 1, (e: Json) => (e.applicant.name = "a".repeat(1_000_000)), 413],
      ["a 400 KB name", 2, (e: Json) => (e.applicant.name = "a".repeat(400_000)), 400],
      ["NUL in a name", 3, (e: Json) => (e.applicant.name = "An\u0000"), 400],
      ["CR/LF in a unit name", 4, (e: Json) => (e.unit.name = "Quầy\r\nBcc: x@example.vn"), 400],
      ["a lone surrogate", 5, (e: Json) => (e.applicant.name = "An \ud800"), 400],
      ["a bidi override", 6, (e: Json) => (e.procedure.name = "Khai sinh \u202e"), 400],
      ["a nested object for a name", 7, (e: Json) => (e.applicant.name = { a: { b: [1] } }), 400],
      ["an unknown field", 8, (e: Json) => (e.isAdmin = true), 400],
      [
        "a prototype key",
        9,
        (e: Json) => Object.defineProperty(e, "__proto__", { value: { x: 1 }, enumerable: true }),
        400,
      ],
    ])("refuses %s", async (_, n, patch, status) => {
      const response = await send(JSON.stringify(event(code(n), patch)));
      expect(response.status).toBe(status);
      expect(JSON.stringify(response.body)).not.toContain("0900005678");
      expect(response.text.length).toBeLessThan(5_000);
      await post("/_local/settle", {});
      expect((await get(`/dossiers/${code(n)}`, tokens[A_LEADER])).status).toBe(404);
    });

    it("refuses deeply nested JSON, a huge batch, bytes that are not UTF-8 and a wrong Content-Type", async () => {
      const nested = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      expect((await send(nested)).status).toBe(400);
      const batch = JSON.stringify(Array.from({ length: 11 }, (_, i) => event(code(20 + i))));
      const eleven = await send(batch);
      expect(eleven.status).toBe(400);
      expect(eleven.body.error.message).toMatch(/1 to 10 events/);
      const many = JSON.stringify(Array.from({ length: 5_000 }, () => ({})));
      expect((await send(many)).status).toBe(400);
      const latin1 = Buffer.concat([
        Buffer.from(JSON.stringify(event(code(40))).slice(0, -1)),
        Buffer.from([0xff, 0xfe]),
        Buffer.from("}"),
      ]);
      expect((await send(latin1)).status).toBe(400);
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
        expect((await send(JSON.stringify(event(code(41))), type)).status).toBe(415);
      }
      const none = await fetch(`${url}/events`, { method: "POST", body: new Uint8Array(Buffer.from("{}")) });
      expect(none.status).toBe(415);
      const tooBig = await send(Buffer.alloc(2_000_000, 0x20));
      expect(tooBig.status).toBe(413);
      await post("/_local/settle", {});
      for (const n of [20, 40, 41])
        expect((await get(`/dossiers/${code(n)}`, tokens[A_LEADER])).status).toBe(404);
    });

    it("stores decomposed Vietnamese (NFD) as NFC", async () => {
      const nfd = event(code(50), (e) => {
        e.applicant.name = "Nguyễn Thị Ánh Tuyết".normalize("NFD");
        e.procedure.name = "Đăng ký khai sinh".normalize("NFD");
      });
      expect((await send(JSON.stringify(nfd))).status).toBe(202);
      await post("/_local/settle", {});
      const stored = await get(`/dossiers/${code(50)}`, tokens[A_LEADER]);
      expect(stored.status).toBe(200);
      expect(stored.text).toContain("Nguyễn Thị Ánh Tuyết".normalize("NFC"));
      expect(stored.text).not.toContain("Nguyễn Thị Ánh Tuyết".normalize("NFD"));
    });

    it("answers a malformed path escape and a bad cursor with a 4xx, not a 500", async () => {
      const token = tokens[A_LEADER]!;
      expect((await get("/dossiers/%E0%A4%A", token)).status).toBe(404);
      const theirs = await get("/dossiers?limit=1", tokens[B_LEADER]);
      const cursors = ["garbage", theirs.body.cursor, Buffer.from('{"pk":1}').toString("base64url")];
      for (const cursor of cursors.filter(Boolean)) {
        expect((await get(`/dossiers?cursor=${encodeURIComponent(cursor)}`, token)).status).toBe(400);
      }
    });
  });
});
