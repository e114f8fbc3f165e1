import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSesV2, startFakeSesV2 } from "../../../local/runtime/fake-aws/sesv2-endpoint.ts";
import { type MailCatcher, startMailCatcher } from "../../../local/runtime/mail-catcher.ts";
import { SesEmailSender } from "../../../shared/adapters/messaging/ses-email-sender.ts";
import { PermanentDeliveryError, ThrottledError } from "../../../shared/app/messaging-ports.ts";

const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const FROM = "Bộ phận Một cửa UBND xã Tân An <motcua@tanan.gov.vn>";

let catcher: MailCatcher;
let fake: FakeSesV2;

const sesClient = (maxAttempts?: number): SESv2Client =>
  new SESv2Client({
    endpoint: fake.url,
    region: "ap-southeast-1",
    credentials: CREDENTIALS,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });

const sender = (maxAttempts = 1): SesEmailSender => new SesEmailSender({ client: sesClient(maxAttempts) });

const anEmail = (overrides: Partial<Parameters<SesEmailSender["send"]>[0]> = {}) => ({
  to: "nguyen.van.anh@example.vn",
  from: FROM,
  subject: "Thư xin lỗi về việc trễ hạn hồ sơ",
  text: "Kính gửi Ông Nguyễn Văn Ánh,\nHồ sơ của Ông đã quá hạn giải quyết.",
  html: "<p>Kính gửi <strong>Ông Nguyễn Văn Ánh</strong>,</p><p>Hồ sơ của Ông đã quá hạn giải quyết.</p>",
  ...overrides,
});

beforeAll(async () => {
  catcher = await startMailCatcher();
  fake = await startFakeSesV2({ smtp: { host: catcher.host, port: catcher.port } });
});

beforeEach(() => {
  fake.clearFaults();
});

afterAll(async () => {
  await fake.close();
  await catcher.close();
});

describe("SesEmailSender against the local SES v2 endpoint (real SESv2Client)", () => {
  it("delivers the e-mail to the mail catcher with Vietnamese diacritics intact", async () => {
    const email = anEmail();

    const sent = await sender().send(email);

    const mail = await catcher.waitFor((m) => m.messageId?.includes(sent.providerMessageId) ?? false);
    expect(mail.subject).toBe(email.subject);
    expect(mail.text.trim()).toBe(email.text);
    expect(mail.html).toContain("<strong>Ông Nguyễn Văn Ánh</strong>");
    expect(mail.to).toEqual([email.to]);
    expect(mail.from).toContain("Bộ phận Một cửa UBND xã Tân An");
  });

  it("maps TooManyRequestsException (HTTP 429) to ThrottledError, without the address", async () => {
    fake.failNext(1, "TooManyRequestsException");

    const error = await sender()
      .send(anEmail())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({
      retryable: true,
      details: { providerCode: "TooManyRequestsException", httpStatus: 429 },
    });
    expect(JSON.stringify((error as ThrottledError).details)).not.toContain("example.vn");
  });

  it("succeeds after throttles with the SDK's default retries", async () => {
    const before = fake.requestCount;
    fake.failNext(2, "TooManyRequestsException");

    const sent = await new SesEmailSender({ client: sesClient() }).send(anEmail({ subject: "Lần thứ ba" }));

    expect(fake.requestCount - before).toBe(3);
    await expect(
      catcher.waitFor((m) => m.messageId?.includes(sent.providerMessageId) ?? false),
    ).resolves.toMatchObject({ subject: "Lần thứ ba" });
  });

  it("maps MessageRejected and BadRequestException to PermanentDeliveryError", async () => {
    fake.failNext(1, "MessageRejected");
    await expect(sender().send(anEmail())).rejects.toBeInstanceOf(PermanentDeliveryError);

    fake.failNext(1, "BadRequestException");
    await expect(sender().send(anEmail())).rejects.toMatchObject({ retryable: false });
  });

  it("gets a real BadRequestException from the endpoint for a malformed sender", async () => {
    await expect(sender().send(anEmail({ from: "Ủy ban <motcua@>" }))).rejects.toMatchObject({
      details: { providerCode: "BadRequestException" },
    });
  });
});
