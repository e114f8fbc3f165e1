/**
 * EmailSender on Amazon SES v2 (SendEmail with Simple content). The same adapter runs in Lambda
 * and, with the client's `endpoint` pointed at `local/runtime/fake-aws/sesv2-endpoint.ts`, locally.
 */
import { type SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import {
  type EmailMessage,
  type EmailSender,
  PermanentDeliveryError,
  type SentMessage,
} from "../../app/messaging-ports.ts";
import { toDeliveryError } from "./provider-errors.ts";

export interface SesEmailSenderOptions {
  readonly client: SESv2Client;
  /** SES configuration set (event publishing for bounces and complaints), if any. */
  readonly configurationSetName?: string;
}

/** Vietnamese needs UTF-8; SES defaults to 7-bit ASCII without it. */
const CHARSET = "UTF-8";

export class SesEmailSender implements EmailSender {
  readonly #client: SESv2Client;
  readonly #configurationSetName: string | undefined;

  constructor(options: SesEmailSenderOptions) {
    this.#client = options.client;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(message: EmailMessage): Promise<SentMessage> {
    if (!message.to.includes("@") || !message.from.includes("@")) {
      throw new PermanentDeliveryError("E-mail sender or recipient is not an address", {
        reason: "invalid-address",
      });
    }
    try {
      const output = await this.#client.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: CHARSET },
              Body: {
                Text: { Data: message.text, Charset: CHARSET },
                Html: { Data: message.html, Charset: CHARSET },
              },
            },
          },
          ConfigurationSetName: this.#configurationSetName,
        }),
      );
      if (output.MessageId === undefined) throw new Error("SES SendEmail returned no MessageId");
      return { providerMessageId: output.MessageId };
    } catch (error) {
      throw toDeliveryError(error, "sesv2");
    }
  }
}
