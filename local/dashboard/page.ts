import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * The dashboard's page and script for the local runtime: `GET /dashboard` and
 * `GET /dashboard.js`, the script bundled from `app.ts` by esbuild once, when the stack starts.
 * On AWS the same two files would be served from S3 + CloudFront (not set up yet).
 */
export async function buildDashboardScript(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./app.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    minify: true,
    legalComments: "none",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no dashboard script");
  return file.text;
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
select,input,textarea{width:100%;font:inherit;padding:.45rem;border:1px solid #8a949e;border-radius:.3rem}
button{font:inherit;padding:.55rem .9rem;margin:.5rem .4rem 0 0;border:0;border-radius:.3rem;background:#0b4f8a;color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#5a6570}
button:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:#555;padding-bottom:.3rem}
th,td{padding:.4rem .5rem;border-bottom:1px solid #e1e4e8;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total th,tr.total td{font-weight:700}
tr.overdue{background:#fde8e8}
.grade{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-weight:600;color:#1b1f23}
.grade-green{background:#92d050}.grade-yellow{background:#ffeb3b}.grade-orange{background:#ffc000}.grade-red{background:#e53935;color:#fff}
.note{color:#555;font-size:.85rem}
ul.dossiers{list-style:none;padding:0;margin:0}
ul.dossiers li{display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:.4rem 0;border-bottom:1px solid #e1e4e8}
.due{color:#a40000}
svg{width:100%;height:auto;max-width:40rem}
svg .axis{stroke:#ccc}svg .tick{font-size:9px;fill:#555}svg .line{fill:none;stroke:#0b4f8a;stroke-width:2}svg .dot{fill:#0b4f8a}
figure{margin:0}
.drafts{display:grid;gap:.8rem}
#status{min-height:1.4rem;color:#0b4f8a;font-weight:600}
@media (max-width:480px){main{padding:.5rem}.card{padding:.7rem}button{width:100%}.hide-sm{display:none}th,td{padding:.35rem .3rem}}
`;

export function dashboardPage(): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bảng điều hành — dunghan</title><style>${STYLE}</style></head>
<body><header><h1>Bảng điều hành giải quyết hồ sơ</h1></header>
<main><p id="status" role="status" aria-live="polite"></p><div id="app"></div></main>
<script src="/dashboard.js" defer></script></body></html>`;
}
