/**
 * "Sự kiện bị từ chối" (#/tu-choi), for the agency's admins: the events the e-one-stop system sent
 * that the worker refused (docs/dossier-events.md, "Refused events"), newest first, one page at a
 * time, each with its time, its dossier (a link to the dossier's page when the dossier is stored),
 * the event's type, the reason in words and the kind of rule that refused it — said in words, not
 * by colour alone. The API's own message (English, ids and rules) is kept below, for the sender.
 */
import { ApiError, type RejectionPage, type RejectionView, type StaffApiClient } from "./api-client.ts";
import { dossierLink, formatInstant } from "./dossier-view.ts";
import { EVENT_TYPE_TEXT, refusalKind, refusalText } from "./rejection-words.ts";
import { h } from "./ui.ts";

/** The view's hash route. */
export const REJECTIONS_HASH = "#/tu-choi";

export function isRejectionsRoute(hash: string): boolean {
  return hash === REJECTIONS_HASH;
}

/** Rows per page (the API pages it, newest first). */
export const REJECTIONS_PAGE = 20;

export interface RejectionsContext {
  readonly api: Pick<StaffApiClient, "rejections">;
  readonly handled: (error: unknown) => boolean;
  readonly say: (text: string) => void;
}

/** The view: its first page loaded; "Xem thêm" reads the next. */
export async function rejectionsPage(context: RejectionsContext): Promise<HTMLElement> {
  const back = h("a", { href: "#/", class: "back" }, "← Quay lại bảng điều hành");
  let first: RejectionPage;
  try {
    first = await context.api.rejections({ limit: REJECTIONS_PAGE });
  } catch (error) {
    if (context.handled(error) || !(error instanceof ApiError) || error.status !== 403) throw error;
    return h(
      "div",
      {},
      back,
      h(
        "p",
        { class: "error", role: "alert" },
        "Chỉ quản trị viên của cơ quan xem được các sự kiện bị từ chối.",
      ),
    );
  }
  const title = h("h2", { id: "rejections-title", tabindex: "-1" }, "Sự kiện bị từ chối");
  const intro = h(
    "p",
    { class: "muted" },
    "Các sự kiện hệ thống một cửa điện tử gửi tới nhưng không được ghi nhận, mới nhất trước. Hệ thống gửi có thể tra từng sự kiện theo mã sự kiện.",
  );
  const card = h(
    "section",
    { class: "card rejections", "aria-labelledby": "rejections-title" },
    title,
    intro,
  );
  if (first.items.length === 0 && first.cursor === undefined) {
    card.append(h("p", { class: "empty" }, "Chưa có sự kiện nào bị từ chối."));
    return h("div", {}, back, card);
  }
  const list = h("ol", { class: "rejections" });
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "secondary" }, "Xem thêm sự kiện");
  let shown = 0;
  let cursor = first.cursor;
  const add = (page: RejectionPage) => {
    for (const item of page.items) list.append(rejectionItem(item));
    shown += page.items.length;
    cursor = page.cursor;
    count.textContent =
      cursor === undefined ? `${shown} sự kiện bị từ chối.` : `Đang hiện ${shown} sự kiện, còn nữa.`;
    more.hidden = cursor === undefined;
  };
  add(first);
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      add(await context.api.rejections({ limit: REJECTIONS_PAGE, cursor }));
    } catch (error) {
      if (!context.handled(error)) context.say((error as Error).message);
    } finally {
      more.disabled = false;
    }
  });
  card.append(list, count, more);
  return h("div", {}, back, card);
}

function rejectionItem(item: RejectionView): HTMLElement {
  const kind = refusalKind(item.errorCode);
  const type = item.type === undefined ? "Không rõ loại" : (EVENT_TYPE_TEXT[item.type] ?? item.type);
  const code = item.dossierKnown
    ? dossierLink(item.dossierCode)
    : h(
        "span",
        {},
        h("span", { class: "code" }, item.dossierCode),
        h("span", { class: "muted" }, " (chưa có hồ sơ)"),
      );
  const technical = [
    `mã sự kiện ${item.eventId}`,
    ...(item.type === undefined ? [] : [`loại ${item.type}`]),
    `${item.errorCode}${item.rule === undefined ? "" : ` / ${item.rule}`}`,
  ].join(" · ");
  return h(
    "li",
    { class: `rejection rejection-${kind.key}`, "data-event-id": item.eventId },
    h(
      "p",
      { class: "rejection-head" },
      h("time", { datetime: item.at }, formatInstant(item.at)),
      h("strong", {}, code),
      h("span", { class: "badge" }, type),
      h("span", { class: `flag flag-${kind.key}` }, kind.text),
    ),
    h("p", { class: "rejection-reason" }, refusalText(item)),
    h("p", { class: "muted rejection-detail" }, `Chi tiết cho hệ thống gửi: ${technical}. ${item.reason}`),
  );
}
