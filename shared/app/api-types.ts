/**
 * The staff API's bodies as `functions/api.ts` sends them, named once for its clients (the
 * dashboard's typed client, dashboard/web/api-client.ts): each is the return type of the use
 * case the route calls, so a change to a use case's result is a compile error in the client.
 */

export type { InProgressStatus } from "../dossier/index.ts";
export type { ApologyStatus, AppointmentOptions } from "../letters/apology/index.ts";
export type { Report, ReportLine } from "../reports/index.ts";
export type { DraftPage, DraftView } from "./apology-drafts.ts";
export type {
  DossierListItem,
  DossierListPage,
  DossierListSummary,
  DossierView,
  ListQuery as DossierListQuery,
} from "./dossier-lookup.ts";
export type { OpenStatus } from "./dossier-records.ts";
export type { RejectionPage, RejectionView } from "./rejections.ts";

/** A refusal (4xx, 5xx): `{error: {code, message, details}}` (functions/http-errors.ts). */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}
