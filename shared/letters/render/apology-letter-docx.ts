import type { ApologyLetterLayout } from "./apology-letter.ts";
import { zip } from "./zip.ts";

/**
 * The apology letter as a Word document (Office Open XML, ECMA-376 Part 1 WordprocessingML),
 * written directly: one fixed layout needs a few dozen elements, and writing them here keeps a
 * 245 KB document library out of the Lambda bundles that render letters (≤ 300 KB, README).
 * Layout as NĐ 30/2020 Phụ lục I lays out an administrative document, on A5: the unit and number
 * on the left and the national motto on the right of a borderless two-column table, the title,
 * the body justified with a first-line indent, then "Nơi nhận" beside the signature.
 */

/** A5 portrait, 148 × 210 mm (ISO 216), in twips (1/20 pt) as Word writes it (A4 is 11906 × 16838). */
const A5 = { width: 8391, height: 11906 };
/** Millimetres to twips, rounded down as Word does: 1 mm = 72 / 25.4 pt = 56.69 twips. */
const mm = (millimetres: number): number => Math.floor((millimetres / 25.4) * 72 * 20);
/** As the HTML letter prints (apology-letter.ts, letterCss): the two must fit one A5 page alike. */
const MARGIN = { top: mm(12), bottom: mm(12), left: mm(18), right: mm(10) };
const CONTENT_WIDTH = A5.width - MARGIN.left - MARGIN.right;

/** Font sizes in half-points (w:sz): 11 pt body and header (as the HTML letter), 10 pt notes. */
const PT = (points: number): number => points * 2;

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
export const DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Text as XML character data: the five markup characters escaped, characters XML 1.0 forbids dropped. */
function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

interface RunStyle {
  readonly bold?: boolean;
  readonly italics?: boolean;
  /** Half-points. */
  readonly size?: number;
}

type Alignment = "center" | "left" | "both" | "right";

interface ParagraphStyle {
  readonly align?: Alignment;
  readonly firstLineIndent?: number;
  readonly indent?: { readonly left: number; readonly right: number };
  readonly before?: number;
  readonly after?: number;
  readonly topBorder?: boolean;
}

function run(text: string, style: RunStyle = {}): string {
  const props = [
    style.bold ? "<w:b/><w:bCs/>" : "",
    style.italics ? "<w:i/><w:iCs/>" : "",
    style.size ? `<w:sz w:val="${style.size}"/><w:szCs w:val="${style.size}"/>` : "",
  ].join("");
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ""}<w:t xml:space="preserve">${xmlText(text)}</w:t></w:r>`;
}

/** A paragraph; the children of w:pPr in the schema's order (pBdr, spacing, ind, jc). */
function paragraph(runs: string, style: ParagraphStyle = {}): string {
  const props = [
    style.topBorder ? '<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>' : "",
    style.before !== undefined || style.after !== undefined
      ? `<w:spacing${style.before !== undefined ? ` w:before="${style.before}"` : ""}${style.after !== undefined ? ` w:after="${style.after}"` : ""}/>`
      : "",
    style.indent || style.firstLineIndent !== undefined
      ? `<w:ind${style.indent ? ` w:left="${style.indent.left}" w:right="${style.indent.right}"` : ""}${style.firstLineIndent !== undefined ? ` w:firstLine="${style.firstLineIndent}"` : ""}/>`
      : "",
    style.align ? `<w:jc w:val="${style.align}"/>` : "",
  ].join("");
  return `<w:p>${props ? `<w:pPr>${props}</w:pPr>` : ""}${runs}</w:p>`;
}

const line = (text: string, style: RunStyle = {}, align: Alignment = "center"): string =>
  paragraph(run(text, style), { align });

/** The short rule drawn under the unit's name and under the motto. */
function rule(widthPercent: number): string {
  const side = Math.round(((100 - widthPercent) / 200) * (CONTENT_WIDTH / 2));
  return paragraph("", { align: "center", indent: { left: side, right: side }, after: 60, topBorder: true });
}

/** A borderless, fixed-layout table of one row: the letter's header and its foot. */
function twoColumns(left: readonly string[], right: readonly string[], leftPercent: number): string {
  const leftWidth = Math.round((CONTENT_WIDTH * leftPercent) / 100);
  const widths = [leftWidth, CONTENT_WIDTH - leftWidth];
  const none = ["top", "left", "bottom", "right", "insideH", "insideV"]
    .map((side) => `<w:${side} w:val="nil"/>`)
    .join("");
  const cell = (content: readonly string[], width: number) =>
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${content.join("") || paragraph("")}</w:tc>`;
  return [
    "<w:tbl>",
    `<w:tblPr><w:tblW w:w="${CONTENT_WIDTH}" w:type="dxa"/><w:tblBorders>${none}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>`,
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join("")}</w:tblGrid>`,
    `<w:tr>${cell(left, widths[0]!)}${cell(right, widths[1]!)}</w:tr>`,
    "</w:tbl>",
  ].join("");
}

/** word/document.xml: the letter's body and its A5 section. */
export function apologyLetterDocumentXml(letter: ApologyLetterLayout): string {
  const h = letter.header;
  const agency = [
    ...(h.parentAgency ? [line(h.parentAgency, { size: PT(11) })] : []),
    line(h.unitName, { bold: true, size: PT(11) }),
    rule(30),
    line(h.number, { size: PT(11) }),
  ];
  const motto = [
    line(h.motto[0], { bold: true, size: PT(11) }),
    line(h.motto[1], { bold: true, size: PT(12) }),
    rule(62),
    line(h.placeDate, { italics: true }),
  ];
  const signature = [
    ...(letter.signature.authority ? [line(letter.signature.authority, { bold: true })] : []),
    line(letter.signature.title, { bold: true }),
    line(letter.signature.note, { italics: true, size: PT(10) }),
    paragraph("", { before: mm(18) }),
    line(letter.signature.name, { bold: true }),
  ];
  const recipients = [
    line(letter.recipientsHeading, { bold: true, italics: true, size: PT(11) }, "left"),
    ...letter.recipients.map((r) => line(r, { size: PT(10) }, "left")),
  ];
  const body = [...letter.paragraphs, letter.closing].map((text) =>
    paragraph(run(text), { align: "both", firstLineIndent: mm(10), after: 40 }),
  );
  const section =
    `<w:sectPr><w:pgSz w:w="${A5.width}" w:h="${A5.height}"/>` +
    `<w:pgMar w:top="${MARGIN.top}" w:right="${MARGIN.right}" w:bottom="${MARGIN.bottom}" w:left="${MARGIN.left}" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`;
  const content = [
    ...(letter.formLabel ? [line(letter.formLabel, { italics: true, size: PT(10) }, "right")] : []),
    twoColumns(agency, motto, 42),
    paragraph(run(letter.title, { bold: true, size: PT(12) }), { align: "center", before: 160, after: 80 }),
    line(letter.salutation),
    ...letter.recipientDetails.map((d) => line(d)),
    paragraph(""),
    ...body,
    paragraph(""),
    twoColumns(recipients, signature, 45),
  ];
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>${content.join("")}${section}</w:body></w:document>`;
}

/** word/styles.xml: Times New Roman 11 pt (NĐ 30/2020: phông chữ tiếng Việt Unicode, TCVN 6909:2001), single spacing. */
const STYLES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="${PT(11)}"/><w:szCs w:val="${PT(11)}"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>`;

const CONTENT_TYPES_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${DOCX_CONTENT_TYPE}.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const PACKAGE_RELS_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${OFFICE_RELATIONSHIPS}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="${RELATIONSHIPS}/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${RELATIONSHIPS}"><Relationship Id="rId1" Type="${OFFICE_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>`;

function coreXml(title: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${xmlText(title)}</dc:title><dc:creator>dunghan</dc:creator></cp:coreProperties>`;
}

/** The .docx bytes, ready to store or attach: A5, Times New Roman, editable before a leader signs. */
export async function renderApologyLetterDocx(letter: ApologyLetterLayout): Promise<Buffer> {
  return zip([
    { name: "[Content_Types].xml", data: CONTENT_TYPES_XML },
    { name: "_rels/.rels", data: PACKAGE_RELS_XML },
    { name: "word/document.xml", data: apologyLetterDocumentXml(letter) },
    { name: "word/_rels/document.xml.rels", data: DOCUMENT_RELS_XML },
    { name: "word/styles.xml", data: STYLES_XML },
    { name: "docProps/core.xml", data: coreXml(`${letter.title} - ${letter.dossierCode}`) },
  ]);
}
