import { describe, expect, it } from "vitest";
import * as z from "zod";
import { parseInput } from "../../../functions/request.ts";
import { parsePolicyFile } from "../../../shared/alerts/alert-policy.ts";
import { parseDirectory } from "../../../shared/alerts/directory.ts";
import { parseAgencyDirectory } from "../../../shared/app/directory.ts";
import { parseEventsMessage, parseNotifyMessage } from "../../../shared/app/messages.ts";
import { parseAnnouncementFile } from "../../../shared/calendar/index.ts";
import { parseDossierEvent } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { parseOrThrow } from "../../../shared/letters/fields/index.ts";
import { parseWith } from "../../../shared/parse.ts";
import { parseGradeScale } from "../../../shared/reports/grades.ts";

function thrown(read: () => unknown): InvalidInputError {
  try {
    read();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected an InvalidInputError");
}

describe("parseWith", () => {
  const Contact = z.strictObject({
    name: z.string().min(1),
    phone: z.string().regex(/^0\d{9}$/, "expected 10 digits"),
  });

  it("returns the schema's output", () => {
    expect(parseWith(Contact, { name: "An", phone: "0987654321" }, "invalid contact")).toEqual({
      name: "An",
      phone: "0987654321",
    });
  });

  it("names what was read, each path and rule, and the fields, never the values", () => {
    const error = thrown(() => parseWith(Contact, { name: "", phone: "12345" }, "invalid contact"));
    expect(error.message).toBe(
      "invalid contact — name: Too small: expected string to have >=1 characters; phone: expected 10 digits",
    );
    expect(error.details).toEqual({ fields: ["name", "phone"] });
  });

  it('names the input as a whole "(root)", or as the reader\'s language says', () => {
    expect(thrown(() => parseWith(Contact, 42, "invalid contact")).message).toMatch(
      /^invalid contact — \(root\): /,
    );
    expect(thrown(() => parseOrThrow(Contact, 42, "Liên hệ")).message).toMatch(
      /^Liên hệ không hợp lệ — \(gốc\): /,
    );
  });
});

/**
 * Every reader of outside input throws the same shape: `<what> — <path>: <rule>` and
 * `details.fields`. The policy, directory, grade-scale, command and announcement readers had no
 * `details.fields` before; they now carry it like the others.
 */
describe("every former formatter, one shape", () => {
  const cases: readonly [string, () => unknown, string, readonly string[]][] = [
    ["dossier event", () => parseDossierEvent({ type: "returned" }), "invalid dossier event — ", ["id"]],
    ["policy file", () => parsePolicyFile({ bogus: 1 }), "invalid policy — ", [""]],
    ["alerts directory", () => parseDirectory({ agencies: 1 }), "invalid directory — ", ["agencies"]],
    ["agency directory", () => parseAgencyDirectory({}), "invalid directory — ", ["agencyId"]],
    ["grade scale", () => parseGradeScale({ green: 2 }), "invalid grade scale — ", ["green"]],
    ["events command", () => parseEventsMessage('{"command":"bogus"}'), "invalid command — ", ["command"]],
    ["notify message", () => parseNotifyMessage("{}"), "invalid notify message — ", ["type"]],
    ["announcement file", () => parseAnnouncementFile('{"year":2026}', "a.json"), "a.json — ", [""]],
    ["request", () => parseInput(z.object({ from: z.string() }), {}, "query"), "invalid query — ", ["from"]],
    [
      "letter input",
      () => parseOrThrow(z.object({ a: z.string() }), {}, "Thư"),
      "Thư không hợp lệ — ",
      ["a"],
    ],
  ];

  it.each(cases)("%s", (_name, read, prefix, firstFields) => {
    const error = thrown(read);
    expect(error.message.startsWith(prefix)).toBe(true);
    const fields = (error.details as { fields: string[] }).fields;
    expect(fields.slice(0, firstFields.length)).toEqual(firstFields);
  });
});
