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

/** What each dossier's block shows, in order. */
const LABELS = ["Mã hồ sơ", "Thủ tục", "Người xử lý", "Hạn xử lý", "Số ngày quá hạn", "Xin lỗi"] as const;

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

const BLOCK = 'style="border:1px solid #999;border-left-width:4px;padding:6px 10px;margin:0 0 10px 0"';
const BLOCK_OVERDUE =
  'style="border:1px solid #999;border-left:4px solid #b00020;padding:6px 10px;margin:0 0 10px 0"';
const HEAD = 'style="margin:0 0 4px 0;font-weight:bold;word-break:break-word"';
const LINE = 'style="margin:0"';
const OVERDUE = 'style="color:#b00020;font-weight:bold"';

/**
 * The digest for e-mail, sorted by urgency: one block per dossier (code and procedure, then one
 * labelled line per fact), so a phone 390 px wide reads it without a table squeezing each column
 * to one word a line. Inline styles: mail clients drop <style>. An overdue dossier says so in
 * words as well as in red (its left edge and its figure).
 */
export function renderDigestBlocksHtml(rows: readonly DigestRow[]): string {
  const e = escapeHtml;
  const blocks = sortDigestRows(rows).map((row) => {
    const [code, procedure, handler, due, overdue, apology] = cells(row) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const late = row.daysOverdue > 0;
    const line = (label: string, value: string, style = "") =>
      `<p ${LINE}>${e(label)}: ${style ? `<span ${style}>${e(value)}</span>` : e(value)}</p>`;
    return [
      `<div ${late ? BLOCK_OVERDUE : BLOCK}>`,
      `<p ${HEAD}>${e(code)} · ${e(procedure)}</p>`,
      line(LABELS[2], handler),
      line(LABELS[3], due),
      line(LABELS[4], overdue, late ? OVERDUE : ""),
      line(LABELS[5], apology),
      "</div>",
    ].join("\n");
  });
  return `<div style="font-size:15px;max-width:640px">\n${blocks.join("\n")}\n</div>`;
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
