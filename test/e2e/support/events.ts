/**
 * The `received` event the browser tests send, over the demo province's people (`demo: "people"`):
 * the provincial centre of Tây Ninh, its justice desk and handler cv-khang unless a test names
 * others. One builder, so a change to the event's shape is made once.
 */
export const TAY_NINH_CENTRE = {
  id: "ttpvhcc-tinh",
  name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
};
export const JUSTICE_DESK = { id: "quay-tu-phap", name: "Quầy Sở Tư pháp" };
export const BUILDING_DESK = { id: "quay-xay-dung", name: "Quầy Sở Xây dựng" };
export const BIRTH_REGISTRATION = { code: "1.001612", name: "Đăng ký khai sinh", field: "Hộ tịch" };
/** Friday 20/11/2026, 08:00: the morning the browser tests' dossiers are received. */
export const RECEIVED_AT = "2026-11-20T08:00:00+07:00";

interface Named {
  readonly id: string;
  readonly name: string;
}

export interface ReceivedOptions {
  readonly workingDays: number;
  readonly at?: string | undefined;
  readonly procedure?: { readonly code: string; readonly name: string; readonly field: string } | undefined;
  readonly unit?: Named | undefined;
  readonly channel?: "online" | "in-person" | undefined;
  readonly applicant?: Record<string, unknown> | undefined;
  /** A handler id, or the handler as the event carries it. */
  readonly handler?: string | { readonly id: string; readonly name?: string } | undefined;
}

export function receivedEvent(code: string, options: ReceivedOptions) {
  const at = options.at ?? RECEIVED_AT;
  const handler = options.handler ?? "cv-khang";
  return {
    id: `${code}#received`,
    type: "received",
    dossierCode: code,
    occurredAt: at,
    receivedAt: at,
    procedure: {
      ...(options.procedure ?? BIRTH_REGISTRATION),
      timeLimit: { amount: options.workingDays, unit: "working-days" },
    },
    agency: TAY_NINH_CENTRE,
    unit: options.unit ?? JUSTICE_DESK,
    channel: options.channel ?? "online",
    applicant: options.applicant ?? {
      name: "Trần Thị Bé Năm",
      honorific: "Bà",
      phone: "0900005678",
      consent: { sms: true, email: false },
    },
    handler: typeof handler === "string" ? { id: handler } : handler,
  };
}
