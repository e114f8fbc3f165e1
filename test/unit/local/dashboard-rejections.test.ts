import { describe, expect, it } from "vitest";
import { StaffApiClient } from "../../../dashboard/web/api-client.ts";
import { refusalKind, refusalText } from "../../../dashboard/web/rejection-words.ts";

describe("the rejections view's words", () => {
  it("says a second apology in words, by its rule", () => {
    expect(refusalText({ rule: "once:apology-issued", errorCode: "CONFLICT" })).toBe(
      "Hồ sơ này đã có thư xin lỗi: mỗi hồ sơ chỉ được xin lỗi và hẹn lại một lần.",
    );
  });

  it("falls back to the error code's words for a rule it does not know, then to the code", () => {
    expect(refusalText({ rule: "some-new-rule", errorCode: "INVALID_INPUT" })).toBe(
      "Dữ liệu của sự kiện không hợp lệ.",
    );
    expect(refusalText({ errorCode: "TEAPOT" })).toBe("Bị từ chối (TEAPOT).");
  });

  it("tells a conflict with stored data from an invalid event", () => {
    expect(refusalKind("CONFLICT")).toEqual({ key: "conflict", text: "Xung đột dữ liệu" });
    expect(refusalKind("INVALID_INPUT")).toEqual({ key: "validation", text: "Không hợp lệ" });
    expect(refusalKind("UNSUPPORTED_DATE").key).toBe("validation");
  });
});

describe("the typed client's rejections", () => {
  it("asks for one page, passing the cursor back as the API gave it", async () => {
    const asked: string[] = [];
    const client = new StaffApiClient({
      json: async (_method, path) => {
        asked.push(path);
        return { items: [], cursor: undefined };
      },
      text: async () => "",
    });
    await client.rejections();
    await client.rejections({ limit: 20, cursor: "a/b=" });
    expect(asked).toEqual(["/rejections", "/rejections?limit=20&cursor=a%2Fb%3D"]);
  });
});
