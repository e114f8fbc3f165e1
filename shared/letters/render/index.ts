/**
 * Rendering: what every letter and notice is written with, and the printed apology letter's HTML,
 * text and DOCX. Vietnamese dates and numbers shown in Asia/Ho_Chi_Minh, every output string NFC,
 * one `{placeholder}` template engine, HTML escaping, printed text width. Imports no other room.
 */

export {
  type ApologyLetterLayout,
  letterCss,
  NATIONAL_MOTTO,
  renderApologyLetterHtml,
  renderApologyLetterText,
} from "./apology-letter.ts";
export {
  apologyLetterDocumentXml,
  DOCX_CONTENT_TYPE,
  renderApologyLetterDocx,
} from "./apology-letter-docx.ts";
export {
  type AppointmentIcsInput,
  appointmentIcs,
  escapeIcsText,
  foldIcsLine,
  ICS_CONTENT_TYPE,
} from "./appointment-ics.ts";
export { escapeHtml } from "./html.ts";
export {
  LETTER_FONT_FAMILY,
  LETTER_FONT_FILES,
  LETTER_FONT_LICENCE_FILE,
  type LetterFontFile,
  type LetterFonts,
  letterFontFaces,
} from "./letter-font.ts";
export { fillTemplate, parseTemplate, type Template, type TemplateValues } from "./template.ts";
export { oneLine, phrase } from "./text.ts";
export { textWidthEm } from "./text-width.ts";
export {
  formatDateLongVi,
  formatDateTimeShortVi,
  formatDateTimeVi,
  formatDateVi,
  formatNumberVi,
  formatPlaceDate,
  isVietnamTime,
  type LongDateOptions,
  type MonthPadding,
  nfc,
  toVietnamIso,
  toVietnamTime,
  VietnamTime,
  VN_ZONE,
} from "./vietnamese-format.ts";
