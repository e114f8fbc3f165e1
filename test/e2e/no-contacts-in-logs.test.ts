import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../../local/runtime/stack.ts";
import { normalizeVietnamesePhone } from "../../shared/letters/notices/index.ts";
import { post as postTo } from "./support/http.ts";

/**
 * Issue 16: no phone number or e-mail address in any log line, nor in any file the stack writes
 * outside the table. The local stack runs with the demo province (200 dossiers, applicants and
 * staff with contacts) and DEBUG logs, through ingest errors, deliveries, a contact that cannot
 * receive an SMS, the quiet hours and the digest; then every captured line and every file under
 * the data folder is scanned — except the deliveries themselves (the SMS outbox, the mail
 * catcher, the apology letters addressed to the applicant, whose form prints the address and
 * phone) and DynamoDB Local's files (the table, where contacts live by design).
 */

/** Not inside a longer token (a UUID's hex group, a dossier code, an epoch number). */
const MOBILE = /(?<![\w+-])(?:\+84|84|0)[\s.-]?[35789](?:[\s.-]?\d){8}(?!\w)/g;
const LANDLINE = /(?<![\w+-])(?:\+84|84|0)[\s.-]?2(?:[\s.-]?\d){9}(?!\w)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** Addresses that are not personal data: the desk's sender address, printed in every e-mail. */
const NOT_PERSONAL = new Set(["motcua@example.vn"]);

const START = "2026-11-23T06:00:00+07:00";
const INGEST_CODE = "000.00.12.H42-261123-0951";
const SENT_CODE = "000.00.12.H42-261123-0954";
const MOBILE_PHONE = "0987001122";
const applicant = {
  name: "Phan Văn Tư",
  honorific: "Ông",
  address: "12 Nguyễn Huệ, Tân An",
  // A landline: valid in the event, refused for an SMS (the INVALID_PHONE path).
  phone: "02723826555",
  email: "phan.van.tu@example.vn",
  consent: { sms: true, email: true },
};

function receivedEvent(code: string, overrides: Record<string, unknown> = {}) {
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: "2026-11-23T06:10:00+07:00",
    receivedAt: "2026-11-23T06:10:00+07:00",
    procedure: {
      code: "1.001612",
      name: "Đăng ký khai sinh",
      timeLimit: { amount: 1, unit: "working-days" },
    },
    agency: { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" },
    unit: { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" },
    channel: "online",
    applicant,
    handler: { id: "cv-lan" },
    ...overrides,
  };
}

let stack: LocalStack;
let dataDir: string;
const lines: string[] = [];
const known = { phones: new Set<string>(), emails: new Set<string>() };

/** The status of a POST to the stack. */
const post = async (path: string, body: unknown): Promise<number> =>
  (await postTo(stack.url, path, body)).status;

async function advanceTo(clock: ManualClock, instant: string): Promise<void> {
  clock.set(instant);
  await stack.sweepNow();
  await stack.settle();
  await stack.digestNow();
  await stack.sweepNow();
  await stack.settle();
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

function contactsIn(text: string): string[] {
  const found = [
    ...(text.match(MOBILE) ?? []),
    ...(text.match(LANDLINE) ?? []),
    ...(text.match(EMAIL) ?? []).filter((email) => !NOT_PERSONAL.has(email.toLowerCase())),
  ];
  for (const phone of known.phones) if (text.includes(phone)) found.push(phone);
  for (const email of known.emails) if (text.toLowerCase().includes(email)) found.push(email);
  return found;
}

describe("no phone number or e-mail address outside the table and the deliveries", () => {
  beforeAll(async () => {
    const previousLevel = process.env.DUNGHAN_LOG_LEVEL;
    process.env.DUNGHAN_LOG_LEVEL = "DEBUG";
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
      });
    }
    dataDir = await mkdtemp(join(tmpdir(), "dunghan-pii-"));
    const clock = new ManualClock(START);
    try {
      stack = await startLocalStack({
        dataDir,
        port: 0,
        clock,
        timers: false,
        log: (line) => lines.push(line),
      });
    } finally {
      if (previousLevel === undefined) delete process.env.DUNGHAN_LOG_LEVEL;
      else process.env.DUNGHAN_LOG_LEVEL = previousLevel;
    }
    for (const event of stack.demo?.events ?? []) {
      const person = (event as { applicant?: { phone?: string; email?: string } }).applicant;
      if (person?.phone) known.phones.add(person.phone);
      if (person?.email) known.emails.add(person.email.toLowerCase());
    }
    for (const directory of await stack.tables.directories.list()) {
      for (const person of Object.values(directory.people)) {
        if (person.phone) known.phones.add(person.phone);
        if (person.email) known.emails.add(person.email.toLowerCase());
      }
    }
    for (const phone of [...known.phones]) {
      const e164 = normalizeVietnamesePhone(phone);
      if (e164) known.phones.add(e164);
    }
    known.phones.add(applicant.phone).add("+842723826555").add(MOBILE_PHONE).add("+84987001122");
    known.emails.add(applicant.email);

    // Ingest errors that echo nothing they were given: a bad instant, a bad e-mail, not JSON.
    expect(
      await post("/events", receivedEvent("000.00.12.H42-261123-0952", { receivedAt: "sáng nay" })),
    ).toBe(400);
    expect(
      await post(
        "/events",
        receivedEvent("000.00.12.H42-261123-0953", { applicant: { ...applicant, email: "tu@@example" } }),
      ),
    ).toBe(400);
    expect(await post("/events", `{"applicant": {"phone": "0912 345 678", "email": "x@example.vn"`)).toBe(
      400,
    );
    // A good event: its e-mail goes at once, its SMS waits for 07:00 and then fails (a landline).
    expect(await post("/events", receivedEvent(INGEST_CODE))).toBe(202);
    // And one that reaches the outbox at 07:00.
    expect(
      await post("/events", receivedEvent(SENT_CODE, { applicant: { ...applicant, phone: MOBILE_PHONE } })),
    ).toBe(202);
    await stack.settle();
    for (const instant of [
      "2026-11-23T06:30:00+07:00",
      "2026-11-23T07:00:00+07:00",
      "2026-11-23T07:31:00+07:00",
      "2026-11-23T21:30:00+07:00",
      "2026-11-24T07:05:00+07:00",
      "2026-11-25T08:00:00+07:00",
    ]) {
      await advanceTo(clock, instant);
    }
  }, 600_000); // loading the demo at DEBUG takes minutes on a busy machine

  afterAll(async () => {
    await stack?.stop();
    vi.restoreAllMocks();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("went through the paths that handle contacts (deliveries, an invalid phone, the quiet hours)", async () => {
    const record = await stack.tables.alerts.get(`${INGEST_CODE}/citizen-receipt/v1/citizen/sms`);
    // "queued" is written by the sweep after it queues the message, and only over its claim: when
    // notify is quicker (a loaded machine), the history is just "failed". Never "sent".
    expect(record?.deliveries.map((d) => d.status).filter((status) => status !== "queued")).toEqual([
      "failed",
    ]);
    expect(record?.deliveries.at(-1)?.detail).toMatchObject({ code: "INVALID_PHONE" });
    // The error names the number masked, never whole.
    expect(JSON.stringify(record?.deliveries)).not.toContain("3826555");
    expect(stack.outbox.list().map((sms) => sms.to)).toContain("+84987001122");
    expect(lines.length).toBeGreaterThan(100);
    expect(known.phones.size).toBeGreaterThan(50);
  });

  it("writes no contact in any log line", () => {
    const leaks = lines.flatMap((line) =>
      contactsIn(line).map((contact) => `${contact} in ${line.slice(0, 2000)}`),
    );
    expect(leaks).toEqual([]);
  });

  it("writes no contact in any file under the data folder but the deliveries and the table", async () => {
    const deliveries = [
      /^dynamodb\//,
      /^sms\.jsonl$/,
      /^mail\//,
      /^letters\/apology\/[^/]+\/[^/]+\.(html|docx)$/,
    ];
    const scanned: string[] = [];
    const leaks: string[] = [];
    for (const file of await filesUnder(dataDir)) {
      const path = relative(dataDir, file);
      if (deliveries.some((pattern) => pattern.test(path))) continue;
      scanned.push(path);
      for (const contact of contactsIn(await readFile(file, "utf8"))) leaks.push(`${contact} in ${path}`);
    }
    expect(leaks).toEqual([]);
    expect(scanned.length).toBeGreaterThan(0);
  });
});
