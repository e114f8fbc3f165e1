import { describe, expect, it } from "vitest";
import {
  CitizenChannels,
  type CitizenChannelsConfig,
  type CitizenNoticeInput,
  carrierChannel,
  type FallbackSteps,
  parseCitizenChannelsConfig,
  type StepResult,
  ZaloRefusalError,
  type ZnsMessage,
  type ZnsSender,
  znsTemplateData,
} from "../../../shared/app/citizen-channels.ts";
import { ThrottledError } from "../../../shared/app/messaging-ports.ts";

const CONFIG: CitizenChannelsConfig = parseCitizenChannelsConfig({
  defaultProvince: "demo",
  provinces: {
    demo: {
      templates: {
        "citizen-receipt": {
          templateId: "312001",
          params: { ten: "recipientName", ma_ho_so: "dossierCode", ngay_hen: "appointment" },
        },
        "citizen-apology": {
          templateId: "312003",
          params: {
            ma_ho_so: "dossierCode",
            ngay_hen_moi: "newAppointment",
            ly_do: { field: "reason", maxLength: 30 },
          },
        },
      },
    },
    other: { templates: {} },
  },
  agencies: { "so-tp": { order: ["sms", "zalo"] }, "ubnd-x": { province: "other" } },
  costVnd: { zalo: 300, sms: 750, email: 0 },
});

const RECEIPT: CitizenNoticeInput = {
  dedupeKey: "D1/citizen-receipt/v1/citizen/sms",
  agencyId: "ubnd-tan-an",
  data: {
    kind: "citizen-receipt",
    agencyName: "UBND phường Tân An",
    dossierCode: "000.00.10.H01-261201-0001",
    procedureName: "Đăng ký khai sinh",
    receivedAt: "2026-12-01T08:00:00+07:00",
    appointment: "2026-12-04T08:30:00+07:00",
    recipient: { honorific: "Bà", name: "Nguyễn Thị An" },
  },
  applicant: { phone: "+84912345678", email: "an@example.vn", consent: { sms: true, email: true } },
};

/** A ZNS sender that answers with the given refusal (or success) and records what it was asked. */
function zns(answer: "ok" | ZaloRefusalError | ThrottledError) {
  const sent: ZnsMessage[] = [];
  const sender: ZnsSender = {
    async send(message) {
      sent.push(message);
      if (answer === "ok") return { providerMessageId: "zns-1" };
      throw answer;
    },
  };
  return { sender, sent };
}

/** SMS and e-mail steps that record the channels asked and answer per channel. */
function steps(answers: Partial<Record<"sms" | "email", StepResult>> = {}) {
  const asked: string[] = [];
  const fallback: FallbackSteps = {
    send: async (channel) => {
      asked.push(channel);
      return answers[channel] ?? { ok: true, detail: { providerMessageId: `${channel}-1`, segments: 2 } };
    },
    retry: (send) => send(),
  };
  return { fallback, asked };
}

describe("CitizenChannels: the fallback order", () => {
  it("sends by Zalo first and by nothing else when Zalo takes it", async () => {
    const z = zns("ok");
    const s = steps();

    const outcome = await new CitizenChannels(CONFIG, z.sender).deliver(RECEIPT, s.fallback);

    expect(outcome).toEqual({
      status: "sent",
      channel: "zalo",
      detail: {
        channel: "zalo",
        providerMessageId: "zns-1",
        templateId: "312001",
        order: "zalo>sms>email",
        costVnd: 300,
      },
    });
    expect(s.asked).toEqual([]);
    expect(z.sent).toEqual([
      {
        phone: "+84912345678",
        templateId: "312001",
        templateData: {
          ten: "Nguyễn Thị An",
          ma_ho_so: "000.00.10.H01-261201-0001",
          ngay_hen: "08h30 04/12/2026",
        },
        trackingId: RECEIPT.dedupeKey,
      },
    ]);
  });

  it.each([["NO_ZALO_ACCOUNT"], ["QUOTA_EXCEEDED"], ["TEMPLATE_REJECTED"]] as const)(
    "%s from Zalo → SMS, and the record says why Zalo did not",
    async (refusal) => {
      const s = steps();

      const outcome = await new CitizenChannels(
        CONFIG,
        zns(new ZaloRefusalError(refusal, "refused")).sender,
      ).deliver(RECEIPT, s.fallback);

      expect(s.asked).toEqual(["sms"]);
      expect(outcome).toMatchObject({
        status: "sent",
        channel: "sms",
        detail: { "notBy.zalo": refusal, costVnd: 1500 },
      });
    },
  );

  it("a notice kind without a Zalo template in the province goes by SMS without calling Zalo", async () => {
    const z = zns("ok");
    const s = steps();
    const resultReady: CitizenNoticeInput = {
      ...RECEIPT,
      data: { ...RECEIPT.data, kind: "citizen-result-ready", readyAt: "2026-12-04T08:00:00+07:00" },
    } as CitizenNoticeInput;

    const outcome = await new CitizenChannels(CONFIG, z.sender).deliver(resultReady, s.fallback);

    expect(z.sent).toEqual([]);
    expect(outcome).toMatchObject({ channel: "sms", detail: { "notBy.zalo": "NO_ZALO_TEMPLATE" } });
  });

  it("SMS refused → e-mail when the applicant consented to it", async () => {
    const s = steps({ sms: { ok: false, code: "PERMANENT_DELIVERY_FAILURE", reason: "invalid-recipient" } });

    const outcome = await new CitizenChannels(
      CONFIG,
      zns(new ZaloRefusalError("NO_ZALO_ACCOUNT", "x")).sender,
    ).deliver(RECEIPT, s.fallback);

    expect(s.asked).toEqual(["sms", "email"]);
    expect(outcome).toMatchObject({
      channel: "email",
      detail: { "notBy.zalo": "NO_ZALO_ACCOUNT", "notBy.sms": "PERMANENT_DELIVERY_FAILURE", costVnd: 0 },
    });
  });

  it("without phone consent neither Zalo nor SMS is tried", async () => {
    const z = zns("ok");
    const s = steps();
    const emailOnly = {
      ...RECEIPT,
      applicant: { ...RECEIPT.applicant, consent: { sms: false, email: true } },
    };

    const outcome = await new CitizenChannels(CONFIG, z.sender).deliver(emailOnly, s.fallback);

    expect(z.sent).toEqual([]);
    expect(s.asked).toEqual(["email"]);
    expect(outcome).toMatchObject({
      channel: "email",
      detail: { "notBy.zalo": "NO_CONSENT", "notBy.sms": "NO_CONSENT" },
    });
  });

  it("follows the agency's own order", async () => {
    const z = zns("ok");
    const s = steps();

    const outcome = await new CitizenChannels(CONFIG, z.sender).deliver(
      { ...RECEIPT, agencyId: "so-tp" },
      s.fallback,
    );

    expect(outcome).toMatchObject({ channel: "sms", detail: { order: "sms>zalo" } });
    expect(z.sent).toEqual([]);
  });

  it("a throttled Zalo is thrown before any other channel is tried (never two channels for one notice)", async () => {
    const s = steps();

    await expect(
      new CitizenChannels(CONFIG, zns(new ThrottledError("later")).sender).deliver(RECEIPT, s.fallback),
    ).rejects.toBeInstanceOf(ThrottledError);
    expect(s.asked).toEqual([]);
  });

  it("fails with every channel's reason when none takes it", async () => {
    const s = steps({
      sms: { ok: false, code: "PERMANENT_DELIVERY_FAILURE", reason: "x" },
      email: { ok: false, code: "PERMANENT_DELIVERY_FAILURE", reason: "y" },
    });

    const outcome = await new CitizenChannels(
      CONFIG,
      zns(new ZaloRefusalError("CANNOT_RECEIVE", "x")).sender,
    ).deliver(RECEIPT, s.fallback);

    expect(outcome).toEqual({
      status: "failed",
      code: "NO_CHANNEL_DELIVERED",
      reason:
        "no channel took the notice (zalo: CANNOT_RECEIVE; sms: PERMANENT_DELIVERY_FAILURE; email: PERMANENT_DELIVERY_FAILURE)",
      detail: {
        order: "zalo>sms>email",
        "notBy.zalo": "CANNOT_RECEIVE",
        "notBy.sms": "PERMANENT_DELIVERY_FAILURE",
        "notBy.email": "PERMANENT_DELIVERY_FAILURE",
      },
    });
  });
});

describe("ZNS templates per province", () => {
  it("an agency of another province uses that province's templates (none here → fallback)", () => {
    expect(znsTemplateData(CONFIG, "ubnd-x", RECEIPT.data)).toEqual({
      ok: false,
      code: "NO_ZALO_TEMPLATE",
      reason: "no ZNS template for citizen-receipt in other",
    });
  });

  it("a parameter longer than the template allows is caught before Zalo refuses it", () => {
    const apology = {
      kind: "citizen-apology" as const,
      agencyName: "UBND phường Tân An",
      dossierCode: "D1",
      procedureName: "Đăng ký khai sinh",
      reason: "Hồ sơ cần xác minh thêm tại cơ quan khác",
      newAppointment: "2026-12-08T08:30:00+07:00",
    };
    expect(znsTemplateData(CONFIG, "ubnd-tan-an", apology)).toMatchObject({
      ok: false,
      code: "TEMPLATE_PARAM_TOO_LONG",
    });
  });

  it("refuses a configuration naming an unknown province or a channel twice", () => {
    expect(() =>
      parseCitizenChannelsConfig({ defaultProvince: "nowhere", provinces: {}, order: ["zalo", "zalo"] }),
    ).toThrow(/order: a channel appears twice; defaultProvince: unknown province "nowhere"/);
  });
});

describe("carrierChannel: which planned alert carries the notice", () => {
  it("is the first planned channel the applicant consented to and gave a contact for", () => {
    expect(carrierChannel(["sms", "email"], RECEIPT.applicant)).toBe("sms");
    expect(carrierChannel(["sms", "email"], { ...RECEIPT.applicant, phone: undefined })).toBe("email");
    expect(carrierChannel(["email", "sms"], RECEIPT.applicant)).toBe("email");
    expect(
      carrierChannel(["sms"], { consent: { sms: false, email: true }, email: "a@b.vn" }),
    ).toBeUndefined();
  });
});

describe("CitizenChannels: no delivery within the configured time", () => {
  const timed = { ...CONFIG, deliveryTimeoutMinutes: 30 };
  const withStatus = (delivered: boolean) => {
    const asked: string[] = [];
    const sender: ZnsSender = {
      send: async () => ({ providerMessageId: "zns-9" }),
      delivered: async (id) => {
        asked.push(id);
        return delivered;
      },
    };
    return { sender, asked };
  };

  it("a message Zalo accepted waits for its delivery: 'awaiting' for the configured time", async () => {
    const outcome = await new CitizenChannels(timed, withStatus(true).sender).deliver(
      RECEIPT,
      steps().fallback,
    );

    expect(outcome).toMatchObject({
      status: "awaiting",
      waitMs: 30 * 60_000,
      detail: { channel: "zalo", providerMessageId: "zns-9", code: "AWAITING_ZALO_DELIVERY" },
    });
  });

  it("delivered in time → recorded delivered by Zalo, nothing else sent", async () => {
    const z = withStatus(true);
    const s = steps();

    const outcome = await new CitizenChannels(timed, z.sender).deliver(RECEIPT, s.fallback, "zns-9");

    expect(outcome).toMatchObject({ status: "delivered", channel: "zalo", detail: { costVnd: 300 } });
    expect(z.asked).toEqual(["zns-9"]);
    expect(s.asked).toEqual([]);
  });

  it("not delivered in time → the channels after Zalo, Zalo not asked to send again", async () => {
    const sends: string[] = [];
    const sender: ZnsSender = {
      send: async () => {
        sends.push("zalo");
        return { providerMessageId: "zns-10" };
      },
      delivered: async () => false,
    };
    const s = steps();

    const outcome = await new CitizenChannels(timed, sender).deliver(RECEIPT, s.fallback, "zns-9");

    expect(sends).toEqual([]);
    expect(s.asked).toEqual(["sms"]);
    expect(outcome).toMatchObject({
      status: "sent",
      channel: "sms",
      detail: { "notBy.zalo": "NOT_DELIVERED_IN_TIME" },
    });
  });
});
