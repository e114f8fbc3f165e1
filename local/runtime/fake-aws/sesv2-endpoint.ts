/**
 * A fake Amazon SES v2 endpoint for the real `SESv2Client` (`endpoint: fake.url`). It speaks
 * REST-JSON for one operation, SendEmail with Simple content, and relays each message over SMTP
 * (nodemailer) to the local mail catcher. Signatures are not checked; any dummy credentials do.
 *
 * Wire shapes (SES v2 API reference, "SendEmail"; AWS restJson1 protocol):
 *   request   POST /v2/email/outbound-emails  {"FromEmailAddress", "Destination", "Content": {"Simple"}}
 *   success   200 {"MessageId": "…"}
 *   error     4xx/5xx, header x-amzn-ErrorType: <ShapeName>, body {"message": "…"}
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createTransport } from "nodemailer";
import { type Clock, systemClock } from "../clock.ts";
import { FaultQueue, listen, readBody } from "./http.ts";

/** Faults the endpoint can answer with, and their HTTP status as SES v2 sends them. */
export const SESV2_FAULTS = {
  TooManyRequestsException: { status: 429, message: "Too many requests." },
  LimitExceededException: { status: 400, message: "Maximum sending rate exceeded." },
  BadRequestException: { status: 400, message: "Bad request." },
  MessageRejected: { status: 400, message: "Email address is not verified." },
  InternalServiceErrorException: { status: 500, message: "Internal service error." },
} as const;
export type SesV2Fault = keyof typeof SESV2_FAULTS;

export interface FakeSesV2Options {
  /** The SMTP server to relay to (the mail catcher). */
  readonly smtp: { readonly host: string; readonly port: number };
  readonly host?: string;
  readonly port?: number;
  /** Dates the relayed message with this clock, so sped-up runs read sensibly. */
  readonly clock?: Clock;
  /** One line per accepted e-mail, without addresses or content (NĐ 13/2023). */
  readonly log?: (line: string) => void;
}

export interface FakeSesV2 {
  /** For `new SESv2Client({ endpoint })`. */
  readonly url: string;
  readonly port: number;
  /** Requests received, failed ones included (to see the SDK's retries). */
  readonly requestCount: number;
  /** The next `count` requests fail with `fault` (default "TooManyRequestsException"). */
  failNext(count?: number, fault?: SesV2Fault): void;
  /** Forgets faults not yet used. */
  clearFaults(): void;
  close(): Promise<void>;
}

interface SesContentPart {
  readonly Data?: string;
  readonly Charset?: string;
}

interface SendEmailBody {
  readonly FromEmailAddress?: string;
  readonly Destination?: {
    readonly ToAddresses?: string[];
    readonly CcAddresses?: string[];
    readonly BccAddresses?: string[];
  };
  readonly ReplyToAddresses?: string[];
  readonly Content?: {
    readonly Simple?: {
      readonly Subject?: SesContentPart;
      readonly Body?: { readonly Text?: SesContentPart; readonly Html?: SesContentPart };
    };
    readonly Raw?: unknown;
    readonly Template?: unknown;
  };
  readonly ConfigurationSetName?: string;
}

class BadRequest extends Error {}

/** SES's MessageId look: 0100 + hex time + uuid + -000000. */
const sesMessageId = (now: number): string =>
  `0100${now.toString(16).padStart(12, "0")}-${randomUUID()}-${randomBytes(3).toString("hex")}`;

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;
/** "Name <a@b>" or "a@b". */
const isAddress = (text: string): boolean => ADDRESS.test(text.match(/<([^>]*)>\s*$/)?.[1] ?? text.trim());

function validate(body: SendEmailBody): void {
  if (body.Content?.Simple === undefined) {
    throw new BadRequest("Only Content.Simple is supported by the local SES endpoint.");
  }
  if (body.FromEmailAddress === undefined || !isAddress(body.FromEmailAddress)) {
    throw new BadRequest("FromEmailAddress is missing or not an address.");
  }
  const destination = body.Destination ?? {};
  const all = [
    ...(destination.ToAddresses ?? []),
    ...(destination.CcAddresses ?? []),
    ...(destination.BccAddresses ?? []),
  ];
  if (all.length === 0) throw new BadRequest("Destination has no recipients.");
  if (all.length > 50) throw new BadRequest("At most 50 recipients per message.");
  if (!all.every(isAddress)) throw new BadRequest("A recipient is not an address.");
  if (body.Content.Simple.Subject?.Data === undefined) throw new BadRequest("Subject is missing.");
  const { Text, Html } = body.Content.Simple.Body ?? {};
  if (Text?.Data === undefined && Html?.Data === undefined) throw new BadRequest("Body is missing.");
}

export async function startFakeSesV2(options: FakeSesV2Options): Promise<FakeSesV2> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultQueue<SesV2Fault>();
  const transport = createTransport({
    host: options.smtp.host,
    port: options.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  let requestCount = 0;

  const sendJson = (response: ServerResponse, status: number, body: unknown, requestId: string): void => {
    response.writeHead(status, { "content-type": "application/json", "x-amzn-requestid": requestId });
    response.end(JSON.stringify(body));
  };
  const sendError = (
    response: ServerResponse,
    status: number,
    code: string,
    message: string,
    requestId: string,
  ): void => {
    response.writeHead(status, {
      "content-type": "application/json",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": code,
    });
    response.end(JSON.stringify({ message }));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    requestCount++;
    const requestId = randomUUID();
    const text = await readBody(request);
    const injected = faults.take();
    if (injected !== undefined) {
      const fault = SESV2_FAULTS[injected];
      sendError(response, fault.status, injected, fault.message, requestId);
      return;
    }
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "POST" || path !== "/v2/email/outbound-emails") {
      sendError(
        response,
        404,
        "NotFoundException",
        `Not supported locally: ${request.method} ${path}`,
        requestId,
      );
      return;
    }
    let body: SendEmailBody;
    try {
      body = JSON.parse(text) as SendEmailBody;
      validate(body);
    } catch (error) {
      const message = error instanceof BadRequest ? error.message : "Request body is not JSON.";
      sendError(response, 400, "BadRequestException", message, requestId);
      return;
    }
    const simple = body.Content!.Simple!;
    const messageId = sesMessageId(clock.now());
    await transport.sendMail({
      from: body.FromEmailAddress,
      to: body.Destination?.ToAddresses,
      cc: body.Destination?.CcAddresses,
      bcc: body.Destination?.BccAddresses,
      replyTo: body.ReplyToAddresses,
      subject: simple.Subject?.Data,
      text: simple.Body?.Text?.Data,
      html: simple.Body?.Html?.Data,
      date: new Date(clock.now()),
      messageId: `<${messageId}@email.amazonses.com>`,
      headers: body.ConfigurationSetName ? { "X-SES-Configuration-Set": body.ConfigurationSetName } : {},
    });
    options.log?.(`[sesv2] e-mail ${messageId} relayed to the mail catcher`);
    sendJson(response, 200, { MessageId: messageId }, requestId);
  };

  const running = await listen(
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // Relay failures (mail catcher down) look like an SES outage: 500, retried by the SDK.
        if (!response.headersSent) {
          sendError(
            response,
            500,
            "InternalServiceErrorException",
            // Not error.message: SMTP replies can quote recipient addresses.
            `Relay to the local mail catcher failed (${(error as { code?: unknown }).code ?? "unknown"}).`,
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
    failNext(count = 1, fault: SesV2Fault = "TooManyRequestsException") {
      faults.push(count, fault);
    },
    clearFaults: () => faults.clear(),
    async close() {
      await running.close();
      transport.close();
    },
  };
}
