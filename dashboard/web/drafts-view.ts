/**
 * The leader's approval form (docs/law.md): each apology draft as a card with the dossier's facts,
 * the reason to write (empty until someone writes it; the API's hint is only a placeholder) and a
 * picker of working days and office hours for the new appointment. Approving first shows the
 * letter as the API renders it, in a sandboxed iframe; withdrawing asks first. A withdrawn draft
 * can be reopened or replaced by a new one.
 */

import { ApiError, type DraftView, type StaffApiClient } from "./api-client.ts";
import {
  type AppointmentChoice,
  type AppointmentOptions,
  type FieldError,
  type FormField,
  fieldError,
  formatAppointment,
  formatDayLong,
  initialChoice,
  instantOf,
  offeredDays,
  RULE_MESSAGES,
  timeOnDay,
  timeSlots,
} from "./approval.ts";
import { dossierLink } from "./dossier-view.ts";
import { h } from "./ui.ts";

export interface DraftsContext {
  readonly api: StaffApiClient;
  /** Loads the page again and shows `notice` as what was just done. */
  reload(notice: string): Promise<void>;
  /** True for an error the page has handled already (an expired session is being renewed). */
  handled(error: unknown): boolean;
}

export interface DraftLists {
  /** Waiting for approval, or approved and not sent: the letter due soonest first. */
  readonly active: readonly DraftView[];
  /** Withdrawn, with no other letter for the dossier in play: the leader may reopen or redraft. */
  readonly withdrawn: readonly DraftView[];
}

const STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: "Chờ duyệt",
  approved: "Đã duyệt, chưa gửi",
  sent: "Đã gửi",
  withdrawn: "Đã rút lại",
};

/** The drafts of the leader's scope (the API scopes `GET /apologies`: agency, or unit for a unit leader). */
export async function loadDrafts(api: StaffApiClient): Promise<DraftLists> {
  const [drafts, approved, withdrawn, sent] = await Promise.all(
    (["draft", "approved", "withdrawn", "sent"] as const).map((status) => api.drafts(status)),
  );
  const active = [...drafts!, ...approved!].sort(
    (a, b) => Date.parse(a.originalAppointment) - Date.parse(b.originalAppointment),
  );
  const inPlay = new Set([...active, ...sent!].map((draft) => draft.dossierCode));
  const latest = new Map<string, DraftView>();
  for (const draft of withdrawn!) {
    if (inPlay.has(draft.dossierCode)) continue;
    const seen = latest.get(draft.dossierCode);
    if (!seen || String(seen.withdrawnAt ?? "") < String(draft.withdrawnAt ?? ""))
      latest.set(draft.dossierCode, draft);
  }
  return { active, withdrawn: [...latest.values()] };
}

export async function draftsView(context: DraftsContext, lists: DraftLists): Promise<HTMLElement> {
  if (lists.active.length === 0 && lists.withdrawn.length === 0) {
    return h("p", {}, "Không có thư xin lỗi chờ duyệt.");
  }
  const options = await Promise.all(
    lists.active.map((draft) =>
      draft.status === "draft" && draft.canApprove === true
        ? context.api.appointmentOptions(draft).catch((error: unknown) => {
            if (context.handled(error)) throw error;
            return undefined;
          })
        : Promise.resolve(undefined),
    ),
  );
  const list = h("div", { class: "drafts" });
  if (lists.active.length === 0) list.append(h("p", {}, "Không có thư xin lỗi chờ duyệt."));
  lists.active.forEach((draft, i) => {
    list.append(draftCard(context, draft, options[i]));
  });
  if (lists.withdrawn.length > 0) {
    list.append(h("p", { class: "subhead" }, "Thư đã rút lại, chưa có thư thay thế:"));
  }
  for (const draft of lists.withdrawn) list.append(withdrawnCard(context, draft));
  return list;
}

/** The dossier's facts every card shows, and the draft's own when given. */
function facts(draft: DraftView, ...more: [string, string][]): HTMLElement {
  const d = draft.dossier ?? {};
  const rows: [string, string | undefined][] = [
    ["Người nộp", d.applicantName],
    ["Thủ tục", d.procedureName],
    ["Đơn vị chịu trách nhiệm", draft.responsibleUnit ?? d.unitName],
    ["Ngày tiếp nhận", d.receivedAt ? formatAppointment(d.receivedAt) : undefined],
    ["Hẹn trả ban đầu", formatAppointment(d.originalAppointment ?? draft.originalAppointment)],
    ["Hạn giải quyết theo quy định", d.legalDueAt ? formatAppointment(d.legalDueAt) : undefined],
    ...more,
  ];
  const list = h("dl", { class: "facts" });
  for (const [term, value] of rows) {
    if (value === undefined || value === null || value === "") continue;
    list.append(h("div", {}, h("dt", {}, term), h("dd", {}, String(value))));
  }
  return list;
}

function heading(draft: DraftView): HTMLElement {
  return h(
    "h3",
    {},
    "Hồ sơ ",
    dossierLink(draft.dossierCode),
    " ",
    h("span", { class: `badge badge-${draft.status}` }, STATUS_LABELS[draft.status] ?? String(draft.status)),
  );
}

interface Field {
  /** The first is focused when the API refuses the field. */
  readonly controls: readonly HTMLElement[];
  readonly message: HTMLElement;
}

/** One draft waiting for approval or for sending. */
function draftCard(
  context: DraftsContext,
  initial: DraftView,
  options: AppointmentOptions | undefined,
): HTMLElement {
  let draft = initial;
  const code: string = draft.dossierCode;
  const key = `${draft.dossierCode}-${draft.id}`.replace(/[^A-Za-z0-9-]/g, "-");
  const card = h(
    "article",
    { class: "card draft", "aria-label": `Thư xin lỗi hồ sơ ${code}` },
    heading(draft),
  );
  const cardError = h("p", { class: "card-error", role: "alert" });
  const cardNote = h("p", { class: "card-note", role: "status" });
  const editable = draft.status === "draft" && draft.canApprove === true;
  const fields = new Map<FormField, Field>();

  const showError = (error: unknown) => {
    if (context.handled(error)) return;
    const located: FieldError | undefined =
      error instanceof ApiError
        ? fieldError({ code: error.code, message: error.message, details: error.details })
        : undefined;
    const field = located ? fields.get(located.field) : undefined;
    if (located && field) {
      field.message.textContent = located.message;
      field.message.hidden = false;
      for (const control of field.controls) control.setAttribute("aria-invalid", "true");
      field.controls[0]?.focus();
      return;
    }
    cardError.textContent =
      error instanceof ApiError && error.status === 409
        ? "Thư vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất."
        : (error as Error).message;
  };
  const clearErrors = () => {
    cardError.textContent = "";
    cardNote.textContent = "";
    for (const field of fields.values()) {
      field.message.textContent = "";
      field.message.hidden = true;
      for (const control of field.controls) control.removeAttribute("aria-invalid");
    }
  };

  let reason: HTMLTextAreaElement | undefined;
  let picker: AppointmentPicker | undefined;
  if (editable) {
    const reasonId = `reason-${key}`;
    reason = h("textarea", {
      id: reasonId,
      name: "reason",
      rows: "4",
      required: "",
      "aria-describedby": `${reasonId}-error`,
      placeholder: draft.reasonHint ?? "",
    });
    reason.value = draft.reason ?? "";
    const reasonMessage = h("p", { class: "field-error", id: `${reasonId}-error`, hidden: "" });
    fields.set("reason", { controls: [reason], message: reasonMessage });
    card.append(
      facts(draft),
      h("label", { for: reasonId }, "Lý do chậm trễ (bắt buộc)"),
      reason,
      reasonMessage,
    );
    const appointmentMessage = h("p", { class: "field-error", id: `appointment-${key}-error`, hidden: "" });
    if (options && offeredDays(options).length > 0) {
      picker = appointmentPicker(key, options, draft.newAppointment, appointmentMessage);
      fields.set("newAppointment", { controls: [picker.date, picker.time], message: appointmentMessage });
      card.append(picker.element);
    } else {
      card.append(
        h(
          "p",
          {},
          `Ngày hẹn mới: ${formatAppointment(draft.newAppointment)} (không tải được lịch ngày làm việc; giữ ngày đề xuất).`,
        ),
      );
    }
  } else {
    const signer = draft.signer ? `${draft.signer.title} ${draft.signer.name}` : "";
    card.append(
      facts(
        draft,
        ["Lý do chậm trễ", draft.reason ?? "(chưa có lý do)"],
        ["Ngày hẹn mới", formatAppointment(draft.newAppointment)],
        ["Người ký", signer],
      ),
    );
    if (draft.canApprove !== true) {
      card.append(h("p", { class: "note" }, "Thư này chờ lãnh đạo có thẩm quyền duyệt."));
    }
  }

  const edits = () => {
    const changed: { reason?: string; newAppointment?: string } = {};
    if (reason && reason.value.trim() !== (draft.reason ?? "")) changed.reason = reason.value.trim();
    const chosen = picker?.value();
    if (chosen !== undefined && chosen !== draft.newAppointment) changed.newAppointment = chosen;
    return changed;
  };
  /** Saves what the leader changed; false (and the message by its field) when the API refuses it. */
  const save = async (): Promise<boolean> => {
    const changed = edits();
    if (Object.keys(changed).length === 0) return true;
    try {
      draft = await context.api.edit(draft, changed);
      return true;
    } catch (error) {
      showError(error);
      return false;
    }
  };
  const requireReason = (): boolean => {
    if (reason === undefined || reason.value.trim() !== "") return true;
    showError(
      new ApiError(RULE_MESSAGES["reason-required"]!, 400, "INVALID_INPUT", {
        field: "reason",
        rule: "reason-required",
      }),
    );
    return false;
  };

  const buttons: HTMLButtonElement[] = [];
  const button = (label: string, aria: string, kind: string, run: () => Promise<void>) => {
    const node = h("button", { type: "button", class: kind, "aria-label": `${aria} ${code}` }, label);
    node.addEventListener("click", async () => {
      for (const b of buttons) b.disabled = true;
      clearErrors();
      try {
        await run();
      } catch (error) {
        showError(error);
      } finally {
        for (const b of buttons) b.disabled = false;
      }
    });
    buttons.push(node);
    return node;
  };

  const preview = async (confirm?: { label: string; run: () => Promise<void> }) => {
    const html = await context.api.letterHtml(draft);
    letterDialog(code, html, draft, confirm, showError);
  };
  const actions = h("div", { class: "actions" });
  actions.append(
    button("Xem trước thư", "Xem trước thư xin lỗi hồ sơ", "secondary", async () => {
      if (editable && !(await save())) return;
      await preview();
    }),
  );
  if (editable) {
    actions.append(
      button("Lưu chỉnh sửa", "Lưu chỉnh sửa thư xin lỗi hồ sơ", "secondary", async () => {
        const unchanged = Object.keys(edits()).length === 0;
        if (await save()) cardNote.textContent = unchanged ? "Không có gì thay đổi." : "Đã lưu chỉnh sửa.";
      }),
    );
  }
  if (draft.canApprove === true && (draft.status === "draft" || draft.status === "approved")) {
    const approving = draft.status === "draft";
    actions.append(
      button(
        approving ? "Duyệt và gửi…" : "Gửi thư…",
        approving ? "Duyệt và gửi thư xin lỗi hồ sơ" : "Gửi thư xin lỗi hồ sơ",
        "primary",
        async () => {
          if (!requireReason() || !(await save())) return;
          await preview({
            label: approving ? "Duyệt và gửi thư" : "Gửi thư",
            run: async () => {
              if (draft.status === "draft") draft = await context.api.approve(draft);
              let sent: DraftView;
              try {
                sent = await context.api.send(draft);
              } catch (error) {
                if (context.handled(error)) throw error;
                // Approved but not sent: the page shows it as such, with "Gửi thư…" to try again.
                await context.reload(
                  `Đã duyệt thư xin lỗi hồ sơ ${code} nhưng chưa gửi được: ${(error as Error).message}. Bấm "Gửi thư…" để gửi lại.`,
                );
                return;
              }
              const to = draft.dossier?.applicantName ? ` tới ${draft.dossier.applicantName}` : "";
              await context.reload(
                `Đã gửi thư xin lỗi hồ sơ ${code}${to}. Ngày hẹn mới: ${formatAppointment(sent.newAppointment ?? draft.newAppointment)}.`,
              );
            },
          });
        },
      ),
      button("Rút lại…", "Rút lại thư xin lỗi hồ sơ", "danger", async () => {
        withdrawDialog(code, async (why) => {
          await context.api.withdraw(draft, why);
          await context.reload(
            `Đã rút lại thư xin lỗi hồ sơ ${code}. Có thể mở lại dự thảo hoặc tạo dự thảo mới.`,
          );
        });
      }),
    );
  }
  card.append(actions, cardError, cardNote);
  return card;
}

/** A withdrawn draft: who withdrew it and why, and the two ways forward. */
function withdrawnCard(context: DraftsContext, draft: DraftView): HTMLElement {
  const code: string = draft.dossierCode;
  const card = h(
    "article",
    { class: "card draft", "aria-label": `Thư xin lỗi hồ sơ ${code}` },
    heading(draft),
  );
  const cardError = h("p", { class: "card-error", role: "alert" });
  card.append(
    facts(
      draft,
      ["Rút lại lúc", draft.withdrawnAt ? formatAppointment(draft.withdrawnAt) : ""],
      ["Người rút lại", draft.withdrawnBy ?? ""],
      ["Lý do rút lại", draft.withdrawalReason ?? ""],
    ),
  );
  if (draft.canApprove === true) {
    const buttons: HTMLButtonElement[] = [];
    const button = (label: string, aria: string, kind: string, run: () => Promise<void>) => {
      const node = h("button", { type: "button", class: kind, "aria-label": `${aria} ${code}` }, label);
      node.addEventListener("click", async () => {
        for (const b of buttons) b.disabled = true;
        cardError.textContent = "";
        try {
          await run();
        } catch (error) {
          if (!context.handled(error)) cardError.textContent = (error as Error).message;
        } finally {
          for (const b of buttons) b.disabled = false;
        }
      });
      buttons.push(node);
      return node;
    };
    card.append(
      h(
        "div",
        { class: "actions" },
        button("Mở lại", "Mở lại thư xin lỗi hồ sơ", "primary", async () => {
          await context.api.reopen(draft);
          await context.reload(`Đã mở lại dự thảo thư xin lỗi hồ sơ ${code}.`);
        }),
        button("Tạo dự thảo mới", "Tạo dự thảo mới: thư xin lỗi hồ sơ", "secondary", async () => {
          await context.api.createDraft(code);
          await context.reload(`Đã tạo dự thảo thư xin lỗi mới cho hồ sơ ${code}.`);
        }),
      ),
    );
  }
  card.append(cardError);
  return card;
}

interface AppointmentPicker {
  readonly element: HTMLElement;
  readonly date: HTMLSelectElement;
  readonly time: HTMLSelectElement;
  /** The chosen instant (ISO, +07:00). */
  value(): string;
}

/** Two lists, so no Sunday and no 22:00 can be chosen: the working days, then that day's office hours. */
function appointmentPicker(
  key: string,
  options: AppointmentOptions,
  current: string | undefined,
  message: HTMLElement,
): AppointmentPicker {
  const days = offeredDays(options);
  const chosen: AppointmentChoice = initialChoice(options, current)!;
  // The draft's own time stays on offer on its day even off the half hours.
  const own = current ? { date: current.slice(0, 10), time: current.slice(11, 16) } : undefined;
  const dateId = `appointment-date-${key}`;
  const timeId = `appointment-time-${key}`;
  const date = h("select", { id: dateId, name: "appointmentDate", "aria-describedby": message.id });
  const time = h("select", { id: timeId, name: "appointmentTime", "aria-describedby": message.id });
  for (const day of days) {
    const option = h("option", { value: day.date }, formatDayLong(day.date));
    option.selected = day.date === chosen.date;
    date.append(option);
  }
  const fillTimes = (wanted: string) => {
    const day = days.find((d) => d.date === date.value);
    if (day === undefined) return;
    const extra = own && own.date === day.date ? own.time : undefined;
    const slots = timeSlots(day, options.earliest, extra);
    const pick = slots.includes(wanted) ? wanted : timeOnDay(day, wanted, options.earliest);
    time.replaceChildren(
      ...slots.map((slot) => {
        const option = h("option", { value: slot }, slot);
        option.selected = slot === pick;
        return option;
      }),
    );
  };
  fillTimes(chosen.time);
  date.addEventListener("change", () => fillTimes(time.value));
  const proposed = options.proposed ? `Hệ thống đề xuất: ${formatAppointment(options.proposed)}. ` : "";
  const element = h(
    "fieldset",
    { class: "appointment" },
    h("legend", {}, "Ngày hẹn trả kết quả mới"),
    h(
      "div",
      { class: "picker" },
      h("div", {}, h("label", { for: dateId }, "Ngày (chỉ ngày làm việc)"), date),
      h("div", {}, h("label", { for: timeId }, "Giờ (trong giờ làm việc)"), time),
    ),
    h("p", { class: "note" }, `${proposed}Chỉ hiện ngày làm việc và giờ làm việc của cơ quan.`),
    message,
  );
  return { element, date, time, value: () => instantOf({ date: date.value, time: time.value }) };
}

/** A modal dialog added to the page, removed when it closes. */
function modal(label: string, ...content: (Node | string)[]): HTMLDialogElement {
  const dialog = h("dialog", { "aria-label": label }, ...content);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * The letter exactly as the API renders it. It comes from our own API and is not sanitised here;
 * the iframe is sandboxed (no scripts, no same-origin access) all the same.
 */
export function letterDialog(
  code: string,
  html: string,
  draft: DraftView,
  confirm: { label: string; run: () => Promise<void> } | undefined,
  showError: (error: unknown) => void,
): void {
  const frame = h("iframe", { sandbox: "", title: `Thư xin lỗi hồ sơ ${code}`, class: "letter" });
  frame.srcdoc = html;
  const view = h("div", { class: "letter-view" }, frame);
  const close = h("button", { type: "button", class: "secondary" }, confirm ? "Quay lại chỉnh sửa" : "Đóng");
  const footer = h("div", { class: "actions" });
  const dialog = modal(
    `Xem trước thư xin lỗi hồ sơ ${code}`,
    h("h2", {}, `Xem trước thư xin lỗi hồ sơ ${code}`),
    h(
      "p",
      { class: "note" },
      `Ngày hẹn mới: ${formatAppointment(draft.newAppointment)}. Lý do: ${draft.reason ?? "(chưa có)"}`,
    ),
    view,
    footer,
  );
  fitToWidth(view, frame);
  close.addEventListener("click", () => dialog.close());
  if (confirm) {
    const go = h("button", { type: "button", class: "primary" }, confirm.label);
    go.addEventListener("click", async () => {
      go.disabled = true;
      close.disabled = true;
      try {
        await confirm.run();
        dialog.close();
      } catch (error) {
        dialog.close();
        showError(error);
      }
    });
    footer.append(go);
  }
  footer.append(close);
}

/** The width of the letter's screen layout: its A5 page is 120 mm wide (LETTER_CSS), about 454 px. */
const LETTER_WIDTH_PX = 470;

/**
 * On a narrow screen the whole page of the letter is shown scaled down, as a PDF viewer would,
 * rather than cut at the side (pinch to zoom still works).
 */
function fitToWidth(view: HTMLElement, frame: HTMLIFrameElement): void {
  const scale = Math.min(1, view.clientWidth / LETTER_WIDTH_PX);
  if (scale >= 1) return;
  const height = view.clientHeight;
  frame.style.width = `${LETTER_WIDTH_PX}px`;
  frame.style.height = `${Math.round(height / scale)}px`;
  frame.style.transform = `scale(${scale})`;
  frame.style.transformOrigin = "0 0";
  view.style.height = `${height}px`;
}

/** "Rút lại" asks first, with an optional reason. */
function withdrawDialog(code: string, run: (reason: string) => Promise<void>): void {
  const id = `withdraw-reason-${code.replace(/[^A-Za-z0-9-]/g, "-")}`;
  const reason = h("textarea", { id, rows: "2" });
  const error = h("p", { class: "card-error", role: "alert" });
  const yes = h("button", { type: "button", class: "danger" }, "Rút lại thư");
  const no = h("button", { type: "button", class: "secondary" }, "Không rút lại");
  const dialog = modal(
    `Rút lại thư xin lỗi hồ sơ ${code}?`,
    h("h2", {}, `Rút lại thư xin lỗi hồ sơ ${code}?`),
    h("p", {}, "Thư sẽ không được gửi. Sau khi rút lại vẫn có thể mở lại hoặc tạo dự thảo mới."),
    h("label", { for: id }, "Lý do rút lại (không bắt buộc)"),
    reason,
    error,
    h("div", { class: "actions" }, yes, no),
  );
  no.addEventListener("click", () => dialog.close());
  yes.addEventListener("click", async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await run(reason.value.trim());
      dialog.close();
    } catch (failure) {
      error.textContent = (failure as Error).message;
      yes.disabled = false;
      no.disabled = false;
    }
  });
}
