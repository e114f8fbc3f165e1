import { describe, expect, it } from "vitest";
import { DossierEventSchema, dossierEventToJson, EVENT_TEXT_LIMITS } from "../../../shared/dossier/index.ts";
import { aReceivedEvent, aSupplementRequest } from "./builders.ts";

/**
 * Hostile free text in an event (docs/security.md): what the edge refuses, and the one thing it changes
 * (NFC). Every refusal names the field and the rule.
 */
type Wire = Record<string, unknown> & { applicant: Record<string, unknown> };
const wire = (): Wire => structuredClone(dossierEventToJson(aReceivedEvent())) as Wire;

function issuesOf(input: unknown): string[] {
  const result = DossierEventSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("free text in a dossier event", () => {
  it.each([
    ["NUL", "Nguyễn\u0000Văn An", /control/],
    ["CR/LF (header injection)", "An\r\nBcc: all@example.vn", /control/],
    ["ESC (terminal escape)", "An\u001b[2J", /control/],
    ["C1 control", "An\u0085", /control/],
    ["bidi override (Trojan Source)", "An\u202eoM", /bidi/],
    ["a lone high surrogate", "An \ud83d", /lone surrogate/],
    ["a lone low surrogate", "An \ude00 x", /lone surrogate/],
  ])("refuses %s in the applicant's name, naming the field", (_, value, rule) => {
    const event = wire();
    event.applicant.name = value;
    const issues = issuesOf(event);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^applicant\.name: /);
    expect(issues[0]).toMatch(rule);
  });

  it("keeps a valid surrogate pair (an emoji or a rare Hán-Nôm character)", () => {
    const event = wire();
    event.applicant.name = "Nguyễn Văn 𠀋";
    expect(issuesOf(event)).toEqual([]);
  });

  it("refuses a 1 MB name and a 1 MB reason by their length", () => {
    const big = "a".repeat(1_000_000);
    const event = wire();
    event.applicant.name = big;
    expect(issuesOf(event).join()).toMatch(/applicant\.name: .*(too big|<=|at most)/i);
    const supplement = {
      ...(dossierEventToJson(aSupplementRequest()) as Record<string, unknown>),
      reason: big,
    };
    expect(issuesOf(supplement).join()).toMatch(/^reason: /);
  });

  it("limits names to 500 characters and free texts to 2,000", () => {
    const event = wire();
    event.applicant.name = "Ă".repeat(EVENT_TEXT_LIMITS.name);
    expect(issuesOf(event)).toEqual([]);
    event.applicant.name = "Ă".repeat(EVENT_TEXT_LIMITS.name + 1);
    expect(issuesOf(event).join()).toMatch(/applicant\.name/);
  });

  it("refuses a list of documents longer than 50", () => {
    const supplement = {
      ...(dossierEventToJson(aSupplementRequest()) as Record<string, unknown>),
      documents: Array.from({ length: EVENT_TEXT_LIMITS.documents + 1 }, (_, i) => `Giấy ${i}`),
    };
    expect(issuesOf(supplement).join()).toMatch(/^documents: /);
  });

  it("normalises decomposed Vietnamese (NFD) to NFC, so the same name is the same string", () => {
    const nfd = "Nguyễn Thị Ánh Tuyết".normalize("NFD");
    expect(nfd).not.toBe("Nguyễn Thị Ánh Tuyết".normalize("NFC"));
    const event = wire();
    event.applicant.name = nfd;
    (event.procedure as Record<string, unknown>).name = "Đăng ký khai sinh".normalize("NFD");
    const parsed = DossierEventSchema.parse(event) as ReturnType<typeof aReceivedEvent>;
    expect(parsed.applicant.name).toBe("Nguyễn Thị Ánh Tuyết".normalize("NFC"));
    expect(parsed.procedure.name).toBe("Đăng ký khai sinh".normalize("NFC"));
  });

  it("refuses deeply nested JSON in a field by its type, without recursing into it", () => {
    let nested: unknown = "x";
    for (let depth = 0; depth < 10_000; depth++) nested = { a: nested };
    const event = wire();
    event.applicant.name = nested;
    expect(issuesOf(event).join()).toMatch(/applicant\.name: .*string/i);
    const extra = { ...wire(), extra: nested };
    expect(issuesOf(extra).join()).toMatch(/unrecognized key/i);
  });

  it("refuses HTML nowhere — it is escaped where rendered (letters, e-mails, dashboard)", () => {
    const event = wire();
    event.applicant.name = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    expect(issuesOf(event)).toEqual([]);
  });
});
