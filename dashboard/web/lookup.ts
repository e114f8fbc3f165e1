/**
 * Tra cứu hồ sơ: the applicant's public page (docs/public-lookup.md). No sign-in: the dossier
 * code and the last four digits of the phone number go in a POST body to `/public/lookup`; the
 * answer holds no personal data. Everything the applicant reads is in Vietnamese.
 */
import type { PublicDossierView } from "../../shared/app/public-lookup.ts";

interface LookupConfig {
  readonly apiBaseUrl: string;
}

const ZONE = "Asia/Ho_Chi_Minh";
const dateTime = new Intl.DateTimeFormat("vi-VN", {
  timeZone: ZONE,
  weekday: "long",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** "14:00, thứ Năm 26/11/2026". */
export function formatWhen(iso: string): string {
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}, ${parts.weekday} ${parts.day}/${parts.month}/${parts.year}`;
}

/** "20/11/2026": a date as a letter or a notice is dated. */
export function formatDate(iso: string): string {
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year}`;
}

export const MESSAGES = {
  NOT_FOUND:
    "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối điện thoại đã nhập. Vui lòng kiểm tra mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
  INVALID_INPUT: "Mã hồ sơ hoặc 4 số cuối điện thoại chưa đúng định dạng.",
  RATE_LIMITED:
    "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc liên hệ Bộ phận Tiếp nhận và Trả kết quả.",
  NETWORK: "Không kết nối được với hệ thống. Vui lòng thử lại sau ít phút.",
} as const;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function row(list: HTMLDListElement, term: string, value: string): void {
  list.append(element("dt", term), element("dd", value));
}

/** The answer, as the applicant reads it. */
export function renderView(view: PublicDossierView): HTMLElement {
  const section = element("section", undefined, { "aria-labelledby": "ket-qua-tieu-de", class: "card" });
  section.append(element("h2", `Hồ sơ ${view.dossierCode}`, { id: "ket-qua-tieu-de" }));
  section.append(element("p", view.statusLabel, { class: `status status-${view.status}`, role: "status" }));
  const facts = element("dl", undefined, { class: "facts" });
  row(facts, "Thủ tục", view.procedureName);
  row(facts, "Cơ quan giải quyết", view.agencyName);
  row(facts, "Ngày tiếp nhận", formatWhen(view.receivedAt));
  // While the dossier waits for the applicant's documents or is paused, the appointment moves
  // (a restart or the time paused): it is shown as it stands, said to be provisional.
  const provisional = view.status === "cho-bo-sung" || view.status === "tam-dung";
  row(
    facts,
    "Ngày hẹn trả kết quả",
    provisional
      ? `${formatWhen(view.appointment)} (${view.status === "cho-bo-sung" ? "sẽ được hẹn lại sau khi nhận đủ hồ sơ bổ sung" : "có thể thay đổi khi hồ sơ được giải quyết tiếp"})`
      : formatWhen(view.appointment),
  );
  if (view.finishedAt) row(facts, "Có kết quả lúc", formatWhen(view.finishedAt));
  if (view.returnedAt) row(facts, "Đã trả kết quả lúc", formatWhen(view.returnedAt));
  section.append(facts);

  if (view.supplement) {
    const box = element("div", undefined, { class: "card lookup-note" });
    box.append(element("h3", "Hồ sơ cần bổ sung"), element("p", view.supplement.reason));
    if (view.supplement.documents.length > 0) {
      const list = element("ul");
      for (const document of view.supplement.documents) list.append(element("li", document));
      box.append(list);
    }
    section.append(box);
  }
  if (view.apology) {
    const box = element("div", undefined, { class: "card lookup-note" });
    box.append(
      element(
        "h3",
        `Thư xin lỗi${view.apology.letterNumber ? ` số ${view.apology.letterNumber}` : ""} ngày ${formatDate(view.apology.issuedAt)}`,
      ),
      element("p", `Lý do chậm: ${view.apology.reason}`),
      element("p", `Đơn vị chịu trách nhiệm: ${view.apology.responsibleUnit}`),
      element("p", `Ngày hẹn trả mới: ${formatWhen(view.apology.newAppointment)}`),
    );
    section.append(box);
  }
  if (view.appointments.length > 1) {
    section.append(element("h3", "Lịch sử ngày hẹn"));
    // What each appointment was, when it was given, and which one holds now (the last).
    const list = element("ol", undefined, { class: "history" });
    view.appointments.forEach((a, i) => {
      const current = i === view.appointments.length - 1;
      const item = element("li", undefined, current ? { "aria-current": "true" } : {});
      item.append(
        element("strong", a.label),
        `: ${formatWhen(a.at)} `,
        element(
          "span",
          `(thông báo ngày ${formatDate(a.givenAt)}; ${current ? "đang áp dụng" : "đã thay bằng ngày hẹn sau"})`,
          { class: "muted" },
        ),
      );
      list.append(item);
    });
    section.append(list);
  }
  const open = !["da-tra-ket-qua", "tu-choi", "da-rut", "dung-giai-quyet"].includes(view.status);
  // Nothing to put in a calendar for a date already past or one that will be given again.
  if (open && !provisional && view.status !== "qua-han")
    section.append(element("button", "Thêm ngày hẹn vào lịch", { type: "button", id: "them-vao-lich" }));
  section.append(element("p", `Thông tin cập nhật lúc ${formatWhen(view.asOf)}.`, { class: "muted" }));
  return section;
}

async function post(config: LookupConfig, path: string, body: unknown): Promise<Response> {
  return fetch(`${config.apiBaseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
}

async function errorText(response: Response): Promise<string> {
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after") ?? "60");
    return MESSAGES.RATE_LIMITED.replace("{minutes}", String(Math.max(1, Math.ceil(seconds / 60))));
  }
  if (response.status === 404) return MESSAGES.NOT_FOUND;
  if (response.status === 400) return MESSAGES.INVALID_INPUT;
  return MESSAGES.NETWORK;
}

async function start(): Promise<void> {
  const config = (await (await fetch("config.json", { cache: "no-store" })).json()) as LookupConfig;
  const form = document.querySelector<HTMLFormElement>("#tra-cuu")!;
  const result = document.querySelector<HTMLElement>("#ket-qua")!;
  const error = document.querySelector<HTMLElement>("#loi")!;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = {
      code: String(data.get("code") ?? "").trim(),
      phoneLast4: String(data.get("phoneLast4") ?? "").trim(),
    };
    const button = form.querySelector("button")!;
    button.disabled = true;
    error.textContent = "";
    result.replaceChildren();
    try {
      const response = await post(config, "/public/lookup", query).catch(() => undefined);
      if (response === undefined || !response.ok) {
        error.textContent = response === undefined ? MESSAGES.NETWORK : await errorText(response);
        return;
      }
      const view = (await response.json()) as PublicDossierView;
      result.append(renderView(view));
      result.querySelector<HTMLButtonElement>("#them-vao-lich")?.addEventListener("click", async () => {
        const file = await post(config, "/public/lookup/calendar", query).catch(() => undefined);
        if (file === undefined || !file.ok) {
          error.textContent = file === undefined ? MESSAGES.NETWORK : await errorText(file);
          return;
        }
        const url = URL.createObjectURL(await file.blob());
        const link = element("a", undefined, { href: url, download: `hen-tra-${view.dossierCode}.ics` });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      });
      result.querySelector("h2")?.setAttribute("tabindex", "-1");
      result.querySelector<HTMLElement>("h2")?.focus();
    } finally {
      button.disabled = false;
    }
  });
}

if (typeof document !== "undefined" && document.querySelector("#tra-cuu")) void start();
