import { beforeAll, describe, expect, inject, it } from "vitest";
import { E2E_START } from "./global-setup.ts";
import { post as postTo } from "./support/http.ts";

// Response bodies are read as JSON of many shapes; each test asserts on the fields it names.
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes
type Json = any;
interface Sms {
  to: string;
  text: string;
}
interface Email {
  to: string[];
  subject: string;
  text: string;
}
interface Outbox {
  sms: Sms[];
  emails: Email[];
}

const API = inject("localStackUrl");

const post = (path: string, body: unknown, token?: string) => postTo(API, path, body, token);

async function get(path: string, token?: string) {
  const response = await fetch(`${API}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as Json };
}

// Each test logs in itself: tokens expire on the stack's clock, which one test moves.
const login = async (account: string) => (await post("/login", { account })).body.token as string;
const advance = (minutes: number) => post("/_local/advance", { ms: minutes * 60_000 });
const settle = () => post("/_local/settle", {});

/**
 * A birth registration received Friday 20/11/2026 08:00 with 2 working days: Monday 23/11 08:00 is
 * one working day, Tuesday 24/11 is Ngày Văn hóa Việt Nam, so it is due Wednesday 25/11 08:00.
 * Each test receives its own dossier (its own code), so no test reads another's data.
 */
function received(code: string) {
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
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
}

describe("the local stack end to end", () => {
  beforeAll(async () => {
    expect((await get("/health")).status).toBe(200);
  });

  it("rejects a malformed event with a clear 400 and stores nothing", async () => {
    const code = "000.00.12.H42-261120-0999";

    const bad = await post("/events", { ...received(code), id: "bad-1", receivedAt: "yesterday" });
    const notJson = await post("/events", "{not json");
    await settle();

    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("INVALID_INPUT");
    expect(bad.body.error.details.enqueued).toBe(0);
    expect(bad.body.error.details.rejected).toEqual([
      { index: 0, id: "bad-1", reasons: [expect.stringMatching(/^receivedAt: /)] },
    ]);
    expect(JSON.stringify(bad.body)).not.toContain("0900001234");
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("INVALID_INPUT");
    expect((await get(`/dossiers/${code}`, await login("gd-trung"))).status).toBe(404);
  });

  it("accepts an event, and the same event again changes nothing", async () => {
    const code = "000.00.12.H42-261120-0902";
    const leader = await login("gd-trung");

    const accepted = await post("/events", received(code));
    await settle();
    const first = await get(`/dossiers/${code}`, leader);
    const repeated = await post("/events", received(code));
    await settle();
    const again = await get(`/dossiers/${code}`, leader);

    expect(accepted.status).toBe(202);
    expect(first.status).toBe(200);
    expect(first.body.dossier.legalDueAt).toBe("2026-11-25T08:00:00+07:00");
    expect(first.body.dossier.currentAppointment).toBe("2026-11-25T08:00:00+07:00");
    expect(first.body.version).toBe(1);
    expect(repeated.status).toBe(202);
    expect(again.body.version).toBe(1);
    expect(again.body.timeline).toHaveLength(1);
  });

  it("keeps agencies apart: a commune handler cannot see the province's dossier", async () => {
    const code = "000.00.12.H42-261120-0903";
    expect((await post("/events", received(code))).status).toBe(202);
    await settle();
    const accounts = (await get("/accounts")).body as { id: string; agencyId: string; role: string }[];
    const outsider = accounts.find(
      (account) => account.agencyId !== "ttpvhcc-tinh" && account.role === "handler",
    );
    if (!outsider) throw new Error("the demo has no handler outside ttpvhcc-tinh");

    expect((await get(`/dossiers/${code}`, await login("gd-trung"))).status).toBe(200);
    expect((await get(`/dossiers/${code}`, await login(outsider.id))).status).toBe(404);
    expect((await get(`/dossiers/${code}`)).status).toBe(401);
  });

  // The only test that moves the stack's clock (it only moves forward); it checks where it starts.
  it("warns, owes an apology, drafts it, and a leader's approval reaches the citizen", async () => {
    const code = "000.00.12.H42-261120-0901";
    const about = (message: Sms | Email) => JSON.stringify(message).includes(code);
    expect((await settle()).body.clock).toBe(E2E_START);
    expect((await post("/events", received(code))).status).toBe(202);

    // Friday 20/11 08:00 + 2 working days → due Wed 25/11 08:00 (24/11 off). Two working days
    // before it is the reception itself, so the apology duty falls at half time: Mon 23/11 08:00.
    await advance(5);
    await advance(3 * 24 * 60); // to Monday 23/11 08:05: the apology duty, the draft
    await post("/_local/digest", {});
    const leader = await login("gd-trung");
    const before = (await get("/outbox.json")).body as Outbox;
    const drafts = await get(`/dossiers/${code}/apologies`, leader);

    expect(before.emails.filter(about).map((mail) => mail.to)).toEqual([
      ["benam@example.vn"], // the receipt
      ["tq-phuong@example.vn"], // the unit leader: an apology is owed
    ]);
    expect(before.emails.filter(about)[1]!.subject).toContain("25/11/2026");
    expect(drafts.status).toBe(200);
    const list = drafts.body.items as { id: string; status: string; originalAppointment: string }[];
    expect(list.map((draft) => [draft.status, draft.originalAppointment])).toEqual([
      ["draft", "2026-11-25T08:00:00+07:00"],
    ]);

    const draftId = list[0]!.id;
    const approved = await post(
      `/dossiers/${code}/apologies/${draftId}/approve`,
      { reason: "Chờ xác minh thông tin hộ tịch", newAppointment: "2026-11-26T08:00:00+07:00" },
      leader,
    );
    const sent = await post(`/dossiers/${code}/apologies/${draftId}/send`, {}, leader);
    await advance(60);
    const dossier = await get(`/dossiers/${code}`, leader);
    const after = (await get("/outbox.json")).body as Outbox;

    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe("approved");
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe("sent");
    expect(dossier.body.dossier.currentAppointment).toBe("2026-11-26T08:00:00+07:00");
    expect(dossier.body.dossier.appointmentVersion).toBe(2);
    const citizenSms = after.sms.filter((sms) => about(sms) && sms.to === "+84900001234");
    expect(citizenSms).toHaveLength(2); // the receipt, the apology
    expect(citizenSms[1]!.text).toContain("08h00 26/11/2026");
    const citizenMail = after.emails.filter((mail) => about(mail) && mail.to.includes("benam@example.vn"));
    expect(citizenMail).toHaveLength(2);
    expect(citizenMail[1]!.text).toContain("08 giờ 00 phút, ngày 26 tháng 11 năm 2026");

    // Once only: a second apology is refused.
    const second = await post(`/dossiers/${code}/apologies`, {}, leader);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("CONFLICT");
    expect((await get(`/dossiers/${code}/apologies`, leader)).body.items).toHaveLength(1);
  });
});
