import { InternalErrorException, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSns, startFakeSns } from "../../../local/runtime/fake-aws/sns-endpoint.ts";
import { SmsOutbox } from "../../../local/runtime/outbox.ts";
import { SnsSmsSender } from "../../../shared/adapters/messaging/sns-sms-sender.ts";
import { PermanentDeliveryError, ThrottledError } from "../../../shared/app/messaging-ports.ts";

const PHONE = "+84912345678";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

let fake: FakeSns;
let outbox: SmsOutbox;

const snsClient = (maxAttempts?: number): SNSClient =>
  new SNSClient({
    endpoint: fake.url,
    region: "ap-southeast-1",
    credentials: CREDENTIALS,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });

/** No retries: the raw provider error reaches the adapter. */
const sender = (): SnsSmsSender => new SnsSmsSender({ client: snsClient(1), defaultSenderId: "UBNDTANAN" });

beforeAll(async () => {
  outbox = SmsOutbox.inMemory();
  fake = await startFakeSns({ outbox });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  // A test that fails midway must not leave faults for the next one.
  fake.clearFaults();
});

describe("SnsSmsSender against the local SNS endpoint (real SNSClient)", () => {
  it("publishes an SMS that lands in the outbox with the sender ID and Transactional type", async () => {
    const text =
      "Hồ sơ 000.00.01.H56-261123-0001 đã có kết quả. Mời Ông/Bà đến Bộ phận Một cửa nhận kết quả.";

    const sent = await sender().send({ to: PHONE, text });

    const record = outbox.list().find((sms) => sms.id === sent.providerMessageId);
    expect(record).toMatchObject({
      to: PHONE,
      text,
      senderId: "UBNDTANAN",
      smsType: "Transactional",
      encoding: "ucs2",
      segments: 2,
    });
  });

  it("uses the message's sender ID over the default", async () => {
    const sent = await sender().send({ to: PHONE, text: "Ho so da co ket qua", senderId: "MOTCUA" });

    expect(outbox.list().find((sms) => sms.id === sent.providerMessageId)?.senderId).toBe("MOTCUA");
  });

  it("maps the SDK's Throttling error to ThrottledError, retryable, without the phone number", async () => {
    fake.failNext(1, "Throttling");

    const error = await sender()
      .send({ to: PHONE, text: "Ho so da co ket qua" })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({
      code: "THROTTLED",
      retryable: true,
      details: { providerCode: "Throttling" },
    });
    expect(JSON.stringify((error as ThrottledError).details) + (error as Error).message).not.toContain(
      "912345678",
    );
  });

  it("maps SNS's ThrottledException (HTTP 429) to ThrottledError", async () => {
    fake.failNext(1, "Throttled");

    await expect(sender().send({ to: PHONE, text: "Ho so da co ket qua" })).rejects.toBeInstanceOf(
      ThrottledError,
    );
  });

  it("succeeds after throttles with the SDK's default retries", async () => {
    const before = fake.requestCount;
    fake.failNext(2, "Throttling");
    const retrying = new SnsSmsSender({ client: snsClient(), defaultSenderId: "UBNDTANAN" });

    const sent = await retrying.send({ to: PHONE, text: "Lan thu ba" });

    expect(fake.requestCount - before).toBe(3);
    expect(outbox.list().some((sms) => sms.id === sent.providerMessageId)).toBe(true);
  });

  it("maps InvalidParameter to PermanentDeliveryError, not retryable", async () => {
    fake.failNext(1, "InvalidParameter");

    await expect(sender().send({ to: PHONE, text: "Ho so" })).rejects.toMatchObject({
      code: "PERMANENT_DELIVERY_FAILURE",
      retryable: false,
      details: { providerCode: "InvalidParameterException", httpStatus: 400 },
    });
  });

  it("refuses a number that is not E.164 before calling SNS", async () => {
    const before = fake.requestCount;

    await expect(sender().send({ to: "0912345678", text: "Ho so" })).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
    expect(fake.requestCount).toBe(before);
  });

  it("refuses to send without a valid sender ID", async () => {
    const noDefault = new SnsSmsSender({ client: snsClient(1) });

    await expect(noDefault.send({ to: PHONE, text: "Ho so" })).rejects.toMatchObject({
      details: { reason: "invalid-sender-id" },
    });
    await expect(sender().send({ to: PHONE, text: "Ho so", senderId: "UBND TAN AN" })).rejects.toBeInstanceOf(
      PermanentDeliveryError,
    );
  });

  it("lets other provider errors through unchanged", async () => {
    fake.failNext(1, "InternalError");

    await expect(sender().send({ to: PHONE, text: "Ho so" })).rejects.toBeInstanceOf(InternalErrorException);
  });
});
