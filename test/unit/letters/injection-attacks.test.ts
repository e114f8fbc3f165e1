import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  APOLOGY_REASON_MAX_EM,
  approveApology,
  buildApologyLetter,
  createApologyDraft,
} from "../../../shared/letters/apology/index.ts";
import { type NoticeData, renderEmail, renderSms } from "../../../shared/letters/notices/index.ts";
import {
  renderApologyLetterDocx,
  renderApologyLetterHtml,
  renderApologyLetterText,
  textWidthEm,
} from "../../../shared/letters/render/index.ts";
import { anApologyLetterInput, CODE, LONG_REASON, worstCaseNotices } from "./builders.ts";

/**
 * Hostile text (docs/security.md) in every free-text field a letter, e-mail or SMS carries: markup stays
 * text, a subject stays one line, and a reason too long for one A5 page is refused, not printed
 * onto a second page.
 */
const SCRIPT = `<script>alert("xss")</script>`;
const IMG = `<img src=x onerror="alert('xss')">`;
const HOSTILE = `${SCRIPT}${IMG}&amp;`;

/** Markup an attacker could plant, as it would appear unescaped. */
const RAW_MARKUP = [/<script/i, /<img/i, /onerror="/i];

function hostileLetter() {
  return buildApologyLetter(
    anApologyLetterInput({
      recipient: { honorific: "Bà", name: `Ánh ${SCRIPT}`, address: `Số 1 ${IMG}`, phone: "0912345667" },
      procedure: { name: `Đăng ký ${IMG}`, field: `<b>Đất</b>` },
      responsibleUnit: `Phòng ${SCRIPT}`,
      reason: `Chờ ý kiến <i>Sở</i> ${IMG}`,
    }),
  );
}

describe("markup in the apology letter", () => {
  it("is escaped in the HTML letter", () => {
    const html = renderApologyLetterHtml(hostileLetter(), letterFontFiles);
    for (const raw of RAW_MARKUP) expect(html).not.toMatch(raw);
    expect(html).toContain("&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(&#39;xss&#39;)&quot;&gt;");
    expect(html).not.toContain("<b>Đất</b>");
    expect(html).not.toContain("<i>Sở</i>");
  });

  it("is text in the DOCX letter (the XML parts stay well-formed)", async () => {
    const zip = await JSZip.loadAsync(await renderApologyLetterDocx(hostileLetter()));
    const xml = await zip.file("word/document.xml")!.async("string");
    for (const raw of RAW_MARKUP) expect(xml).not.toMatch(raw);
    expect(xml).toContain("&lt;script&gt;");
    // Every element that opens closes: no element of ours was injected.
    const opened = xml.match(/<w:t(?:\s[^>]*)?>/g)?.length ?? 0;
    expect(xml.match(/<\/w:t>/g)?.length).toBe(opened);
  });

  it("is kept as plain text in the text letter (nothing there interprets it)", () => {
    expect(renderApologyLetterText(hostileLetter())).toContain(SCRIPT);
  });
});

describe("markup and header injection in e-mails and SMS", () => {
  const hostile = (notice: NoticeData): NoticeData => {
    const out: Record<string, unknown> = { ...notice };
    for (const key of [
      "procedureName",
      "handlerName",
      "responsibleUnit",
      "reason",
      "agencyName",
      "unitName",
    ]) {
      if (typeof out[key] === "string") out[key] = `${out[key]} ${HOSTILE}`;
    }
    if (out.recipient) out.recipient = { honorific: "Bà", name: `Ánh ${SCRIPT}` };
    return out as unknown as NoticeData;
  };

  it.each(worstCaseNotices().map((notice) => [notice.kind, notice] as const))(
    "escapes every value in the HTML body of %s",
    (_, notice) => {
      const email = renderEmail(hostile(notice));
      for (const raw of RAW_MARKUP) expect(email.html).not.toMatch(raw);
      expect(email.html).toMatch(/&lt;script&gt;|&lt;img/);
      // "&amp;" sent as text is escaped once more, not passed through as an entity.
      expect(email.html).not.toMatch(/[^;]&amp;(?!amp;)/);
    },
  );

  it("keeps a subject on one line when a name carries CR/LF (no header injection)", () => {
    const digest = worstCaseNotices().find((notice) => notice.kind === "leader-digest")!;
    const email = renderEmail({
      ...digest,
      unitName: "Sở Tư pháp\r\nBcc: everyone@example.vn\r\n\r\n<b>body</b>",
    } as NoticeData);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain("Sở Tư pháp Bcc: everyone@example.vn <b>body</b>");
  });

  it("sends markup as inert text in an SMS (never cut mid-code)", () => {
    for (const notice of worstCaseNotices()) {
      const sms = renderSms(hostile(notice));
      expect(sms.text).not.toMatch(/[\r\p{Cc}]/u);
      if ("dossierCode" in notice) expect(sms.text).toContain(notice.dossierCode);
      expect(sms.segments).toBeLessThanOrEqual(2);
    }
  });
});

describe("a reason too long for one A5 page", () => {
  const draftInput = () => ({
    id: "d-1",
    dossierCode: CODE,
    reason: LONG_REASON,
    responsibleUnit: "Phòng Quản lý đất đai",
    originalAppointment: "2026-11-23T16:00:00+07:00",
    newAppointment: "2026-11-26T08:30:00+07:00",
    createdBy: "system",
    now: "2026-11-20T09:00:00+07:00",
  });
  const draft = () => createApologyDraft(draftInput());
  const edit = (reason: string) =>
    approveApology(draft(), { actor: "Trần Quốc Việt", now: "2026-11-20T10:00:00+07:00", edits: { reason } });

  it("measures printed width: capitals and M/W count more than lower-case letters", () => {
    expect(textWidthEm("MMMM")).toBeGreaterThan(2 * textWidthEm("iiii"));
    expect(textWidthEm("Đường")).toBeCloseTo(textWidthEm("Duong"), 5); // diacritics add no width
    expect(textWidthEm(LONG_REASON)).toBeLessThan(APOLOGY_REASON_MAX_EM);
  });

  it("is refused with a clear error when a leader edits it, and the draft is not changed", () => {
    const before = draft();
    const long = `${LONG_REASON}, đồng thời chờ kết quả đo đạc lại ranh giới thửa đất của Văn phòng Đăng ký đất đai`;
    expect(() => edit(long)).toThrow(InvalidInputError);
    expect(() => edit(long)).toThrow(/A5/);
    // 112 capitals: fewer characters than LONG_REASON's double, but two pages in Chromium.
    const capitals =
      "CHỜ Ý KIẾN THẨM ĐỊNH CỦA SỞ TÀI CHÍNH, SỞ XÂY DỰNG VÀ UBND HUYỆN VỀ GIÁ ĐẤT CỤ THỂ, MỨC THU TIỀN SỬ DỤNG ĐẤT MỚI";
    expect(() => edit(capitals)).toThrow(/A5/);
    expect(() => edit(`Chờ ${"x".repeat(60)} thêm`)).toThrow(/một dòng/);
    expect(draft()).toEqual(before);
    expect(edit(LONG_REASON).reason).toBe(LONG_REASON);
  });

  it("refuses control characters and bidi overrides a leader types into the reason", () => {
    expect(() => edit("Chờ ý kiến\u0000")).toThrow(/control/);
    expect(() => edit("Chờ \u202eý kiến")).toThrow(/bidi/);
    // …and into a draft a person creates with a reason.
    const input = { ...draftInput(), reason: "Chờ\r\nBcc: x@example.vn" };
    expect(() => createApologyDraft(input)).toThrow(/control/);
  });

  it("is refused when the letter is built from it", () => {
    expect(() =>
      buildApologyLetter(anApologyLetterInput({ reason: `${LONG_REASON} ${LONG_REASON}` })),
    ).toThrow(/A5/);
  });
});
