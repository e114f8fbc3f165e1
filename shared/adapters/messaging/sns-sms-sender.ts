/**
 * SmsSender on Amazon SNS (Publish to a phone number). The same adapter runs in Lambda and, with
 * the client's `endpoint` pointed at `local/runtime/fake-aws/sns-endpoint.ts`, locally.
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  PermanentDeliveryError,
  type SentMessage,
  type SmsMessage,
  type SmsSender,
} from "../../app/messaging-ports.ts";
import { toDeliveryError } from "./provider-errors.ts";

export interface SnsSmsSenderOptions {
  readonly client: SNSClient;
  /** Registered brandname used when a message names none; Vietnamese carriers drop SMS without one. */
  readonly defaultSenderId?: string;
  /** Transactional: higher delivery priority, allowed to opted-out-of-marketing numbers (AWS SMS types). */
  readonly smsType?: "Transactional" | "Promotional";
}

/** E.164: "+", a country code not starting with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** AWS sender ID rule: 1–11 characters, letters and digits only, at least one letter. */
const SENDER_ID = /^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/;

export class SnsSmsSender implements SmsSender {
  readonly #client: SNSClient;
  readonly #defaultSenderId: string | undefined;
  readonly #smsType: "Transactional" | "Promotional";

  constructor(options: SnsSmsSenderOptions) {
    this.#client = options.client;
    this.#defaultSenderId = options.defaultSenderId;
    this.#smsType = options.smsType ?? "Transactional";
  }

  async send(message: SmsMessage): Promise<SentMessage> {
    if (!E164.test(message.to)) {
      throw new PermanentDeliveryError("SMS recipient is not an E.164 number", {
        reason: "invalid-recipient",
      });
    }
    if (message.text.trim() === "") {
      throw new PermanentDeliveryError("SMS text is empty", { reason: "empty-text" });
    }
    const senderId = message.senderId ?? this.#defaultSenderId;
    if (senderId === undefined || !SENDER_ID.test(senderId)) {
      throw new PermanentDeliveryError("SMS needs a sender ID of 1–11 letters and digits", {
        reason: "invalid-sender-id",
        senderId,
      });
    }
    try {
      const output = await this.#client.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: {
            "AWS.SNS.SMS.SenderID": { DataType: "String", StringValue: senderId },
            "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: this.#smsType },
          },
        }),
      );
      if (output.MessageId === undefined) throw new Error("SNS Publish returned no MessageId");
      return { providerMessageId: output.MessageId };
    } catch (error) {
      throw toDeliveryError(error, "sns");
    }
  }
}
