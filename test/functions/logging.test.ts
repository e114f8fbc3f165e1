import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, redactLogData, redactText } from "../../shared/adapters/logging/redaction.ts";
import { InvalidInputError } from "../../shared/errors.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("log redaction", () => {
  it("masks phone numbers and e-mail addresses in any string, leaving codes, instants and ids alone", () => {
    const text =
      "gọi 0912 345 678, +84987654321 hoặc 84-903-000-001; gửi a.b@example.gov.vn — hồ sơ 000.00.12.H42-261120-0001 lúc 2026-11-20T09:00:00+07:00 (1763604000000, id 3f0e8400-e29b-41d4)";

    const redacted = redactText(text);

    expect(redacted).not.toMatch(/0912 345 678|987654321|903-000-001|a\.b@example/);
    expect(redacted).toContain("09******78");
    expect(redacted).toContain("a***@e***.vn");
    expect(redacted).toContain("000.00.12.H42-261120-0001");
    expect(redacted).toContain("2026-11-20T09:00:00+07:00");
    expect(redacted).toContain("1763604000000");
  });

  it("replaces values under contact keys whatever they look like, deep in objects, arrays and errors", () => {
    const error = new InvalidInputError("bad number 0912345678", { masked: "09******78", to: "0912345678" });

    const data = redactLogData({
      applicant: {
        name: "Lê Thị Bích",
        phone: "0912345678",
        email: "bich@example.vn",
        address: "12 Nguyễn Huệ",
      },
      recipients: [{ to: "x" }],
      error,
      // biome-ignore lint/suspicious/noExplicitAny: the assertions below read nested fields.
    }) as Record<string, any>;

    expect(data.applicant).toEqual({
      name: "Lê Thị Bích",
      phone: "[redacted]",
      email: "[redacted]",
      address: "[redacted]",
    });
    expect(data.recipients).toEqual([{ to: "[redacted]" }]);
    expect(data.error).toMatchObject({
      name: "InvalidInputError",
      message: "bad number 09******78",
      code: "INVALID_INPUT",
      details: { masked: "09******78", to: "[redacted]" },
    });
    expect(JSON.stringify(data)).not.toContain("0912345678");
  });

  it("runs every line of the functions' Powertools logger through the redaction", () => {
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const logger = createLogger({ serviceName: "dunghan-test", level: "INFO" });

    logger.info("SMS to 0987654321 refused", { dossierCode: "000.00.12.H42-261120-0001", contact: "x@y.vn" });
    logger.error("send failed", { error: new Error("InvalidParameter: +84987654321") });

    const output = lines.join("");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(output).not.toMatch(/987654321|x@y\.vn/);
    expect(output).toContain("000.00.12.H42-261120-0001");
    const [info, error] = lines.map((line) => JSON.parse(line));
    expect(info).toMatchObject({
      level: "INFO",
      service: "dunghan-test",
      message: "SMS to 09******21 refused",
    });
    expect(error.error).toMatchObject({ name: "Error", message: "InvalidParameter: 84*******21" });
  });
});
