import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countSegments,
  type NoticeData,
  renderEmail,
  renderNotice,
  renderSms,
  smsEncoding,
  sortDigestRows,
  summarizeDigest,
  truncateAtWord,
} from "../../../shared/letters/notices/index.ts";
import {
  aDigestRow,
  CODE,
  LONG_AGENCY,
  LONG_PROCEDURE,
  LONG_REASON,
  SUPPLEMENT_DOCUMENTS,
  SUPPLEMENT_REASON,
  worstCaseNotices,
} from "./builders.ts";

const NOTICES = worstCaseNotices();
const byKind = (kind: NoticeData["kind"]): NoticeData => NOTICES.find((n) => n.kind === kind)!;

/** Dates each notice must carry whole (short SMS form). */
const DATES: Record<NoticeData["kind"], string[]> = {
  "handler-due-soon": ["08h30 26/11/2026"],
  "apology-duty": ["08h30 26/11/2026", "08h30 25/11/2026"],
  "apology-overdue": ["08h30 26/11/2026", "08h30 25/11/2026"],
  escalation: ["08h30 26/11/2026"],
  "leader-digest": ["27/11/2026"],
  "citizen-receipt": ["14h15 20/11/2026", "14h15 26/11/2026"],
  "citizen-apology": ["08h30 03/12/2026"],
  // The request itself is the news; the time limit starts again (or resumes) on a date not known yet.
  "citizen-supplement-requested": [],
  "citizen-result-ready": ["08h30 03/12/2026"],
};

describe("SMS: at most two segments with worst-case values", () => {
  for (const data of NOTICES) {
    for (const encoding of ["gsm7", "ucs2"] as const) {
      it(`${data.kind} (${encoding})`, () => {
        const sms = renderSms(data, { encoding });
        expect(countSegments(sms.text).segments).toBeLessThanOrEqual(2);
        expect(sms.segments).toBe(countSegments(sms.text).segments);
        expect(sms.encoding).toBe(encoding);
        expect(sms.text.normalize("NFC")).toBe(sms.text);
        for (const date of DATES[data.kind]) expect(sms.text).toContain(date);
        if (data.kind !== "leader-digest") expect(sms.text).toContain(CODE);
        expect(sms.text).toMatchSnapshot();
      });
    }
  }

  it("GSM-7 output is unaccented and fits the cheaper alphabet", () => {
    const sms = renderSms(byKind("citizen-apology"));
    expect(sms.encoding).toBe("gsm7");
    expect(smsEncoding(sms.text)).toBe("gsm7");
    expect(sms.text.startsWith("Trung tam Phuc vu hanh chinh cong tinh Tay Ninh xin loi Ong/Ba")).toBe(true);
  });

  it("shortens the procedure name at a word boundary, never the code or the date", () => {
    const sms = renderSms(byKind("handler-due-soon"), { encoding: "ucs2" });
    expect(sms.shortened).toContain("procedureName");
    expect(sms.dropped).toEqual(["advice"]);
    const shortened = /\((.*)…\)/u.exec(sms.text)?.[1];
    expect(shortened).toBeDefined();
    expect(LONG_PROCEDURE.startsWith(shortened!)).toBe(true);
    expect(LONG_PROCEDURE[shortened!.length]).toBe(" ");
  });

  it("keeps everything when it fits", () => {
    const sms = renderSms({
      kind: "citizen-result-ready",
      agencyName: "UBND xã Bình Đức",
      dossierCode: CODE,
      procedureName: "Chứng thực bản sao",
      readyAt: "2026-11-20T09:00:00+07:00",
    });
    expect(sms.text).toBe(
      `UBND xa Binh Duc thong bao: ho so ${CODE} (Chung thuc ban sao) da co ket qua tu 09h00 20/11/2026. ` +
        "Moi Ong/Ba nhan ket qua.",
    );
    expect(sms).toMatchObject({ segments: 1, shortened: [], dropped: [] });
  });

  it("uses the agency's short name in SMS when given", () => {
    const sms = renderSms(
      {
        ...(byKind("citizen-apology") as Extract<NoticeData, { kind: "citizen-apology" }>),
        agencyShortName: "TTPVHCC Tây Ninh",
      },
      { encoding: "ucs2" },
    );
    expect(sms.text.startsWith("TTPVHCC Tây Ninh xin lỗi")).toBe(true);
  });

  it("holds for any long Vietnamese free text (property)", () => {
    const word = fc.constantFrom(
      "Cấp",
      "giấy",
      "chứng",
      "nhận",
      "quyền",
      "sử",
      "dụng",
      "đất,",
      "Trung",
      "tâm",
      "Phục",
      "vụ",
      "hành",
      "chính",
      "công",
      "tỉnh",
      "Tây",
      "Ninh",
      "[liên",
      "thông]",
      "Văn phòng Đăng ký đất đai",
      "Nghĩaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    const text = fc.array(word, { minLength: 1, maxLength: 60 }).map((ws) => ws.join(" "));
    fc.assert(
      fc.property(fc.constantFrom(...NOTICES), text, text, (base, a, b) => {
        const data = { ...base } as Record<string, unknown>;
        for (const key of ["procedureName", "responsibleUnit", "agencyName", "unitName", "pickupPlace"]) {
          if (key in data) data[key] = a;
        }
        for (const key of ["reason", "handlerName"]) if (key in data) data[key] = b;
        if ("documents" in data) data.documents = [a, b];
        for (const encoding of ["gsm7", "ucs2"] as const) {
          const sms = renderSms(data as unknown as NoticeData, { encoding });
          expect(sms.segments).toBeLessThanOrEqual(2);
          for (const date of DATES[base.kind]) expect(sms.text).toContain(date);
          if (base.kind !== "leader-digest") expect(sms.text).toContain(CODE);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the supplement request (TT 01/2018 Mẫu 02)", () => {
  const request = byKind("citizen-supplement-requested") as Extract<
    NoticeData,
    { kind: "citizen-supplement-requested" }
  >;

  it("tells the applicant by SMS what to bring and that the time limit starts again", () => {
    const sms = renderSms({ ...request, agencyShortName: "VPĐKĐĐ Tân An" });

    // The whole list of documents: the procedure name and the advice give way first.
    expect(sms.text).toBe(
      `VPDKDD Tan An yeu cau bo sung ho so ${CODE} (Cap giay chung nhan quyen su dung dat...): ` +
        "Ban ve so do thua dat co xac nhan cua don vi do dac; Giay uy quyen co cong chung hoac chung thuc; " +
        "To khai le phi truoc ba nha, dat (ban chinh). Thoi han giai quyet tinh lai tu dau khi nhan du ho so.",
    );
    expect(sms).toMatchObject({ segments: 2, shortened: ["procedureName"], dropped: ["advice"] });
  });

  it("keeps the code, the request and the clock note whole when UCS-2 leaves little room, shortening the list at a word", () => {
    const sms = renderSms(request, { encoding: "ucs2" });

    expect(sms.segments).toBeLessThanOrEqual(2);
    expect(sms.text).toContain(`yêu cầu bổ sung hồ sơ ${CODE}: `);
    expect(sms.text.endsWith("… Thời hạn giải quyết tính lại từ đầu khi nhận đủ hồ sơ.")).toBe(true);
    expect(sms.shortened).toContain("details");
    const list = /: (.*)… Thời hạn/u.exec(sms.text)?.[1];
    expect(list).toBeDefined();
    expect(SUPPLEMENT_DOCUMENTS.join("; ").startsWith(list!)).toBe(true);
  });

  it("gives the reason when no documents are listed, and says the clock pauses under a pause policy", () => {
    const { documents: _, ...withoutList } = request;
    const sms = renderSms({ ...withoutList, clock: "pause", agencyShortName: "UBND xã Bình Đức" });

    expect(sms.text).toContain(`ho so ${CODE}`);
    expect(sms.text).toContain("Ban ve so do thua dat chua the hien dung ranh gioi");
    expect(sms.text).toContain("Thoi han giai quyet tam dung den khi nhan du ho so.");
    expect(renderEmail({ ...withoutList, clock: "pause" }).text).not.toContain("cần bổ sung, hoàn thiện:");
  });

  it("writes the e-mail with the reason, the numbered list, the clock and whom to ask", () => {
    const email = renderEmail(request);

    expect(email.subject).toBe(`Yêu cầu bổ sung, hoàn thiện hồ sơ ${CODE}`);
    expect(email.text).toContain("Kính gửi Bà Nguyễn Thị Ánh Tuyết,");
    expect(email.text).toContain(
      `Lúc 10 giờ 00 phút, ngày 23 tháng 11 năm 2026, ${LONG_AGENCY} yêu cầu bổ sung, hoàn thiện hồ sơ ${CODE}`,
    );
    expect(email.text).toContain(`Lý do: ${SUPPLEMENT_REASON}.`);
    expect(email.text).toContain(
      "Giấy tờ, nội dung cần bổ sung, hoàn thiện: (1) Bản vẽ sơ đồ thửa đất có xác nhận của đơn vị đo đạc; " +
        "(2) Giấy ủy quyền có công chứng hoặc chứng thực; (3) Tờ khai lệ phí trước bạ nhà, đất (bản chính).",
    );
    expect(email.text).toContain(
      "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ; khi đó Bà sẽ nhận được giấy hẹn trả kết quả mới.",
    );
    expect(email.text).toContain(`Bà vui lòng liên hệ ${LONG_AGENCY} để được hướng dẫn.`);
  });
});

describe("truncateAtWord", () => {
  it("cuts at the last whole word and adds an ellipsis", () => {
    expect(truncateAtWord("Cấp giấy chứng nhận quyền sử dụng đất", 20)).toBe("Cấp giấy chứng nhận…");
    expect(truncateAtWord("Cấp giấy chứng nhận quyền", 19)).toBe("Cấp giấy chứng…");
  });

  it("drops trailing punctuation before the ellipsis", () => {
    expect(truncateAtWord("quyền sử dụng đất, quyền sở hữu", 19)).toBe("quyền sử dụng đất…");
  });

  it("leaves short text alone", () => {
    expect(truncateAtWord("Đất đai", 20)).toBe("Đất đai");
  });
});

describe("e-mails (snapshots)", () => {
  for (const data of NOTICES) {
    it(data.kind, () => {
      const email = renderEmail(data);
      expect(email.html.startsWith('<!DOCTYPE html>\n<html lang="vi">')).toBe(true);
      expect(email.text).toContain(data.kind === "leader-digest" ? "000.00.12.H42-261120-0002" : CODE);
      expect({ subject: email.subject, html: email.html, text: email.text }).toMatchSnapshot();
    });
  }

  it("writes the citizen's apology with the full reason and the long new date", () => {
    const email = renderEmail(byKind("citizen-apology"));
    expect(email.subject).toBe(`Xin lỗi và hẹn lại ngày trả kết quả hồ sơ ${CODE}`);
    expect(email.text).toContain("Kính gửi Bà Nguyễn Thị Ánh Tuyết,");
    expect(email.text).toContain(`${LONG_AGENCY} trân trọng xin lỗi Bà`);
    expect(email.text).toContain(`Lý do: ${LONG_REASON}.`);
    expect(email.text).toContain("Thời gian hẹn trả kết quả mới: 08 giờ 30 phút, ngày 03 tháng 12 năm 2026.");
  });

  it("escapes HTML in values", () => {
    const email = renderEmail({
      kind: "escalation",
      dossierCode: CODE,
      procedureName: "Cấp phép <script>alert(1)</script>",
      dueAt: "2026-11-26T08:30:00+07:00",
      daysOverdue: 3,
      responsibleUnit: 'Phòng "Kinh tế" & Hạ tầng',
    });
    expect(email.html).toContain("Cấp phép &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain("Phòng &quot;Kinh tế&quot; &amp; Hạ tầng");
    expect(email.html).not.toContain("<script>");
    expect(email.text).toContain("Cấp phép <script>alert(1)</script>");
  });

  it("leaves out the handler line when no handler is named", () => {
    const email = renderEmail({
      kind: "handler-due-soon",
      dossierCode: CODE,
      procedureName: "Chứng thực bản sao",
      dueAt: "2026-11-26T08:30:00+07:00",
    });
    expect(email.text.startsWith("Hồ sơ 000.00.12.H42-261120-0001 (Chứng thực bản sao) sắp đến hạn")).toBe(
      true,
    );
  });

  it("tells the citizen to collect the result the registered way when no place is given", () => {
    const { pickupPlace: _, ...data } = byKind("citizen-result-ready") as Extract<
      NoticeData,
      { kind: "citizen-result-ready" }
    >;
    expect(renderEmail(data).text).toContain("Mời Ông nhận kết quả theo hình thức đã đăng ký.");
  });
});

describe("leader digest", () => {
  const rows = [
    aDigestRow({ dossierCode: "A-0001", daysOverdue: 0, dueAt: "2026-11-28T08:00:00+07:00" }),
    aDigestRow({
      dossierCode: "A-0002",
      daysOverdue: 2,
      dueAt: "2026-11-24T08:00:00+07:00",
      apologyStatus: "sent",
    }),
    aDigestRow({ dossierCode: "A-0003", daysOverdue: 0, dueAt: "2026-11-27T08:00:00+07:00" }),
    aDigestRow({
      dossierCode: "A-0004",
      daysOverdue: 7.5,
      dueAt: "2026-11-16T08:00:00+07:00",
      apologyStatus: "draft",
    }),
    aDigestRow({
      dossierCode: "A-0005",
      daysOverdue: 2,
      dueAt: "2026-11-24T07:00:00+07:00",
      apologyStatus: "draft",
    }),
  ];

  it("sorts most overdue first, then soonest due", () => {
    expect(sortDigestRows(rows).map((r) => r.dossierCode)).toEqual([
      "A-0004",
      "A-0005",
      "A-0002",
      "A-0003",
      "A-0001",
    ]);
  });

  it("summarises counts and the worst dossier", () => {
    const summary = summarizeDigest(rows);
    expect(summary).toMatchObject({ total: 5, overdueCount: 3, dueSoonCount: 2, pendingApprovalCount: 2 });
    expect(summary.worst?.dossierCode).toBe("A-0004");
  });

  it("renders the e-mail blocks in urgency order with Vietnamese numbers and labels", () => {
    const email = renderEmail({
      kind: "leader-digest",
      date: "2026-11-27",
      unitName: "UBND xã Bình Đức",
      rows,
    });
    const order = ["A-0004", "A-0005", "A-0002", "A-0003", "A-0001"].map((c) => email.html.indexOf(c));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(email.html).toContain('Số ngày quá hạn: <span style="color:#b00020;font-weight:bold">7,5</span>');
    expect(email.html).toContain("Xin lỗi: Dự thảo, chờ duyệt</p>");
    expect(email.subject).toBe("Tổng hợp hồ sơ ngày 27/11/2026 - UBND xã Bình Đức: 3 quá hạn, 2 sắp đến hạn");
    expect(email.text).toContain("1. A-0004 |");
    expect(email.text).not.toContain("Xem chi tiết");
  });

  it("marks a dossier whose clock is stopped (its escalation waits)", () => {
    const email = renderEmail({
      kind: "leader-digest",
      date: "2026-11-27",
      unitName: "UBND xã Bình Đức",
      rows: [
        aDigestRow({ dossierCode: "A-0006", daysOverdue: 1.5, clockStopped: "awaiting-supplement" }),
        aDigestRow({ dossierCode: "A-0007", daysOverdue: 0.5, clockStopped: "paused" }),
      ],
    });
    expect(email.html).toContain(">1,5 (chờ bổ sung)</span>");
    expect(email.text).toContain("quá hạn: 0,5 (tạm dừng)");
  });
});

describe("leader digest on a phone, to the leader by name", () => {
  const digest = (recipientName?: string) =>
    renderEmail({
      kind: "leader-digest",
      date: "2026-11-27",
      unitName: "UBND xã Bình Đức",
      ...(recipientName === undefined ? {} : { recipientName }),
      rows: [
        aDigestRow({ dossierCode: "A-0001", daysOverdue: 3 }),
        aDigestRow({ dossierCode: "A-0002", daysOverdue: 0 }),
      ],
    });

  it("greets the leader by name, and the unit's leaders when the directory has no name", () => {
    expect(digest("Nguyễn Văn Minh").text).toMatch(/^Kính gửi ông\/bà Nguyễn Văn Minh,\n/);
    expect(digest().text).toMatch(/^Kính gửi lãnh đạo đơn vị,\n/);
  });

  it("has no table wider than two columns: one block per dossier, and a viewport for phones", () => {
    const { html } = digest("Nguyễn Văn Minh");
    const widest = Math.max(
      0,
      ...[...html.matchAll(/<tr[\s>][\s\S]*?<\/tr>/g)].map(
        (row) => row[0].match(/<t[dh][\s>]/g)?.length ?? 0,
      ),
    );
    expect(widest).toBeLessThanOrEqual(2);
    expect(html.match(/<div style="border/g)).toHaveLength(2);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});

describe("citations follow the reception date", () => {
  const warning = (receivedAt?: string) =>
    renderEmail({
      kind: "handler-due-soon",
      dossierCode: CODE,
      procedureName: "Chứng thực bản sao",
      dueAt: "2026-11-26T08:30:00+07:00",
      ...(receivedAt === undefined ? {} : { receivedAt }),
    }).text;

  it("cites NĐ 61/2018 for a dossier received until 30/06/2025, NĐ 118/2025 from 01/07/2025", () => {
    expect(warning("2025-06-30T16:00:00+07:00")).toContain("(NĐ 61/2018/NĐ-CP)");
    // 30/06 17:30 UTC is 01/07 00:30 in Vietnam.
    expect(warning("2025-06-30T17:30:00Z")).toContain("(NĐ 118/2025/NĐ-CP)");
    expect(warning("2026-11-20T09:00:00+07:00")).toContain("(NĐ 118/2025/NĐ-CP)");
    expect(warning("2026-11-20T09:00:00+07:00")).not.toContain("61/2018");
    expect(warning()).toContain("(NĐ 118/2025/NĐ-CP)");
  });
});

describe("renderNotice", () => {
  it("sends an SMS to the normalised number", () => {
    const result = renderNotice({ channel: "sms", to: "0912 345 667", data: byKind("citizen-apology") });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message).toMatchObject({ channel: "sms", to: "+84912345667", kind: "citizen-apology" });
  });

  it("sends an e-mail with subject, HTML and text", () => {
    const result = renderNotice({
      channel: "email",
      to: "Tuyet.NTA@Gmail.com",
      data: byKind("citizen-result-ready"),
    });
    expect(result).toMatchObject({
      ok: true,
      message: { channel: "email", to: "Tuyet.NTA@gmail.com", subject: `Hồ sơ ${CODE} đã có kết quả` },
    });
  });

  it("fails one notice on a bad phone, with a masked reason", () => {
    const result = renderNotice({ channel: "sms", to: "0212 345 667", data: byKind("citizen-apology") });
    expect(result).toEqual({
      ok: false,
      error: { code: "INVALID_PHONE", reason: "Số điện thoại di động không hợp lệ: 02******67" },
    });
  });

  it("fails one notice on a bad e-mail, with a masked reason", () => {
    const result = renderNotice({ channel: "email", to: "tuyet@@gmail", data: byKind("citizen-apology") });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("INVALID_EMAIL");
    expect(result.error.reason).not.toContain("tuyet");
  });

  it("fails on a missing contact", () => {
    expect(renderNotice({ channel: "sms", to: "  ", data: byKind("escalation") })).toEqual({
      ok: false,
      error: { code: "MISSING_CONTACT", reason: "Chưa có số điện thoại di động" },
    });
  });

  it("fails on invalid notice data", () => {
    const result = renderNotice({
      channel: "sms",
      to: "0912345667",
      data: { ...(byKind("escalation") as Extract<NoticeData, { kind: "escalation" }>), dueAt: "hôm qua" },
    });
    expect(result).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    if (result.ok) return;
    expect(result.error.reason).toContain("dueAt");
  });
});
