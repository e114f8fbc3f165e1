import type { WorkingTime } from "../../calendar/index.ts";
import type { DossierEvent, DossierState, Organisation } from "../../dossier/index.ts";
import type { ProcedureCatalogue } from "../catalogue.ts";
import type { SyncFlag } from "../flags.ts";
import type { SyncRecord } from "./payload.ts";

/** What the mapper needs besides the record. */
export interface MapContext {
  readonly catalogue: ProcedureCatalogue;
  readonly workingTime: WorkingTime;
  /** The dossier as dunghan holds it before this record (for re-sends, moved dates, rewrites). */
  readonly previous?: DossierState | undefined;
  /** The envelope's `madonvi`, when it named one. */
  readonly madonvi?: string | undefined;
  /**
   * Which agency (and receiving unit) a dossier belongs to. Default: the envelope's `madonvi`,
   * else the dossier's `DonViXuLy`, as both id and name (docs/dvcqg-mapping.md, "Agencies").
   */
  readonly agencyOf?:
    | ((hoSo: { madonvi?: string; donViXuLy?: string }) => AgencyOfDossier | undefined)
    | undefined;
  /**
   * The consent to assume for the payload's phone and e-mail, per agency: the payload carries no
   * consent (docs/dvcqg-mapping.md, "Contacts"). Default: none (no citizen notice is sent).
   */
  readonly consentFor?:
    | ((agencyId: string) => { readonly sms: boolean; readonly email: boolean })
    | undefined;
}

export interface AgencyOfDossier {
  readonly agency: Organisation;
  readonly unit: Organisation;
}

export type MapResult =
  | {
      readonly ok: true;
      readonly dossierCode: string;
      readonly agencyId: string;
      readonly events: DossierEvent[];
      readonly flags: SyncFlag[];
    }
  | {
      readonly ok: false;
      readonly index: number;
      readonly maHoSo?: string;
      /** Names the field and the rule, never a value (it may be a phone number). */
      readonly reason: string;
      readonly rule: string;
    };

/**
 * Maps one record of the national sync payload to dunghan's events (docs/dvcqg-mapping.md).
 * Pure and deterministic: the same record and context give the same events with the same ids.
 */
export function mapSyncRecord(record: SyncRecord, ctx: MapContext): MapResult {
  void record;
  void ctx;
  throw new Error("not implemented");
}
