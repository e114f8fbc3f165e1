/// <reference lib="dom" />
/**
 * The dashboard's small DOM kit. Every text from the API goes in as a text node (`h`'s string
 * children, `textContent`), never as HTML: the only HTML the page shows from the API is the
 * letter preview, inside a sandboxed iframe.
 */

// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
export type Json = any;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
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
}

/** The signed-in API, as the leader's views use it. */
export interface StaffApi {
  call(method: string, path: string, body?: unknown): Promise<Json>;
  /** A text body (the letter's HTML). */
  text(path: string): Promise<string>;
  /** Every page of a list (`items`, then `cursor` while more may follow). */
  all(path: string): Promise<Json[]>;
}

/**
 * Every page of a list: a page may come back short, even empty, with a cursor when the API
 * filters it to the caller's scope (a unit leader's dossiers), so the cursor, not the page's size,
 * says whether more follow. The path already has a query string.
 */
export async function allPages(get: (path: string) => Promise<Json>, path: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(cursor === undefined ? path : `${path}&cursor=${encodeURIComponent(cursor)}`);
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return items;
}
