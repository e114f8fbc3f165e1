/**
 * Reports: per-agency day counters kept current from each dossier change, the reports
 * built from them, the dossier register and their CSV/XLSX exports (docs/reports.md). Pure: no
 * clock, no environment; dates are local days in Asia/Ho_Chi_Minh.
 */

// The XLSX writer (exceljs) is the CLI's: local/cli/xlsx.ts, so neither the domain nor a Lambda
// bundle carries exceljs.
export * from "./bieu-06.ts";
export * from "./bieu-06-export.ts";
export * from "./columns.ts";
export * from "./counter-store.ts";
export * from "./counters.ts";
export * from "./csv.ts";
export * from "./day-text.ts";
export * from "./fields.ts";
export * from "./grades.ts";
export * from "./period.ts";
export * from "./register.ts";
export * from "./report.ts";
export * from "./report-xlsx.ts";
export * from "./xlsx-lite.ts";
