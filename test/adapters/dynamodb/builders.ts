import type { AgendaEntry, PlannedAlert, StoredEvent } from "../../../shared/app/ports.ts";

let counter = 0;
/** A dossier code of the TT 01/2018 shape, unique per call so tests sharing a table never collide. */
export function aDossierCode(): string {
  counter += 1;
  return `000.00.12.H42-261120-${String(counter).padStart(4, "0")}${Math.random().toString(36).slice(2, 6)}`;
}

export function anEvent(code: string, id: string, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id,
    type: "assigned",
    dossierCode: code,
    occurredAt: "2026-11-20T09:00:00+07:00",
    handler: { id: "cb-01" },
    ...overrides,
  };
}

export function anAlert(
  code: string,
  key: string,
  at: string,
  overrides: Partial<PlannedAlert> = {},
): PlannedAlert {
  return {
    at,
    dedupeKey: `${code}:${key}`,
    rule: "due-soon",
    recipientRole: "handler",
    recipientId: "cb-01",
    channel: "email",
    dossierCode: code,
    agencyId: "so-nnmt",
    appointmentVersion: 1,
    ...overrides,
  };
}

export const pending = (alerts: readonly PlannedAlert[]): AgendaEntry[] =>
  alerts.map((alert) => ({ alert, doneAt: undefined }));

export interface TestState {
  readonly status: string;
  readonly eventCount: number;
}
