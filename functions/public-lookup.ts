import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import * as z from "zod";
import type { PublicLookup } from "../shared/app/public-lookup.ts";
import { ICS_CONTENT_TYPE } from "../shared/letters/render/index.ts";
import { VIEWER_ADDRESS_HEADER } from "./api-routes.ts";
import { composePublicLookup } from "./composition-root.ts";
import { httpErrors, json, requiredJsonBody } from "./http-errors.ts";
import { lambdaEntry } from "./lambda.ts";
import { parseInput } from "./request.ts";

export interface PublicLookupDeps {
  readonly lookup: PublicLookup;
  readonly logger: Logger;
}

/** The body: the code and the last four digits (in a POST body, so they are in no URL or access log). */
const LookupBody = z.strictObject({
  code: z.string().min(1).max(64),
  phoneLast4: z.string().min(1).max(8),
});

/** Never cached anywhere: the answer is one applicant's. */
const PRIVATE = { "cache-control": "no-store", "x-robots-tag": "noindex" } as const;

/**
 * Tra cứu hồ sơ, unauthenticated: `POST /public/lookup` (the applicant's view as JSON) and
 * `POST /public/lookup/calendar` (the appointment as .ics). Answers, in the shape every API error
 * has: 400 for a malformed code or last four, 404 for every miss alike, 429 with `Retry-After`
 * when a limit is reached (http-errors.ts; shared/app/public-lookup.ts). The client is the source address API
 * Gateway saw; nothing from the body is logged.
 */
export function makePublicLookupHandler(deps: PublicLookupDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(deps.logger))
    .use(httpErrors(deps.logger))
    .use(httpHeaderNormalizer())
    .use(requiredJsonBody())
    .handler(async (event) => {
      const body = parseInput(LookupBody, (event as { body?: unknown }).body, "lookup");
      // Behind CloudFront the viewer's own address (set by the distribution, not the client);
      // called on API Gateway directly, the address it saw. The per-code limit holds either way.
      const viewer = event.headers?.[VIEWER_ADDRESS_HEADER]?.trim();
      const query = { ...body, client: viewer || event.requestContext.http.sourceIp };
      if (event.rawPath.endsWith("/calendar")) {
        const file = await deps.lookup.calendar(query);
        return {
          statusCode: 200,
          headers: {
            ...PRIVATE,
            "content-type": ICS_CONTENT_TYPE,
            "content-disposition": `attachment; filename="${file.filename}"`,
          },
          body: file.body,
        };
      }
      const response = json(200, await deps.lookup.lookup(query));
      return { ...response, headers: { ...response.headers, ...PRIVATE } };
    });
}

export const handler = lambdaEntry(() => makePublicLookupHandler(composePublicLookup().deps));
