import { InvalidInputError } from "../../../shared/errors.ts";
import { headerKey, plain } from "../../../shared/sync/catalogue-import.ts";

/**
 * The dossier list a one-stop system exports (Danh sách hồ sơ / Sổ theo dõi, CSV or XLSX) as
 * national sync records (`HoSo`, the fields TD's `HoSoDongBoDVC` names), so `dunghan import` maps
 * them with the same mapper as the sync route (docs/reports.md, "Backfill"). Accepted columns,
 * matched without case, diacritics, spaces or punctuation:
 *
 * | HoSo field        | headers                                                        |
 * |-------------------|----------------------------------------------------------------|
 * | MaHoSo (required) | Mã hồ sơ, Số hồ sơ, MaHoSo                                     |
 * | MaTTHC            | Mã TTHC, Mã thủ tục, MaTTHC                                    |
 * | TenTTHC           | Tên TTHC, Tên thủ tục, Thủ tục hành chính, TenTTHC             |
 * | TenLinhVuc        | Lĩnh vực, Tên lĩnh vực, TenLinhVuc                             |
 * | KenhThucHien      | Kênh thực hiện, Kênh nộp, Hình thức nộp (Trực tiếp / Trực tuyến / Bưu chính, or 1 / 2 / 3) |
 * | ChuHoSo           | Chủ hồ sơ, Tổ chức/cá nhân nộp hồ sơ, Người nộp, ChuHoSo       |
 * | NgayTiepNhan      | Ngày tiếp nhận, Ngày giờ tiếp nhận, NgayTiepNhan               |
 * | NgayHenTra        | Ngày hẹn trả, Ngày giờ hẹn trả, NgayHenTra                     |
 * | NgayKetThucXuLy   | Ngày kết thúc xử lý, Ngày hoàn thành, NgayKetThucXuLy          |
 * | NgayTra           | Ngày trả kết quả, Ngày trả, NgayTra                            |
 * | NgayTuChoi        | Ngày từ chối, NgayTuChoi                                       |
 * | TrangThaiHoSo     | Trạng thái, Trạng thái hồ sơ (1–10, or the status words)       |
 * | DonViXuLy         | Đơn vị xử lý, Cơ quan xử lý, Mã đơn vị, DonViXuLy              |
 *
 * Dates: `dd/mm/yyyy hh:mm[:ss]`, `dd/mm/yyyy` (00:00), `yyyyMMddHHmmss`, `yyyy-mm-dd hh:mm[:ss]`
 * or an XLSX date cell — all wall-clock time in Asia/Ho_Chi_Minh. Phone numbers and e-mails are
 * not read: past dossiers get no notice.
 */

type HoSoField =
  | "MaHoSo"
  | "MaTTHC"
  | "TenTTHC"
  | "TenLinhVuc"
  | "KenhThucHien"
  | "ChuHoSo"
  | "NgayTiepNhan"
  | "NgayHenTra"
  | "NgayKetThucXuLy"
  | "NgayTra"
  | "NgayTuChoi"
  | "TrangThaiHoSo"
  | "DonViXuLy";

const ALIASES: Record<HoSoField, readonly string[]> = {
  MaHoSo: ["mahoso", "sohoso"],
  MaTTHC: ["matthc", "mathutuc"],
  TenTTHC: ["tentthc", "tenthutuc", "thutuchanhchinh", "tenthutuchanhchinh"],
  TenLinhVuc: ["linhvuc", "tenlinhvuc"],
  KenhThucHien: ["kenhthuchien", "kenhnop", "hinhthucnop", "kenh"],
  ChuHoSo: ["chuhoso", "tochuccanhannophoso", "tochuccanhan", "nguoinop"],
  NgayTiepNhan: ["ngaytiepnhan", "ngaygiotiepnhan"],
  NgayHenTra: ["ngayhentra", "ngaygiohentra", "ngayhentraketqua"],
  NgayKetThucXuLy: ["ngayketthucxuly", "ngayhoanthanh", "ngaygiotraketquaxuly"],
  NgayTra: ["ngaytraketqua", "ngaytra", "ngaygiotraketqua"],
  NgayTuChoi: ["ngaytuchoi"],
  TrangThaiHoSo: ["trangthai", "trangthaihoso", "matrangthai"],
  DonViXuLy: ["donvixuly", "coquanxuly", "madonvi", "donvi"],
};

const DATE_FIELDS: readonly HoSoField[] = [
  "NgayTiepNhan",
  "NgayHenTra",
  "NgayKetThucXuLy",
  "NgayTra",
  "NgayTuChoi",
];

/** Status words as one-stop systems print them → TrangThaiHoSo; the longer phrase is tried first. */
const STATUS_WORDS: readonly (readonly [string, string])[] = [
  ["khong duoc tiep nhan", "3"],
  ["tu choi", "3"],
  ["moi dang ky", "1"],
  ["duoc tiep nhan", "2"],
  ["da tiep nhan", "2"],
  ["cho bo sung", "5"],
  ["yeu cau bo sung", "5"],
  ["nghia vu tai chinh", "6"],
  ["rut ho so", "7"],
  ["dung xu ly", "8"],
  ["dung giai quyet", "8"],
  ["da tra ket qua", "10"],
  ["da xu ly xong", "9"],
  ["hoan thanh", "9"],
  ["dang xu ly", "4"],
  ["dang giai quyet", "4"],
];

function statusOf(text: string): string {
  const trimmed = text.trim();
  if (/^(?:[1-9]|10)$/.test(trimmed)) return trimmed;
  const words = plain(trimmed);
  const match = STATUS_WORDS.find(([phrase]) => words.includes(phrase));
  if (match === undefined) throw new InvalidInputError(`not a dossier status: "${text}"`);
  return match[1];
}

function channelOf(text: string): string {
  const words = plain(text);
  if (words === "" || /^[123]$/.test(words)) return words;
  if (words.includes("truc tuyen")) return "2";
  if (words.includes("buu chinh") || words.includes("bcci")) return "3";
  if (words.includes("truc tiep")) return "1";
  throw new InvalidInputError(`not a channel: "${text}" (Trực tiếp, Trực tuyến or Bưu chính)`);
}

const pad = (n: number | string, size = 2) => String(n).padStart(size, "0");

/** A date cell → `yyyyMMddHHmmss` (wall clock in Asia/Ho_Chi_Minh), "" for an empty cell. */
export function compactDate(cell: unknown): string {
  if (cell === null || cell === undefined || cell === "") return "";
  if (cell instanceof Date) {
    // exceljs reads a date cell's serial as UTC: its UTC fields are the wall clock written.
    return `${cell.getUTCFullYear()}${pad(cell.getUTCMonth() + 1)}${pad(cell.getUTCDate())}${pad(cell.getUTCHours())}${pad(cell.getUTCMinutes())}${pad(cell.getUTCSeconds())}`;
  }
  const text = String(cell).trim();
  if (text === "") return "";
  if (/^\d{14}$/.test(text)) return text;
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) return `${m[3]}${pad(m[2]!)}${pad(m[1]!)}${pad(m[4] ?? 0)}${m[5] ?? "00"}${m[6] ?? "00"}`;
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) return `${m[1]}${m[2]}${m[3]}${m[4] ?? "00"}${m[5] ?? "00"}${m[6] ?? "00"}`;
  throw new InvalidInputError(`not a date: "${text}" (dd/mm/yyyy hh:mm, yyyyMMddHHmmss or yyyy-mm-dd hh:mm)`);
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "object" && !(cell instanceof Date)) {
    const value = cell as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(value.richText)) return value.richText.map((part) => part.text).join("");
    if (typeof value.text === "string") return value.text;
    if (value.result !== undefined) return cellText(value.result);
  }
  return String(cell).trim();
}

/**
 * The sync records of a dossier list. A row that cannot be read stops the import with its row
 * number (1-based, as a spreadsheet numbers it).
 */
export function syncRecordsFromDossierList(rows: readonly (readonly unknown[])[]): Record<string, string>[] {
  const headerIndex = rows.findIndex((row) =>
    row.some((cell) => ALIASES.MaHoSo.includes(headerKey(cellText(cell)))),
  );
  if (headerIndex < 0) throw new InvalidInputError('no header row with a "Mã hồ sơ" column');
  const index = new Map<HoSoField, number>();
  rows[headerIndex]!.forEach((cell, at) => {
    const key = headerKey(cellText(cell));
    for (const field of Object.keys(ALIASES) as HoSoField[]) {
      if (!index.has(field) && ALIASES[field].includes(key)) index.set(field, at);
    }
  });
  for (const required of ["NgayTiepNhan", "TrangThaiHoSo"] as const) {
    if (!index.has(required)) throw new InvalidInputError(`the dossier list has no ${required} column`);
  }
  const records: Record<string, string>[] = [];
  for (let r = headerIndex + 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.every((cell) => cellText(cell) === "")) continue;
    try {
      const record: Record<string, string> = {};
      for (const [field, at] of index) {
        const cell = row[at];
        if (DATE_FIELDS.includes(field))
          record[field] = compactDate(cell instanceof Date ? cell : cellText(cell));
        else if (field === "TrangThaiHoSo") record[field] = statusOf(cellText(cell));
        else if (field === "KenhThucHien") record[field] = channelOf(cellText(cell));
        else record[field] = cellText(cell);
      }
      if (!record.MaHoSo) throw new InvalidInputError("no Mã hồ sơ");
      records.push(record);
    } catch (error) {
      throw new InvalidInputError(`row ${r + 1}: ${(error as Error).message}`);
    }
  }
  return records;
}
