import {
  AlignmentType,
  BorderStyle,
  convertMillimetersToTwip,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { ApologyLetter } from "./apology-letter.ts";

/** A5 portrait, 148 × 210 mm (ISO 216), rounded to whole twips as Word writes it (A4 is 11906 × 16838). */
const A5 = { width: 8391, height: 11906 };
const MARGIN = {
  top: convertMillimetersToTwip(15),
  bottom: convertMillimetersToTwip(15),
  left: convertMillimetersToTwip(20),
  right: convertMillimetersToTwip(12),
};
const CONTENT_WIDTH = A5.width - MARGIN.left - MARGIN.right;

/** Font sizes in half-points (docx unit): 12 pt body, 11 pt header, 10 pt notes. */
const PT = (points: number): number => points * 2;

interface RunStyle {
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly size?: number;
}

function line(
  text: string,
  style: RunStyle = {},
  alignment: "center" | "left" | "both" = "center",
): Paragraph {
  return new Paragraph({
    alignment:
      alignment === "center"
        ? AlignmentType.CENTER
        : alignment === "both"
          ? AlignmentType.BOTH
          : AlignmentType.LEFT,
    children: [new TextRun({ text, bold: style.bold, italics: style.italics, size: style.size })],
  });
}

/** The short rule drawn under the unit's name and under the motto. */
function rule(widthPercent: number): Paragraph {
  const side = Math.round(((100 - widthPercent) / 200) * (CONTENT_WIDTH / 2));
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    indent: { left: side, right: side },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    spacing: { after: 60 },
    children: [],
  });
}

function cell(children: Paragraph[], widthPercent: number): TableCell {
  return new TableCell({
    width: { size: Math.round((CONTENT_WIDTH * widthPercent) / 100), type: WidthType.DXA },
    borders: {
      top: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      bottom: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      left: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
      right: { style: BorderStyle.NONE, size: 0, color: "FFFFFF" },
    },
    children,
  });
}

function twoColumns(left: Paragraph[], right: Paragraph[], leftPercent: number): Table {
  const leftWidth = Math.round((CONTENT_WIDTH * leftPercent) / 100);
  return new Table({
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: [leftWidth, CONTENT_WIDTH - leftWidth],
    borders: TableBorders.NONE,
    rows: [new TableRow({ children: [cell(left, leftPercent), cell(right, 100 - leftPercent)] })],
  });
}

/** Builds the Word document: A5, Times New Roman, editable before a leader signs. */
export function buildApologyLetterDocx(letter: ApologyLetter): Document {
  const h = letter.header;
  const agency: Paragraph[] = [
    ...(h.parentAgency ? [line(h.parentAgency, { size: PT(11) })] : []),
    line(h.unitName, { bold: true, size: PT(11) }),
    rule(30),
    line(h.number, { size: PT(11) }),
  ];
  const motto: Paragraph[] = [
    line(h.motto[0], { bold: true, size: PT(11) }),
    line(h.motto[1], { bold: true, size: PT(12) }),
    rule(62),
    line(h.placeDate, { italics: true }),
  ];
  const signature: Paragraph[] = [
    ...(letter.signature.authority ? [line(letter.signature.authority, { bold: true })] : []),
    line(letter.signature.title, { bold: true }),
    line(letter.signature.note, { italics: true, size: PT(10) }),
    new Paragraph({ spacing: { before: convertMillimetersToTwip(18) }, children: [] }),
    line(letter.signature.name, { bold: true }),
  ];
  const recipients: Paragraph[] = [
    line(letter.recipientsHeading, { bold: true, italics: true, size: PT(11) }, "left"),
    ...letter.recipients.map((r) => line(r, { size: PT(10) }, "left")),
  ];
  const body: Paragraph[] = [...letter.paragraphs, letter.closing].map(
    (text) =>
      new Paragraph({
        alignment: AlignmentType.BOTH,
        indent: { firstLine: convertMillimetersToTwip(10) },
        spacing: { after: 80 },
        children: [new TextRun(text)],
      }),
  );

  return new Document({
    creator: "dunghan",
    title: `${letter.title} - ${letter.dossierCode}`,
    styles: { default: { document: { run: { font: "Times New Roman", size: PT(12) } } } },
    sections: [
      {
        properties: { page: { size: A5, margin: MARGIN } },
        children: [
          ...(letter.formLabel
            ? [
                new Paragraph({
                  alignment: AlignmentType.RIGHT,
                  children: [new TextRun({ text: letter.formLabel, italics: true, size: PT(10) })],
                }),
              ]
            : []),
          twoColumns(agency, motto, 42),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { before: 280, after: 120 },
            children: [new TextRun({ text: letter.title, bold: true, size: PT(13) })],
          }),
          line(letter.salutation),
          ...letter.recipientDetails.map((d) => line(d)),
          new Paragraph({ children: [] }),
          ...body,
          new Paragraph({ children: [] }),
          twoColumns(recipients, signature, 45),
        ],
      },
    ],
  });
}

/** The .docx bytes, ready to store or attach. */
export async function renderApologyLetterDocx(letter: ApologyLetter): Promise<Buffer> {
  return Packer.toBuffer(buildApologyLetterDocx(letter));
}
