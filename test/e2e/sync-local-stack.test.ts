import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../local/demo/generate.ts";
import { demoSyncRequests } from "../../local/demo/sync-feed.ts";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { demoCatalogue } from "../../local/runtime/sync-archive.ts";
import type { Actor } from "../../shared/app/actor.ts";
import { SyncSenders } from "../../shared/app/sync-senders.ts";
import { parseInstant } from "../../shared/calendar/index.ts";
import { describeDossier, foldDossier, parseDossierEvent } from "../../shared/dossier/index.ts";
import { parseCatalogue } from "../../shared/sync/catalogue.ts";
import { runCli } from "../support/cli.ts";

/**
 * The local stack (what `npm start` runs) fed over HTTP the way a one-stop system feeds the
 * national portal: the sync fixtures in both envelopes, then every request again (retries), then a
 * catch-up burst of every dossier re-sent whole; and a part of the demo province through the feed.
 */
const FIXTURES = new URL("../fixtures/dvcqg/", import.meta.url);
const PAYLOADS_FILE = new URL("payloads.json", FIXTURES).pathname;
const CATALOG_FILE = new URL("procedures.json", FIXTURES).pathname;
const NOW = "2026-12-01T08:00:00+07:00";

type Payload =
  | { service: string; madonvi?: string; data: Record<string, unknown>[] }
  | {
      endpoint: "create" | "update" | "progress";
      body: Record<string, unknown>[];
    };
const payloads = JSON.parse(readFileSync(PAYLOADS_FILE, "utf8")) as Payload[];
const fixtureCatalogue = parseCatalogue(JSON.parse(readFileSync(CATALOG_FILE, "utf8")));

let stack: LocalStack;
let credential: string;
const demoNow = parseInstant(NOW);
const demo = generateDemo({ now: demoNow, dossiers: 40 });

beforeAll(async () => {
  const demoProcedures = demoCatalogue().procedures;
  stack = await startLocalStack({
    inMemory: true,
    port: 0,
    clock: new ManualClock(NOW),
    demo: "people",
    timers: false,
    controls: true,
    syncCatalogue: {
      version: "e2e",
      procedures: new Map([...demoProcedures, ...fixtureCatalogue.procedures]),
    },
  });
  const agencies = new Set<string>();
  for (const payload of payloads) {
    const records = "service" in payload ? payload.data : payload.body;
    if ("service" in payload && payload.madonvi) agencies.add(payload.madonvi);
    for (const record of records) if (typeof record.DonViXuLy === "string") agencies.add(record.DonViXuLy);
  }
  for (const event of demo.events)
    if (event.type === "received") agencies.add((event as { agency: { id: string } }).agency.id);
  credential = (
    await new SyncSenders({ senders: stack.syncSenders }).issue(
      { id: "e2e-sender", name: "E2E", agencies: [...agencies] },
      Buffer.alloc(32, 5),
      NOW,
    )
  ).credential;
}, 120_000);
afterAll(() => stack?.stop());

async function send(path: string, body: unknown, key = credential) {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const settle = () => stack.settle();
/**
 * One sender request, sent the way a sender sends it: at once after the reply to the one before,
 * without waiting for the worker to store what that one queued (a progress row right after its
 * dossier is taken and ordered after it: shared/app/sync-ledger.ts).
 */
const sendPayload = async (payload: Payload) =>
  "service" in payload
    ? await send("/sync/dvcqg", payload)
    : await send(`/sync/dvcqg/${payload.endpoint}`, payload.body);

const admin = (agencyId: string): Actor => ({
  userId: "e2e-admin",
  name: "E2E",
  agencyId,
  groups: ["admin"],
  staffId: "e2e-admin",
});
const eventCount = async (codes: readonly string[]) =>
  (await Promise.all(codes.map((code) => stack.tables.dossiers.load(code)))).reduce(
    (sum, loaded) => sum + (loaded?.events.length ?? 0),
    0,
  );

describe("the sync route on the local stack", () => {
  let codes: string[] = [];

  it("takes the fixtures in both envelopes and holds the dossier states simulate --format dvcqg prints", async () => {
    for (const payload of payloads) {
      const reply = await sendPayload(payload);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body.error_code).toBe("0");
    }
    await settle();
    const simulated = await runCli([
      "simulate",
      "--format",
      "dvcqg",
      "--events",
      PAYLOADS_FILE,
      "--catalog",
      CATALOG_FILE,
      "--now",
      NOW,
      "--json",
    ]);
    expect(simulated.code, simulated.stderr).toBe(0);
    const states = JSON.parse(simulated.stdout) as Record<string, unknown>[];
    codes = states.map((state) => String(state.code ?? state.dossierCode));
    expect(states.length).toBeGreaterThan(5);
    for (const state of states) {
      const code = String(state.code ?? state.dossierCode);
      const agencyId = (state.agency as { id: string }).id;
      const view = await stack.app.lookup.get(admin(agencyId), code);
      const { applicant: _a, ...held } = view.dossier as unknown as Record<string, unknown>;
      const { applicant: _b, ...expected } = state;
      expect(held, code).toEqual(expected);
    }
  });

  it("answers a request sent again right away (a retry after a lost reply) as unchanged, and writes nothing", async () => {
    const before = await eventCount(codes);
    for (const payload of payloads.slice(-2)) {
      const reply = await sendPayload(payload);
      expect(reply.status).toBe(200);
      expect(reply.body.accepted, JSON.stringify(payload).slice(0, 200)).toBe(0);
    }
    await settle();
    expect(await eventCount(codes)).toBe(before);
  });

  it("takes a catch-up burst of every dossier re-sent whole as unchanged", async () => {
    const latest = new Map<string, Record<string, unknown>>();
    for (const payload of payloads) {
      const isDossier =
        "service" in payload ? payload.service === "DongBoHoSoMC" : payload.endpoint !== "progress";
      if (!isDossier) continue;
      for (const record of "service" in payload ? payload.data : payload.body)
        latest.set(String(record.MaHoSo), record);
    }
    const reply = await send("/sync/dvcqg/update", [...latest.values()]);
    expect(reply).toMatchObject({ status: 200, body: { accepted: 0, unchanged: latest.size } });
  });

  it("refuses a wrong credential with 401 in the senders' shape", async () => {
    const reply = await send("/sync/dvcqg/update", [], `e2e-sender.${"B".repeat(43)}`);
    expect(reply).toEqual({
      status: 401,
      body: { error_code: "401", message: "a valid sender credential is required" },
    });
  });

  it("takes part of the demo province through the feed: the same statuses as its events, alerts planned", async () => {
    const requests = demoSyncRequests(demo.events, { dossiers: 25, style: () => "service" });
    expect(requests.length).toBeGreaterThan(25);
    for (const request of requests) {
      const reply = await send(request.path, request.body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      await settle();
    }
    await settle();
    const fed = [...new Set(requests.map((request) => request.dossierCode))];
    const working = (await stack.app.workingTime.current()).workingTime;
    let alerted = 0;
    let open = 0;
    for (const code of fed) {
      const events = demo.events
        .filter((event) => event.dossierCode === code)
        .map((event) => parseDossierEvent(event));
      const direct = describeDossier(foldDossier(events, working), stack.clock.now(), working);
      const view = await stack.app.lookup.get(admin(direct.agency.id), code);
      // The same dossier: received at the same instant, finished or closed alike.
      expect(view.dossier.receivedAt, code).toBe(direct.receivedAt);
      expect(view.dossier.finishedAt !== null, code).toBe(direct.finishedAt !== null);
      expect(view.dossier.closure?.kind ?? null, code).toBe(direct.closure?.kind ?? null);
      if (view.dossier.finishedAt === null && view.dossier.closure === null) {
        open++;
        if (view.alerts.planned.length > 0) alerted++;
      }
    }
    expect(alerted).toBeGreaterThan(0);
    expect(open).toBeGreaterThan(0);
  });
});
