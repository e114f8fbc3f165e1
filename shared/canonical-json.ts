/**
 * JSON with sorted keys (and, as JSON.stringify does, without undefined members): equal data gives
 * equal text whatever the key order. How stored state, listings, agenda entries and announcements
 * are compared, in the app and in the adapters alike.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
