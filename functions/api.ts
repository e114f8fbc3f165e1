import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import * as z from "zod";
import type { Actor } from "../shared/app/actor.ts";
import type { ApologyDrafts } from "../shared/app/apology-drafts.ts";
import type { CalendarAdmin } from "../shared/app/calendar-admin.ts";
import type { CatalogueAdmin } from "../shared/app/catalogue-admin.ts";
import type { DirectoryAdmin } from "../shared/app/directory-admin.ts";
import type { DossierLookup } from "../shared/app/dossier-lookup.ts";
import { OPEN_STATUSES } from "../shared/app/dossier-records.ts";
import { MAX_DRAFT_PAGE_SIZE } from "../shared/app/ports.ts";
import { MAX_REJECTION_PAGE_SIZE, type Rejections } from "../shared/app/rejections.ts";
import type { Reports } from "../shared/app/reports.ts";
import { discrepancyCsv, type SyncDiscrepancies } from "../shared/app/sync-discrepancies.ts";
import { IsoDateSchema } from "../shared/calendar/index.ts";
import { DossierCodeSchema } from "../shared/dossier/index.ts";
import { NotFoundError } from "../shared/errors.ts";
import { APOLOGY_STATUSES } from "../shared/letters/apology/index.ts";
import {
  type DateRange,
  parsePeriod,
  REPORT_DIMENSIONS,
  XLSX_CONTENT_TYPE,
} from "../shared/reports/index.ts";
import { HUMAN_ROUTES, routeKey, type StaffRouteKey } from "./api-routes.ts";
import { composeApi } from "./composition-root.ts";
import { httpErrors, json, optionalJsonBody } from "./http-errors.ts";
import { lambdaEntry } from "./lambda.ts";
import { actorFromEvent, parseInput } from "./request.ts";

export interface ApiDeps {
  readonly lookup: DossierLookup;
  readonly apologies: ApologyDrafts;
  readonly calendarAdmin: CalendarAdmin;
  readonly catalogueAdmin: CatalogueAdmin;
  readonly directoryAdmin: DirectoryAdmin;
  readonly reports: Reports;
  readonly rejections: Rejections;
  readonly discrepancies: SyncDiscrepancies;
  readonly logger: Logger;
}

interface ApiRequest {
  readonly actor: Actor;
  readonly path: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}
type Route = (request: ApiRequest) => Promise<APIGatewayProxyStructuredResultV2>;

const Code = z.object({ code: DossierCodeSchema });
const Draft = Code.extend({ draftId: z.string().min(1).max(100) });
const Year = z.object({ year: z.coerce.number().int().min(2014).max(2199) });
const Agency = z.object({ agencyId: z.string().min(1).max(100) });
const StaffRef = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^#]+$/, "must not contain #");
const ListQuery = z
  .object({
    status: z.enum(OPEN_STATUSES).default("in-progress"),
    // `overdue=true` is the older spelling of `due=overdue`.
    overdue: z.enum(["true", "false"]).optional(),
    due: z.enum(["overdue", "soon"]).optional(),
    handler: StaffRef.optional(),
    mine: z.enum(["1", "true"]).optional(),
    unit: StaffRef.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    cursor: z.string().optional(),
  })
  .transform(({ overdue, due, mine, ...rest }) => ({
    ...rest,
    ...(due !== undefined ? { due } : overdue === "true" ? { due: "overdue" as const } : {}),
    ...(mine === undefined ? {} : { mine: true }),
  }));
const DraftListQuery = z.object({
  // Default: the drafts waiting for a leader's approval.
  status: z.enum(APOLOGY_STATUSES).default("draft"),
  limit: z.coerce.number().int().min(1).max(MAX_DRAFT_PAGE_SIZE).optional(),
  cursor: z.string().min(1).max(2048).optional(),
});
// null is "no change", as an absent field (a draft's reason is null until a person writes it).
const Edits = z
  .strictObject({ reason: z.string().nullish(), newAppointment: z.string().nullish() })
  .transform(({ reason, newAppointment }) => ({
    ...(reason == null ? {} : { reason }),
    ...(newAppointment == null ? {} : { newAppointment }),
  }));
const Withdrawal = z.strictObject({ reason: z.string().optional() });
const RejectionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_REJECTION_PAGE_SIZE).optional(),
  cursor: z.string().min(1).max(2048).optional(),
});
const DiscrepancyQuery = z.object({
  from: IsoDateSchema,
  to: IsoDateSchema,
  format: z.enum(["json", "csv"]).default("json"),
});
const LetterQuery = z.object({ format: z.enum(["html", "docx"]).default("html") });
const LocalDay = IsoDateSchema;
/** `from` and `to`, or a named `period` (2026-11, 2026-Q4, 2026, a day) instead of both. */
const Period = z
  .object({ from: LocalDay.optional(), to: LocalDay.optional(), period: z.string().max(20).optional() })
  .transform(({ from, to, period }, context): DateRange => {
    if (period !== undefined && from === undefined && to === undefined) {
      try {
        return parsePeriod(period);
      } catch (error) {
        context.addIssue({ code: "custom", path: ["period"], message: (error as Error).message });
        return z.NEVER;
      }
    }
    if (period === undefined && from !== undefined && to !== undefined) return { from, to };
    context.addIssue({ code: "custom", message: "give from and to, or period (2026-11, 2026-Q4, 2026)" });
    return z.NEVER;
  });
// Both XLSX are one sheet from shared/reports/xlsx-lite.ts: exceljs would triple every bundle.
const Format = z.object({ format: z.enum(["json", "csv", "xlsx"]).default("json") });
const ReportQuery = z.object({ by: z.enum(REPORT_DIMENSIONS).default("agency") }).extend(Format.shape);
const Bieu06Query = Format;

/**
 * One handler per staff route of the table in api-routes.ts, no more, no fewer (the type says so);
 * functions/README.md lists who may call each.
 */
function routes(deps: ApiDeps): { readonly [K in StaffRouteKey]: Route } {
  const {
    lookup,
    apologies,
    calendarAdmin,
    catalogueAdmin,
    directoryAdmin,
    reports,
    rejections,
    discrepancies,
  } = deps;
  const draft = (path: ApiRequest["path"]) => parseInput(Draft, path, "path");
  return {
    "GET /dossiers": async ({ actor, query }) => {
      return json(200, await lookup.list(actor, parseInput(ListQuery, query, "query")));
    },
    "GET /dossiers/{code}": async ({ actor, path }) =>
      json(200, await lookup.get(actor, parseInput(Code, path, "path").code)),
    "GET /apologies": async ({ actor, query }) =>
      json(200, await apologies.listForAgency(actor, parseInput(DraftListQuery, query, "query"))),
    "GET /dossiers/{code}/apologies": async ({ actor, path }) =>
      json(200, { items: await apologies.list(actor, parseInput(Code, path, "path").code) }),
    "POST /dossiers/{code}/apologies": async ({ actor, path }) =>
      json(201, await apologies.create(actor, parseInput(Code, path, "path").code)),
    "GET /dossiers/{code}/apologies/{draftId}": async ({ actor, path }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.get(actor, code, draftId));
    },
    "GET /dossiers/{code}/apologies/{draftId}/letter": async ({ actor, path, query }) => {
      const { code, draftId } = draft(path);
      const { format } = parseInput(LetterQuery, query, "query");
      const blob = await apologies.letter(actor, code, draftId, format);
      const headers: Record<string, string> = { "content-type": blob.contentType };
      if (format === "html")
        return { statusCode: 200, headers, body: Buffer.from(blob.body).toString("utf8") };
      headers["content-disposition"] = `attachment; filename="${draftId}.docx"`;
      return {
        statusCode: 200,
        headers,
        body: Buffer.from(blob.body).toString("base64"),
        isBase64Encoded: true,
      };
    },
    "PATCH /dossiers/{code}/apologies/{draftId}": async ({ actor, path, body }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.edit(actor, code, draftId, parseInput(Edits, body ?? {}, "body")));
    },
    "POST /dossiers/{code}/apologies/{draftId}/approve": async ({ actor, path, body }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.approve(actor, code, draftId, parseInput(Edits, body ?? {}, "body")));
    },
    "POST /dossiers/{code}/apologies/{draftId}/send": async ({ actor, path }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.send(actor, code, draftId));
    },
    "POST /dossiers/{code}/apologies/{draftId}/withdraw": async ({ actor, path, body }) => {
      const { code, draftId } = draft(path);
      const { reason } = parseInput(Withdrawal, body ?? {}, "body");
      return json(200, await apologies.withdraw(actor, code, draftId, reason));
    },
    "POST /dossiers/{code}/apologies/{draftId}/reopen": async ({ actor, path }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.reopen(actor, code, draftId));
    },
    "GET /dossiers/{code}/apologies/{draftId}/appointment-options": async ({ actor, path }) => {
      const { code, draftId } = draft(path);
      return json(200, await apologies.appointmentOptions(actor, code, draftId));
    },
    "GET /reports": async ({ actor, query }) => {
      const period = parseInput(Period, query, "query");
      const { by, format } = parseInput(ReportQuery, query, "query");
      const report = await reports.report(actor, { ...period, by });
      if (format === "json") return json(200, report);
      const name = `bao-cao-${by}-${period.from}-${period.to}.${format}`;
      return format === "csv" ? csvFile(name, reports.csv(report)) : xlsxFile(name, reports.xlsx(report));
    },
    "GET /reports/bieu-06": async ({ actor, query }) => {
      const period = parseInput(Period, query, "query");
      const { format } = parseInput(Bieu06Query, query, "query");
      const form = await reports.bieu06(actor, period);
      if (format === "json") return json(200, form);
      const name = `bieu-06-${period.from}-${period.to}.${format}`;
      return format === "csv"
        ? csvFile(name, reports.bieu06Csv(form))
        : xlsxFile(name, reports.bieu06Xlsx(form));
    },
    "GET /rejections": async ({ actor, query }) =>
      json(200, await rejections.list(actor, parseInput(RejectionListQuery, query, "query"))),
    "GET /calendar/{year}": async ({ actor, path }) =>
      json(200, await calendarAdmin.get(actor, parseInput(Year, path, "path").year)),
    "PUT /calendar/{year}": async ({ actor, path, body }) =>
      json(202, await calendarAdmin.put(actor, parseInput(Year, path, "path").year, body)),
    "GET /catalogue": async ({ actor }) => json(200, await catalogueAdmin.get(actor)),
    "PUT /catalogue": async ({ actor, body }) => json(200, await catalogueAdmin.put(actor, body)),
    "GET /sync/discrepancies": async ({ actor, query }) => {
      const { format, ...period } = parseInput(DiscrepancyQuery, query, "query");
      const report = await discrepancies.report(actor, period);
      if (format === "json") return json(200, report);
      return csvFile(`sai-lech-dong-bo-${period.from}-${period.to}.csv`, discrepancyCsv(report));
    },
    "GET /directory/{agencyId}": async ({ actor, path }) =>
      json(200, await directoryAdmin.get(actor, parseInput(Agency, path, "path").agencyId)),
    "PUT /directory/{agencyId}": async ({ actor, path, body }) =>
      json(200, await directoryAdmin.put(actor, parseInput(Agency, path, "path").agencyId, body)),
  };
}

const attachment = (name: string) => `attachment; filename="${name}"`;

function csvFile(name: string, body: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachment(name) },
    body,
  };
}

function xlsxFile(name: string, bytes: Uint8Array): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 200,
    headers: { "content-type": XLSX_CONTENT_TYPE, "content-disposition": attachment(name) },
    body: Buffer.from(bytes).toString("base64"),
    isBase64Encoded: true,
  };
}

/** The staff API (Cognito JWT): every read and write scoped to the caller's agency (`custom:agencyId`). */
export function makeApiHandler(deps: ApiDeps) {
  const handlers = routes(deps);
  const table = new Map<string, Route>(
    HUMAN_ROUTES.map((route) => [routeKey(route), handlers[routeKey(route)]]),
  );
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(deps.logger))
    .use(httpErrors(deps.logger))
    .use(httpHeaderNormalizer())
    .use(optionalJsonBody())
    .handler(async (event) => {
      const route = table.get(event.routeKey);
      if (route === undefined) throw new NotFoundError(`no route ${event.routeKey}`);
      return route({
        actor: actorFromEvent(event),
        path: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        body: (event as { body?: unknown }).body,
      });
    });
}

export const handler = lambdaEntry(() => makeApiHandler(composeApi().deps));
