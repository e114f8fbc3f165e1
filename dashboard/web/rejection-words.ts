/**
 * The words of the rejections view (./rejections-view.ts): the event types, the rules that refuse
 * an event and the kinds of refusal, in Vietnamese. No DOM here, so it is unit-tested in Node.
 */
import type { RejectionView } from "./api-client.ts";

/** The event types of the e-one-stop feed, as the one-stop desk names them. */
export const EVENT_TYPE_TEXT: Readonly<Record<string, string>> = {
  received: "Tiếp nhận hồ sơ",
  assigned: "Phân công xử lý",
  transferred: "Chuyển liên thông",
  "supplement-requested": "Yêu cầu bổ sung",
  "supplement-received": "Nhận hồ sơ bổ sung",
  paused: "Tạm dừng tính thời gian",
  resumed: "Tiếp tục tính thời gian",
  "apology-issued": "Thư xin lỗi, hẹn lại",
  "result-ready": "Có kết quả",
  returned: "Trả kết quả",
  rejected: "Từ chối giải quyết",
  withdrawn: "Công dân rút hồ sơ",
  stopped: "Dừng giải quyết",
  "alert-acknowledged": "Đã xem cảnh báo",
};

/** Each rule the dossier's event set is checked against (shared/dossier/decide.ts), in words. */
export const REFUSAL_RULE_TEXT: Readonly<Record<string, string>> = {
  "once:received": "Hồ sơ này đã được tiếp nhận trước đó: mỗi hồ sơ chỉ tiếp nhận một lần.",
  "once:apology-issued": "Hồ sơ này đã có thư xin lỗi: mỗi hồ sơ chỉ được xin lỗi và hẹn lại một lần.",
  "once:result-ready": "Hồ sơ này đã có kết quả trước đó.",
  "once:returned": "Kết quả của hồ sơ này đã được trả trước đó.",
  "once:closure": "Hồ sơ này đã bị từ chối, rút hoặc dừng giải quyết trước đó.",
  "after-received": "Thời điểm của sự kiện ở trước khi hồ sơ được tiếp nhận.",
  "one-ending": "Hồ sơ không thể vừa có kết quả vừa bị từ chối, rút hoặc dừng giải quyết.",
  "nothing-after-end": "Sự kiện đến sau khi hồ sơ đã kết thúc.",
  "returned-after-ready": "Kết quả được trả trước khi có kết quả.",
};

/** What a refusal's error code says when it names no rule of its own. */
const ERROR_TEXT: Readonly<Record<string, string>> = {
  INVALID_INPUT: "Dữ liệu của sự kiện không hợp lệ.",
  UNSUPPORTED_DATE: "Ngày của sự kiện nằm ngoài lịch làm việc đã có.",
  CONFLICT: "Sự kiện mâu thuẫn với dữ liệu đã lưu của hồ sơ.",
  NOT_FOUND: "Không tìm thấy dữ liệu mà sự kiện nhắc tới.",
};

/** The reason in words: the rule's, else the error code's, else the code itself. */
export function refusalText(rejection: Pick<RejectionView, "rule" | "errorCode">): string {
  const byRule = rejection.rule === undefined ? undefined : REFUSAL_RULE_TEXT[rejection.rule];
  return byRule ?? ERROR_TEXT[rejection.errorCode] ?? `Bị từ chối (${rejection.errorCode}).`;
}

/** Which kind of rule refused it: a check of the event itself, or a conflict with what is stored. */
export function refusalKind(errorCode: string): { readonly key: string; readonly text: string } {
  if (errorCode === "CONFLICT") return { key: "conflict", text: "Xung đột dữ liệu" };
  if (errorCode === "INVALID_INPUT" || errorCode === "UNSUPPORTED_DATE") {
    return { key: "validation", text: "Không hợp lệ" };
  }
  return { key: "other", text: "Khác" };
}
