import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { InvalidInputError, UnsupportedDateError } from "../../../shared/errors.ts";
import {
  buildApologyLetter,
  chooseApologyTemplate,
  DEFAULT_TT03_EFFECTIVE_FROM,
  mergeApologyTemplate,
  REASON_BLANK,
  TT01_2018_APOLOGY,
  TT03_2025_APOLOGY,
} from "../../../shared/letters/apology/index.ts";
import {
  renderApologyLetterDocx,
  renderApologyLetterHtml,
  renderApologyLetterText,
} from "../../../shared/letters/render/index.ts";
import { anApologyLetterInput, CODE } from "./builders.ts";

const TT01_INPUT = anApologyLetterInput({
  issueDate: "2025-06-05T09:00:00+07:00",
  receivedAt: "2025-05-14T14:15:00+07:00",
  originalAppointment: "2025-06-06T16:00:00+07:00",
  newAppointment: "2025-06-11T08:30:00+07:00",
});
const TT03_INPUT = anApologyLetterInput({ issueDate: "2026-11-20T09:00:00+07:00" });

describe("chooseApologyTemplate", () => {
  it("uses TT 01/2018 before the switch date and TT 03/2025 from it (default 2025-11-01)", () => {
    expect(DEFAULT_TT03_EFFECTIVE_FROM).toBe("2025-11-01");
    expect(chooseApologyTemplate("2025-10-31").id).toBe("tt01-2018");
    expect(chooseApologyTemplate("2025-11-01").id).toBe("tt03-2025");
  });

  it("reads the issue date in Vietnam's zone", () => {
    // 31/10 17:30 UTC is already 01/11 in Vietnam.
    expect(chooseApologyTemplate("2025-10-31T17:30:00Z").id).toBe("tt03-2025");
    expect(chooseApologyTemplate("2025-10-31T16:59:00Z").id).toBe("tt01-2018");
  });

  it("takes the unit's switch date and reports the range that applied", () => {
    const config = { tt03EffectiveFrom: "2026-01-01" };
    const before = chooseApologyTemplate("2025-12-15", config);
    expect(before.id).toBe("tt01-2018");
    expect(before.until).toBe("2025-12-31");
    expect(chooseApologyTemplate("2026-01-01", config).since).toBe("2026-01-01");
  });

  it("lets a unit force a template whatever the date", () => {
    expect(chooseApologyTemplate("2026-03-01", { template: "tt01-2018" }).id).toBe("tt01-2018");
    expect(chooseApologyTemplate("2025-03-01", { template: "tt03-2025" }).id).toBe("tt03-2025");
  });

  it("refuses dates before TT 01/2018 applied", () => {
    expect(() => chooseApologyTemplate("2018-12-31")).toThrow(UnsupportedDateError);
  });

  it("marks the TT 03/2025 layout as unverified and gives it no form number", () => {
    expect(TT03_2025_APOLOGY.verified).toBe(false);
    expect(TT03_2025_APOLOGY.formLabel).toBeNull();
    expect(TT03_2025_APOLOGY.note).toContain("verified: false");
    expect(TT01_2018_APOLOGY.formLabel).toBe("Mẫu số 04");
  });
});

describe("province overrides", () => {
  it("merges wording onto the default and keeps the rest", () => {
    const merged = mergeApologyTemplate(TT03_2025_APOLOGY, { closing: "Trân trọng cảm ơn {honorific}./." });
    expect(merged.closing).toBe("Trân trọng cảm ơn {honorific}./.");
    expect(merged.title).toBe(TT03_2025_APOLOGY.title);
    expect(merged.paragraphs).toBe(TT03_2025_APOLOGY.paragraphs);
  });

  it("applies the unit's override when chosen by date", () => {
    const template = chooseApologyTemplate("2026-11-20", {
      overrides: { "tt03-2025": { signatureNote: "(Chữ ký số)" } },
    });
    expect(template.signatureNote).toBe("(Chữ ký số)");
    expect(buildApologyLetter(TT03_INPUT, { template }).signature.note).toBe("(Chữ ký số)");
  });

  it("refuses an unknown placeholder", () => {
    expect(() => mergeApologyTemplate(TT01_2018_APOLOGY, { paragraphs: ["Số tiền: {amount}."] })).toThrow(
      InvalidInputError,
    );
  });

  it("refuses to label an unverified layout as a numbered form", () => {
    expect(() => mergeApologyTemplate(TT03_2025_APOLOGY, { formLabel: "Mẫu số 04" })).toThrow(
      /verified: false/,
    );
    const checked = mergeApologyTemplate(TT03_2025_APOLOGY, {
      formLabel: "Mẫu số 04",
      verified: true,
      source: "TT 03/2025/TT-VPCP, đối chiếu ngày 02/12/2025",
    });
    expect(buildApologyLetter(TT03_INPUT, { template: checked }).formLabel).toBe("Mẫu số 04");
  });
});

describe("buildApologyLetter", () => {
  it("fills the TT 01/2018 letter", () => {
    const letter = buildApologyLetter(TT01_INPUT);
    expect(letter.templateId).toBe("tt01-2018");
    expect(letter.formLabel).toBe("Mẫu số 04");
    expect(letter.title).toBe("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
    expect(letter.header).toEqual({
      parentAgency: "UBND TỈNH TÂY NINH",
      unitName: "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
      number: "Số: 125/XL-SNNMT",
      motto: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"],
      placeDate: "Tân An, ngày 05 tháng 6 năm 2025",
    });
    expect(letter.salutation).toBe("Kính gửi: Bà Nguyễn Thị Ánh Tuyết");
    expect(letter.paragraphs).toContain(
      "Sự chậm trễ này đã gây phiền hà cho Bà. Sở Nông nghiệp và Môi trường trân trọng xin lỗi Bà và hẹn " +
        "lại thời gian trả kết quả vào 08 giờ 30 phút, ngày 11 tháng 6 năm 2025.",
    );
    expect(letter.paragraphs[0]).toBe(
      "Ngày 14/05/2025, hồ sơ đề nghị giải quyết thủ tục hành chính của Bà đã được tiếp nhận.",
    );
    expect(letter.recipients).toEqual(["- Như trên;", "- Bộ phận Một cửa;", "- Lưu: VT, VPĐKĐĐ."]);
    expect(letter.signature).toEqual({
      authority: "KT. GIÁM ĐỐC",
      title: "PHÓ GIÁM ĐỐC",
      note: "(Ký, ghi rõ họ tên và đóng dấu)",
      name: "Trần Quốc Việt",
    });
  });

  it("fills the TT 03/2025 letter without a form number", () => {
    const letter = buildApologyLetter(TT03_INPUT);
    expect(letter.templateId).toBe("tt03-2025");
    expect(letter.verified).toBe(false);
    expect(letter.formLabel).toBeNull();
    expect(letter.title).toBe("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
    expect(letter.header.placeDate).toBe("Tân An, ngày 20 tháng 11 năm 2026");
  });

  it("leaves out the field line when no field is given", () => {
    const letter = buildApologyLetter(
      anApologyLetterInput({ procedure: { name: "Đăng ký biến động đất đai" } }),
    );
    expect(letter.paragraphs.some((p) => p.startsWith("Lĩnh vực"))).toBe(false);
    expect(letter.paragraphs).toContain("Thủ tục hành chính: Đăng ký biến động đất đai.");
  });

  it("composes decomposed input to NFC", () => {
    const letter = buildApologyLetter(
      anApologyLetterInput({
        recipient: { honorific: "Ông", name: "Nguyễn Văn Đạt".normalize("NFD") },
        reason: "Chờ ý kiến Sở Tài chính".normalize("NFD"),
      }),
    );
    expect(letter.salutation).toBe("Kính gửi: Ông Nguyễn Văn Đạt");
    expect(letter.salutation.normalize("NFC")).toBe(letter.salutation);
    expect(renderApologyLetterText(letter)).toContain("Lý do: Chờ ý kiến Sở Tài chính.");
  });

  it("refuses a new appointment not after the original one", () => {
    expect(() =>
      buildApologyLetter(anApologyLetterInput({ newAppointment: "2026-11-23T08:00:00+07:00" })),
    ).toThrow(/Ngày hẹn trả kết quả mới phải sau ngày hẹn ban đầu/);
  });

  it("refuses dates out of order: appointment before receipt, letter before receipt", () => {
    expect(() =>
      buildApologyLetter(anApologyLetterInput({ originalAppointment: "2026-11-01T08:00:00+07:00" })),
    ).toThrow(/sau ngày tiếp nhận/);
    expect(() => buildApologyLetter(anApologyLetterInput({ issueDate: "2026-11-01" }))).toThrow(
      /trước ngày tiếp nhận/,
    );
  });

  it("names the faulty fields without echoing their values", () => {
    const input = anApologyLetterInput({ dossierCode: "mã sai!", recipients: [] });
    expect(() => buildApologyLetter(input)).toThrow(/dossierCode: mã hồ sơ không hợp lệ; recipients/);
  });
});

/** The letter's inlined font files (letter-font.test.ts checks them) left out of the snapshots. */
const withoutFontData = (html: string) => html.replace(/base64,[A-Za-z0-9+/=]+/g, "base64,…");

describe("rendered letters (snapshots)", () => {
  it("TT 01/2018 as HTML", () => {
    const html = renderApologyLetterHtml(buildApologyLetter(TT01_INPUT), letterFontFiles);
    expect(html).toContain("@page { size: A5 portrait;");
    expect(html).toContain('font-family: Tinos, "Times New Roman"');
    expect(html).toContain('<p class="form-label">Mẫu số 04</p>');
    expect(withoutFontData(html)).toMatchSnapshot();
  });

  it("TT 01/2018 as text", () => {
    expect(renderApologyLetterText(buildApologyLetter(TT01_INPUT))).toMatchSnapshot();
  });

  it("TT 03/2025 as HTML", () => {
    const html = renderApologyLetterHtml(buildApologyLetter(TT03_INPUT), letterFontFiles);
    expect(html).not.toContain("Mẫu");
    expect(html).toContain('data-verified="false"');
    expect(withoutFontData(html)).toMatchSnapshot();
  });

  it("TT 03/2025 as text", () => {
    const text = renderApologyLetterText(buildApologyLetter(TT03_INPUT));
    expect(text).not.toContain("Mẫu");
    expect(text).toMatchSnapshot();
  });

  it("escapes HTML in values", () => {
    const html = renderApologyLetterHtml(
      buildApologyLetter(anApologyLetterInput({ reason: 'Thiếu <b>"bản vẽ"</b> & sơ đồ' })),
      letterFontFiles,
    );
    expect(html).toContain("Lý do: Thiếu &lt;b&gt;&quot;bản vẽ&quot;&lt;/b&gt; &amp; sơ đồ.");
    expect(html).not.toContain("<b>");
  });
});

describe("DOCX", () => {
  async function documentXml(buffer: Buffer): Promise<string> {
    const zip = await JSZip.loadAsync(buffer);
    const file = zip.file("word/document.xml");
    if (!file) throw new Error("word/document.xml missing");
    return file.async("string");
  }

  it("renders an A5 Word document with the letter's content", async () => {
    const buffer = await renderApologyLetterDocx(buildApologyLetter(TT03_INPUT));
    expect(buffer.subarray(0, 2).toString("latin1")).toBe("PK");
    const xml = await documentXml(buffer);
    expect(xml).toContain(CODE);
    expect(xml).toContain("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
    expect(xml).toContain("08 giờ 30 phút, ngày 26 tháng 11 năm 2026");
    expect(xml).toContain("Nguyễn Thị Ánh Tuyết");
    expect(xml).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(xml).not.toContain("Mẫu số 04");
    // A5 portrait: 148 × 210 mm in twips.
    expect(xml).toMatch(/<w:pgSz w:w="8391" w:h="11906"/);
  });

  it("sets Times New Roman as the document font and prints the TT 01/2018 form number", async () => {
    const buffer = await renderApologyLetterDocx(buildApologyLetter(TT01_INPUT));
    const zip = await JSZip.loadAsync(buffer);
    const styles = await zip.file("word/styles.xml")!.async("string");
    expect(styles).toContain('w:ascii="Times New Roman"');
    const xml = await documentXml(buffer);
    expect(xml).toContain("Mẫu số 04");
    expect(xml).toContain("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
  });

  it("is a complete Open XML package whose parts all parse, and the same letter gives the same bytes", async () => {
    const letter = buildApologyLetter(
      anApologyLetterInput({ reason: 'Thiếu <w:t>"bản vẽ"</w:t> & sơ đồ\u0007' }),
    );
    const buffer = await renderApologyLetterDocx(letter);
    expect((await renderApologyLetterDocx(letter)).equals(buffer)).toBe(true);
    const zip = await JSZip.loadAsync(buffer);
    expect(Object.keys(zip.files).sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "docProps/core.xml",
      "word/_rels/document.xml.rels",
      "word/document.xml",
      "word/styles.xml",
    ]);
    const xml = await documentXml(buffer);
    // Markup in the reason stays text; a control character XML cannot carry is dropped.
    expect(xml).toContain("Thiếu &lt;w:t&gt;&quot;bản vẽ&quot;&lt;/w:t&gt; &amp; sơ đồ.");
    expect(xml).not.toContain("\u0007");
    const types = await zip.file("[Content_Types].xml")!.async("string");
    expect(types).toContain(
      'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"',
    );
    const core = await zip.file("docProps/core.xml")!.async("string");
    expect(core).toContain(`<dc:title>${letter.title} - ${CODE}</dc:title>`);
  });
});

describe("a draft's letter without a reason", () => {
  it("prints a visible blank to fill where the reason goes, in HTML, text and DOCX", async () => {
    const letter = buildApologyLetter(anApologyLetterInput({ reason: null }));
    const html = renderApologyLetterHtml(letter, letterFontFiles);
    const text = renderApologyLetterText(letter);
    const zip = await JSZip.loadAsync(await renderApologyLetterDocx(letter));
    const xml = await zip.file("word/document.xml")!.async("string");

    expect(letter.paragraphs).toContain(`Lý do: ${REASON_BLANK}.`);
    expect(html).toContain(`<p>Lý do: ${REASON_BLANK}.</p>`);
    expect(text).toContain(`Lý do: ${REASON_BLANK}.`);
    expect(xml).toContain(`Lý do: ${REASON_BLANK}.`);
  });
});
