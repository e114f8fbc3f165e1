import { parseClock, TIME_LIMIT_UNITS, type TimeLimitUnit } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";

/**
 * The procedure catalogue from a spreadsheet: the list of procedures a province exports from the
 * national procedure database (Cơ sở dữ liệu quốc gia về thủ tục hành chính) as CSV or XLSX,
 * turned into the catalogue's JSON (`{version, procedures: [...]}`, each procedure in the
 * `received` event's `procedure` shape; `parseCatalogue` in catalogue.ts validates it). Pure: the
 * caller reads the file (the CLI: CSV as text, XLSX through exceljs) and passes its rows.
 *
 * The accepted columns (docs/reports.md, "Importing the procedure catalogue"), matched on the
 * header text without case, diacritics, spaces or punctuation:
 * - code: "Mã TTHC", "Mã thủ tục", "Mã số", "MaTTHC", "code" (required);
 * - name: "Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính", "TenTTHC", "name" (required);
 * - field: "Lĩnh vực", "Tên lĩnh vực", "TenLinhVuc", "field";
 * - time limit, either as the database prints it — "Thời hạn giải quyết", "ThoiHanGiaiQuyet"
 *   ("10 ngày làm việc", "15 ngày", "04 giờ làm việc", "0,5 ngày làm việc", or per channel:
 *   "Trực tiếp: 10 ngày làm việc; Trực tuyến: 8 ngày làm việc") — or as two columns "Số lượng"/
 *   "amount" and "Đơn vị"/"unit" (working-days, working-hours, calendar-days, or the Vietnamese words);
 * - "Thời hạn trực tuyến"/"onlineTimeLimit": the online limit when a separate column holds it;
 * - "Giờ chốt"/"Giờ tiếp nhận cuối"/"cutoff": HH:mm (NĐ 61/2018 Art. 18(2),(3));
 * - "Bổ sung hồ sơ"/"supplementPolicy": "restart"/"tính lại" or "pause"/"tạm dừng".
 * Other columns (STT, cơ quan thực hiện, cấp thực hiện, mức độ…) are ignored.
 */

export interface CatalogueTimeLimit {
  readonly amount: number;
  readonly unit: TimeLimitUnit;
}

/** One procedure in the catalogue JSON (the `received` event's `procedure` shape). */
export interface ImportedProcedure {
  readonly code: string;
  readonly name: string;
  readonly field?: string;
  readonly timeLimit: CatalogueTimeLimit;
  readonly onlineTimeLimit?: CatalogueTimeLimit;
  readonly cutoff?: string;
  readonly supplementPolicy?: "restart" | "pause";
}

export interface CatalogueRowError {
  /** 1-based row number in the file (the header is row `headerRow`). */
  readonly row: number;
  readonly code?: string;
  readonly reason: string;
}

export interface CatalogueImport {
  readonly procedures: ImportedProcedure[];
  readonly errors: CatalogueRowError[];
  /** The header text matched to each catalogue column. */
  readonly columns: Readonly<Partial<Record<ColumnId, string>>>;
}

type ColumnId =
  | "code"
  | "name"
  | "field"
  | "timeLimit"
  | "amount"
  | "unit"
  | "onlineTimeLimit"
  | "cutoff"
  | "supplementPolicy";

/** Header aliases, in the normal form of `headerKey`. */
const ALIASES: Record<ColumnId, readonly string[]> = {
  code: ["matthc", "mathutuc", "maso", "mathutuchanhchinh", "code", "procedurecode"],
  name: ["tentthc", "tenthutuc", "tenthutuchanhchinh", "thutuchanhchinh", "name", "procedurename"],
  field: ["linhvuc", "tenlinhvuc", "field"],
  timeLimit: ["thoihangiaiquyet", "thoihan", "timelimit"],
  amount: ["soluong", "sothoihan", "amount"],
  unit: ["donvi", "donvithoihan", "donvitinh", "unit"],
  onlineTimeLimit: ["thoihantructuyen", "thoihangiaiquyettructuyen", "onlinetimelimit"],
  cutoff: ["giochot", "giotiepnhancuoi", "cutoff"],
  supplementPolicy: ["bosunghoso", "chinhsachbosung", "supplementpolicy"],
};

/** Lower case, no diacritics (đ → d), letters and digits only. */
export function headerKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replaceAll("đ", "d")
    .replaceAll("Đ", "D")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

/**
 * The catalogue from a table's rows (the first row naming a code and a name column is the header;
 * rows above it — a title — are skipped). A row that cannot be read is an error with its row
 * number; the others are kept. Blank rows are skipped. A code twice is an error on the second.
 */
export function catalogueFromRows(rows: readonly (readonly unknown[])[]): CatalogueImport {
  const headerIndex = rows.findIndex((row) => {
    const keys = row.map((cell) => headerKey(cellText(cell)));
    return keys.some((key) => ALIASES.code.includes(key)) && keys.some((key) => ALIASES.name.includes(key));
  });
  if (headerIndex < 0) {
    throw new InvalidInputError(
      'no header row with a procedure code column ("Mã TTHC", "Mã thủ tục") and a name column ("Tên TTHC", "Tên thủ tục")',
    );
  }
  const header = rows[headerIndex]!.map((cell) => cellText(cell));
  const index: Partial<Record<ColumnId, number>> = {};
  const columns: Partial<Record<ColumnId, string>> = {};
  header.forEach((text, at) => {
    const key = headerKey(text);
    for (const id of Object.keys(ALIASES) as ColumnId[]) {
      if (index[id] === undefined && ALIASES[id].includes(key)) {
        index[id] = at;
        columns[id] = text;
      }
    }
  });
  if (index.timeLimit === undefined && (index.amount === undefined || index.unit === undefined)) {
    throw new InvalidInputError(
      'no time limit column: "Thời hạn giải quyết", or "Số lượng" and "Đơn vị" together',
    );
  }

  const procedures: ImportedProcedure[] = [];
  const errors: CatalogueRowError[] = [];
  const seen = new Set<string>();
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r]!;
    const get = (id: ColumnId) => (index[id] === undefined ? "" : cellText(row[index[id]!]).trim());
    if (row.every((cell) => cellText(cell).trim() === "")) continue;
    const code = get("code");
    const rowNumber = r + 1;
    try {
      if (code === "") throw new InvalidInputError("no procedure code");
      if (seen.has(code)) throw new InvalidInputError(`procedure ${code} appears twice`);
      const name = get("name");
      if (name === "") throw new InvalidInputError("no procedure name");
      const limits =
        index.timeLimit !== undefined
          ? parseTimeLimitText(get("timeLimit"))
          : { inPerson: limitOf(get("amount"), get("unit")) };
      const online = get("onlineTimeLimit");
      const onlineLimit = online === "" ? limits.online : parseTimeLimitText(online).inPerson;
      const field = get("field");
      const cutoff = get("cutoff");
      if (cutoff !== "") parseClock(cutoff);
      const policy = supplementPolicyOf(get("supplementPolicy"));
      procedures.push({
        code,
        name,
        ...(field === "" ? {} : { field }),
        timeLimit: limits.inPerson,
        ...(onlineLimit !== undefined && !sameLimit(onlineLimit, limits.inPerson)
          ? { onlineTimeLimit: onlineLimit }
          : {}),
        ...(cutoff === "" ? {} : { cutoff }),
        ...(policy === undefined ? {} : { supplementPolicy: policy }),
      });
      seen.add(code);
    } catch (error) {
      errors.push({
        row: rowNumber,
        ...(code === "" ? {} : { code }),
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { procedures, errors, columns };
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell;
  if (typeof cell === "number" || typeof cell === "boolean") return String(cell);
  // exceljs rich text and hyperlinks: { richText: [{text}] }, { text }.
  if (typeof cell === "object") {
    const value = cell as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(value.richText)) return value.richText.map((part) => part.text).join("");
    if (typeof value.text === "string") return value.text;
    if (value.result !== undefined) return cellText(value.result);
  }
  return String(cell);
}

const sameLimit = (a: CatalogueTimeLimit, b: CatalogueTimeLimit) =>
  a.amount === b.amount && a.unit === b.unit;

const UNIT_WORDS: readonly (readonly [RegExp, TimeLimitUnit])[] = [
  [/^(ngay lam viec|working-days|working days)$/, "working-days"],
  [/^(gio lam viec|gio|working-hours|working hours)$/, "working-hours"],
  [/^(ngay|calendar-days|calendar days)$/, "calendar-days"],
];

/** Header and cell text compared without accents, case or extra spaces ("Ngày làm việc" = "ngay lam viec"). */
export function plain(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replaceAll("đ", "d")
    .replaceAll("Đ", "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

function limitOf(amountText: string, unitText: string): CatalogueTimeLimit {
  const amount = Number(amountText.replace(",", "."));
  if (amountText === "" || !Number.isFinite(amount) || amount < 0) {
    throw new InvalidInputError(`not a time limit amount: "${amountText}"`);
  }
  const unitWords = plain(unitText);
  const unit = (TIME_LIMIT_UNITS as readonly string[]).includes(unitText.trim())
    ? (unitText.trim() as TimeLimitUnit)
    : UNIT_WORDS.find(([pattern]) => pattern.test(unitWords))?.[1];
  if (unit === undefined) throw new InvalidInputError(`not a time limit unit: "${unitText}"`);
  return checked({ amount, unit });
}

function checked(limit: CatalogueTimeLimit): CatalogueTimeLimit {
  if (limit.unit === "calendar-days" && !Number.isInteger(limit.amount)) {
    throw new InvalidInputError(`calendar days must be a whole number: ${limit.amount}`);
  }
  return limit;
}

/** "10 ngày làm việc" and the like; the first amount and unit in the text. */
const LIMIT_PATTERN = /(\d+(?:[.,]\d+)?)\s*(ngay lam viec|gio lam viec|ngay|gio|thang|nam)\b/;

function limitInText(text: string, whole: string): CatalogueTimeLimit {
  const match = LIMIT_PATTERN.exec(text);
  if (!match) {
    throw new InvalidInputError(
      `no time limit in "${whole}" (expected e.g. "10 ngày làm việc", "15 ngày", "4 giờ làm việc")`,
    );
  }
  const amount = Number(match[1]!.replace(",", "."));
  const word = match[2]!;
  if (word === "thang" || word === "nam") {
    throw new InvalidInputError(`a limit in months or years is not supported: "${whole}"`);
  }
  const unit: TimeLimitUnit =
    word === "ngay lam viec" ? "working-days" : word === "ngay" ? "calendar-days" : "working-hours";
  return checked({ amount, unit });
}

/**
 * The time limit as the national database prints it. Per channel ("Trực tiếp: …; Trực tuyến: …;
 * Dịch vụ bưu chính: …"): the in-person limit is `inPerson` (else the first one), the online
 * limit `online`. "Trong ngày" (within the day) and texts without an amount and unit are refused:
 * an admin sets such a limit by hand.
 */
export function parseTimeLimitText(text: string): {
  inPerson: CatalogueTimeLimit;
  online?: CatalogueTimeLimit;
} {
  const words = plain(text);
  if (words === "") throw new InvalidInputError("no time limit");
  const channels = [...words.matchAll(/(truc tiep|truc tuyen|dich vu buu chinh|buu chinh)\s*[:-]?/g)];
  if (channels.length === 0) return { inPerson: limitInText(words, text) };
  const parts = new Map<string, CatalogueTimeLimit>();
  channels.forEach((channel, i) => {
    const start = channel.index + channel[0].length;
    const end = channels[i + 1]?.index ?? words.length;
    const name = channel[1]!.endsWith("buu chinh")
      ? "postal"
      : channel[1] === "truc tuyen"
        ? "online"
        : "in-person";
    if (!parts.has(name)) parts.set(name, limitInText(words.slice(start, end), text));
  });
  const inPerson = parts.get("in-person") ?? parts.get("postal") ?? parts.get("online")!;
  const online = parts.get("online");
  return online === undefined ? { inPerson } : { inPerson, online };
}

function supplementPolicyOf(text: string): "restart" | "pause" | undefined {
  const words = plain(text);
  if (words === "") return undefined;
  if (["restart", "tinh lai", "tinh lai tu dau"].includes(words)) return "restart";
  if (["pause", "tam dung"].includes(words)) return "pause";
  throw new InvalidInputError(`not a supplement policy: "${text}" (restart/tính lại or pause/tạm dừng)`);
}

/**
 * Rows of a CSV file (RFC 4180 quoting; a byte-order mark is dropped). The separator is the one of
 * ";", "," and TAB most frequent in the first line outside quotes, unless given.
 */
export function parseCsv(text: string, separator?: ";" | "," | "\t"): string[][] {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const sep = separator ?? guessSeparator(body);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (quoted) throw new InvalidInputError("the CSV ends inside a quoted cell");
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function guessSeparator(text: string): ";" | "," | "\t" {
  const counts = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && c in counts) counts[c as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [";" | "," | "\t", number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] === 0 ? ";" : best[0];
}
