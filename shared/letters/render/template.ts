import { InvalidInputError } from "../../errors.ts";
import { nfc } from "./vietnamese-format.ts";

/**
 * The one `{placeholder}` template engine of letters and notices. A wording is read once, when the
 * module holding it loads (or when a unit's override is merged): a `{name}` the wording's owner does
 * not know, a `{…}` that is not a plain name, or a brace without its pair is refused there — so a
 * typo stops the release, and no citizen ever receives a literal `{x}`. Filling inserts each value
 * once, as it is: a value that itself contains `{name}` is text, never read as a template again.
 * Messages are Vietnamese: a province's staff edit these wordings.
 */
export interface Template<Name extends string = string> {
  /** The wording as written. */
  readonly source: string;
  /** Literal text and placeholders, in order. */
  readonly pieces: readonly (string | { readonly name: Name })[];
  /** Every placeholder used, in order of first use. */
  readonly placeholders: readonly Name[];
}

/** A placeholder's value; absent (undefined) and "" are both missing. */
export type TemplateValues<Name extends string = string> = Readonly<
  Partial<Record<Name, string | undefined>>
>;

const TOKEN = /\{([^{}]*)\}|[{}]/g;
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Reads a wording whose placeholders must be among `known`; `where` names it in errors, e.g.
 * "tt01-2018" or "sms citizen-apology". Throws InvalidInputError on an unknown or malformed one.
 */
export function parseTemplate<Name extends string>(
  source: string,
  known: readonly Name[],
  where: string,
): Template<Name> {
  const pieces: (string | { readonly name: Name })[] = [];
  const placeholders: Name[] = [];
  let at = 0;
  for (const match of source.matchAll(TOKEN)) {
    if (match.index > at) pieces.push(source.slice(at, match.index));
    at = match.index + match[0].length;
    const name = match[1];
    if (name === undefined || !NAME.test(name)) {
      throw new InvalidInputError(`Mẫu ${where}: "${match[0]}" không phải một trường {tên} hợp lệ`, {
        template: where,
        at: match.index,
      });
    }
    if (!(known as readonly string[]).includes(name)) {
      throw new InvalidInputError(`Mẫu ${where}: trường {${name}} không tồn tại`, {
        placeholder: name,
        template: where,
      });
    }
    pieces.push({ name: name as Name });
    if (!placeholders.includes(name as Name)) placeholders.push(name as Name);
  }
  if (at < source.length) pieces.push(source.slice(at));
  return { source, pieces, placeholders };
}

/**
 * Fills a template, NFC. A missing value of a name in `optional` makes the whole text absent
 * (undefined: the caller leaves that part or paragraph out); a missing value of any other name is
 * a defect in the data or the wording and throws, whatever the optional ones hold.
 */
export function fillTemplate<Name extends string>(
  template: Template<Name>,
  values: TemplateValues<Name>,
): string;
export function fillTemplate<Name extends string>(
  template: Template<Name>,
  values: TemplateValues<Name>,
  optional: readonly Name[],
): string | undefined;
export function fillTemplate<Name extends string>(
  template: Template<Name>,
  values: TemplateValues<Name>,
  optional: readonly Name[] = [],
): string | undefined {
  const missing = template.placeholders.filter((name) => !values[name]);
  const required = missing.find((name) => !optional.includes(name));
  if (required !== undefined) {
    throw new InvalidInputError(`Thiếu giá trị cho {${required}}`, { placeholder: required });
  }
  if (missing.length > 0) return undefined;
  return nfc(
    template.pieces.map((piece) => (typeof piece === "string" ? piece : values[piece.name])).join(""),
  );
}
