import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { z } from "zod";
import { type Actor, GROUPS, type Group, UnauthenticatedError } from "../shared/app/actor.ts";
import { parseWith } from "../shared/parse.ts";

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * The signed-in person from the HTTP API's JWT authorizer (`requestContext.authorizer.jwt.claims`).
 * API Gateway flattens a list claim into a string ("[leader admin]"); the local runtime passes
 * the list itself: both are read.
 */
export function actorFromEvent(event: APIGatewayProxyEventV2): Actor {
  const context = event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } };
  const claims = context.authorizer?.jwt?.claims;
  const userId = claims?.sub;
  const agencyId = claims?.["custom:agencyId"];
  if (typeof userId !== "string" || typeof agencyId !== "string" || agencyId === "") {
    throw new UnauthenticatedError("the request carries no valid identity (sub and custom:agencyId claims)");
  }
  const name = [claims?.name, claims?.["cognito:username"], userId].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  // The directory's id of the person (a Cognito custom attribute); else the subject, as the
  // dashboard reads it (the local accounts' subject is their staff id).
  const staffId = [claims?.["custom:staffId"], userId].find(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return { userId, name: name ?? userId, agencyId, groups: groupsOf(claims?.["cognito:groups"]), staffId };
}

function groupsOf(claim: Claims[string]): Group[] {
  const values = Array.isArray(claim)
    ? claim
    : typeof claim === "string"
      ? claim.replace(/^\[|\]$/g, "").split(/[\s,]+/)
      : [];
  return values.filter((value): value is Group => (GROUPS as readonly string[]).includes(value));
}

/** Validates request input at the edge; the error names fields and rules, never values. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  return parseWith(schema, input, `invalid ${what}`);
}
