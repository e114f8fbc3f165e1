/**
 * The dashboard's small DOM kit. Every text from the API goes in as a text node (`h`'s string
 * children, `textContent`), never as HTML: the only HTML the page shows from the API is the
 * letter preview, inside a sandboxed iframe.
 */

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
