import { type DossierEvent, DossierEventSchema, dossierEventToJson } from "../dossier/index.ts";
import { InvalidInputError } from "../errors.ts";
import { describeIssues } from "../parse.ts";
import type { AppLogger } from "./logger.ts";
import { eventDeduplicationId } from "./messages.ts";
import type { MessageQueue } from "./queue.ts";

/** One call carries one event or a list of up to 10 (one SQS SendMessageBatch). */
export const MAX_EVENTS_PER_REQUEST = 10;

export interface RejectedEvent {
  /** Position in the request (0 for a single event). */
  readonly index: number;
  readonly id: string | undefined;
  /** "field.path: rule" — never the value (it may be a phone number). */
  readonly reasons: readonly string[];
}

/** Some events of the request are invalid; none was enqueued. `details.rejected` says why, per event. */
export class InvalidEventsError extends InvalidInputError {
  override readonly name: string = "InvalidEventsError";
}

export interface IngestResult {
  readonly accepted: readonly { readonly id: string; readonly dossierCode: string }[];
}

/**
 * The ingest edge: validates every event against the domain's schema and, only when all are
 * valid, sends them to the events FIFO queue grouped by dossier code — so a dossier's events are
 * applied one at a time, in order.
 */
export class IngestEvents {
  readonly #events: MessageQueue;
  readonly #logger: AppLogger;

  constructor(ports: { readonly eventsQueue: MessageQueue; readonly logger: AppLogger }) {
    this.#events = ports.eventsQueue;
    this.#logger = ports.logger;
  }

  async ingest(body: unknown): Promise<IngestResult> {
    const inputs = Array.isArray(body) ? body : [body];
    if (inputs.length === 0 || inputs.length > MAX_EVENTS_PER_REQUEST) {
      throw new InvalidInputError(
        `send one event or a list of 1 to ${MAX_EVENTS_PER_REQUEST} events (got ${inputs.length})`,
        { count: inputs.length },
      );
    }
    const events: DossierEvent[] = [];
    const rejected: RejectedEvent[] = [];
    inputs.forEach((input, index) => {
      const result = DossierEventSchema.safeParse(input);
      if (result.success) events.push(result.data);
      else {
        rejected.push({
          index,
          id: idOf(input),
          reasons: describeIssues(result.error.issues),
        });
      }
    });
    if (rejected.length > 0) {
      throw new InvalidEventsError(
        `${rejected.length} of ${inputs.length} events are invalid; none was enqueued`,
        { rejected, enqueued: 0 },
      );
    }
    await this.#events.send(
      events.map((event) => ({
        body: JSON.stringify(dossierEventToJson(event)),
        groupId: event.dossierCode,
        deduplicationId: eventDeduplicationId(event.dossierCode, event.id),
      })),
    );
    this.#logger.info("events enqueued", {
      count: events.length,
      events: events.map((event) => ({ id: event.id, type: event.type, dossierCode: event.dossierCode })),
    });
    return { accepted: events.map((event) => ({ id: event.id, dossierCode: event.dossierCode })) };
  }
}

function idOf(input: unknown): string | undefined {
  const id = input !== null && typeof input === "object" ? (input as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id.slice(0, 200) : undefined;
}
