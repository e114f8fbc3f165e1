import { escapeHtml, formatDateTimeShortVi, formatNumberVi, nfc, toVietnamTime } from "../render/index.ts";
import { APOLOGY_STATUS_LABELS } from "./glossary.ts";
import type { DigestRow } from "./notice-data.ts";

const CLOCK_STOPPED_LABELS = { paused: "tạm dừng", "awaiting-supplement": "chờ bổ sung" } as const;

export interface DigestSummary {
  readonly total: number;
  readonly overdueCount: number;
  readonly dueSoonCount: number;
  readonly pendingApprovalCount: number;
  /** The most overdue dossier, if any is overdue. */
  readonly worst: DigestRow | undefined;
}

/** Most overdue first, then soonest due, then by code so the order is stable. */
export function sortDigestRows(rows: readonly DigestRow[]): DigestRow[] {
  return [...rows].sort(
    (a, b) =>
      b.daysOverdue - a.daysOverdue ||
      toVietnamTime(a.dueAt).toMillis() - toVietnamTime(b.dueAt).toMillis() ||
      a.dossierCode.localeCompare(b.dossierCode),
  );
}

export function summarizeDigest(rows: readonly DigestRow[]): DigestSummary {
  const sorted = sortDigestRows(rows);
  const overdue = sorted.filter((r) => r.daysOverdue > 0);
  return {
    total: sorted.length,
    overdueCount: overdue.length,
    dueSoonCount: sorted.length - overdue.length,
    pendingApprovalCount: sorted.filter((r) => r.apologyStatus === "draft").length,
    worst: overdue[0],
  };
}

const COLUMNS = ["Mã hồ sơ", "Thủ tục", "Người xử lý", "Hạn xử lý", "Số ngày quá hạn", "Xin lỗi"] as const;

function cells(row: DigestRow): string[] {
  return [
    row.dossierCode,
    nfc(row.procedureName),
    nfc(row.handlerName),
    formatDateTimeShortVi(row.dueAt),
    (row.daysOverdue > 0 ? formatNumberVi(row.daysOverdue, 1) : "-") +
      (row.clockStopped ? ` (${CLOCK_STOPPED_LABELS[row.clockStopped]})` : ""),
    APOLOGY_STATUS_LABELS[row.apologyStatus],
  ];
}

const TH = 'style="border:1px solid #999;padding:4px 6px;background:#eee;text-align:left"';
const TD = 'style="border:1px solid #999;padding:4px 6px;vertical-align:top"';
const TD_OVERDUE =
  'style="border:1px solid #999;padding:4px 6px;vertical-align:top;color:#b00020;font-weight:bold"';

/** The digest table for e-mail, sorted by urgency; inline styles because mail clients drop <style>. */
export function renderDigestTableHtml(rows: readonly DigestRow[]): string {
  const head = `<tr>${COLUMNS.map((c) => `<th ${TH}>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = sortDigestRows(rows).map((row) => {
    const tds = cells(row).map(
      (c, i) => `<td ${i === 4 && row.daysOverdue > 0 ? TD_OVERDUE : TD}>${escapeHtml(c)}</td>`,
    );
    return `<tr>${tds.join("")}</tr>`;
  });
  return [
    '<table style="border-collapse:collapse;font-size:13px">',
    `<thead>${head}</thead>`,
    `<tbody>\n${body.join("\n")}\n</tbody>`,
    "</table>",
  ].join("\n");
}

/** The digest table as numbered plain-text entries (fixed-width columns break with Vietnamese names). */
export function renderDigestTableText(rows: readonly DigestRow[]): string {
  return sortDigestRows(rows)
    .map((row, i) => {
      const [code, procedure, handler, due, overdue, apology] = cells(row);
      return `${i + 1}. ${code} | ${procedure} | ${handler} | hạn ${due} | quá hạn: ${overdue} | xin lỗi: ${apology}`;
    })
    .join("\n");
}
