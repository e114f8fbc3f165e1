import { describe, expect, it } from "vitest";
import { homePage } from "../../../local/runtime/home-page.ts";
import type { LocalAccount } from "../../../local/runtime/local-auth.ts";

const AGENCY = { agencyId: "ttpvhcc-tinh", agencyName: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh" };
const accounts: LocalAccount[] = [
  { id: "gd-trung", name: "Nguyễn Văn Trung", role: "leader", ...AGENCY, title: "Giám đốc" },
  {
    id: "tp-hanh",
    name: "Lê Thị Hạnh",
    role: "leader",
    ...AGENCY,
    unitId: "quay-tu-phap",
    unitName: "Quầy Sở Tư pháp",
  },
  {
    id: "cv-khang",
    name: "Đỗ Minh Khang",
    role: "handler",
    ...AGENCY,
    unitId: "quay-tu-phap",
    unitName: "Quầy Sở Tư pháp",
  },
  { id: "admin", name: "Quản trị hệ thống (demo)", role: "admin", ...AGENCY },
  { id: "cv-bao", name: "Lâm Gia Bảo", role: "handler", agencyId: "ttpvhcc-tan-an" },
];

/** The text a reader sees: tags, and the `<code>` of ids to type, taken out. */
const visibleText = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, "")
    .replace(/<code>[\s\S]*?<\/code>/g, "")
    .replace(/<[^>]+>/g, " ");

describe("the local stack's home page", () => {
  const html = homePage(accounts, "http://127.0.0.1:3000");

  it("names the roles in Vietnamese, never by their group ids", () => {
    const text = visibleText(html);
    for (const role of ["Lãnh đạo cơ quan", "Lãnh đạo đơn vị", "Cán bộ xử lý", "Quản trị"]) {
      expect(text).toContain(role);
    }
    expect(text).not.toMatch(/\b(leader|handler|admin)\b/);
  });

  it("names the agencies and units, and falls back to the id only where no name is known", () => {
    expect(html).toContain(`<h3 id="agency-0">${AGENCY.agencyName}</h3>`);
    expect(html).toContain("<td>Quầy Sở Tư pháp</td>");
    expect(visibleText(html)).not.toContain("ttpvhcc-tinh");
    expect(html).toContain(`<h3 id="agency-1">ttpvhcc-tan-an</h3>`);
  });

  it("has no placeholder left: the curl command names this stack's origin", () => {
    expect(html).not.toMatch(/\{[A-Z_]+\}|\$\{|undefined|null/);
    expect(html).toContain("curl -s -X POST http://127.0.0.1:3000/login -d account=");
  });

  it("links the dashboard's icon and keeps the ids in code for copying", () => {
    expect(html).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml">');
    expect(html).toContain("<code>gd-trung</code>");
  });

  it("escapes what it shows", () => {
    const page = homePage([{ id: "x", name: "<b>X</b>", role: "handler", agencyId: "a" }], "http://h");
    expect(page).toContain("&lt;b&gt;X&lt;/b&gt;");
  });
});
