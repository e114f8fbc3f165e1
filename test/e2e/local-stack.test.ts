import { beforeAll, describe, expect, inject, it } from "vitest";

// Response bodies are read loosely: the test asserts on their text and a few fields.
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes
type Json = any;
interface Outbox {
  sms: Record<string, unknown>[];
  emails: ({ subject: string } & Record<string, unknown>)[];
}

const API = inject("localStackUrl");
const CODE = "000.00.12.H42-261120-0901";

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${API}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function get(path: string, token?: string) {
  const response = await fetch(`${API}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const login = async (account: string) => (await post("/login", { account })).body.token as string;
const advance = (minutes: number) => post("/_local/advance", { ms: minutes * 60_000 });

/** Received Friday 20/11/2026 08:00, 2 working days: due Monday 23/11 08:00 (24/11 is a holiday). */
const received = {
  id: `${CODE}#received`,
  type: "received",
  dossierCode: CODE,
  occurredAt: "2026-11-20T08:00:00+07:00",
  receivedAt: "2026-11-20T08:00:00+07:00",
  procedure: {
    code: "1.001612",
    name: "Đăng ký khai sinh",
    field: "Hộ tịch",
    timeLimit: { amount: 2, unit: "working-days" },
  },
  agency: { id: "ttpvhcc-tinh", name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" },
  unit: { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" },
  channel: "online",
  applicant: {
    name: "Trần Thị Bé Năm",
    honorific: "Bà",
    phone: "0900001234",
    email: "benam@example.vn",
    consent: { sms: true, email: true },
  },
  handler: { id: "cv-lan" },
};

describe("the local stack end to end", () => {
  let leader: string;

  beforeAll(async () => {
    const health = await get("/health");
    expect(health.status).toBe(200);
    leader = await login("gd-trung");
  });

  it("rejects a malformed event with a clear 400 and stores nothing", async () => {
    const bad = await post("/events", {
      ...received,
      id: "bad-1",
      dossierCode: "000.00.12.H42-261120-0999",
      receivedAt: "yesterday",
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/receivedAt/);
    expect(JSON.stringify(bad.body)).not.toContain("0900001234");
    const notJson = await post("/events", "{not json");
    expect(notJson.status).toBe(400);
    await post("/_local/settle", {});
    expect((await get("/dossiers/000.00.12.H42-261120-0999", leader)).status).toBe(404);
  });

  it("accepts an event, and the same event again changes nothing", async () => {
    expect((await post("/events", received)).status).toBeLessThan(300);
    await post("/_local/settle", {});
    const first = await get(`/dossiers/${CODE}`, leader);
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.body)).toContain("2026-11-23T08:00:00+07:00");

    expect((await post("/events", received)).status).toBeLessThan(300);
    await post("/_local/settle", {});
    const again = await get(`/dossiers/${CODE}`, leader);
    expect(again.body.version ?? again.body.dossier?.version).toEqual(
      first.body.version ?? first.body.dossier?.version,
    );
  });

  it("keeps agencies apart: a commune handler cannot see the province's dossier", async () => {
    const accounts = (await get("/accounts")).body as { id: string; agencyId: string; role: string }[];
    const outsider = accounts.find(
      (account) => account.agencyId !== "ttpvhcc-tinh" && account.role === "handler",
    );
    expect(outsider).toBeDefined();
    expect((await get(`/dossiers/${CODE}`, await login(outsider!.id))).status).toBe(404);
    expect((await get(`/dossiers/${CODE}`)).status).toBe(401);
  });

  it("warns, owes an apology, drafts it, and a leader's approval reaches the citizen", async () => {
    // Friday 20/11 08:00 + 2 working days → due Wed 25/11 08:00 (24/11 off). Two working days
    // before it is the reception itself, so the apology duty falls at half time: Mon 23/11 08:00.
    await advance(5);
    await advance(3 * 24 * 60); // to Monday 23/11 08:05: due, overdue, escalations, digest
    await post("/_local/digest", {});
    leader = await login("gd-trung"); // tokens expire on the stack's clock, which just moved 3 days
    const outbox = (await get("/outbox.json")).body as Outbox;
    const mine = outbox.emails.filter((mail) => JSON.stringify(mail).includes(CODE));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.map((mail) => mail.subject).join("\n")).toMatch(/Sắp đến hạn|quá hạn|xin lỗi/i);

    const drafts = await get(`/dossiers/${CODE}/apologies`, leader);
    expect(drafts.status).toBe(200);
    const list = (drafts.body.items ?? drafts.body) as { id: string; status: string }[];
    expect(list.length).toBe(1);
    const draftId = list[0]!.id;
    expect(list[0]!.status).toBe("draft");

    const approved = await post(
      `/dossiers/${CODE}/apologies/${draftId}/approve`,
      { reason: "Chờ xác minh thông tin hộ tịch", newAppointment: "2026-11-26T08:00:00+07:00" },
      leader,
    );
    expect(approved.status).toBe(200);
    const sent = await post(`/dossiers/${CODE}/apologies/${draftId}/send`, {}, leader);
    expect(sent.status).toBe(200);
    await advance(60);

    const dossier = await get(`/dossiers/${CODE}`, leader);
    expect(JSON.stringify(dossier.body)).toContain("2026-11-26T08:00:00+07:00");
    const after = (await get("/outbox.json")).body as Outbox;
    const citizen = [...after.sms, ...after.emails].filter(
      (m) => JSON.stringify(m).includes(CODE) && /benam|0900001234|\+84900001234/.test(JSON.stringify(m)),
    );
    expect(citizen.length).toBeGreaterThan(0);
    expect(JSON.stringify(citizen)).toMatch(/26\/11\/2026/);

    // Once only: a second apology is refused.
    const second = await get(`/dossiers/${CODE}/apologies`, leader);
    expect(((second.body.items ?? second.body) as unknown[]).length).toBe(1);
  });
});
