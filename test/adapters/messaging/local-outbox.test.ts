import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../../local/runtime/clock.ts";
import { type FakeSesV2, startFakeSesV2 } from "../../../local/runtime/fake-aws/sesv2-endpoint.ts";
import { type FakeSns, startFakeSns } from "../../../local/runtime/fake-aws/sns-endpoint.ts";
import { type MailCatcher, startMailCatcher } from "../../../local/runtime/mail-catcher.ts";
import { createOutboxRoutes, SmsOutbox } from "../../../local/runtime/outbox.ts";
import { SesEmailSender } from "../../../shared/adapters/messaging/ses-email-sender.ts";
import { SnsSmsSender } from "../../../shared/adapters/messaging/sns-sms-sender.ts";

const CLIENT = { region: "ap-southeast-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };
const clock = new ManualClock("2026-11-24T09:15:00+07:00");

let dataDir: string;
let outbox: SmsOutbox;
let catcher: MailCatcher;
let sns: FakeSns;
let ses: FakeSesV2;
let http: Server;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dunghan-outbox-"));
  outbox = await SmsOutbox.open({ file: join(dataDir, "sms.jsonl"), clock });
  catcher = await startMailCatcher({ dataDir, clock });
  sns = await startFakeSns({ outbox });
  ses = await startFakeSesV2({ smtp: { host: catcher.host, port: catcher.port }, clock });
  const routes = createOutboxRoutes({ outbox, mailCatcher: catcher });
  http = createServer((request, response) => {
    if (!routes(request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  await new SnsSmsSender({
    client: new SNSClient({ ...CLIENT, endpoint: sns.url }),
    defaultSenderId: "UBNDTANAN",
  }).send({ to: "+84912345678", text: "Hồ sơ đã có kết quả" });
  await new SesEmailSender({ client: new SESv2Client({ ...CLIENT, endpoint: ses.url }) }).send({
    to: "anh@example.vn",
    from: "motcua@tanan.gov.vn",
    subject: "Thông báo kết quả",
    text: "Kính gửi Ông",
    html: "<p>Kính gửi Ông</p>",
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
  await ses.close();
  await sns.close();
  await catcher.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the /outbox page over HTTP", () => {
  it("lists the SMS and the e-mail sent through the production adapters", async () => {
    const response = await fetch(`${base}/outbox`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html).toContain("Hồ sơ đã có kết quả");
    expect(html).toContain("UBNDTANAN");
    expect(html).toContain("Thông báo kết quả");
  });

  it("shows one e-mail, dated by the runtime's clock, and 404s an unknown one", async () => {
    const [mail] = catcher.messages();

    const page = await fetch(`${base}/outbox/mail/${mail!.id}`);
    const missing = await fetch(`${base}/outbox/mail/nope`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<iframe sandbox");
    expect(mail!.date).toBe("2026-11-24T02:15:00.000Z");
    expect(missing.status).toBe(404);
  });

  it("serves both lists as JSON for end-to-end tests", async () => {
    const body = (await (await fetch(`${base}/outbox.json`)).json()) as { sms: unknown[]; emails: unknown[] };

    expect(body.sms).toHaveLength(1);
    expect(body.emails).toHaveLength(1);
  });
});

describe("persistence under the data directory", () => {
  it("reloads the SMS outbox and the caught e-mails", async () => {
    const reopened = await SmsOutbox.open({ file: join(dataDir, "sms.jsonl") });
    const catcher2 = await startMailCatcher({ dataDir });
    try {
      expect(reopened.list()).toEqual(outbox.list());
      expect(catcher2.messages().map((m) => m.subject)).toEqual(["Thông báo kết quả"]);
    } finally {
      await catcher2.close();
    }
  });
});
