import { escapeHtml } from "./html.ts";
import type { LetterFonts } from "./letter-font.ts";
import { nfc } from "./vietnamese-format.ts";

/**
 * The apology letter laid out, every string NFC: the apology room fills it from a template, and the
 * HTML, text and DOCX renderers only arrange it.
 */
export interface ApologyLetterLayout {
  /** The template it was filled from (the apology room narrows this to its template ids). */
  readonly templateId: string;
  readonly verified: boolean;
  readonly formLabel: string | null;
  readonly source: string;
  readonly dossierCode: string;
  readonly header: {
    readonly parentAgency: string | null;
    readonly unitName: string;
    readonly number: string;
    readonly motto: readonly [string, string];
    readonly placeDate: string;
  };
  readonly title: string;
  readonly salutation: string;
  readonly recipientDetails: readonly string[];
  readonly paragraphs: readonly string[];
  readonly closing: string;
  readonly signature: {
    readonly authority: string | null;
    readonly title: string;
    readonly note: string;
    readonly name: string;
  };
  readonly recipientsHeading: string;
  readonly recipients: readonly string[];
}

export const NATIONAL_MOTTO: readonly [string, string] = [
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  "Độc lập - Tự do - Hạnh phúc",
];

/**
 * Print styles follow the layout conventions of NĐ 30/2020/NĐ-CP Phụ lục I (agency block left,
 * motto right, Times New Roman), scaled for A5 paper (docs/law.md, "The apology letter"). The
 * typeface is Tinos, shipped inside the letter (letter-font.ts): metric-compatible with Times New
 * Roman and complete for Vietnamese, so no glyph falls back to another face (docs/letter-font.md).
 * Its `@font-face` rules (`fonts.faces()`) come first.
 */
export function letterCss(fonts: LetterFonts): string {
  return `${fonts.faces()}\n${LETTER_LAYOUT_CSS}`;
}

/** The letter's style after its font faces. */
const LETTER_LAYOUT_CSS = `@page { size: A5 portrait; margin: 12mm 10mm 12mm 18mm; }
@media screen { body { width: 120mm; margin: 12mm auto; padding: 12mm 10mm 12mm 18mm; background: #fff; box-shadow: 0 0 4mm #bbb; } html { background: #eee; } }
* { box-sizing: border-box; }
body { margin: 0; font-family: Tinos, "Times New Roman", Times, "Liberation Serif", serif; font-size: 11pt; line-height: 1.22; color: #000; }
.form-label { text-align: right; font-style: italic; font-size: 10pt; margin: 0 0 2pt; }
table.doc-header, table.doc-footer { width: 100%; border-collapse: collapse; }
table.doc-header td, table.doc-footer td { vertical-align: top; padding: 0; }
td.agency { width: 42%; text-align: center; font-size: 11pt; }
td.motto { width: 58%; text-align: center; }
.parent-agency { text-transform: uppercase; }
.unit-name { font-weight: bold; text-transform: uppercase; }
.motto-1 { font-weight: bold; font-size: 11pt; }
.motto-2 { font-weight: bold; font-size: 12pt; }
hr.rule { border: 0; border-top: 1px solid #000; margin: 1pt auto 4pt; }
td.agency hr.rule { width: 30%; }
td.motto hr.rule { width: 62%; }
.number { font-size: 11pt; }
.place-date { font-style: italic; }
h1.title { text-align: center; font-size: 12pt; font-weight: bold; margin: 10pt 0 4pt; }
p.salutation { text-align: center; margin: 0 0 2pt; }
p.recipient-detail { text-align: center; margin: 0; }
.body { margin-top: 8pt; }
.body p { text-align: justify; text-indent: 8mm; margin: 0 0 3pt; }
td.recipients { width: 45%; font-size: 10pt; }
td.recipients .heading { font-weight: bold; font-style: italic; font-size: 11pt; }
td.recipients p { margin: 0; }
td.signature { width: 55%; text-align: center; }
td.signature .authority, td.signature .signer-title, td.signature .signer-name { font-weight: bold; }
td.signature .note { font-style: italic; font-size: 10pt; }
td.signature .space { height: 20mm; }`;

/** HTML for A5 printing, carrying its font (`fonts`); every value escaped. */
export function renderApologyLetterHtml(letter: ApologyLetterLayout, fonts: LetterFonts): string {
  const e = escapeHtml;
  const h = letter.header;
  const lines: string[] = [
    "<!DOCTYPE html>",
    '<html lang="vi">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${e(letter.title)} - ${e(letter.dossierCode)}</title>`,
    `<style>\n${letterCss(fonts)}\n</style>`,
    "</head>",
    "<body>",
    `<article class="apology-letter" data-template="${e(letter.templateId)}" data-verified="${letter.verified}">`,
  ];
  if (letter.formLabel) lines.push(`<p class="form-label">${e(letter.formLabel)}</p>`);
  lines.push(
    '<table class="doc-header" role="presentation">',
    "<tr>",
    '<td class="agency">',
    ...(h.parentAgency ? [`<div class="parent-agency">${e(h.parentAgency)}</div>`] : []),
    `<div class="unit-name">${e(h.unitName)}</div>`,
    '<hr class="rule">',
    `<div class="number">${e(h.number)}</div>`,
    "</td>",
    '<td class="motto">',
    `<div class="motto-1">${e(h.motto[0])}</div>`,
    `<div class="motto-2">${e(h.motto[1])}</div>`,
    '<hr class="rule">',
    `<div class="place-date">${e(h.placeDate)}</div>`,
    "</td>",
    "</tr>",
    "</table>",
    `<h1 class="title">${e(letter.title)}</h1>`,
    `<p class="salutation">${e(letter.salutation)}</p>`,
    ...letter.recipientDetails.map((d) => `<p class="recipient-detail">${e(d)}</p>`),
    '<section class="body">',
    ...letter.paragraphs.map((p) => `<p>${e(p)}</p>`),
    `<p>${e(letter.closing)}</p>`,
    "</section>",
    '<table class="doc-footer" role="presentation">',
    "<tr>",
    '<td class="recipients">',
    `<p class="heading">${e(letter.recipientsHeading)}</p>`,
    ...letter.recipients.map((r) => `<p>${e(r)}</p>`),
    "</td>",
    '<td class="signature">',
    ...(letter.signature.authority ? [`<div class="authority">${e(letter.signature.authority)}</div>`] : []),
    `<div class="signer-title">${e(letter.signature.title)}</div>`,
    `<div class="note">${e(letter.signature.note)}</div>`,
    '<div class="space"></div>',
    `<div class="signer-name">${e(letter.signature.name)}</div>`,
    "</td>",
    "</tr>",
    "</table>",
    "</article>",
    "</body>",
    "</html>",
  );
  return nfc(`${lines.join("\n")}\n`);
}

/** Plain text, e.g. for an e-mail body or a system log of what was sent to the applicant. */
export function renderApologyLetterText(letter: ApologyLetterLayout): string {
  const h = letter.header;
  const lines: string[] = [];
  if (letter.formLabel) lines.push(letter.formLabel, "");
  if (h.parentAgency) lines.push(h.parentAgency);
  lines.push(h.unitName, h.number, "", h.motto[0], h.motto[1], "", h.placeDate, "", letter.title, "");
  lines.push(letter.salutation, ...letter.recipientDetails, "");
  for (const p of letter.paragraphs) lines.push(p);
  lines.push(letter.closing, "");
  if (letter.signature.authority) lines.push(letter.signature.authority);
  lines.push(letter.signature.title, letter.signature.note, "", "", letter.signature.name, "");
  lines.push(letter.recipientsHeading, ...letter.recipients);
  return nfc(`${lines.join("\n")}\n`);
}
