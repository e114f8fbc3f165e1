import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../shared/errors.ts";
import { mergeApologyTemplate, TT01_2018_APOLOGY } from "../../../shared/letters/apology/index.ts";
import {
  EMAIL_TEMPLATES,
  type NoticeData,
  readNoticeWording,
  renderEmail,
  renderSms,
  SMS_TEMPLATES,
} from "../../../shared/letters/notices/index.ts";
import { fillTemplate, parseTemplate } from "../../../shared/letters/render/index.ts";
import { CODE } from "./builders.ts";

const KNOWN = ["name", "code", "note"] as const;

function errorOf(act: () => unknown): InvalidInputError {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("no error thrown");
}

describe("parseTemplate", () => {
  it("splits a wording into text and placeholders", () => {
    const template = parseTemplate("Hồ sơ {code} của {name}; {code}.", KNOWN, "t");
    expect(template.pieces).toEqual([
      "Hồ sơ ",
      { name: "code" },
      " của ",
      { name: "name" },
      "; ",
      { name: "code" },
      ".",
    ]);
    expect(template.placeholders).toEqual(["code", "name"]);
  });

  it("refuses a placeholder the wording's owner does not know, naming it and the wording", () => {
    const error = errorOf(() => parseTemplate("Hồ sơ {cod}.", KNOWN, "sms citizen-apology"));
    expect(error.message).toBe("Mẫu sms citizen-apology: trường {cod} không tồn tại");
    expect(error.details).toEqual({ placeholder: "cod", template: "sms citizen-apology" });
  });

  it.each(["Hồ sơ { code }.", "Hồ sơ {code-x}.", "Hồ sơ {}.", "Hồ sơ {code.", "Hồ sơ code}.", "{{code}}"])(
    "refuses a brace that is not a plain {name}: %s",
    (text) => {
      expect(() => parseTemplate(text, KNOWN, "t")).toThrow(/không phải một trường \{tên\} hợp lệ/);
    },
  );
});

describe("fillTemplate", () => {
  const template = parseTemplate("{name}: {code}{note}", KNOWN, "t");

  it("inserts each value once, as it is: a value holding a {placeholder} is not expanded again", () => {
    expect(fillTemplate(template, { name: "{code}", code: "{note}", note: "{name}" })).toBe(
      "{code}: {note}{name}",
    );
  });

  it("returns NFC text", () => {
    expect(fillTemplate(template, { name: "Nguye\u0302\u0303n", code: "A", note: "." })).toBe("Nguyễn: A.");
  });

  it("throws on a missing required value, even when an optional one is missing too", () => {
    const error = errorOf(() => fillTemplate(template, { name: "", code: "A" }, ["note"]));
    expect(error.message).toBe("Thiếu giá trị cho {name}");
  });

  it("is absent when only optional values are missing", () => {
    expect(fillTemplate(template, { name: "An", code: "A", note: "" }, ["note"])).toBeUndefined();
  });
});

describe("the notices' wording is read when it loads", () => {
  it("refuses a typo in a citizen SMS instead of sending a literal {x}", () => {
    const broken = {
      ...SMS_TEMPLATES,
      "citizen-apology": {
        ...SMS_TEMPLATES["citizen-apology"],
        parts: [...SMS_TEMPLATES["citizen-apology"].parts, { text: " Mã: {dossierCod}." }],
      },
    };
    expect(() => readNoticeWording(broken, EMAIL_TEMPLATES)).toThrow(
      "Mẫu sms citizen-apology: trường {dossierCod} không tồn tại",
    );
  });

  it("refuses a placeholder of another kind (a handler's notice has no {reason})", () => {
    const broken = {
      ...EMAIL_TEMPLATES,
      "handler-due-soon": {
        ...EMAIL_TEMPLATES["handler-due-soon"],
        subject: "Hồ sơ {dossierCode}: {reason}",
      },
    };
    expect(() => readNoticeWording(SMS_TEMPLATES, broken)).toThrow(
      "Mẫu email handler-due-soon: trường {reason} không tồn tại",
    );
  });

  it("refuses a shrink step on a value or part the kind does not have", () => {
    const broken = {
      ...SMS_TEMPLATES,
      escalation: { ...SMS_TEMPLATES.escalation, shrink: [{ drop: "nothing-by-that-id" }] },
    };
    expect(() => readNoticeWording(broken, EMAIL_TEMPLATES)).toThrow(/Mẫu sms escalation: bước rút gọn/);
  });

  it("reads the wording as shipped", () => {
    expect(() => readNoticeWording(SMS_TEMPLATES, EMAIL_TEMPLATES)).not.toThrow();
  });
});

describe("values are text, never templates", () => {
  const apology: NoticeData = {
    kind: "citizen-apology",
    agencyName: "UBND phường {dossierCode}",
    dossierCode: CODE,
    procedureName: "Cấp giấy phép xây dựng",
    reason: "chờ ý kiến {newAppointment}",
    newAppointment: "2026-12-03T08:30:00+07:00",
  };

  it("sends a citizen's SMS with the braces of a value as typed", () => {
    const sms = renderSms(apology);
    expect(sms.shortened).toEqual([]);
    expect(sms.text).toContain("UBND phuong {dossierCode} xin loi");
    expect(sms.text).toContain("Ly do: cho y kien {newAppointment}.");
  });

  it("sends the e-mail likewise", () => {
    expect(renderEmail(apology).text).toContain("chờ ý kiến {newAppointment}");
  });

  it("refuses an unknown placeholder in a unit's apology wording when it is merged", () => {
    expect(() => mergeApologyTemplate(TT01_2018_APOLOGY, { closing: "Trân trọng {honorifc}./." })).toThrow(
      "Mẫu tt01-2018: trường {honorifc} không tồn tại",
    );
  });
});
