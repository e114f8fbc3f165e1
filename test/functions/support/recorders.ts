import {
  type EmailMessage,
  type EmailSender,
  PermanentDeliveryError,
  type SentMessage,
  type SmsMessage,
  type SmsSender,
  ThrottledError,
} from "../../../shared/app/messaging-ports.ts";
import type { MessageQueue, QueueMessage } from "../../../shared/app/queue.ts";

/** An SmsSender that records what it sends; `throttleNext(n)` refuses the next n sends as SNS would. */
export class RecordingSms implements SmsSender {
  readonly sent: (SmsMessage & { providerMessageId: string })[] = [];
  attempts = 0;
  #throttles = 0;

  throttleNext(count: number): void {
    this.#throttles = count;
  }

  async send(message: SmsMessage): Promise<SentMessage> {
    this.attempts += 1;
    if (this.#throttles > 0) {
      this.#throttles -= 1;
      throw new ThrottledError("sns throttled the message (Throttling)", {
        provider: "sns",
        providerCode: "Throttling",
      });
    }
    if (!/^\+84\d{9}$/.test(message.to)) {
      throw new PermanentDeliveryError("sns refused the message (InvalidParameter)", {
        providerCode: "InvalidParameter",
      });
    }
    const providerMessageId = `sms-${this.sent.length + 1}`;
    this.sent.push({ ...message, providerMessageId });
    return { providerMessageId };
  }
}

export class RecordingEmail implements EmailSender {
  readonly sent: (EmailMessage & { providerMessageId: string })[] = [];

  async send(message: EmailMessage): Promise<SentMessage> {
    const providerMessageId = `email-${this.sent.length + 1}`;
    this.sent.push({ ...message, providerMessageId });
    return { providerMessageId };
  }
}

/** Wraps a queue and keeps a copy of every message sent through it. */
export class TappedQueue implements MessageQueue {
  readonly sent: QueueMessage[] = [];

  constructor(private readonly inner: MessageQueue) {}

  async send(messages: readonly QueueMessage[]): Promise<void> {
    await this.inner.send(messages);
    this.sent.push(...messages);
  }
}
