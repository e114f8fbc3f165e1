import * as z from "zod";
import { InvalidInputError } from "../../errors.ts";

/**
 * The national portal's (Cổng DVCQG) dossier sync payload, as the provincial one-stop systems
 * already send it (docs/dvcqg-mapping.md). No official specification text was found: the shapes
 * are read from two independent open-source senders —
 *
 * - HuanVu201/DichVuCong_KhoaLuan_PASETO,
 *   DichVuCongApi/src/Core/Application/Common/KetNoi/DVC/SyncLocalDataToDVCQG/ISyncLocalDataToDVCQGService.cs
 *   (`HoSoDongBoDVC`, `QuaTrinhXuLyDongBoDVC`, `HoSoBoSung`): three URLs, each POSTed a JSON array;
 * - VietOpenCPS/opencps-v2,
 *   modules/backend-dossiermgt/backend-dossiermgt-service/src/main/java/org/opencps/dossiermgt/action/impl/DVCQGIntegrationActionImpl.java
 *   (`createSyncDossierBodyRequest`, `createSyncDossierStatusBodyRequest`, `syncDossier`): one URL,
 *   the service named in the body (`DongBoHoSoMC` with `isUpdating`, `CapNhatTienDoHoSoMC`).
 *
 * The envelope is checked here; each record is kept as sent and checked by the mapper, so one bad
 * record is refused on its own (with its position) and the others still go through.
 */

export const SYNC_ROUTES = ["service", "create", "update", "progress"] as const;
export type SyncRoute = (typeof SYNC_ROUTES)[number];

/** One record of a request, as sent: a dossier (`HoSo`) or a progress row (`TienDo`). */
export type SyncRecord =
  | {
      /** Position in the request's `data` array (0-based). */
      readonly index: number;
      readonly kind: "dossier";
      /** The sender said this is an update of a dossier already sent (`isUpdating`, or the update URL). */
      readonly isUpdating: boolean;
      readonly raw: unknown;
    }
  | { readonly index: number; readonly kind: "progress"; readonly raw: unknown };

export interface SyncRequest {
  readonly kind: "dossiers" | "progress";
  /** The service-in-body envelope's credential field; never logged. */
  readonly session?: string;
  /** The unit code the service-in-body envelope names (OpenCPS: the `madonvi` of its config). */
  readonly madonvi?: string;
  readonly records: SyncRecord[];
}

/**
 * A request carries at most this many records. TD sends progress rows by tens; catch-up jobs send
 * dossiers in batches, and an unbounded array would let one request hold a Lambda for minutes.
 */
export const MAX_RECORDS_PER_REQUEST = 500;

/** Values are mostly strings; some senders write numbers or booleans (OpenCPS `"True"`). */
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));

const ServiceEnvelopeSchema = z.looseObject({
  service: z.enum(["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]),
  session: z.string().max(2000).optional(),
  madonvi: scalar.optional(),
  isUpdating: scalar.optional(),
  data: z.array(z.unknown()),
});

/** Parses one request body on one route; throws InvalidInputError when the envelope itself is malformed. */
export function parseSyncRequest(body: unknown, route: SyncRoute): SyncRequest {
  if (route === "service") {
    const result = ServiceEnvelopeSchema.safeParse(body);
    if (!result.success) {
      throw new InvalidInputError(`invalid sync envelope — ${describeIssues(result.error)}`, {
        fields: result.error.issues.map((issue) => issue.path.join(".")),
        rule: "envelope",
      });
    }
    const envelope = result.data;
    checkSize(envelope.data.length);
    const madonvi = envelope.madonvi?.trim() || undefined;
    const common = {
      ...(envelope.session === undefined ? {} : { session: envelope.session }),
      ...(madonvi === undefined ? {} : { madonvi }),
    };
    if (envelope.service === "CapNhatTienDoHoSoMC") {
      return { kind: "progress", ...common, records: envelope.data.map(progressRecord) };
    }
    // OpenCPS writes "True"/"False"; anything else that reads as true is taken as true.
    const isUpdating = /^(true|1)$/i.test(envelope.isUpdating?.trim() ?? "");
    return {
      kind: "dossiers",
      ...common,
      records: envelope.data.map((raw, index) => ({ index, kind: "dossier", isUpdating, raw })),
    };
  }
  if (!Array.isArray(body)) {
    throw new InvalidInputError(`invalid sync envelope — the ${route} route takes a JSON array`, {
      rule: "envelope",
    });
  }
  checkSize(body.length);
  if (route === "progress") return { kind: "progress", records: body.map(progressRecord) };
  return {
    kind: "dossiers",
    records: body.map((raw, index) => ({ index, kind: "dossier", isUpdating: route === "update", raw })),
  };
}

function progressRecord(raw: unknown, index: number): SyncRecord {
  return { index, kind: "progress", raw };
}

function checkSize(count: number): void {
  if (count === 0 || count > MAX_RECORDS_PER_REQUEST) {
    throw new InvalidInputError(
      `invalid sync envelope — send 1 to ${MAX_RECORDS_PER_REQUEST} records a request (got ${count})`,
      { count, rule: "batch-size" },
    );
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
}

/** An optional value; .NET senders write `null` for an unset nullable field. */
const text = scalar
  .nullish()
  .transform((value) => value ?? undefined)
  .optional();

/** A supplement round (`HoSoBoSung`). Dates may be `yyyyMMddHHmmss` or a .NET DateTime without offset. */
export const HoSoBoSungSchema = z.looseObject({
  HoSoBoSungId: text,
  NguoiYeuCauBoSung: text,
  NoiDungBoSung: text,
  NgayBoSung: text,
  NgayYeuCauBoSung: text,
  NgayTiepNhanBoSung: text,
  TrangThaiBoSung: text,
  NgayHenTraTruoc: text,
  NgayHenTraMoi: text,
});

/** A dossier (`HoSo`): TD's `HoSoDongBoDVC`, OpenCPS's `createSyncDossierBodyRequest`. */
export const HoSoSchema = z.looseObject({
  MaHoSo: z.string(),
  MaTTHC: text,
  TenTTHC: text,
  MaLinhVuc: text,
  TenLinhVuc: text,
  KenhThucHien: text,
  ChuHoSo: text,
  LoaiDoiTuong: text,
  SoDienThoai: text,
  Email: text,
  TrichYeuHoSo: text,
  NgayNopHoSo: text,
  NgayTiepNhan: text,
  NgayHenTra: text,
  NgayYeuCauBoSung: text,
  TrangThaiHoSo: scalar,
  NgayKetThucXuLy: text,
  NgayTra: text,
  NgayTuChoi: text,
  HinhThuc: text,
  DonViXuLy: text,
  GhiChu: text,
  DanhSachHoSoBoSung: z.array(HoSoBoSungSchema).nullish(),
});
export type HoSo = z.output<typeof HoSoSchema>;
export type HoSoBoSung = z.output<typeof HoSoBoSungSchema>;

/** A progress row (`TienDo`): TD's `QuaTrinhXuLyDongBoDVC`, OpenCPS's `createSyncDossierStatusBodyRequest`. */
export const TienDoSchema = z.looseObject({
  MaHoSo: z.string(),
  NguoiXuLy: text,
  ChucDanh: text,
  ThoiDiemXuLy: text,
  PhongBanXuLy: text,
  NoiDungXuLy: text,
  TrangThai: text,
  NgayBatDau: text,
  NgayKetThucTheoQuyDinh: text,
});
export type TienDo = z.output<typeof TienDoSchema>;

/** Asia/Ho_Chi_Minh has kept UTC+7 without daylight saving since 1975. */
const VN_OFFSET_MS = 7 * 3_600_000;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const DOTNET_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/;

/**
 * A sender's date: `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (both senders; OpenCPS's
 * `convertDate2String` sets the HCM zone), or — for TD's supplement rounds, typed `DateTime` in
 * `HoSoBoSung` — the .NET local form `yyyy-MM-ddTHH:mm:ss`, also in Asia/Ho_Chi_Minh.
 * Returns undefined for an empty value, "invalid" for anything else.
 */
export function parseSenderDate(value: string | undefined): number | undefined | "invalid" {
  const trimmed = value?.trim() ?? "";
  if (trimmed === "") return undefined;
  const match = COMPACT.exec(trimmed) ?? DOTNET_LOCAL.exec(trimmed);
  if (!match) return "invalid";
  const [, y, mo, d, h, mi, s] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  // .NET's DateTime.MinValue (0001-01-01T00:00:00), what a non-nullable DateTime holds when unset.
  if (year === 1 && month === 1 && day === 1) return undefined;
  if (year < 1990 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return "invalid";
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(utc).getUTCDate() !== day) return "invalid";
  return utc - VN_OFFSET_MS;
}
