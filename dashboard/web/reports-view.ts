/**
 * The reports page (`#/bao-cao`, docs/reports.md "The dashboard's reports page"): a period (month,
 * quarter, year or custom), a breakdown (unit, procedure, field, handler), the figures a provincial
 * report quotes, and the same live data as CSV or Excel. Both choices live in the address bar, so a
 * reload or the back button keeps them. Also the leader page's 8-week chart, which marks the weeks
 * without a resolved dossier instead of joining over them.
 */
import { GRADE_LABELS } from "../../shared/reports/grades.ts";
import type { Report, ReportLine, StaffApiClient } from "./api-client.ts";
import { formatDay } from "./approval.ts";
import {
  BREAKDOWNS,
  type Breakdown,
  downloadName,
  hashOf,
  NO_DATA_TEXT,
  PERIOD_KINDS,
  type PeriodKind,
  percentText,
  periodLabel,
  type ReportPeriod,
  type ReportSelection,
  recentPeriods,
  reportRequest,
  selectionFromHash,
  switchKind,
  type WeekFigure,
  weekChart,
} from "./reports-model.ts";
import { h } from "./ui.ts";

export interface ReportsContext {
  readonly api: StaffApiClient;
  /** Today, Vietnam (YYYY-MM-DD): the default month and the pickers' newest option. */
  readonly today: string;
  /** True for the errors the app already handles (the session ran out). */
  readonly handled: (error: unknown) => boolean;
}

/** The control the person last changed: focused again once the page is drawn for the new choice. */
let lastControl: string | undefined;

/** After the page is in the document: focus what was being changed, else the page's title. */
export function focusReportsPage(): void {
  const control = lastControl === undefined ? null : document.getElementById(lastControl);
  lastControl = undefined;
  (control ?? document.getElementById("reports-title"))?.focus();
}

function choose(control: string, selection: ReportSelection): void {
  lastControl = control;
  location.hash = hashOf(selection);
}

export async function reportsPage(context: ReportsContext, hash: string): Promise<HTMLElement> {
  const selection = selectionFromHash(hash, context.today);
  const report = await context.api.reportOf(reportRequest(selection));
  const title = `Báo cáo ${BREAKDOWNS.find((b) => b.by === selection.by)!.title}, ${periodLabel(selection.period)}`;
  document.title = `${title} — dunghan`;
  return h(
    "div",
    { class: "reports-page" },
    h("a", { href: "#/", class: "back" }, "← Bảng điều hành"),
    controls(context, selection),
    h(
      "section",
      { class: "card", "aria-labelledby": "reports-title" },
      h("h2", { id: "reports-title", tabindex: "-1" }, title),
      reportTable(report, selection.by, title),
    ),
  );
}

function field(label: string, id: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return h("div", { class: "control" }, h("label", { for: id }, label), control);
}

function select(options: readonly (readonly [string, string])[], selected: string): HTMLSelectElement {
  const list = h("select");
  for (const [value, text] of options) list.append(new Option(text, value, false, value === selected));
  return list;
}

function controls(context: ReportsContext, selection: ReportSelection): HTMLElement {
  const { period } = selection;
  const kind = select(
    PERIOD_KINDS.map((k) => [k.kind, k.label] as const),
    period.kind,
  );
  kind.addEventListener("change", () =>
    choose("report-kind", { ...selection, period: switchKind(period, kind.value as PeriodKind) }),
  );
  const by = select(
    BREAKDOWNS.map((b) => [b.by, b.label] as const),
    selection.by,
  );
  by.addEventListener("change", () => choose("report-by", { ...selection, by: by.value as Breakdown }));
  const error = h("p", { class: "card-error", id: "report-error", role: "alert" });
  return h(
    "section",
    { class: "card report-controls", "aria-label": "Lựa chọn báo cáo" },
    h(
      "div",
      { class: "report-pickers" },
      field("Kỳ báo cáo", "report-kind", kind),
      ...periodFields(context, selection, error),
      field("Xem theo", "report-by", by),
    ),
    h(
      "div",
      { class: "downloads" },
      download(context, selection, "csv", error),
      download(context, selection, "xlsx", error),
    ),
    error,
  );
}

function periodFields(
  context: ReportsContext,
  selection: ReportSelection,
  error: HTMLElement,
): HTMLElement[] {
  const { period } = selection;
  if (period.kind === "custom") {
    const from = h("input", { type: "date", value: period.from, "aria-describedby": "report-error" });
    const to = h("input", { type: "date", value: period.to, "aria-describedby": "report-error" });
    const apply = (id: string) => {
      if (!from.value || !to.value || from.value > to.value) {
        error.textContent = "Chọn ngày bắt đầu không sau ngày kết thúc.";
        return;
      }
      choose(id, { ...selection, period: { kind: "custom", from: from.value, to: to.value } });
    };
    from.addEventListener("change", () => apply("report-from"));
    to.addEventListener("change", () => apply("report-to"));
    return [field("Từ ngày", "report-from", from), field("Đến ngày", "report-to", to)];
  }
  const counts = { month: 24, quarter: 12, year: 6 } as const;
  const labels = { month: "Tháng", quarter: "Quý", year: "Năm" } as const;
  const values = recentPeriods(period.kind, context.today, counts[period.kind]);
  if (!values.includes(period.value)) values.push(period.value);
  const list = select(
    values.map(
      (value) => [value, capitalise(periodLabel({ kind: period.kind, value } as ReportPeriod))] as const,
    ),
    period.value,
  );
  list.addEventListener("change", () =>
    choose(`report-${period.kind}`, { ...selection, period: { kind: period.kind, value: list.value } }),
  );
  return [field(labels[period.kind], `report-${period.kind}`, list)];
}

function download(
  context: ReportsContext,
  selection: ReportSelection,
  format: "csv" | "xlsx",
  error: HTMLElement,
): HTMLButtonElement {
  const button = h(
    "button",
    { type: "button", class: "secondary" },
    format === "csv" ? "Tải CSV" : "Tải Excel",
  );
  button.addEventListener("click", async () => {
    button.disabled = true;
    error.textContent = "";
    try {
      const blob = await context.api.reportFile(reportRequest(selection), format);
      const url = URL.createObjectURL(blob);
      const link = h("a", { href: url, download: downloadName(selection, format), hidden: "" });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      if (!context.handled(failure))
        error.textContent = `Không tải được báo cáo: ${(failure as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

const FIRST_COLUMN: Record<Breakdown, string> = {
  unit: "Đơn vị",
  procedure: "Thủ tục",
  field: "Lĩnh vực",
  handler: "Cán bộ xử lý",
};

/** The figures shown, by group, each with the line's field it reads (the e2e test compares them with the JSON). */
const GROUPS: readonly {
  readonly title: string;
  readonly columns: readonly {
    header: string;
    figure: string;
    value: (line: ReportLine) => number | null;
    rate?: true;
  }[];
}[] = [
  {
    title: "Tiếp nhận",
    columns: [
      { header: "Tổng số", figure: "toHandle", value: (l) => l.toHandle },
      { header: "Trực tuyến", figure: "receivedOnline", value: (l) => l.receivedOnline },
      { header: "Kỳ trước chuyển sang", figure: "carriedOver", value: (l) => l.carriedOver },
    ],
  },
  {
    title: "Đã giải quyết",
    columns: [
      { header: "Tổng số", figure: "resolved", value: (l) => l.resolved },
      { header: "Trước hạn", figure: "resolvedEarly", value: (l) => l.resolvedEarly },
      { header: "Đúng hạn", figure: "resolvedOnTime", value: (l) => l.resolvedOnTime },
      { header: "Quá hạn", figure: "resolvedLate", value: (l) => l.resolvedLate },
      { header: "Tỷ lệ đúng hạn", figure: "onTimeRate", value: (l) => l.onTimeRate, rate: true },
    ],
  },
  {
    title: "Đang giải quyết",
    columns: [
      // A stopped clock (awaiting a supplement, paused) is not overdue: counted in time, as Biểu số 06 does.
      { header: "Trong hạn", figure: "inProgressInTime", value: (l) => l.openAtEnd - l.inProgressOverdue },
      { header: "Quá hạn", figure: "inProgressOverdue", value: (l) => l.inProgressOverdue },
    ],
  },
];

function reportTable(report: Report, by: Breakdown, title: string): HTMLElement {
  const groupRow = h("tr", {}, h("th", { scope: "col", rowspan: "2", class: "label" }, FIRST_COLUMN[by]));
  const headerRow = h("tr");
  for (const group of GROUPS) {
    groupRow.append(
      h(
        "th",
        { scope: "colgroup", colspan: String(group.columns.length), class: "group group-start" },
        group.title,
      ),
    );
    for (const [index, column] of group.columns.entries()) {
      headerRow.append(
        h("th", { scope: "col", class: index === 0 ? "num group-start" : "num" }, column.header),
      );
    }
  }
  const body = h("tbody");
  if (report.lines.length === 0) {
    body.append(h("tr", {}, h("td", { colspan: "11", class: "empty" }, "Không có hồ sơ nào trong kỳ này.")));
  }
  for (const line of [...report.lines, report.total]) {
    const total = line === report.total;
    const row = h(
      "tr",
      { "data-key": total ? "*" : line.key, ...(total ? { class: "total" } : {}) },
      h(
        "th",
        { scope: "row", class: "label" },
        line.label,
        ...(by === "procedure" && !total ? [h("span", { class: "muted code" }, line.key)] : []),
      ),
    );
    for (const group of GROUPS) {
      for (const [index, column] of group.columns.entries()) {
        const value = column.value(line);
        const cell = h(
          "td",
          { class: index === 0 ? "num group-start" : "num", "data-figure": column.figure },
          column.rate ? percentText(value) : String(value),
        );
        if (column.rate && line.grade) {
          cell.append(" ", h("span", { class: `grade grade-${line.grade}` }, GRADE_LABELS[line.grade]));
        }
        row.append(cell);
      }
    }
    body.append(row);
  }
  const scale = report.gradeScale;
  return h(
    "div",
    {},
    h(
      "p",
      { class: "muted" },
      `Số hồ sơ đang giải quyết tính tại cuối ngày ${formatDay(report.to)}.`,
      h("span", { class: "show-sm" }, " Kéo ngang bảng để xem các cột."),
    ),
    h(
      "div",
      {
        class: "scroll report-scroll",
        tabindex: "0",
        role: "region",
        "aria-label": "Bảng số liệu (cuộn ngang)",
      },
      h(
        "table",
        { class: "report-table" },
        h("caption", { class: "sr-only" }, title),
        h("thead", {}, groupRow, headerRow),
        body,
      ),
    ),
    h(
      "p",
      { class: "note" },
      "Tổng số tiếp nhận gồm hồ sơ mới và hồ sơ kỳ trước chuyển sang. Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết, so với hạn theo quy định. Đang giải quyết trong hạn gồm cả hồ sơ chờ bổ sung, tạm dừng.",
    ),
    h(
      "p",
      { class: "note" },
      `Xếp loại: Xanh ≥ ${percentText(scale.green)}, Vàng ≥ ${percentText(scale.yellow)}, Cam ≥ ${percentText(scale.orange)}, dưới đó Đỏ${scale.source ? ` (${scale.source})` : ""}.`,
    ),
  );
}

// --- the leader page's 8-week chart ------------------------------------------------------------

export function weekChartFigure(weeks: readonly WeekFigure[]): HTMLElement {
  const model = weekChart(weeks);
  const width = 320;
  const height = 140;
  const x = (i: number) => 40 + (i * (width - 60)) / Math.max(1, weeks.length - 1);
  // 0 % well above the week labels: the marks of the weeks without data sit between them.
  const y = (rate: number) => 10 + (1 - rate) * (height - 50);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Tỷ lệ đúng hạn theo tuần — ${model.summary}`);
  const add = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  for (const level of [0, 0.5, 1]) {
    add("line", { x1: 30, x2: width - 10, y1: y(level), y2: y(level), class: "axis" });
    add("text", { x: 0, y: y(level) + 4, class: "tick" }, `${level * 100}%`);
  }
  for (const run of model.runs) {
    if (run.length > 1) {
      add("polyline", { points: run.map((i) => `${x(i)},${y(weeks[i]!.rate!)}`).join(" "), class: "line" });
    }
  }
  weeks.forEach((w, i) => {
    if (w.rate !== null) add("circle", { cx: x(i), cy: y(w.rate), r: 3, class: "dot" });
    add(
      "text",
      { x: x(i), y: height - 8, class: "tick", "text-anchor": "middle" },
      formatDay(w.to).slice(0, 5),
    );
  });
  for (const i of model.empty) {
    // A hollow mark on the axis band with a tooltip: no resolved dossier, so no rate that week.
    const mark = add("g", { class: "no-data", "data-week": weeks[i]!.to });
    const ring = document.createElementNS(ns, "circle");
    for (const [name, value] of Object.entries({ cx: x(i), cy: height - 24, r: 4 }))
      ring.setAttribute(name, String(value));
    const tip = document.createElementNS(ns, "title");
    tip.textContent = `Tuần đến ${formatDay(weeks[i]!.to)}: ${NO_DATA_TEXT}`;
    mark.append(tip, ring);
  }
  const notes: HTMLElement[] = [];
  if (model.empty.length > 0) {
    notes.push(
      h(
        "p",
        { class: "note no-data-note" },
        `○ ${model.empty.length === weeks.length ? "Cả 8 tuần" : `Tuần đến ${model.empty.map((i) => formatDay(weeks[i]!.to).slice(0, 5)).join(", ")}`}: ${NO_DATA_TEXT} (không có tỷ lệ; đường không nối qua).`,
      ),
    );
  }
  return h(
    "figure",
    {},
    svg as unknown as HTMLElement,
    ...notes,
    h("figcaption", { class: "note" }, "Mỗi điểm: hồ sơ giải quyết trong tuần kết thúc ngày ghi dưới."),
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
