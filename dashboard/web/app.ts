/**
 * The dashboard (docs/reports.md), in the browser: plain TypeScript over the staff API, bundled by esbuild
 * (./page.ts). The same script runs behind CloudFront on AWS and on the local stack; `config.json`
 * says where the API and the OAuth 2.0 server are (./config.ts). Sign-in is the Authorization
 * Code grant with PKCE (./oauth.ts): Cognito's managed login on AWS, the local account picker on
 * this machine. The ID token is kept in sessionStorage (this tab only) and sent as Bearer.
 */
import type { Group } from "../../shared/app/actor.ts";
import { GRADE_LABELS, type Grade } from "../../shared/reports/grades.ts";
import { type DashboardConfig, parseDashboardConfig } from "../config.ts";
import { ApiError, type DossierListItem, type Report, StaffApiClient } from "./api-client.ts";
import { formatDay } from "./approval.ts";
import { dossierCodeOf, dossierLink, dossierPage, formatInstant } from "./dossier-view.ts";
import { draftsView, loadDrafts } from "./drafts-view.ts";
import {
  authorizeUrl,
  jwtClaims,
  logoutUrl,
  newPendingSignIn,
  type PendingSignIn,
  readTokenResponse,
  type Tokens,
  tokenRequest,
} from "./oauth.ts";
import { isRejectionsRoute, REJECTIONS_HASH, rejectionsPage } from "./rejections-view.ts";
import { isReportsRoute } from "./reports-model.ts";
import { focusReportsPage, reportsPage, weekChartFigure } from "./reports-view.ts";
import { h } from "./ui.ts";

interface Account {
  readonly id: string;
  readonly name: string;
  readonly role: Group;
}

const SESSION = "dunghan.session";
const PENDING = "dunghan.signin";
/** A token this close to its expiry is not sent: the request could outlive it. */
const EXPIRY_MARGIN_MS = 60_000;
/** A sign-in that comes back with a token the API refuses within this time is not retried. */
const RETRY_GUARD_MS = 120_000;
const root = document.getElementById("app") as HTMLElement;
const status = document.getElementById("status") as HTMLElement;
let config: DashboardConfig;

function say(text: string): void {
  status.textContent = text;
}

function stored<T>(key: string): T | undefined {
  const text = sessionStorage.getItem(key);
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** The ID token while it is valid; undefined once it is (nearly) expired. */
function session(): Tokens | undefined {
  const tokens = stored<Tokens>(SESSION);
  return tokens && tokens.expiresAt - EXPIRY_MARGIN_MS > Date.now() ? tokens : undefined;
}

class SessionExpiredError extends Error {}

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const tokens = session();
  if (!tokens) return expired();
  const response = await fetch(`${config.apiBaseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      authorization: `Bearer ${tokens.idToken}`,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) return expired();
  if (!response.ok) throw ApiError.of(response.status, await response.json().catch(() => undefined));
  return response;
}

const api = new StaffApiClient({
  json: async (method, path, body) => (await request(method, path, body)).json(),
  text: async (path) => (await request("GET", path)).text(),
  blob: async (path) => (await request("GET", path)).blob(),
});

/**
 * The token ran out (or the API refused it): sign in again. Unless a sign-in just came back —
 * then the sign-in card is shown instead of bouncing between the page and the sign-in page.
 */
function expired(): never {
  sessionStorage.removeItem(SESSION);
  const last = stored<PendingSignIn>(PENDING);
  if (last && Date.now() - last.startedAt < RETRY_GUARD_MS) {
    showSignIn("Không đăng nhập được: máy chủ không chấp nhận phiên đăng nhập.");
  } else {
    say("Phiên đăng nhập đã hết hạn, đang chuyển tới trang đăng nhập…");
    void signIn();
  }
  throw new SessionExpiredError("Phiên đăng nhập đã hết hạn.");
}

async function signIn(): Promise<void> {
  const pending = newPendingSignIn(Date.now());
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  location.assign(await authorizeUrl(config.auth, pending));
}

/** Back from the sign-in page with `?code=…&state=…` (or `?error=…`): redeem the code. */
async function finishSignIn(params: URLSearchParams): Promise<void> {
  // The code must not stay in the address bar or the history.
  history.replaceState(null, "", location.pathname);
  const pending = stored<PendingSignIn>(PENDING);
  const error = params.get("error");
  if (error) throw new Error(`Đăng nhập không thành công (${error}).`);
  const code = params.get("code");
  if (!pending || !code || params.get("state") !== pending.state) {
    throw new Error("Yêu cầu đăng nhập không hợp lệ hoặc đã dùng, vui lòng đăng nhập lại.");
  }
  // Keep `startedAt` (the retry guard) but make the verifier and state unusable a second time.
  sessionStorage.setItem(PENDING, JSON.stringify({ ...pending, state: "", verifier: "" }));
  const response = await fetch(
    `${config.auth.domain}/oauth2/token`,
    tokenRequest(config.auth, code, pending),
  );
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`Đăng nhập không thành công (${body?.error ?? response.status}).`);
  sessionStorage.setItem(SESSION, JSON.stringify(readTokenResponse(body, Date.now())));
}

function signOut(): void {
  sessionStorage.removeItem(SESSION);
  sessionStorage.removeItem(PENDING);
  location.assign(logoutUrl(config.auth));
}

function showSignIn(message?: string): void {
  const button = h("button", { type: "button" }, "Đăng nhập");
  button.addEventListener("click", () => {
    button.disabled = true;
    signIn().catch((error: Error) => say(error.message));
  });
  root.replaceChildren(
    h(
      "section",
      { class: "card", "aria-label": "Đăng nhập" },
      h("h2", {}, "Đăng nhập"),
      h("p", {}, "Đăng nhập bằng tài khoản cán bộ để xem bảng điều hành."),
      button,
    ),
  );
  say(message ?? "");
}

const roleName = (role: string) =>
  ({ leader: "Lãnh đạo", handler: "Cán bộ xử lý", admin: "Quản trị" })[role] ?? role;

/** Who signed in, from the ID token's claims (the API applies the same precedence: admin, leader, handler). */
function accountOf(idToken: string): Account {
  const claims = jwtClaims(idToken);
  const raw = claims["cognito:groups"];
  const groups = Array.isArray(raw) ? raw.map(String) : [];
  const role =
    (["admin", "leader", "handler"] as const satisfies readonly Group[]).find((group) =>
      groups.includes(group),
    ) ?? "handler";
  const name = [claims.name, claims["cognito:username"]].find((v) => typeof v === "string" && v !== "");
  // The official's id in the one-stop system, which the events' handler ids use; else the subject.
  const staffId = claims["custom:staffId"];
  const id = typeof staffId === "string" && staffId !== "" ? staffId : String(claims.sub);
  return { id, name: (name as string | undefined) ?? "Cán bộ", role };
}

/** "Now" as the API's instants write it (+07:00): the local stack's clock, or this browser's. */
async function currentInstant(): Promise<string> {
  if (config.clockUrl) return String((await (await fetch(config.clockUrl)).json()).versions.clock);
  return `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}

/** What the leader just did, shown above the page once it has loaded again. */
let notice: string | undefined;

async function show(): Promise<void> {
  const tokens = session();
  if (!tokens) return showSignIn();
  const account = accountOf(tokens.idToken);
  const out = h("button", { type: "button", class: "secondary" }, "Đăng xuất");
  out.addEventListener("click", signOut);
  // The admin's own page: the events the e-one-stop system sent that were refused.
  const adminNav =
    account.role === "admin"
      ? [
          h(
            "nav",
            { "aria-label": "Quản trị" },
            h("a", { href: REJECTIONS_HASH, class: "nav-link" }, "Sự kiện bị từ chối"),
          ),
        ]
      : [];
  const header = h(
    "div",
    { class: "who" },
    h("span", {}, `${account.name} — ${roleName(account.role)}`),
    ...adminNav,
    out,
  );
  const done = notice;
  notice = undefined;
  const banner = done
    ? h("section", { class: "notice", "aria-label": "Kết quả thao tác", tabindex: "-1" }, done)
    : undefined;
  const code = dossierCodeOf(location.hash);
  const rejections = code === undefined && isRejectionsRoute(location.hash);
  const reports =
    code === undefined && !rejections && account.role !== "handler" && isReportsRoute(location.hash);
  const main = h("div", { class: code === undefined && !rejections && !reports ? "grid" : "" });
  root.replaceChildren(header, ...(banner ? [banner] : []), main);
  say("Đang tải…");
  try {
    const now = await currentInstant();
    if (code !== undefined) {
      main.append(await dossierPage({ api, leader: account.role !== "handler", handled }, code));
      document.title = `Hồ sơ ${code} — dunghan`;
    } else if (rejections) {
      main.append(await rejectionsPage({ api, handled, say }));
      document.title = "Sự kiện bị từ chối — dunghan";
    } else if (reports) {
      main.append(await reportsPage({ api, today: now.slice(0, 10), handled }, location.hash));
    } else {
      document.title = "Bảng điều hành — dunghan";
      if (account.role === "handler") await handlerView(main);
      else await leaderView(main, now);
    }
    say(`Cập nhật lúc ${formatInstant(now)}`);
    // The outcome is read out where it is shown, once; a dossier's page is announced by its title.
    if (banner) banner.focus();
    else if (code !== undefined) document.getElementById("dossier-title")?.focus();
    else if (rejections) document.getElementById("rejections-title")?.focus();
    else if (reports) focusReportsPage();
  } catch (error) {
    if (!(error instanceof SessionExpiredError)) say((error as Error).message);
  }
}

const handled = (error: unknown) => error instanceof SessionExpiredError;

// ---------------------------------------------------------------------------------------------
// Leader
// ---------------------------------------------------------------------------------------------

async function leaderView(main: HTMLElement, now: string): Promise<void> {
  const today = now.slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;
  // Every page of each list: for a unit leader the API scopes them to the unit.
  // Overdue and due soon are the API's classes (the domain's rule: one working day), each list
  // answered by the server's index.
  const [byUnit, overdue, soon, weeks, drafts] = await Promise.all([
    api.report(monthStart, today, "unit"),
    api.dossiers({ due: "overdue" }),
    api.dossiers({ due: "soon" }),
    Promise.all(
      [7, 6, 5, 4, 3, 2, 1, 0].map(async (i) => {
        const to = addDays(today, -7 * i);
        const report = await api.report(addDays(to, -6), to, "agency");
        return { to, rate: report.total.onTimeRate, resolved: report.total.resolved };
      }),
    ),
    loadDrafts(api),
  ]);
  const context = {
    api,
    reload: async (text: string) => {
      notice = text;
      await show();
    },
    handled,
  };
  const apologies = section("Thư xin lỗi chờ duyệt", await draftsView(context, drafts));
  apologies.classList.add("wide");
  main.append(
    apologies,
    section("Hồ sơ quá hạn", dossierList(overdue, "Không có hồ sơ quá hạn.")),
    section("Hồ sơ sắp đến hạn (1 ngày làm việc)", dossierList(soon, "Không có hồ sơ sắp đến hạn.")),
    section("Tỷ lệ giải quyết đúng hạn theo đơn vị", unitTable(byUnit, monthStart, today)),
    section("Tỷ lệ đúng hạn 8 tuần gần đây", weekChartFigure(weeks)),
  );
}

function unitTable(report: Report, from: string, to: string): HTMLElement {
  const table = h(
    "table",
    {},
    h("caption", {}, `Từ ${formatDay(from)} đến ${formatDay(to)}`),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Đơn vị"),
        h("th", { scope: "col" }, "Đã giải quyết"),
        h("th", { scope: "col" }, "Đúng hạn"),
        h("th", { scope: "col" }, "Xếp loại"),
      ),
    ),
  );
  const body = h("tbody");
  for (const line of [...report.lines, report.total]) {
    const grade: Grade | null = line.grade;
    body.append(
      h(
        "tr",
        line === report.total ? { class: "total" } : {},
        h("th", { scope: "row" }, line.label),
        h("td", { class: "num" }, String(line.resolved)),
        h("td", { class: "num", "data-testid": `rate-${line.key}` }, percent(line.onTimeRate)),
        h("td", {}, grade ? h("span", { class: `grade grade-${grade}` }, GRADE_LABELS[grade]) : "—"),
      ),
    );
  }
  table.append(body);
  const scale = report.gradeScale;
  return h(
    "div",
    { class: "scroll" },
    table,
    h(
      "p",
      { class: "note" },
      `Xanh ≥ ${percent(scale.green)}, vàng ≥ ${percent(scale.yellow)}, cam ≥ ${percent(scale.orange)}, dưới đó đỏ${scale.source ? ` (${scale.source})` : " (ngưỡng tạm của dunghan)"}.`,
    ),
    h("p", {}, h("a", { href: "#/bao-cao", class: "more" }, "Xem báo cáo theo kỳ, tải CSV, Excel →")),
  );
}

function dossierList(rows: readonly DossierListItem[], empty: string): HTMLElement {
  if (rows.length === 0) return h("p", {}, empty);
  const list = h("ul", { class: "dossiers" });
  for (const row of rows) {
    list.append(
      h(
        "li",
        {},
        h("strong", {}, dossierLink(row.dossierCode)),
        h("span", {}, row.summary.procedureName ?? ""),
        h("span", { class: "due" }, `Hạn: ${row.dueAt ? formatInstant(row.dueAt) : "đang dừng tính"}`),
        ...(row.timeLeft ? [h("span", { class: "left" }, row.timeLeft)] : []),
      ),
    );
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Handler
// ---------------------------------------------------------------------------------------------

/** Rows per page of "Hồ sơ của tôi" (the server pages it, soonest due first). */
const MINE_PAGE = 20;

async function handlerView(main: HTMLElement): Promise<void> {
  // The server lists the caller's own (their staff id), one page at a time, soonest legal due
  // instant first: the most urgent first; those whose clock is stopped come last.
  const first = await api.dossierPage({ mine: true, limit: MINE_PAGE });
  if (first.items.length === 0 && first.cursor === undefined) {
    main.append(section("Hồ sơ của tôi", h("p", {}, "Không có hồ sơ đang xử lý.")));
    return;
  }
  const body = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "secondary" }, "Xem thêm hồ sơ");
  let shown = 0;
  let cursor = first.cursor;
  const add = (rows: readonly DossierListItem[]) => {
    for (const row of rows) body.append(mineRow(row));
    shown += rows.length;
    count.textContent = cursor === undefined ? `${shown} hồ sơ.` : `Đang hiện ${shown} hồ sơ, còn nữa.`;
    more.hidden = cursor === undefined;
  };
  add(first.items);
  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const page = await api.dossierPage({ mine: true, limit: MINE_PAGE }, cursor);
      cursor = page.cursor;
      add(page.items);
    } catch (error) {
      if (!handled(error)) say((error as Error).message);
    } finally {
      more.disabled = false;
    }
  });
  main.append(
    section(
      "Hồ sơ của tôi (gấp nhất trước)",
      h(
        "div",
        {},
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, "Mã hồ sơ"),
                h("th", { scope: "col", class: "hide-sm" }, "Thủ tục"),
                h("th", { scope: "col" }, "Bước tiếp theo"),
                h("th", { scope: "col", class: "hide-sm" }, "Hạn xử lý"),
                h("th", { scope: "col" }, "Thời gian còn lại"),
              ),
            ),
            body,
          ),
        ),
        count,
        more,
      ),
    ),
  );
}

const TIMELINESS_TEXT: Readonly<Record<string, string>> = {
  "qua-han": "Quá hạn",
  "sap-den-han": "Sắp đến hạn",
  "trong-han": "Trong hạn",
};

function mineRow(row: DossierListItem): HTMLElement {
  // The legal due instant: the one the remaining time counts to (an apology moves only the appointment).
  const cls = row.timeliness ?? "stopped";
  const step = row.summary.stepTask ?? "—";
  const due = row.dueAt ? formatInstant(row.dueAt) : "đang dừng tính";
  const stepDue = row.summary.stepDueAt ? `hạn bước ${formatInstant(row.summary.stepDueAt)}` : "";
  return h(
    "tr",
    { class: `mine-${cls}${row.timeliness === "qua-han" ? " overdue" : ""}` },
    h("th", { scope: "row" }, dossierLink(row.dossierCode)),
    h("td", { class: "hide-sm" }, row.summary.procedureName ?? ""),
    h("td", {}, step, ...(stepDue ? [h("br"), h("span", { class: "muted" }, stepDue)] : [])),
    h("td", { class: "hide-sm" }, due),
    h(
      "td",
      {},
      h("span", { class: `flag flag-${cls}` }, TIMELINESS_TEXT[cls] ?? "Đang dừng tính"),
      h("br"),
      row.timeLeft ?? "",
      // On a phone the due column is folded in here.
      h("span", { class: "show-sm muted" }, h("br"), `hạn ${due}`),
    ),
  );
}

// ---------------------------------------------------------------------------------------------

function section(title: string, content: HTMLElement): HTMLElement {
  return h("section", { class: "card", "aria-label": title }, h("h2", {}, title), content);
}

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined
    ? "—"
    : `${(rate * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 })}%`;
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

async function start(): Promise<void> {
  config = parseDashboardConfig(await (await fetch("config.json", { cache: "no-cache" })).json());
  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error")) {
    try {
      await finishSignIn(params);
    } catch (error) {
      return showSignIn((error as Error).message);
    }
  }
  // A dossier's page and back: the same page, read again for the route in the address bar.
  window.addEventListener("hashchange", () => void show());
  await show();
}

void start().catch((error: Error) => say(error.message));
