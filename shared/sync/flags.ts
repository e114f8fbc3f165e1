/**
 * What the sync noticed and did not turn into an event: a fact for an admin or a report
 * (docs/dvcqg-mapping.md, "Flags"). Never carries personal data.
 */
export const SYNC_FLAG_RULES = [
  /** `MaTTHC` is not in the catalogue: the allotment was taken from `NgayHenTra`. */
  "unknown-procedure",
  /** The catalogue's time limit and the sender's `NgayHenTra` give different due dates. */
  "appointment-disagrees-with-catalogue",
  /** `NgayHenTra` moved with no supplement restart and no apology to explain it. */
  "appointment-moved",
  /** `NgayKetThucXuLy` moved after a finish was recorded (e.g. to the appointment): the first is kept. */
  "finish-rewritten",
  /** A fact already recorded was sent again with other content: the first is kept. */
  "changed-after-sync",
  /** A fact the payload dates nowhere: dated at the latest instant of the record. */
  "instant-inferred",
  /** The dossier says 9 (finished) while its progress rows show a stop (TD collapses 5, 6, 8 into 9). */
  "status-collapsed",
  /** A phone or e-mail the edge refuses: left out of the applicant's contact. */
  "contact-dropped",
] as const;
export type SyncFlagRule = (typeof SYNC_FLAG_RULES)[number];

export interface SyncFlag {
  readonly rule: SyncFlagRule;
  readonly dossierCode: string;
  readonly agencyId: string;
  /** `MaTTHC`, when the record names one (reports group discrepancies per agency and procedure). */
  readonly procedureCode?: string;
  /** Non-personal details: instants (ISO, +07:00), field names, amounts. */
  readonly details: Readonly<Record<string, string | number | boolean>>;
}
