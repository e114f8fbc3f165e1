/**
 * A fake Amazon SNS endpoint for the real `SNSClient` (`endpoint: fake.url`). It speaks the AWS
 * Query protocol for one action, Publish to a phone number, and records each SMS in the outbox.
 * Signatures are not checked; any dummy credentials do.
 *
 * Wire shapes (SNS API reference, "Publish"; AWS Query protocol):
 *   request   POST /  application/x-www-form-urlencoded  Action=Publish&PhoneNumber=…&Message=…
 *             &MessageAttributes.entry.1.Name=AWS.SNS.SMS.SenderID&…entry.1.Value.StringValue=…
 *   success   200 <PublishResponse><PublishResult><MessageId>…</MessageId></PublishResult>…
 *   error     4xx/5xx <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>…
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SmsOutbox } from "../outbox.ts";
import { FaultQueue, listen, readBody } from "./http.ts";

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

/**
 * Faults the endpoint can answer with, and their HTTP status and fault type as SNS sends them.
 * "Throttling" is the generic AWS code the SDK retries as a throttle; "Throttled" is SNS's
 * modelled ThrottledException.
 */
export const SNS_FAULTS = {
  Throttling: { status: 400, type: "Sender", message: "Rate exceeded" },
  Throttled: { status: 429, type: "Sender", message: "Rate exceeded" },
  InvalidParameter: { status: 400, type: "Sender", message: "Invalid parameter: PhoneNumber" },
  InternalError: { status: 500, type: "Receiver", message: "Internal error" },
} as const;
export type SnsFault = keyof typeof SNS_FAULTS;

export interface FakeSnsOptions {
  readonly outbox: SmsOutbox;
  readonly host?: string;
  readonly port?: number;
  /** One line per accepted SMS, without the phone number or text (NĐ 13/2023). */
  readonly log?: (line: string) => void;
}

export interface FakeSns {
  /** For `new SNSClient({ endpoint })`. */
  readonly url: string;
  readonly port: number;
  /** Requests received, failed ones included (to see the SDK's retries). */
  readonly requestCount: number;
  /** The next `count` requests fail with `fault` (default "Throttling"). */
  failNext(count?: number, fault?: SnsFault): void;
  /** Forgets faults not yet used. */
  clearFaults(): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

const xml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.codePointAt(0)};`);

/** MessageAttributes.entry.N.{Name, Value.DataType, Value.StringValue} → { name: value }. */
function messageAttributes(form: URLSearchParams): Map<string, string> {
  const attributes = new Map<string, string>();
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    const name = form.get(`MessageAttributes.entry.${n}.Name`) ?? "";
    const value = form.get(`MessageAttributes.entry.${n}.Value.StringValue`);
    if (value !== null) attributes.set(name, value);
  }
  return attributes;
}

export async function startFakeSns(options: FakeSnsOptions): Promise<FakeSns> {
  const faults = new FaultQueue<SnsFault>();
  let requestCount = 0;

  const send = (response: ServerResponse, status: number, body: string, requestId: string): void => {
    response.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
    response.end(body);
  };
  const sendError = (
    response: ServerResponse,
    fault: { status: number; type: string; code: string; message: string },
    requestId: string,
  ): void =>
    send(
      response,
      fault.status,
      `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${fault.type}</Type><Code>${xml(fault.code)}</Code>` +
        `<Message>${xml(fault.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      requestId,
    );

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requestCount++;
    const requestId = randomUUID();
    const form = new URLSearchParams(await readBody(request));
    const injected = faults.take();
    if (injected !== undefined) {
      sendError(response, { ...SNS_FAULTS[injected], code: injected }, requestId);
      return;
    }
    const action = form.get("Action");
    if (request.method !== "POST" || action !== "Publish") {
      sendError(
        response,
        { status: 400, type: "Sender", code: "InvalidAction", message: `Not supported locally: ${action}` },
        requestId,
      );
      return;
    }
    const phoneNumber = form.get("PhoneNumber");
    const message = form.get("Message");
    if (phoneNumber === null || !E164.test(phoneNumber)) {
      // Like SNS: topic and endpoint publishes are not SMS; a malformed number is refused.
      sendError(
        response,
        {
          ...SNS_FAULTS.InvalidParameter,
          code: "InvalidParameter",
          message: "Invalid parameter: PhoneNumber",
        },
        requestId,
      );
      return;
    }
    if (message === null || message === "") {
      sendError(
        response,
        { ...SNS_FAULTS.InvalidParameter, code: "InvalidParameter", message: "Invalid parameter: Message" },
        requestId,
      );
      return;
    }
    const attributes = messageAttributes(form);
    const record = options.outbox.record({
      id: randomUUID(),
      to: phoneNumber,
      text: message,
      senderId: attributes.get("AWS.SNS.SMS.SenderID"),
      smsType: attributes.get("AWS.SNS.SMS.SMSType"),
    });
    options.log?.(`[sns] SMS ${record.id} recorded: ${record.segments} segment(s), ${record.encoding}`);
    send(
      response,
      200,
      `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${record.id}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      requestId,
    );
  };

  const running = await listen(
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          sendError(
            response,
            { status: 500, type: "Receiver", code: "InternalError", message: String(error) },
            randomUUID(),
          );
        } else response.destroy();
      });
    },
    options.host,
    options.port,
  );

  return {
    url: running.url,
    port: running.port,
    get requestCount() {
      return requestCount;
    },
    failNext(count = 1, fault: SnsFault = "Throttling") {
      faults.push(count, fault);
    },
    clearFaults: () => faults.clear(),
    close: () => running.close(),
  };
}
