import { base64url } from "jose";
import { ManualClock } from "../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../local/runtime/stack.ts";
import { type Benchmark, type Figure, seededRandom } from "./harness.ts";

/**
 * Fuzzed requests against the local stack (docs/security.md), beside a baseline of as
 * many valid requests in the same run:
 *
 * - `fuzz.5xx`: fuzzed requests answered 5xx — the target is 0; every other figure is context.
 * - `fuzz.4xx` / `fuzz.accepted`: refused and accepted fuzzed requests (a harmless mutation, e.g.
 *   decomposed Vietnamese or markup in a name, is rightly accepted).
 * - `fuzz.stored-after-refusal`: dossiers of refused events found in the table afterwards — must be 0.
 * - `fuzz.requests-per-s`: how fast the stack refuses, beside valid requests per second.
 *
 * Mutations (seeded, so every run sends the same requests): oversized strings up to 600 KB,
 * control characters, lone surrogates, bidi overrides, wrong types, deep nesting, unknown and
 * missing fields, prototype keys, bad instants and codes, huge batches, truncated JSON, bytes that
 * are not UTF-8, wrong or missing Content-Type; on the staff API forged tokens (tampered, alg none,
 * expired-looking, cookie-only), another agency's codes, malformed paths and query strings.
 * All traffic to 127.0.0.1; FUZZ_BENCH_REQUESTS=1000 sets N.
 */
const N = Number(process.env.FUZZ_BENCH_REQUESTS ?? 1000);
const CONCURRENCY = 4;
const AGENCY = { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" };
const AT = "2026-11-20T08:00:00+07:00";

type Json = Record<string, unknown>;
interface Attempt {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** The dossier an event would create: it must not exist when the request was refused. */
  readonly code?: string;
}

let serial = 0;
const nextCode = (prefix: string) => `000.00.12.${prefix}-261120-${String(serial++).padStart(6, "0")}`;

function validEvent(code: string): Json {
  // A fresh copy each time: mutations must not reach the shared AGENCY object.
  return structuredClone({
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: AT,
    receivedAt: AT,
    procedure: {
      code: "1.001612",
      name: "Đăng ký khai sinh",
      field: "Hộ tịch",
      timeLimit: { amount: 3, unit: "working-days" },
    },
    agency: AGENCY,
    unit: { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" },
    channel: "online",
    applicant: { name: "Trần Thị Bé Năm", honorific: "Bà", consent: { sms: false, email: false } },
    handler: { id: "cv-khang" },
  });
}

/** The string fields of a received event, as paths. */
const TEXT_PATHS = [
  ["id"],
  ["dossierCode"],
  ["occurredAt"],
  ["receivedAt"],
  ["procedure", "code"],
  ["procedure", "name"],
  ["procedure", "field"],
  ["agency", "id"],
  ["agency", "name"],
  ["unit", "name"],
  ["applicant", "name"],
  ["applicant", "address"],
  ["handler", "id"],
  ["handler", "name"],
  ["channel"],
  ["type"],
];

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}

function nested(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

const JSON_TYPE = { "content-type": "application/json" };

/** One fuzzed request, chosen by `random`; tokens of agency A's leader and of agency B's. */
function fuzzed(random: () => number, tokens: { a: string; b: string }, known: string): Attempt {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const code = nextCode("F");
  const event = validEvent(code);
  const field = pick(TEXT_PATHS);
  const send = (kind: string, body: unknown, headers: Record<string, string> = JSON_TYPE): Attempt => ({
    kind,
    method: "POST",
    path: "/events",
    headers,
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
    code,
  });
  const api = (kind: string, method: string, path: string, token?: string, extra: Partial<Attempt> = {}) => ({
    kind,
    method,
    path,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...extra.headers },
    ...(extra.body === undefined ? {} : { body: extra.body }),
  });
  switch (Math.floor(random() * 20)) {
    case 0:
      setPath(event, field, "a".repeat(pick([2_001, 10_000, 100_000, 600_000])));
      return send("event: oversized string", event);
    case 1:
      setPath(event, field, `An${pick(["\u0000", "\r\n", "\u001b[2J", "\u0085", "\u0007"])}x`);
      return send("event: control character", event);
    case 2:
      setPath(event, field, `An ${pick(["\ud800", "\udfff", "\udc00x"])}`);
      return send("event: lone surrogate", event);
    case 3:
      setPath(event, field, `An \u202e${"x".repeat(3)}`);
      return send("event: bidi override", event);
    case 4:
      setPath(event, field, pick([42, -1, null, true, [], {}, ["a"], { $gt: "" }, 1e308]));
      return send("event: wrong type", event);
    case 5: {
      const depth = pick([100, 10_000, 100_000]);
      return random() < 0.5
        ? send("event: deep nesting", nested(depth))
        : send("event: deep nesting", JSON.stringify(event).replace('"Trần Thị Bé Năm"', nested(depth)));
    }
    case 6: {
      // Written into the JSON text: an object literal's "__proto__" would set the prototype instead.
      const key = pick(["isAdmin", "__proto__", "constructor", "agencyId", "version"]);
      return send(
        "event: unknown or prototype key",
        JSON.stringify(event).replace(/^\{/, `{"${key}":{"polluted":true},`),
      );
    }
    case 7: {
      const [top] = field;
      delete event[top!];
      return send("event: missing field", event);
    }
    case 8:
      setPath(
        event,
        [pick(["occurredAt", "receivedAt"])],
        pick([
          "2026-13-01T00:00:00+07:00",
          "2026-11-20",
          "yesterday",
          "2026-02-30T08:00:00+07:00",
          "9999-99-99",
        ]),
      );
      return send("event: bad instant", event);
    case 9:
      event.dossierCode = pick(["", "a", "../../etc/passwd", "x".repeat(5000), "ABC DEF", "<script>"]);
      return send("event: bad dossier code", event);
    case 10: {
      const count = pick([0, 11, 100, 2_000]);
      return send(
        "event: batch size",
        Array.from({ length: count }, () => validEvent(nextCode("F"))),
      );
    }
    case 11: {
      const text = JSON.stringify(event);
      return send("event: malformed JSON", text.slice(0, Math.floor(random() * text.length)));
    }
    case 12: {
      const bytes = Buffer.from(JSON.stringify(event));
      const at = bytes.indexOf(Buffer.from("Tr"));
      bytes[at] = pick([0xff, 0xc3, 0x80]);
      return send("event: invalid UTF-8", new Uint8Array(bytes));
    }
    case 13:
      return send(
        "event: wrong Content-Type",
        event,
        pick<Record<string, string>>([
          {},
          { "content-type": "text/plain" },
          { "content-type": "application/x-www-form-urlencoded" },
        ]),
      );
    case 14:
      setPath(event, ["applicant", "name"], "Nguyễn Thị Ánh Tuyết".normalize("NFD"));
      return send("event: decomposed Vietnamese (valid)", event);
    case 15:
      setPath(
        event,
        pick([
          ["applicant", "name"],
          ["procedure", "name"],
          ["unit", "name"],
        ]),
        pick(['<img src=x onerror="alert(1)">', '=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0"]),
      );
      return send("event: markup or formula (valid)", event);
    case 16: {
      const [header, payload] = tokens.a.split(".") as [string, string, string];
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
      const forged = pick([
        `${header}.${base64url.encode(JSON.stringify({ ...claims, "custom:agencyId": "x" }))}.sig`,
        `${base64url.encode('{"alg":"none"}')}.${payload}.`,
        "garbage",
        `${tokens.a}x`,
      ]);
      return api(
        "api: forged token",
        pick(["GET", "POST"]),
        pick(["/dossiers", `/dossiers/${known}`, "/apologies"]),
        forged,
      );
    }
    case 17:
      return api("api: cookie only", "GET", "/dossiers", undefined, {
        headers: { cookie: `dunghan_token=${tokens.a}` },
      });
    case 18:
      return api(
        "api: malformed path or query",
        "GET",
        pick([
          "/dossiers/%E0%A4%A",
          "/dossiers/%",
          `/dossiers/${"9".repeat(3000)}`,
          "/dossiers?limit=-1",
          "/dossiers?limit=1e9",
          "/dossiers?status=%00",
          "/dossiers?cursor=e30",
          `/dossiers?cursor=${"A".repeat(5000)}`,
          "/reports?from=2026-11-01&to=1900-01-01",
          "/reports?from=x&to=y&by=__proto__",
          "/calendar/99999",
          `/dossiers/${known}/apologies/${"x".repeat(500)}/letter?format=pdf`,
        ]),
        tokens.a,
      );
    default:
      return api(
        "api: another agency's dossier",
        pick(["GET", "PATCH", "POST"]),
        pick([
          `/dossiers/${known}`,
          `/dossiers/${known}/apologies`,
          `/dossiers/${known}/apologies/guess/approve`,
        ]),
        tokens.b,
        { headers: JSON_TYPE, body: "{}" },
      );
  }
}

interface Outcome {
  status: number;
  attempt: Attempt;
}

async function run(url: string, attempts: readonly Attempt[]): Promise<{ outcomes: Outcome[]; ms: number }> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    while (next < attempts.length) {
      const attempt = attempts[next++]!;
      // No answer (a reset connection) counts with the 5xx: the server failed the request.
      const response = await fetch(`${url}${attempt.path}`, {
        method: attempt.method,
        headers: attempt.headers,
        ...(attempt.body === undefined || attempt.method === "GET"
          ? {}
          : { body: typeof attempt.body === "string" ? attempt.body : new Uint8Array(attempt.body) }),
      }).catch(() => undefined);
      await response?.arrayBuffer().catch(() => undefined);
      outcomes.push({ status: response?.status ?? 599, attempt });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { outcomes, ms: performance.now() - start };
}

const count = (outcomes: readonly Outcome[], test: (status: number) => boolean) =>
  outcomes.filter((outcome) => test(outcome.status)).length;

async function login(url: string, account: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: "POST",
    headers: JSON_TYPE,
    body: JSON.stringify({ account }),
  });
  return ((await response.json()) as { token: string }).token;
}

export const fuzzBenchmark: Benchmark = {
  name: "fuzz (local stack)",
  async run(): Promise<Figure[]> {
    let stack: LocalStack | undefined;
    try {
      stack = await startLocalStack({
        inMemory: true,
        port: 0,
        clock: new ManualClock("2026-11-20T09:00:00+07:00"),
        demo: "people",
        timers: false,
      });
      const url = stack.url;
      const tokens = { a: await login(url, "gd-trung"), b: await login(url, "gd-son") };
      const known = nextCode("K");
      await run(url, [
        {
          kind: "seed",
          method: "POST",
          path: "/events",
          headers: JSON_TYPE,
          body: JSON.stringify(validEvent(known)),
        },
      ]);
      await stack.settle();

      // Baseline: N valid requests — half events of new dossiers, half reads by the owning agency.
      const valid: Attempt[] = Array.from({ length: N }, (_, i) =>
        i % 2 === 0
          ? {
              kind: "valid event",
              method: "POST",
              path: "/events",
              headers: JSON_TYPE,
              body: JSON.stringify(validEvent(nextCode("V"))),
            }
          : {
              kind: "valid read",
              method: "GET",
              path: i % 4 === 1 ? `/dossiers/${known}` : "/dossiers?limit=20",
              headers: { authorization: `Bearer ${tokens.a}` },
            },
      );
      const random = seededRandom(16);
      const attempts = Array.from({ length: N }, () => fuzzed(random, tokens, known));

      const baseline = await run(url, valid);
      const fuzz = await run(url, attempts);
      await stack.settle();

      // What a refused event would have created must not exist.
      let storedAfterRefusal = 0;
      for (const { status, attempt } of fuzz.outcomes) {
        if (attempt.code !== undefined && status >= 400 && (await stack.tables.dossiers.load(attempt.code))) {
          storedAfterRefusal++;
        }
      }
      const byKind = new Map<string, number[]>();
      for (const { status, attempt } of fuzz.outcomes) {
        const row = byKind.get(attempt.kind) ?? [0, 0, 0];
        row[status >= 500 ? 1 : status >= 400 ? 0 : 2]! += 1;
        byKind.set(attempt.kind, row);
      }
      const table = [...byKind]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([kind, [c4, c5, ok]]) => `${kind}: ${c4} 4xx, ${c5} 5xx, ${ok} accepted`)
        .join("\n    ");
      const failures = fuzz.outcomes
        .filter((o) => o.status >= 500)
        .slice(0, 5)
        .map((o) => `${o.attempt.kind} → ${o.status === 599 ? "no answer" : o.status}`);

      const f5 = count(fuzz.outcomes, (s) => s >= 500);
      const f4 = count(fuzz.outcomes, (s) => s >= 400 && s < 500);
      const fOk = count(fuzz.outcomes, (s) => s < 400);
      const b5 = count(baseline.outcomes, (s) => s >= 500);
      const b4 = count(baseline.outcomes, (s) => s >= 400 && s < 500);
      const bOk = count(baseline.outcomes, (s) => s < 400);
      return [
        {
          figure: "fuzz.5xx",
          value: f5,
          unit: `of ${N} fuzzed requests (5xx or no answer)`,
          target: "= 0",
          baselines: { "valid requests answered 5xx": b5 },
          note: `by mutation:\n    ${table}${failures.length ? `\n    5xx: ${failures.join("; ")}` : ""}`,
        },
        {
          figure: "fuzz.4xx",
          value: f4,
          unit: `of ${N} fuzzed requests`,
          baselines: { "valid requests answered 4xx": b4 },
        },
        {
          figure: "fuzz.accepted",
          value: fOk,
          unit: `of ${N} fuzzed requests (harmless mutations)`,
          baselines: { "valid requests accepted": bOk },
        },
        {
          figure: "fuzz.stored-after-refusal",
          value: storedAfterRefusal,
          unit: "dossiers of refused events in the table",
          target: "= 0",
          baselines: {},
        },
        {
          figure: "fuzz.requests-per-s",
          value: (N / fuzz.ms) * 1000,
          unit: "fuzzed requests/s",
          baselines: { "valid requests/s": (N / baseline.ms) * 1000 },
        },
      ];
    } finally {
      await stack?.stop();
    }
  },
};
