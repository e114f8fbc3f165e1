/**
 * One dossier's page (#/ho-so/<code>), the same for a leader and a handler: where it stands (time
 * left or overdue in days and hours, who holds it, which unit made it late), its steps with their
 * own due instants, and one timeline of what happened — the events as the one-stop system sent
 * them, the alerts sent (channel and time) — with the apology and its letter. Every state is said
 * in words as well as in colour.
 */
import type { DossierEventJson } from "../../shared/dossier/index.ts";
import { ApiError, type DossierView, type DraftView, type StaffApiClient } from "./api-client.ts";
import { formatDay } from "./approval.ts";
import { letterDialog } from "./drafts-view.ts";
import { h } from "./ui.ts";

/** The hash route of a dossier's page. */
export function dossierHref(code: string): string {
  return `#/ho-so/${encodeURIComponent(code)}`;
}

/** The dossier code of a `#/ho-so/<code>` hash, else undefined. */
export function dossierCodeOf(hash: string): string | undefined {
  const match = /^#\/ho-so\/(.+)$/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/** A link to a dossier's page, its text the code. */
export function dossierLink(code: string): HTMLAnchorElement {
  return h("a", { href: dossierHref(code), class: "code" }, code);
}

export interface DossierPageContext {
  readonly api: StaffApiClient;
  /** Leaders may read the dossier's apology drafts (the letter). */
  readonly leader: boolean;
  readonly handled: (error: unknown) => boolean;
}

/** "2026-11-23T08:00:00+07:00" → "08:00 23/11/2026": the API's instants are already in Vietnam's time. */
export function formatInstant(iso: string): string {
  return `${iso.slice(11, 16)} ${formatDay(iso.slice(0, 10))}`;
}

const STATUS_TEXT: Readonly<Record<string, string>> = {
  "trong-han": "Trong hạn",
  "sap-den-han": "Sắp đến hạn",
  "qua-han": "Quá hạn",
  "truoc-han": "Xong trước hạn",
  "dung-han": "Xong đúng hạn",
};

const PHASE_TEXT: Readonly<Record<string, string>> = {
  "in-progress": "Đang giải quyết",
  paused: "Tạm dừng tính thời gian",
  "awaiting-supplement": "Chờ bổ sung hồ sơ",
  finished: "Đã có kết quả",
  returned: "Đã trả kết quả",
  rejected: "Từ chối",
  withdrawn: "Công dân rút hồ sơ",
  stopped: "Dừng giải quyết",
};

const DELAY_TEXT: Readonly<Record<string, string>> = {
  "step-finished-late": "bước xử lý hoàn thành sau hạn của bước",
  "step-overdue": "bước đang xử lý đã quá hạn của bước",
  "dossier-overdue": "hồ sơ quá hạn khi chưa chuyển khỏi đơn vị tiếp nhận",
};

const ROLE_TEXT: Readonly<Record<string, string>> = {
  handler: "chuyên viên xử lý",
  "unit-leader": "lãnh đạo đơn vị",
  "agency-leader": "lãnh đạo cơ quan",
  citizen: "công dân",
};

const CHANNEL_TEXT: Readonly<Record<string, string>> = { sms: "SMS", email: "thư điện tử", zalo: "Zalo" };

const RULE_TEXT: Readonly<Record<string, string>> = {
  "due-in-2-working-days": "còn 2 ngày làm việc",
  "due-in-1-working-day": "còn 1 ngày làm việc",
  "due-today": "đến hạn hôm nay",
  "half-time-elapsed": "đã dùng nửa thời gian",
  "three-quarters-elapsed": "đã dùng ba phần tư thời gian",
  "step-due-in-1-working-day": "bước xử lý còn 1 ngày làm việc",
  "step-due-today": "bước xử lý đến hạn hôm nay",
  "step-half-time-elapsed": "bước xử lý đã dùng nửa thời gian",
  "step-three-quarters-elapsed": "bước xử lý đã dùng ba phần tư thời gian",
  "step-overdue": "bước xử lý quá hạn",
  "apology-draft-requested": "yêu cầu soạn thư xin lỗi",
  "apology-duty": "nhắc gửi thư xin lỗi",
  "apology-overdue": "chưa gửi thư xin lỗi khi sắp quá hạn",
  "citizen-receipt": "báo công dân đã tiếp nhận",
  "citizen-supplement-requested": "báo công dân bổ sung hồ sơ",
  "citizen-result-ready": "báo công dân đã có kết quả",
  "citizen-apology": "gửi công dân thư xin lỗi",
};

/** What became of an alert (the alert log's delivery status). */
const DELIVERY_TEXT: Readonly<Record<string, string>> = {
  queued: "đang chờ gửi",
  held: "tạm giữ",
  claimed: "đang gửi",
  sent: "đã gửi",
  delivered: "đã đến người nhận",
  failed: "gửi không thành công",
  skipped: "không gửi",
  expired: "quá thời gian gửi, không gửi",
};

const ruleText = (rule: string) =>
  RULE_TEXT[rule] ?? (/^overdue-level-(\d+)$/.test(rule) ? `quá hạn (mức ${rule.slice(14)})` : rule);

type Organisation = { readonly id: string; readonly name?: string | undefined };
type Person = { readonly id: string; readonly name?: string | undefined };
type Assignment = DossierView["dossier"]["current"];

const orgName = (org: Organisation | null | undefined) => (org ? (org.name ?? org.id) : "");
const personName = (person: Person | null | undefined) => (person ? (person.name ?? person.id) : "");

/** "Phạm Thu Hoa — Phòng Môi trường, Sở TN&MT": the person first, then where they sit. */
function holderText(assignment: Assignment): string {
  const place = [orgName(assignment.unit), orgName(assignment.agency)].filter(Boolean).join(", ");
  const person = personName(assignment.handler);
  return person ? `${person} — ${place}` : place;
}

/** The page of one dossier, or a message saying why it cannot be shown. */
export async function dossierPage(context: DossierPageContext, code: string): Promise<HTMLElement> {
  const back = h("a", { href: "#/", class: "back" }, "← Quay lại bảng điều hành");
  let view: DossierView;
  try {
    view = await context.api.dossier(code);
  } catch (error) {
    if (context.handled(error)) throw error;
    const text =
      error instanceof ApiError && error.status === 404
        ? `Không tìm thấy hồ sơ ${code} trong phạm vi của bạn.`
        : `Không tải được hồ sơ ${code}: ${(error as Error).message}`;
    return h("div", {}, back, h("p", { class: "error", role: "alert" }, text));
  }
  const drafts = context.leader && view.dossier.apology ? await sentDrafts(context, code) : [];
  const d = view.dossier;
  const title = h("h2", { id: "dossier-title", tabindex: "-1" }, `Hồ sơ ${d.dossierCode}`);
  return h(
    "article",
    { class: "dossier-page", "aria-labelledby": "dossier-title" },
    back,
    h("section", { class: "card wide" }, title, h("p", { class: "muted" }, d.procedure.name), standing(view)),
    h("div", { class: "grid" }, facts(view), steps(view)),
    timeline(context, view, drafts),
  );
}

async function sentDrafts(context: DossierPageContext, code: string): Promise<DraftView[]> {
  try {
    return (await context.api.dossierDrafts(code)).filter((draft) => draft.status === "sent");
  } catch (error) {
    if (context.handled(error)) throw error;
    return [];
  }
}

/** The headline: its class in words and colour, and the time left or past in days and hours. */
function standing(view: DossierView): HTMLElement {
  const d = view.dossier;
  const status = d.status ?? "closed";
  const label = d.status ? (STATUS_TEXT[d.status] ?? d.status) : (PHASE_TEXT[d.phase] ?? d.phase);
  const stopped = d.paused || d.awaitingSupplement;
  const parts = [
    h("p", { class: `status status-${status}`, "data-testid": "dossier-status" }, label),
    h("p", { class: "time-left", "data-testid": "time-left" }, view.timeLeft ?? PHASE_TEXT[d.phase] ?? ""),
  ];
  if (stopped) {
    parts.push(
      h("p", { class: "muted" }, `${PHASE_TEXT[d.phase]}: thời gian không tính cho đến khi tiếp tục.`),
    );
  }
  return h("div", { class: "standing" }, ...parts);
}

function facts(view: DossierView): HTMLElement {
  const d = view.dossier;
  const rows: [string, string | HTMLElement][] = [
    ["Thủ tục", `${d.procedure.name} (${d.procedure.code})`],
    ["Lĩnh vực", d.procedure.field ?? "—"],
    ["Người nộp", `${d.applicant.honorific ?? ""} ${d.applicant.name}`.trim()],
    ["Tiếp nhận", formatInstant(d.receivedAt)],
    ["Hạn theo quy định", d.legalDueAt ? formatInstant(d.legalDueAt) : "đang dừng tính"],
    ["Ngày hẹn trả", formatInstant(d.currentAppointment)],
    ["Đang giữ hồ sơ", holderText(d.current)],
    [
      "Nguyên nhân trễ hạn",
      d.delay
        ? h(
            "span",
            { "data-testid": "delay-unit" },
            `${holderText(d.delay.assignment)} (${DELAY_TEXT[d.delay.reason] ?? d.delay.reason})`,
          )
        : "Không có",
    ],
    ["Tình trạng", PHASE_TEXT[d.phase] ?? d.phase],
  ];
  return h(
    "section",
    { class: "card", "aria-label": "Thông tin hồ sơ" },
    h("h3", {}, "Thông tin hồ sơ"),
    h(
      "dl",
      { class: "facts" },
      ...rows.map(([term, value]) => h("div", {}, h("dt", {}, term), h("dd", {}, value))),
    ),
  );
}

function steps(view: DossierView): HTMLElement {
  const list = view.dossier.steps;
  const section = h(
    "section",
    { class: "card", "aria-label": "Các bước xử lý" },
    h("h3", {}, "Các bước xử lý"),
  );
  if (list.length === 0) {
    section.append(h("p", {}, "Hồ sơ chưa được chuyển xử lý: đơn vị tiếp nhận đang giữ."));
    return section;
  }
  const ol = h("ol", { class: "steps" });
  for (const step of list) {
    const state = step.finishedAt
      ? step.late
        ? "Xong sau hạn của bước"
        : "Xong trong hạn của bước"
      : step.late
        ? "Đang xử lý, quá hạn của bước"
        : "Đang xử lý";
    ol.append(
      h(
        "li",
        { class: step.late ? "late" : "" },
        h("strong", {}, step.task ?? (step.kind === "transferred" ? "Chuyển liên thông" : "Xử lý")),
        h("span", {}, holderText(step.assignment)),
        h(
          "span",
          { class: "muted" },
          `Bắt đầu ${formatInstant(step.startedAt)} · Hạn của bước: ${step.dueAt ? formatInstant(step.dueAt) : "không ghi"}${step.finishedAt ? ` · Xong ${formatInstant(step.finishedAt)}` : ""}`,
        ),
        h("span", { class: step.late ? "flag flag-late" : "flag" }, step.late ? `⚠ ${state}` : state),
      ),
    );
  }
  section.append(ol);
  return section;
}

interface Entry {
  readonly at: string;
  readonly kind: "event" | "alert";
  readonly title: string;
  readonly detail: string;
  readonly action?: HTMLElement;
}

function eventEntry(event: DossierEventJson, view: DossierView): Entry {
  const at = event.occurredAt;
  const entry = (title: string, detail = ""): Entry => ({ at, kind: "event", title, detail });
  switch (event.type) {
    case "received":
      return entry(
        "Tiếp nhận hồ sơ",
        `${orgName(event.unit)}; hẹn trả ${formatInstant(view.dossier.originalAppointment)}`,
      );
    case "assigned":
      return entry(
        "Phân công xử lý",
        [personName(event.handler), orgName(event.unit), event.task, dueOf(event.dueAt)]
          .filter(Boolean)
          .join(" · "),
      );
    case "transferred":
      return entry(
        "Chuyển liên thông",
        [orgName(event.agency), orgName(event.unit), event.task, dueOf(event.dueAt)]
          .filter(Boolean)
          .join(" · "),
      );
    case "supplement-requested":
      return entry("Yêu cầu bổ sung hồ sơ", [event.reason, ...(event.documents ?? [])].join(" · "));
    case "supplement-received":
      return entry(
        "Nhận hồ sơ bổ sung",
        event.appointment ? `hẹn mới ${formatInstant(event.appointment)}` : "",
      );
    case "paused":
      return entry("Tạm dừng tính thời gian", event.reason);
    case "resumed":
      return entry("Tiếp tục tính thời gian", event.reason ?? "");
    case "apology-issued":
      return entry(
        "Gửi thư xin lỗi",
        `${orgName(event.responsibleUnit)} · hẹn mới ${formatInstant(event.newAppointment)}${event.letterNumber ? ` · số ${event.letterNumber}` : ""} · ${event.reason}`,
      );
    case "result-ready":
      return entry("Có kết quả", event.note ?? "");
    case "returned":
      return entry("Trả kết quả");
    case "rejected":
      return entry("Từ chối giải quyết", event.reason);
    case "withdrawn":
      return entry("Công dân rút hồ sơ", event.reason ?? "");
    case "stopped":
      return entry("Dừng giải quyết", event.reason);
    case "alert-acknowledged":
      return entry("Đã xem cảnh báo", `${ROLE_TEXT[event.by.role] ?? event.by.role} ${event.by.id}`);
    default:
      return entry((event as { type: string }).type);
  }
}

/** The step's due instant as the slip wrote it (the steps list shows it moved by stops). */
const dueOf = (dueAt: string | undefined) => (dueAt ? `hạn ghi khi giao ${formatInstant(dueAt)}` : "");

/** Events and alerts sent, in time order (an alert at the same instant after the event that caused it). */
function timeline(context: DossierPageContext, view: DossierView, drafts: readonly DraftView[]): HTMLElement {
  const entries: Entry[] = view.timeline.map((event) => {
    const entry = eventEntry(event, view);
    const draft = event.type === "apology-issued" ? drafts.at(-1) : undefined;
    return draft ? { ...entry, action: letterButton(context, draft) } : entry;
  });
  for (const alert of view.alerts.sent) {
    entries.push({
      at: alert.doneAt,
      kind: "alert",
      title: `Cảnh báo: ${ruleText(alert.rule)}`,
      detail: `tới ${ROLE_TEXT[alert.recipientRole] ?? alert.recipientRole}${alert.recipientId ? ` ${alert.recipientId}` : ""} qua ${CHANNEL_TEXT[alert.channel] ?? alert.channel}${alert.status === "unknown" ? "" : ` — ${DELIVERY_TEXT[alert.status] ?? alert.status}`}`,
    });
  }
  const order = (e: Entry) => Date.parse(e.at);
  entries.sort((a, b) => order(a) - order(b) || (a.kind === b.kind ? 0 : a.kind === "event" ? -1 : 1));
  const ol = h("ol", { class: "timeline" });
  for (const entry of entries) {
    ol.append(
      h(
        "li",
        { class: `entry entry-${entry.kind}` },
        h("time", { datetime: entry.at }, formatInstant(entry.at)),
        h("strong", {}, entry.title),
        ...(entry.detail ? [h("span", {}, entry.detail)] : []),
        ...(entry.action ? [entry.action] : []),
      ),
    );
  }
  const section = h(
    "section",
    { class: "card wide", "aria-label": "Diễn biến hồ sơ" },
    h("h3", {}, "Diễn biến hồ sơ"),
    ol,
  );
  const planned = view.alerts.planned;
  if (planned.length > 0) {
    section.append(
      h("h3", {}, "Cảnh báo sắp gửi"),
      h(
        "ul",
        { class: "planned" },
        ...planned.map((alert) =>
          h(
            "li",
            {},
            h("time", { datetime: alert.at }, formatInstant(alert.at)),
            ` ${ruleText(alert.rule)} — tới ${ROLE_TEXT[alert.recipientRole] ?? alert.recipientRole} qua ${CHANNEL_TEXT[alert.channel] ?? alert.channel}`,
          ),
        ),
      ),
    );
  }
  return section;
}

/** The letter as sent, in the same sandboxed preview the approval uses. */
function letterButton(context: DossierPageContext, draft: DraftView): HTMLElement {
  const button = h(
    "button",
    {
      type: "button",
      class: "secondary",
      "aria-label": `Xem thư xin lỗi đã gửi của hồ sơ ${draft.dossierCode}`,
    },
    "Xem thư xin lỗi",
  );
  const error = h("span", { class: "error", role: "alert" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    try {
      letterDialog(draft.dossierCode, await context.api.letterHtml(draft), draft, undefined, () => {});
    } catch (caught) {
      if (!context.handled(caught)) error.textContent = `Không mở được thư: ${(caught as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "entry-action" }, button, error);
}
