/**
 * The staff API as the dashboard calls it, typed with the API's own response types
 * (shared/app/api-types.ts: the return types of the use cases the routes call). No DOM here:
 * the requests go through a `Transport` (app.ts: fetch with the signed-in token), so this module
 * is type-checked with the server code too and unit-tested without a browser.
 */
import type {
  ApiErrorBody,
  ApologyStatus,
  AppointmentOptions,
  DossierListItem,
  DossierListPage,
  DossierView,
  DraftPage,
  DraftView,
  OpenStatus,
  RejectionPage,
  Report,
} from "../../shared/app/api-types.ts";
import type { ReportDimension } from "../../shared/reports/index.ts";

export type {
  ApologyStatus,
  AppointmentOptions,
  DossierListItem,
  DossierListPage,
  DossierView,
  DraftView,
  OpenStatus,
  RejectionPage,
  RejectionView,
  Report,
  ReportLine,
} from "../../shared/app/api-types.ts";

/** How a request reaches the API: a JSON body back, a text body (the letter's HTML) or a file. */
export interface Transport {
  json(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<unknown>;
  text(path: string): Promise<string>;
  /** A download (a report as CSV or XLSX): the API needs the token, so no plain link can fetch it. */
  blob?(path: string): Promise<Blob>;
}

/** A refusal from the API (`{error: {code, message, details}}`), its code and details kept. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly details: unknown;

  constructor(message: string, status: number, code?: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** From a refused response's status and body (whatever it holds). */
  static of(status: number, body: unknown): ApiError {
    const error = (body as Partial<ApiErrorBody> | undefined)?.error;
    return new ApiError(error?.message ?? `Lỗi ${status}`, status, error?.code, error?.details);
  }
}

/** `GET /dossiers` filters, answered by the server (one index Query per page). */
export interface DossierFilter {
  readonly status?: OpenStatus;
  /** Past the legal due instant, or due within one working day (the domain's "sắp đến hạn"). */
  readonly due?: "overdue" | "soon";
  /** The caller's own (their staff id). */
  readonly mine?: boolean;
  readonly handler?: string;
  readonly unit?: string;
  /** Page size (the client reads every page). */
  readonly limit?: number;
}

export function dossierListPath(filter: DossierFilter): string {
  const query = new URLSearchParams();
  query.set("status", filter.status ?? "in-progress");
  if (filter.due !== undefined) query.set("due", filter.due);
  if (filter.mine === true) query.set("mine", "1");
  if (filter.handler !== undefined) query.set("handler", filter.handler);
  if (filter.unit !== undefined) query.set("unit", filter.unit);
  query.set("limit", String(filter.limit ?? 200));
  return `/dossiers?${query}`;
}

interface AnyPage<T> {
  readonly items: readonly T[];
  readonly cursor?: string | undefined;
}

/**
 * Every page of a list: a page may come back short, even empty, with a cursor when the API
 * filters it to the caller's scope (a unit leader's dossiers), so the cursor, not the page's size,
 * says whether more follow. The path already has a query string.
 */
export async function allPages<T>(get: (path: string) => Promise<AnyPage<T>>, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(cursor === undefined ? path : `${path}&cursor=${encodeURIComponent(cursor)}`);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}

const enc = encodeURIComponent;

/** `GET /reports`: a named period (2026-11, 2026-Q4, 2026) or from–to, and the breakdown. */
export interface ReportRequest {
  readonly period?: string;
  readonly from?: string;
  readonly to?: string;
  readonly by: ReportDimension;
}

export function reportPath(request: ReportRequest, format?: "csv" | "xlsx"): string {
  const query = new URLSearchParams();
  if (request.period !== undefined) query.set("period", request.period);
  if (request.from !== undefined) query.set("from", request.from);
  if (request.to !== undefined) query.set("to", request.to);
  query.set("by", request.by);
  if (format !== undefined) query.set("format", format);
  return `/reports?${query}`;
}

/** Where a draft's routes live. */
export function draftPath(draft: Pick<DraftView, "dossierCode" | "id">): string {
  return `/dossiers/${enc(draft.dossierCode)}/apologies/${enc(draft.id)}`;
}

export interface DraftEdits {
  readonly reason?: string;
  readonly newAppointment?: string;
}

/** One method per route the dashboard uses, each typed with what that route answers. */
export class StaffApiClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The single place a body is read as the route's type: the API's own declared response. */
  async #json<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
    return (await this.#transport.json(method, path, body)) as T;
  }

  /** Every open dossier the filter selects, soonest due first, all pages. */
  dossiers(filter: DossierFilter = {}): Promise<DossierListItem[]> {
    return allPages((path) => this.#json<DossierListPage>("GET", path), dossierListPath(filter));
  }

  /** One page of the filter's dossiers, soonest due first; `cursor` from the page before. */
  dossierPage(filter: DossierFilter, cursor?: string): Promise<DossierListPage> {
    const path = dossierListPath(filter);
    return this.#json("GET", cursor === undefined ? path : `${path}&cursor=${enc(cursor)}`);
  }

  dossier(code: string): Promise<DossierView> {
    return this.#json("GET", `/dossiers/${enc(code)}`);
  }

  report(from: string, to: string, by: ReportDimension): Promise<Report> {
    return this.#json("GET", reportPath({ from, to, by }));
  }

  reportOf(request: ReportRequest): Promise<Report> {
    return this.#json("GET", reportPath(request));
  }

  /** The same report as a file (CSV or XLSX), read live from the counters. */
  reportFile(request: ReportRequest, format: "csv" | "xlsx"): Promise<Blob> {
    if (!this.#transport.blob) throw new Error("this client cannot download files");
    return this.#transport.blob(reportPath(request, format));
  }

  /** Every apology draft of the caller's scope in one status. */
  drafts(status: ApologyStatus, limit = 100): Promise<DraftView[]> {
    return allPages(
      (path) => this.#json<DraftPage>("GET", path),
      `/apologies?status=${status}&limit=${limit}`,
    );
  }

  /** Every apology draft of one dossier (leaders). */
  async dossierDrafts(code: string): Promise<DraftView[]> {
    return [...(await this.#json<{ items: DraftView[] }>("GET", `/dossiers/${enc(code)}/apologies`)).items];
  }

  createDraft(dossierCode: string): Promise<DraftView> {
    return this.#json("POST", `/dossiers/${enc(dossierCode)}/apologies`, {});
  }

  appointmentOptions(draft: DraftView): Promise<AppointmentOptions> {
    return this.#json("GET", `${draftPath(draft)}/appointment-options`);
  }

  edit(draft: DraftView, edits: DraftEdits): Promise<DraftView> {
    return this.#json("PATCH", draftPath(draft), edits);
  }

  approve(draft: DraftView): Promise<DraftView> {
    return this.#json("POST", `${draftPath(draft)}/approve`, {});
  }

  send(draft: DraftView): Promise<DraftView> {
    return this.#json("POST", `${draftPath(draft)}/send`, {});
  }

  withdraw(draft: DraftView, reason?: string): Promise<DraftView> {
    return this.#json("POST", `${draftPath(draft)}/withdraw`, reason ? { reason } : {});
  }

  reopen(draft: DraftView): Promise<DraftView> {
    return this.#json("POST", `${draftPath(draft)}/reopen`, {});
  }

  /** One page of the agency's refused events, newest first (admins). */
  rejections(
    page: { readonly limit?: number; readonly cursor?: string | undefined } = {},
  ): Promise<RejectionPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set("limit", String(page.limit));
    if (page.cursor !== undefined) query.set("cursor", page.cursor);
    const text = query.toString();
    return this.#json("GET", text === "" ? "/rejections" : `/rejections?${text}`);
  }

  /** The letter as the API renders it (HTML). */
  letterHtml(draft: DraftView): Promise<string> {
    return this.#transport.text(`${draftPath(draft)}/letter`);
  }
}
