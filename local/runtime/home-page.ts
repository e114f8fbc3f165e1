import { type LocalAccount, roleName } from "./local-auth.ts";

/**
 * The local stack's home page (`/`): where things are on this machine and the demo accounts, one
 * table per agency, with the agencies', units' and roles' names as the one-stop desk says them
 * (the ids only where they are typed: the account to pick, the `curl` login). `origin` is the one
 * the browser used, so the command shown works as copied.
 */
export function homePage(accounts: readonly LocalAccount[], origin: string): string {
  const agencies = [...new Set(accounts.map((account) => account.agencyId))];
  const tables = agencies
    .map((agencyId, index) => {
      const members = accounts.filter((account) => account.agencyId === agencyId);
      const agencyName = members.find((account) => account.agencyName)?.agencyName ?? agencyId;
      const rows = members
        .map(
          (account) =>
            `<tr><th scope="row">${escapeHtml(account.name)}</th><td>${escapeHtml(roleName(account))}${account.title ? `<br><span class="muted">${escapeHtml(account.title)}</span>` : ""}</td><td>${escapeHtml(account.unitName ?? account.unitId ?? "—")}</td><td><code>${escapeHtml(account.id)}</code></td></tr>`,
        )
        .join("");
      return `<section aria-labelledby="agency-${index}"><h3 id="agency-${index}">${escapeHtml(agencyName)}</h3><div class="scroll"><table><thead><tr><th scope="col">Họ và tên</th><th scope="col">Vai trò</th><th scope="col">Đơn vị</th><th scope="col">Tài khoản</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
    })
    .join("");
  const api = escapeHtml(origin);
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>dunghan — chạy trên máy này</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>${STYLE}</style></head>
<body><header><h1>dunghan — chạy trên máy này</h1></header>
<main>
<nav aria-label="Các trang trên máy này"><ul>
<li><a href="/dashboard/">Bảng điều hành</a> — lãnh đạo, cán bộ xử lý, quản trị</li>
<li><a href="/tra-cuu">Tra cứu hồ sơ</a> — trang công khai cho người dân</li>
<li><a href="/outbox">Hộp thư đi: tin nhắn SMS và e-mail</a></li>
<li><a href="/inbox">Hộp thư e-mail</a></li>
<li><a href="/health">Tình trạng hệ thống (/health)</a></li>
</ul></nav>
<h2>Tài khoản demo</h2>
<p>Bảng điều hành: bấm <em>Đăng nhập</em> rồi chọn tài khoản (OAuth 2.0 + PKCE, như Cognito trên AWS). Gọi API trực tiếp: <code>curl -s -X POST ${api}/login -d account=TÀI_KHOẢN</code> trả về ID token dùng cho <code>Authorization: Bearer …</code></p>
${tables || "<p>Không có tài khoản demo (chạy không kèm dữ liệu mẫu).</p>"}
</main></body></html>`;
}

const STYLE =
  "body{font-family:system-ui,sans-serif;margin:0;color:#1b1f23;line-height:1.45}" +
  "header{background:#0b4f8a;color:#fff;padding:.8rem 1rem}header h1{font-size:1.3rem;margin:0}" +
  "main{max-width:60rem;margin:0 auto;padding:1rem}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}" +
  "a{color:#0b4f8a}a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}" +
  "nav ul{padding-left:1.2rem}nav li{margin:.3rem 0}" +
  ".scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;min-width:36rem;table-layout:fixed}" +
  "thead th:nth-child(1){width:24%}thead th:nth-child(2){width:32%}thead th:nth-child(3){width:28%}" +
  "td,th{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:left;vertical-align:top}" +
  "tbody th{font-weight:600}.muted{color:#4a545e;font-size:.9rem}code{overflow-wrap:anywhere}";

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}
