/**
 * A local SMTP server that keeps every message it receives, for the developer to read at
 * `/outbox`. It accepts anything (no auth, no TLS) and listens on 127.0.0.1 only. The fake SES
 * endpoint relays to it; so can any SMTP client.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DateTime } from "luxon";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { redactText } from "../../shared/adapters/logging/redaction.ts";
import { escapeHtml, VN_ZONE } from "../../shared/letters/render/index.ts";
import { type Clock, systemClock } from "./clock.ts";

export interface CaughtMail {
  /** Local id, used in the inbox's URLs. */
  readonly id: string;
  /** Clock time of receipt (epoch ms); the runtime's clock, so sped-up runs read sensibly. */
  readonly receivedAt: number;
  readonly messageId: string | undefined;
  readonly from: string;
  /** Envelope recipients (RCPT TO), which include Bcc. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The Date header, ISO 8601, if any. */
  readonly date: string | undefined;
  readonly text: string;
  readonly html: string | undefined;
  readonly attachments: readonly { filename: string | undefined; contentType: string; size: number }[];
}

export interface MailCatcherOptions {
  readonly host?: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** Keeps messages in `<dataDir>/mail.json` across restarts when given. */
  readonly dataDir?: string;
  readonly clock?: Clock;
  /** Oldest messages are dropped beyond this. Default 1000. */
  readonly maxMessages?: number;
  /** Largest accepted message in bytes. Default 10 MiB (SES v2's limit is 40 MB; ours is a dev box). */
  readonly maxMessageBytes?: number;
  /** SMTP connection errors. Default: one line on stderr. */
  readonly onError?: (error: Error) => void;
}

export interface MailCatcher {
  readonly host: string;
  readonly port: number;
  /** Oldest first. */
  messages(): readonly CaughtMail[];
  get(id: string): CaughtMail | undefined;
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

const addressText = (value: AddressObject | AddressObject[] | undefined): string =>
  value === undefined ? "" : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(", ");

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? "127.0.0.1";
  const clock = options.clock ?? systemClock;
  const maxMessages = options.maxMessages ?? 1000;
  const file = options.dataDir === undefined ? undefined : join(options.dataDir, "mail.json");
  let mails: CaughtMail[] = file === undefined ? [] : await loadMails(file);
  const waiters = new Set<(mail: CaughtMail) => void>();
  let saving: Promise<void> = Promise.resolve();

  const save = (): Promise<void> => {
    if (file === undefined || options.dataDir === undefined) return Promise.resolve();
    const dir = options.dataDir;
    const snapshot = JSON.stringify(mails);
    saving = saving.then(async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(`${file}.tmp`, snapshot, "utf8");
      await rename(`${file}.tmp`, file);
    });
    return saving;
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: options.maxMessageBytes ?? 10 * 1024 * 1024,
    logger: false,
    banner: "dunghan local mail catcher",
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          if (stream.sizeExceeded) {
            callback(
              Object.assign(new Error("Message exceeds fixed maximum message size"), { responseCode: 552 }),
            );
            return;
          }
          const mail: CaughtMail = {
            id: randomUUID(),
            receivedAt: clock.now(),
            messageId: parsed.messageId,
            from: addressText(parsed.from) || (session.envelope.mailFrom || { address: "" }).address,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? "",
            date: parsed.date?.toISOString(),
            text: parsed.text ?? "",
            html: parsed.html === false ? undefined : parsed.html,
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              size: a.size,
            })),
          };
          mails.push(mail);
          if (mails.length > maxMessages) mails = mails.slice(-maxMessages);
          await save();
          for (const waiter of waiters) waiter(mail);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // A client's socket error must not crash the local runtime; it is reported, not thrown.
  server.on(
    "error",
    options.onError ??
      // An SMTP error may quote the recipient: masked like every log line.
      ((error: Error) => process.stderr.write(`[mail-catcher] ${redactText(error.message)}\n`)),
  );
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    messages: () => mails,
    get: (id) => mails.find((mail) => mail.id === id),
    waitFor(predicate, timeoutMs = 5000) {
      const found = mails.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<CaughtMail>((resolve, reject) => {
        const waiter = (mail: CaughtMail): void => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching e-mail within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async clear() {
      mails = [];
      await save();
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await saving;
    },
  };
}

async function loadMails(file: string): Promise<CaughtMail[]> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as CaughtMail[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Web inbox

/** "07:00 23/11/2026", in Vietnam's zone whatever the host's. */
export function formatLocalTime(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: VN_ZONE }).toFormat("HH:mm dd/MM/yyyy");
}

/**
 * Applied inside the e-mail's iframe on top of `sandbox`: no scripts, no remote loads (tracking
 * pixels, fonts), inline styles and data: images only.
 */
const MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** Headers for the local pages: no remote anything, no framing by other sites. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": `${MAIL_CSP}; frame-ancestors 'self'`,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:1rem;max-width:52rem;margin-inline:auto;line-height:1.45;color:#1b1b1b;background:#fafafa}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#0b57d0}.muted{color:#5f6368;font-size:.9rem}
ul.cards{list-style:none;padding:0;margin:0}
ul.cards li{background:#fff;border:1px solid #ddd;border-radius:.6rem;padding:.7rem .9rem;margin:.5rem 0;overflow-wrap:anywhere}
.sms-text,.mail-text{white-space:pre-wrap;margin:.4rem 0 0;font:inherit}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .8rem;margin:0}dt{color:#5f6368}dd{margin:0;overflow-wrap:anywhere}
iframe{width:100%;min-height:28rem;border:1px solid #ddd;border-radius:.6rem;background:#fff}
.tag{display:inline-block;font-size:.8rem;border:1px solid #bbb;border-radius:1rem;padding:0 .5rem;margin-inline-start:.3rem}
`;

/** A complete page: UTF-8, phone-width viewport, Vietnamese UI. `body` must already be escaped. */
export function htmlPage(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh =
    options.refreshSeconds === undefined
      ? ""
      : `<meta http-equiv="refresh" content="${Math.max(1, Math.floor(options.refreshSeconds))}">`;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The list items for e-mails, newest first, each linking to `${basePath}/<id>`. */
export function renderMailList(mails: readonly CaughtMail[], basePath: string): string {
  if (mails.length === 0) return `<p class="muted">Chưa có thư nào.</p>`;
  const items = [...mails]
    .reverse()
    .map(
      (
        mail,
      ) => `<li><a href="${escapeHtml(`${basePath}/${encodeURIComponent(mail.id)}`)}">${escapeHtml(mail.subject || "(không có chủ đề)")}</a>
<div class="muted">Gửi đến: ${escapeHtml(mail.to.join(", "))} · ${escapeHtml(formatLocalTime(mail.receivedAt))}</div></li>`,
    )
    .join("\n");
  return `<ul class="cards">\n${items}\n</ul>`;
}

/** One e-mail: headers, plain text, and the HTML body in a sandboxed iframe. */
export function renderMail(mail: CaughtMail): string {
  const rows: [string, string][] = [
    ["Chủ đề", mail.subject || "(không có chủ đề)"],
    ["Người gửi", mail.from],
    ["Người nhận", mail.to.join(", ")],
    ["Nhận lúc", formatLocalTime(mail.receivedAt)],
  ];
  if (mail.date !== undefined) rows.push(["Ngày trong thư", formatLocalTime(Date.parse(mail.date))]);
  if (mail.attachments.length > 0) {
    rows.push(["Tệp đính kèm", mail.attachments.map((a) => a.filename ?? a.contentType).join(", ")]);
  }
  const headers = rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`);
  // srcdoc is an attribute: escaping &, <, >, " and ' keeps the whole document inside it, and the
  // browser unescapes it once before parsing it as the iframe's document.
  const htmlPart =
    mail.html === undefined
      ? ""
      : `<h2>Nội dung HTML</h2>
<iframe sandbox referrerpolicy="no-referrer" title="Nội dung HTML của thư" srcdoc="${escapeHtml(
          `<meta http-equiv="Content-Security-Policy" content="${MAIL_CSP}">${mail.html}`,
        )}"></iframe>`;
  return `<dl>${headers.join("")}</dl>
${htmlPart}
<h2>Nội dung văn bản</h2>
<pre class="mail-text">${escapeHtml(mail.text)}</pre>`;
}

export interface MailInboxOptions {
  /** Where a message's page lives: `${basePath}/<id>`. Default "/outbox/mail". */
  readonly basePath?: string;
  /** Shows this message under the list. */
  readonly selectedId?: string;
  /** Link back to the combined outbox. Default "/outbox". */
  readonly backHref?: string;
}

/** The web inbox: the list of e-mails and, if one is selected, that message. */
export function renderMailInbox(mails: readonly CaughtMail[], options: MailInboxOptions = {}): string {
  const basePath = options.basePath ?? "/outbox/mail";
  const selected =
    options.selectedId === undefined ? undefined : mails.find((m) => m.id === options.selectedId);
  const back = `<p><a href="${escapeHtml(options.backHref ?? "/outbox")}">← Hộp thư đi</a></p>`;
  const shown =
    selected === undefined
      ? ""
      : `<h2>Thư đang xem</h2>
${renderMail(selected)}`;
  return htmlPage(
    selected ? `${selected.subject} — Hộp thư cục bộ` : "Hộp thư cục bộ",
    `${back}
<h1>Thư điện tử (cục bộ)</h1>
${shown}
<h2>Tất cả thư (${mails.length})</h2>
${renderMailList(mails, basePath)}`,
  );
}
