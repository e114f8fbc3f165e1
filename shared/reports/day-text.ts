/** A local day as reports print it: "2026-11-26" → "26/11/2026". */
export function dayText(isoDay: string): string {
  return `${isoDay.slice(8, 10)}/${isoDay.slice(5, 7)}/${isoDay.slice(0, 4)}`;
}
