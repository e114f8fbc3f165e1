import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { type LetterFonts, letterCss } from "../shared/letters/render/index.ts";

/**
 * The dashboard as static files, built by esbuild from `app.ts` — the ONE build both places use:
 * the local runtime serves the files under `/dashboard/` (local/runtime/stack.ts), and the CDK
 * stack bundles them at synthesis into the S3 bucket behind CloudFront (cdk/dashboard-site.ts).
 * Besides these files each place serves a `config.json` (./config.ts) saying where the API and
 * the OAuth 2.0 server are.
 */

export interface DashboardFile {
  /** Relative to the dashboard's root: `index.html`, `assets/dashboard-<hash>.js`. */
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
  /** The name carries a hash of the content: it may be cached for a year. */
  readonly immutable: boolean;
}

export interface DashboardBuild {
  readonly files: readonly DashboardFile[];
  file(path: string): DashboardFile | undefined;
}

/** Where `assets/…` live below the root; index.html refers to them relatively. */
export const ASSETS_DIR = "assets";

/**
 * Builds the page, its script and its style. Synchronous (esbuild's buildSync) because CDK asset
 * bundling is; deterministic, so the same sources give the same hashed names and the same asset
 * hash in the cloud assembly.
 */
export function buildDashboard(): DashboardBuild {
  const js = hashed("dashboard", "js", "text/javascript; charset=utf-8", bundle("./web/app.ts"));
  // Named by its content like the other assets: cached for a year, never stale.
  const favicon = hashed("favicon", "svg", "image/svg+xml", FAVICON_SVG);
  const css = hashed("dashboard", "css", "text/css; charset=utf-8", STYLE.trim());
  const index: DashboardFile = {
    path: "index.html",
    contentType: "text/html; charset=utf-8",
    body: indexHtml(js.path, css.path, favicon.path),
    immutable: false,
  };
  // Tra cứu hồ sơ, the applicant's public page (docs/public-lookup.md): no sign-in, its own script.
  const lookupJs = hashed("tra-cuu", "js", "text/javascript; charset=utf-8", bundle("./web/lookup.ts"));
  const lookup: DashboardFile = {
    path: LOOKUP_PAGE,
    contentType: "text/html; charset=utf-8",
    body: lookupHtml(lookupJs.path, css.path, favicon.path),
    immutable: false,
  };
  const files = [index, js, css, lookup, lookupJs, favicon];
  return { files, file: (path) => files.find((file) => file.path === path) };
}

/** The applicant's lookup page, next to index.html (one S3 key, no folder index needed on CloudFront). */
export const LOOKUP_PAGE = "tra-cuu.html";

/**
 * The pages whose names carry no hash: a deployment must replace them and browsers revalidate them
 * on every load (cdk/dashboard-site.ts), or a page would keep referring to last release's script.
 */
export const ENTRY_PAGES = ["index.html", LOOKUP_PAGE] as const;

/**
 * The site's icon, a calendar page with a tick in the dashboard's blue: every page links it (so
 * no browser asks for a missing /favicon.ico). Its own drawing, no external font or image.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="4" width="28" height="26" rx="5" fill="#0b4f8a"/><rect x="2" y="4" width="28" height="8" rx="4" fill="#083a66"/><rect x="8" y="1" width="3" height="7" rx="1.5" fill="#f0a500"/><rect x="21" y="1" width="3" height="7" rx="1.5" fill="#f0a500"/><path d="M9 20l5 5 9-10" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>\n`;

function bundle(entry: string): string {
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const [script] = result.outputFiles;
  if (!script) throw new Error(`esbuild produced no script for ${entry}`);
  return script.text;
}

/** Writes a build into `dir` (CDK's bundling output folder). */
export function writeDashboard(dir: string, build: DashboardBuild = buildDashboard()): void {
  for (const file of build.files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
  }
}

/**
 * The page's Content-Security-Policy: scripts, styles and images from its own origin only, no
 * inline code, and `fetch` to its own origin (config.json, the API) plus the OAuth server's
 * token endpoint when it is elsewhere (the Cognito domain on AWS). The one inline style allowed,
 * by its hash, is the apology letter's own `<style>`: the letter preview is a sandboxed `srcdoc`
 * iframe, and such a frame inherits this policy.
 */
export function dashboardContentSecurityPolicy(letterFonts: LetterFonts, authOrigin?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${letterStyleHash(letterFonts)}`,
    // The letter's typeface travels inside its style as data URLs (shared/letters/render/letter-font.ts).
    "font-src data:",
    "img-src 'self' data:",
    `connect-src 'self'${authOrigin ? ` ${authOrigin}` : ""}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The CSP source for the letter's `<style>` element as renderApologyLetterHtml writes it (its font
 * faces included, so the hash is over the same font files the functions read).
 */
export function letterStyleHash(letterFonts: LetterFonts): string {
  return `'sha256-${createHash("sha256")
    .update(`\n${letterCss(letterFonts)}\n`)
    .digest("base64")}'`;
}

function hashed(name: string, extension: string, contentType: string, body: string): DashboardFile {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { path: `${ASSETS_DIR}/${name}-${hash}.${extension}`, contentType, body, immutable: true };
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23;line-height:1.45}
header{background:#0b4f8a;color:#fff;padding:.8rem 1rem}
header h1{font-size:1.2rem;margin:0}
main{max-width:72rem;margin:0 auto;padding:1rem}
.who{display:flex;justify-content:space-between;align-items:center;gap:.5rem;margin-bottom:1rem;flex-wrap:wrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,28rem),1fr));gap:1rem}
.card{background:#fff;border-radius:.5rem;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h2{font-size:1.05rem;margin:0 0 .6rem}
h3{font-size:1rem;margin:0 0 .4rem}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}
select,input,textarea{width:100%;font:inherit;padding:.45rem;border:1px solid #8a949e;border-radius:.3rem;background:#fff;color:inherit}
select,input{min-height:2.75rem}
[aria-invalid=true]{border:2px solid #a40000}
button{font:inherit;padding:.55rem .9rem;margin:.5rem .4rem 0 0;border:0;border-radius:.3rem;background:#0b4f8a;color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#5a6570}
button.danger{background:#a40000}
button:disabled{opacity:.6;cursor:wait}
button:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:#555;padding-bottom:.3rem}
th,td{padding:.4rem .5rem;border-bottom:1px solid #e1e4e8;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total th,tr.total td{font-weight:700}
tr.overdue{background:#fde8e8}
.grade{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-weight:600;color:#1b1f23}
.grade-green{background:#92d050}.grade-yellow{background:#ffeb3b}.grade-orange{background:#ffc000}.grade-red{background:#c62828;color:#fff}
.note{color:#555;font-size:.85rem}
ul.dossiers{list-style:none;padding:0;margin:0}
ul.dossiers li{display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:.4rem 0;border-bottom:1px solid #e1e4e8}
.due{color:#a40000}
svg{width:100%;height:auto;max-width:40rem}
svg .axis{stroke:#ccc}svg .tick{font-size:9px;fill:#555}svg .line{fill:none;stroke:#0b4f8a;stroke-width:2}svg .dot{fill:#0b4f8a}
figure{margin:0}
.wide{grid-column:1/-1}
.drafts{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr))}
.draft{border:1px solid #c8cdd2;box-shadow:none;min-width:0}
.draft h3{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;overflow-wrap:anywhere}
.badge{font-size:.8rem;font-weight:600;padding:.1rem .55rem;border-radius:1rem;background:#e8eef5;color:#0b4f8a}
.badge-approved{background:#fff3cd;color:#6b4e00}.badge-withdrawn{background:#eceff1;color:#37474f}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.3rem 0 .6rem}
dl.facts div{display:contents}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
fieldset{border:1px solid #c8cdd2;border-radius:.3rem;margin:.8rem 0 0;padding:.3rem .8rem .6rem;min-width:0}
legend{font-weight:600;padding:0 .3rem}
.picker{display:grid;grid-template-columns:2fr 1fr;gap:0 .6rem}
.field-error,.card-error{color:#a40000;font-weight:600;margin:.3rem 0 0}
.card-error:empty,.card-note:empty{display:none}
.card-note{color:#1e7b34;font-weight:600;margin:.3rem 0 0}
.subhead{font-weight:600;margin:.6rem 0 0}
.notice{background:#e6f4ea;border-left:.3rem solid #1e7b34;color:#0f3d1c;padding:.8rem 1rem;border-radius:.3rem;margin-bottom:1rem;font-weight:600}
.muted{color:#4a545e;font-size:.92rem}
.error{color:#a40000;font-weight:600;min-height:1.2rem}
p.status{display:inline-block;padding:.3rem .8rem;border-radius:1rem;background:#e8f0fa;color:#0b4f8a;font-weight:700}
p.status-qua-han{background:#fde8e8;color:#a40000}
p.status-co-ket-qua,p.status-da-tra-ket-qua{background:#e6f4ea;color:#1e7b34}
dialog{width:min(calc(100% - 1rem),52rem);max-height:calc(100% - 1rem);border:0;border-radius:.5rem;padding:1rem;overflow:auto}
dialog::backdrop{background:rgba(0,0,0,.55)}
.letter-view{height:min(65vh,46rem);overflow:hidden;border:1px solid #c8cdd2;background:#eee}
iframe.letter{display:block;width:100%;height:100%;border:0}
#status{min-height:1.4rem;color:#0b4f8a;font-weight:600}
a{color:#0b4f8a}a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
a.code{font-weight:700}
td a.code,th a.code{overflow-wrap:normal;word-break:keep-all}
ol.timeline li.entry-alert{padding-top:.3rem;padding-bottom:.3rem}
a.back{display:inline-block;margin:0 0 .8rem;padding:.4rem 0;font-weight:600}
.dossier-page{display:grid;gap:1rem}
.dossier-page h2:focus{outline:none}
.standing{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem}
.standing p{margin:0}
.time-left{font-size:1.25rem;font-weight:700}
p.status-sap-den-han{background:#fff3cd;color:#6b4e00}
p.status-trong-han{background:#e6f4ea;color:#1e7b34}
p.status-truoc-han,p.status-dung-han{background:#e6f4ea;color:#1e7b34}
ol.steps,ol.timeline,ul.planned{padding:0;margin:0;list-style:none}
ol.steps li,ol.timeline li{display:flex;flex-direction:column;gap:.1rem;padding:.5rem 0 .5rem .8rem;border-left:.25rem solid #c8cdd2;margin-bottom:.4rem}
ol.steps li.late{border-left-color:#a40000}
ol.timeline li.entry-alert{border-left-color:#f0a500;background:#fffaf0}
ol.timeline time,ul.planned time{color:#4a545e;font-variant-numeric:tabular-nums;font-size:.9rem}
ul.planned li{padding:.2rem 0}
.entry-action button{margin-top:.3rem}
.flag{font-weight:600;font-size:.85rem}
.flag-late,.flag-qua-han{color:#a40000}.flag-sap-den-han{color:#6b4e00}.flag-trong-han{color:#1e7b34}.flag-stopped{color:#4a545e}
tr.mine-sap-den-han{background:#fff8e1}
ul.dossiers li .left{font-weight:600}
.show-sm{display:none}
main.lookup{max-width:42rem}
#ket-qua:not(:empty){margin:1rem 0}
#loi:empty{min-height:0;margin:0}
.lookup-note{box-shadow:none;border:1px solid #c8cdd2;border-left:.3rem solid #f0a500;margin:.8rem 0}
ol.history{padding-left:1.4rem}ol.history li{margin-bottom:.5rem}
.who nav{margin-left:auto}
#rejections-title:focus{outline:none}
a.nav-link{display:inline-block;padding:.55rem .2rem;font-weight:600}
ol.rejections{list-style:none;padding:0;margin:0}
ol.rejections li{padding:.6rem 0 .6rem .8rem;border-left:.25rem solid #c8cdd2;border-bottom:1px solid #e1e4e8;margin-bottom:.4rem}
ol.rejections li.rejection-conflict{border-left-color:#a40000}ol.rejections li.rejection-validation{border-left-color:#6b4e00}
ol.rejections p{margin:0 0 .2rem}
.rejection-head{display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .8rem}
.rejection-head time{color:#4a545e;font-variant-numeric:tabular-nums}
.rejection-detail{overflow-wrap:anywhere}
.flag-conflict{color:#a40000}.flag-validation{color:#6b4e00}.flag-other{color:#4a545e}
.reports-page{display:grid;grid-template-columns:minmax(0,1fr);gap:1rem}
.reports-page .back{margin:0}
.reports-page h2:focus{outline:none}
.report-pickers{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,11rem),1fr));gap:0 .8rem}
.downloads{display:flex;flex-wrap:wrap;gap:0 .2rem}
.report-scroll{max-width:100%;border:1px solid #e1e4e8;border-radius:.3rem}
.report-scroll:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.report-table{font-variant-numeric:tabular-nums}
.report-table th,.report-table td{white-space:nowrap}
.report-table thead th{white-space:normal;vertical-align:bottom;background:#f4f6f8;min-width:4.5rem;font-size:.9rem}
.report-table thead th.num{text-align:right}
.report-table th.group{text-align:center;border-bottom:2px solid #c8cdd2}
.report-table .label{position:sticky;left:0;z-index:1;background:#fff;white-space:normal;min-width:10rem;max-width:18rem;box-shadow:inset -1px 0 0 #c8cdd2}
.report-table thead .label{background:#f4f6f8;z-index:2}
.report-table tr.total th,.report-table tr.total td{background:#eef3f8;border-top:2px solid #c8cdd2}
.report-table .code{display:block;font-weight:400;font-size:.8rem}
.report-table .group-start{border-left:1px solid #c8cdd2}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.report-table td.empty{text-align:center;color:#4a545e}
.report-table .grade{font-size:.8rem;padding:0 .4rem}
a.more{font-weight:600}
svg .no-data circle{fill:#fff;stroke:#5a6570;stroke-width:1.5}
@media (max-width:480px){main{padding:.5rem}.card{padding:.7rem}button{width:100%;margin-right:0}.hide-sm{display:none}.show-sm{display:inline}th,td{padding:.35rem .3rem}dl.facts{grid-template-columns:1fr}dd{margin-bottom:.3rem}.picker{grid-template-columns:1fr}dialog{padding:.7rem}.report-table .label{min-width:7rem;max-width:8.5rem;font-size:.9rem}.downloads button{flex:1 1 40%;width:auto}}
`;

function indexHtml(script: string, style: string, icon: string): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bảng điều hành — dunghan</title><link rel="icon" href="${icon}" type="image/svg+xml"><link rel="stylesheet" href="${style}"></head>
<body><header><h1>Bảng điều hành giải quyết hồ sơ</h1></header>
<main><p id="status" role="status" aria-live="polite"></p><div id="app"></div></main>
<script src="${script}" defer></script></body></html>`;
}

function lookupHtml(script: string, style: string, icon: string): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Tra cứu hồ sơ</title><link rel="icon" href="${icon}" type="image/svg+xml"><link rel="stylesheet" href="${style}"></head>
<body><header><h1>Tra cứu tình trạng hồ sơ</h1></header>
<main class="lookup"><section class="card" aria-labelledby="form-title"><h2 id="form-title">Nhập thông tin trên Giấy tiếp nhận hồ sơ</h2>
<form id="tra-cuu" novalidate>
<label for="code">Mã hồ sơ</label>
<input id="code" name="code" required maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint">
<p id="code-hint" class="muted">Ví dụ: 000.00.12.H42-261120-0001</p>
<label for="phoneLast4">4 số cuối điện thoại đã đăng ký</label>
<input id="phoneLast4" name="phoneLast4" required inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off">
<button type="submit">Tra cứu</button>
</form>
<p id="loi" class="error" role="alert"></p></section>
<div id="ket-qua" aria-live="polite"></div>
<p class="muted">Trang này chỉ hiển thị tình trạng hồ sơ, không hiển thị thông tin cá nhân.</p></main>
<script src="${script}" defer></script></body></html>`;
}
