/**
 * The local SMS outbox: every SMS the fake SNS endpoint accepts, append-only, in memory and
 * optionally in a JSON Lines file. `/outbox` lists these and the caught e-mails.
 *
 * Phone numbers appear on this page (the developer's own machine) but never in a log line.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname } from "node:path";
import { countSegments, type SmsEncoding } from "../../shared/letters/notices/index.ts";
import { escapeHtml } from "../../shared/letters/render/index.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { ZaloRecord } from "./fake-zalo.ts";
import {
  type CaughtMail,
  formatLocalTime,
  htmlPage,
  type MailCatcher,
  PAGE_HEADERS,
  renderMailInbox,
  renderMailList,
} from "./mail-catcher.ts";

export interface SmsRecord {
  /** The MessageId returned to the sender. */
  readonly id: string;
  /** Clock time (epoch ms) the SMS was accepted. */
  readonly at: number;
  readonly to: string;
  readonly text: string;
  readonly senderId: string | undefined;
  readonly smsType: string | undefined;
  readonly encoding: SmsEncoding;
  readonly segments: number;
}

export interface SmsToRecord {
  readonly to: string;
  readonly text: string;
  readonly senderId?: string | undefined;
  readonly smsType?: string | undefined;
  readonly id?: string;
}

export interface SmsOutboxOptions {
  /** JSON Lines file the outbox appends to and reloads from. */
  readonly file?: string;
  readonly clock?: Clock;
}

export class SmsOutbox {
  readonly #records: SmsRecord[];
  readonly #file: string | undefined;
  readonly #clock: Clock;
  readonly #waiters = new Set<(record: SmsRecord) => void>();

  private constructor(records: SmsRecord[], options: SmsOutboxOptions) {
    this.#records = records;
    this.#file = options.file;
    this.#clock = options.clock ?? systemClock;
    if (this.#file !== undefined) mkdirSync(dirname(this.#file), { recursive: true });
  }

  /** An outbox, reloaded from `options.file` when it exists. */
  static async open(options: SmsOutboxOptions = {}): Promise<SmsOutbox> {
    return new SmsOutbox(options.file === undefined ? [] : await loadLines(options.file), options);
  }

  /** An in-memory outbox, for tests. */
  static inMemory(clock?: Clock): SmsOutbox {
    return new SmsOutbox([], clock === undefined ? {} : { clock });
  }

  record(sms: SmsToRecord): SmsRecord {
    const count = countSegments(sms.text);
    const record: SmsRecord = {
      id: sms.id ?? randomUUID(),
      at: this.#clock.now(),
      to: sms.to,
      text: sms.text,
      senderId: sms.senderId,
      smsType: sms.smsType,
      encoding: count.encoding,
      segments: count.segments,
    };
    // Synchronous on purpose: the record is on disk before the sender hears "accepted".
    if (this.#file !== undefined) appendFileSync(this.#file, `${JSON.stringify(record)}\n`, "utf8");
    this.#records.push(record);
    for (const waiter of this.#waiters) waiter(record);
    return record;
  }

  /** Oldest first. */
  list(): readonly SmsRecord[] {
    return this.#records;
  }

  /** Resolves with the first SMS (already recorded or still to come) that matches. */
  waitFor(predicate: (record: SmsRecord) => boolean, timeoutMs = 5000): Promise<SmsRecord> {
    const found = this.#records.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<SmsRecord>((resolve, reject) => {
      const waiter = (record: SmsRecord): void => {
        if (!predicate(record)) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`No matching SMS within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

async function loadLines(file: string): Promise<SmsRecord[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as SmsRecord);
}

// ---------------------------------------------------------------------------------------------
// The /outbox page

const ENCODING_LABEL: Readonly<Record<SmsEncoding, string>> = {
  gsm7: "không dấu (GSM-7)",
  ucs2: "có dấu (UCS-2)",
};

function renderSmsList(records: readonly SmsRecord[]): string {
  if (records.length === 0) return `<p class="muted">Chưa có tin nhắn nào.</p>`;
  const items = [...records]
    .reverse()
    .map(
      (sms) => `<li><div><strong>${escapeHtml(sms.to)}</strong>${
        sms.senderId === undefined
          ? ` <span class="tag">thiếu thương hiệu</span>`
          : ` <span class="tag">${escapeHtml(sms.senderId)}</span>`
      }</div>
<div class="muted">${escapeHtml(formatLocalTime(sms.at))} · ${sms.segments} tin · ${escapeHtml(ENCODING_LABEL[sms.encoding])}</div>
<p class="sms-text">${escapeHtml(sms.text)}</p></li>`,
    )
    .join("\n");
  return `<ul class="cards">\n${items}\n</ul>`;
}

function renderZaloList(records: readonly ZaloRecord[]): string {
  if (records.length === 0) return `<p class="muted">Chưa có tin Zalo nào.</p>`;
  const items = [...records]
    .reverse()
    .map(
      (
        zns,
      ) => `<li><div><strong>${escapeHtml(zns.phone)}</strong> <span class="tag">mẫu ${escapeHtml(zns.templateId)}</span></div>
<div class="muted">${escapeHtml(formatLocalTime(zns.at))} · ${escapeHtml(zns.trackingId)}</div>
<dl class="sms-text">${Object.entries(zns.templateData)
        .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
        .join("")}</dl></li>`,
    )
    .join("\n");
  return `<ul class="cards">\n${items}\n</ul>`;
}

export interface OutboxPageInput {
  readonly sms: readonly SmsRecord[];
  /** Zalo ZNS messages the local stand-in accepted (fake-zalo.ts), when Zalo is on. */
  readonly zalo?: readonly ZaloRecord[];
  readonly emails: readonly CaughtMail[];
  /** Where one e-mail is shown: `${mailBasePath}/<id>`. Default "/outbox/mail". */
  readonly mailBasePath?: string;
  /** Reloads the page every n seconds (handy while a sped-up clock runs). */
  readonly refreshSeconds?: number;
  /** What the messages cost (shown above the lists). */
  readonly cost?: OutboxCost;
}

/** The local outbox: SMS (sender ID, segments, encoding) and e-mails, newest first. */
export function renderOutboxPage(input: OutboxPageInput): string {
  const options = input.refreshSeconds === undefined ? {} : { refreshSeconds: input.refreshSeconds };
  const cost = input.cost === undefined ? "" : renderCost(input.cost);
  return htmlPage(
    "Hộp thư đi (cục bộ)",
    `<h1>Hộp thư đi (cục bộ)</h1>
<p class="muted">Tin nhắn và thư do hệ thống gửi trên máy này; không có gì được gửi ra ngoài.</p>
${cost}${input.zalo === undefined ? "" : `<h2>Tin Zalo ZNS (${input.zalo.length})</h2>\n${renderZaloList(input.zalo)}\n`}<h2>Tin nhắn SMS (${input.sms.length})</h2>
${renderSmsList(input.sms)}
<h2>Thư điện tử (${input.emails.length})</h2>
${renderMailList(input.emails, input.mailBasePath ?? "/outbox/mail")}`,
    options,
  );
}

/** Prices of one message per channel, VND (an SMS: per segment). */
export type MessagePrices = Readonly<Partial<Record<"zalo" | "sms" | "email", number>>>;

export interface OutboxCost {
  readonly zalo: { readonly messages: number; readonly vnd: number | null };
  readonly sms: { readonly messages: number; readonly segments: number; readonly vnd: number | null };
  readonly email: { readonly messages: number; readonly vnd: number | null };
  /** Null when a channel that sent something has no price. */
  readonly totalVnd: number | null;
}

/** What the messages in the outbox cost at `prices` (docs/deploy.md, the cost model). */
export function outboxCost(
  input: {
    readonly sms: readonly SmsRecord[];
    readonly zalo?: readonly unknown[];
    readonly emails: readonly unknown[];
  },
  prices: MessagePrices,
): OutboxCost {
  const priced = (count: number, price: number | undefined) =>
    price === undefined ? (count === 0 ? 0 : null) : count * price;
  const segments = input.sms.reduce((sum, sms) => sum + sms.segments, 0);
  const zalo = { messages: input.zalo?.length ?? 0, vnd: priced(input.zalo?.length ?? 0, prices.zalo) };
  const sms = { messages: input.sms.length, segments, vnd: priced(segments, prices.sms) };
  const email = { messages: input.emails.length, vnd: priced(input.emails.length, prices.email) };
  const parts = [zalo.vnd, sms.vnd, email.vnd];
  return {
    zalo,
    sms,
    email,
    totalVnd: parts.some((vnd) => vnd === null)
      ? null
      : parts.reduce<number>((sum, vnd) => sum + (vnd ?? 0), 0),
  };
}

function renderCost(cost: OutboxCost): string {
  const vnd = (value: number | null) => (value === null ? "—" : `${value.toLocaleString("vi-VN")} đ`);
  return `<h2>Chi phí ước tính</h2>
<table><thead><tr><th>Kênh</th><th>Số tin</th><th>Chi phí</th></tr></thead><tbody>
<tr><td>Zalo ZNS</td><td>${cost.zalo.messages}</td><td>${vnd(cost.zalo.vnd)}</td></tr>
<tr><td>SMS</td><td>${cost.sms.messages} (${cost.sms.segments} phần)</td><td>${vnd(cost.sms.vnd)}</td></tr>
<tr><td>Thư điện tử</td><td>${cost.email.messages}</td><td>${vnd(cost.email.vnd)}</td></tr>
<tr><th>Tổng</th><td></td><th>${vnd(cost.totalVnd)}</th></tr></tbody></table>
`;
}

export interface OutboxRoutesOptions {
  readonly outbox: SmsOutbox;
  readonly mailCatcher: MailCatcher;
  /** The local ZNS stand-in, when Zalo is on: its messages are listed first. */
  readonly zalo?: { list(): readonly ZaloRecord[] };
  /** Prices per channel: the page and `/outbox.json` then say what the messages cost. */
  readonly prices?: MessagePrices;
  /** Default "/outbox". */
  readonly basePath?: string;
  /** Default 10; 0 turns the reload off. */
  readonly refreshSeconds?: number;
}

/**
 * A request handler for the local HTTP server: GET `/outbox` (page), `/outbox/mail/<id>` (one
 * e-mail), `/outbox.json` (both lists, for e2e tests). Returns false for any other path.
 */
export function createOutboxRoutes(
  options: OutboxRoutesOptions,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  const base = options.basePath ?? "/outbox";
  const refresh = options.refreshSeconds ?? 10;
  return (request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    if (path === base || path === `${base}/`) {
      response.writeHead(200, PAGE_HEADERS);
      const lists = {
        sms: options.outbox.list(),
        ...(options.zalo === undefined ? {} : { zalo: options.zalo.list() }),
        emails: options.mailCatcher.messages(),
      };
      response.end(
        renderOutboxPage({
          ...lists,
          ...(options.prices === undefined ? {} : { cost: outboxCost(lists, options.prices) }),
          mailBasePath: `${base}/mail`,
          ...(refresh > 0 ? { refreshSeconds: refresh } : {}),
        }),
      );
      return true;
    }
    if (path === `${base}.json`) {
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
      });
      const lists = {
        sms: options.outbox.list(),
        ...(options.zalo === undefined ? {} : { zalo: options.zalo.list() }),
        emails: options.mailCatcher.messages(),
      };
      response.end(
        JSON.stringify({
          ...lists,
          ...(options.prices === undefined ? {} : { cost: outboxCost(lists, options.prices) }),
        }),
      );
      return true;
    }
    const prefix = `${base}/mail/`;
    if (path.startsWith(prefix)) {
      const id = safeDecode(path.slice(prefix.length));
      const mails = options.mailCatcher.messages();
      if (id === undefined || !mails.some((mail) => mail.id === id)) {
        response.writeHead(404, PAGE_HEADERS);
        response.end(
          htmlPage(
            "Không tìm thấy",
            `<h1>Không tìm thấy thư</h1><p><a href="${escapeHtml(base)}">← Hộp thư đi</a></p>`,
          ),
        );
        return true;
      }
      response.writeHead(200, PAGE_HEADERS);
      response.end(renderMailInbox(mails, { basePath: `${base}/mail`, selectedId: id, backHref: base }));
      return true;
    }
    return false;
  };
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
