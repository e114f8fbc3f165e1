import { localEpochDay, parseIsoDate } from "../calendar/local-date.ts";

/**
 * The one-stop rules a dossier falls under, by the date it was received (law as data, docs/law.md):
 * Nghị định 61/2018/NĐ-CP (amended by NĐ 107/2021/NĐ-CP) with its forms in Thông tư 01/2018/TT-VPCP
 * for dossiers received until 30/06/2025; Nghị định 118/2025/NĐ-CP, which replaces it from
 * 01/07/2025, with the forms of Thông tư 03/2025/TT-VPCP. Messages and errors that cite the law
 * take their citation from here, never a fixed "NĐ 61/2018".
 *
 * The apology duty is NĐ 61/2018 Art. 19(9) ("không quá một lần"); the article of NĐ 118/2025 that
 * restates it was not confirmed from the official text (provinces restate the duty), so its
 * citation names the decree without an article rather than guess one.
 */
export interface LegalBasis {
  /** First local date of reception (inclusive), YYYY-MM-DD. */
  readonly since: string;
  /** Last local date of reception (inclusive), or null while in force. */
  readonly until: string | null;
  readonly decree: string;
  readonly circular: string;
  /** How messages cite the apology duty (once only, no later than one day before due). */
  readonly apologyCitation: string;
  readonly source: string;
}

export const LEGAL_BASES: readonly LegalBasis[] = [
  {
    since: "2018-06-21",
    until: "2025-06-30",
    decree: "NĐ 61/2018/NĐ-CP",
    circular: "TT 01/2018/TT-VPCP",
    apologyCitation: "NĐ 61/2018 Art. 19(9)",
    source: "Nghị định 61/2018/NĐ-CP (sửa đổi bởi NĐ 107/2021/NĐ-CP), hiệu lực 21/06/2018 – 30/06/2025",
  },
  {
    since: "2025-07-01",
    until: null,
    decree: "NĐ 118/2025/NĐ-CP",
    circular: "TT 03/2025/TT-VPCP",
    apologyCitation: "NĐ 118/2025",
    source: "Nghị định 118/2025/NĐ-CP (sửa đổi bởi NĐ 367/2025/NĐ-CP), hiệu lực từ 01/07/2025",
  },
];

const BOUNDS = LEGAL_BASES.map((basis) => ({ basis, since: parseIsoDate(basis.since) }));

/** The rules for a dossier received at `receivedAt` (epoch ms), read as a Vietnam local date; earlier dates get the first. */
export function legalBasisFor(receivedAt: number): LegalBasis {
  const day = localEpochDay(receivedAt);
  let found = BOUNDS[0]!.basis;
  for (const bound of BOUNDS) if (day >= bound.since) found = bound.basis;
  return found;
}
