import { CivilCalendar, WorkingTime } from "../../shared/calendar/index.ts";
import type { DossierEventJson } from "../../shared/dossier/index.ts";
import { type DossierEvent, foldAsOf, parseDossierEvent } from "../../shared/dossier/index.ts";

/**
 * The demo province as a one-stop system would push it to the national portal: each dossier's
 * events become the national sync payload — the whole dossier (`HoSo`) re-sent after every change,
 * a progress row (`TienDo`) for every step — in the two envelope styles the senders use.
 *
 * Field names and statuses as TD's DTOs (HuanVu201/DichVuCong_KhoaLuan_PASETO,
 * DichVuCongApi/src/Core/Application/Common/KetNoi/DVC/SyncLocalDataToDVCQG/ISyncLocalDataToDVCQGService.cs,
 * `HoSoDongBoDVC`, `QuaTrinhXuLyDongBoDVC`) and OpenCPS's envelope (VietOpenCPS/opencps-v2,
 * …/dossiermgt/action/impl/DVCQGIntegrationActionImpl.java, `syncData`): dates `yyyyMMddHHmmss` in
 * Asia/Ho_Chi_Minh, values as strings.
 */

export type FeedStyle = "service" | "three-url";

/** One HTTP request a sender makes: the sync route and its JSON body. */
export interface SyncFeedRequest {
  readonly path: "/sync/dvcqg" | "/sync/dvcqg/create" | "/sync/dvcqg/update" | "/sync/dvcqg/progress";
  readonly body: unknown;
  /** When the sender sends it (the event's instant): a player may wait for the clock. */
  readonly at: number;
  readonly dossierCode: string;
}

/** Status codes (`TrangThaiHoSo`) by the event that leads to them. */
const STATUS_AFTER: Partial<Record<DossierEvent["type"], string>> = {
  received: "2",
  assigned: "4",
  transferred: "4",
  "supplement-requested": "5",
  "supplement-received": "4",
  paused: "6",
  resumed: "4",
  "result-ready": "9",
  returned: "10",
  rejected: "3",
  withdrawn: "7",
  stopped: "8",
};

/** `yyyyMMddHHmmss` in Asia/Ho_Chi_Minh (UTC+7 all year). */
export function senderDate(instant: number): string {
  return new Date(instant + 7 * 3_600_000).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * The requests a one-stop system would make for these dossiers, in sending order. `style(agencyId)`
 * picks each agency's envelope; `madonvi` is the agency id.
 */
export function demoSyncRequests(
  events: readonly DossierEventJson[],
  options: {
    readonly dossiers?: number;
    readonly style?: (agencyId: string) => FeedStyle;
    readonly working?: WorkingTime;
  } = {},
): SyncFeedRequest[] {
  const working = options.working ?? new WorkingTime(CivilCalendar.default());
  const byCode = new Map<string, DossierEvent[]>();
  for (const json of events) {
    const event = parseDossierEvent(json);
    // Not the portal's business; an apology's new date reaches it only as a moved NgayHenTra.
    if (event.type === "alert-acknowledged") continue;
    const list = byCode.get(event.dossierCode) ?? [];
    list.push(event);
    byCode.set(event.dossierCode, list);
  }
  const codes = [...byCode.keys()].slice(0, options.dossiers ?? byCode.size);
  const requests: SyncFeedRequest[] = [];
  for (const code of codes) {
    requests.push(...dossierRequests(byCode.get(code)!, working, options.style ?? (() => "three-url")));
  }
  return requests.sort((a, b) => a.at - b.at);
}

function dossierRequests(
  events: DossierEvent[],
  working: WorkingTime,
  styleOf: (agencyId: string) => FeedStyle,
): SyncFeedRequest[] {
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  const received = ordered.find((event) => event.type === "received");
  if (received?.type !== "received") return [];
  const agencyId = received.agency.id;
  const style = styleOf(agencyId);
  const code = received.dossierCode;
  const hoSo: Record<string, unknown> = {
    MaHoSo: code,
    MaTTHC: received.procedure.code,
    TenTTHC: received.procedure.name,
    TenLinhVuc: received.procedure.field ?? "",
    KenhThucHien: received.channel === "online" ? "2" : received.channel === "postal" ? "3" : "1",
    ChuHoSo: received.applicant.name,
    LoaiDoiTuong: "1",
    SoDienThoai: received.applicant.phone ?? "",
    Email: received.applicant.email ?? "",
    NgayNopHoSo: senderDate(received.receivedAt),
    NgayTiepNhan: senderDate(received.receivedAt),
    NgayHenTra: "",
    TrangThaiHoSo: "2",
    NgayKetThucXuLy: "",
    NgayTra: "",
    NgayTuChoi: "",
    DonViXuLy: received.unit.name,
    DanhSachHoSoBoSung: [] as Record<string, unknown>[],
  };
  const requests: SyncFeedRequest[] = [];
  let sent = false;
  const sendDossier = (at: number) => {
    const copy = structuredClone(hoSo);
    if (style === "service") {
      requests.push({
        path: "/sync/dvcqg",
        at,
        dossierCode: code,
        body: {
          service: "DongBoHoSoMC",
          madonvi: agencyId,
          isUpdating: sent ? "True" : "False",
          data: [copy],
        },
      });
    } else {
      requests.push({
        path: sent ? "/sync/dvcqg/update" : "/sync/dvcqg/create",
        at,
        dossierCode: code,
        body: [copy],
      });
    }
    sent = true;
  };
  const sendProgress = (row: Record<string, unknown>, at: number) => {
    requests.push(
      style === "service"
        ? {
            path: "/sync/dvcqg",
            at,
            dossierCode: code,
            body: { service: "CapNhatTienDoHoSoMC", madonvi: agencyId, data: [row] },
          }
        : { path: "/sync/dvcqg/progress", at, dossierCode: code, body: [row] },
    );
  };
  for (const event of ordered) {
    const at = event.occurredAt;
    const dossier = foldAsOf(ordered, at, working);
    const appointment = dossier?.appointments.at(-1)?.at;
    if (appointment !== undefined) hoSo.NgayHenTra = senderDate(appointment);
    const status = STATUS_AFTER[event.type];
    if (status !== undefined) hoSo.TrangThaiHoSo = status;
    const rounds = hoSo.DanhSachHoSoBoSung as Record<string, unknown>[];
    switch (event.type) {
      case "assigned":
      case "transferred":
        sendProgress(
          {
            MaHoSo: code,
            NguoiXuLy: event.handler?.name ?? event.handler?.id ?? "",
            ChucDanh: "",
            ThoiDiemXuLy: senderDate(at),
            PhongBanXuLy: event.unit?.name ?? "",
            NoiDungXuLy: event.task ?? "Chuyển xử lý",
            TrangThai: "4",
            NgayBatDau: senderDate(at),
            NgayKetThucTheoQuyDinh: event.dueAt === undefined ? "" : senderDate(event.dueAt),
          },
          at,
        );
        break;
      case "supplement-requested":
        rounds.push({
          NguoiYeuCauBoSung: "",
          NoiDungBoSung: event.reason,
          NgayBoSung: senderDate(at),
          NgayTiepNhanBoSung: "",
          TrangThaiBoSung: "0",
          NgayHenTraTruoc: hoSo.NgayHenTra,
          NgayHenTraMoi: "",
        });
        break;
      case "supplement-received": {
        const round = rounds.at(-1);
        if (round) {
          round.NgayTiepNhanBoSung = senderDate(at);
          round.TrangThaiBoSung = "1";
          round.NgayHenTraMoi = hoSo.NgayHenTra;
        }
        break;
      }
      case "result-ready":
        hoSo.NgayKetThucXuLy = senderDate(at);
        break;
      case "returned":
        hoSo.NgayTra = senderDate(at);
        break;
      case "rejected":
        hoSo.NgayTuChoi = senderDate(at);
        break;
      default:
        break;
    }
    // The whole dossier again after every change, as both senders do.
    sendDossier(at);
  }
  return requests;
}

/**
 * Plays the requests against a running dunghan (npm start), as the sender would, waiting after each
 * until the events queue is idle (what the next request is compared with); returns the replies' codes.
 */
export async function playSyncFeed(
  requests: readonly SyncFeedRequest[],
  options: { readonly url: string; readonly credential: string },
): Promise<{ sent: number; byCode: Record<string, number> }> {
  const byCode: Record<string, number> = {};
  const idle = async () => {
    for (let i = 0; i < 600; i++) {
      const health = (await (await fetch(`${options.url}/health`)).json()) as {
        queues?: { events?: { depth: number; inFlight: number } };
      };
      const events = health.queues?.events;
      if (!events || (events.depth === 0 && events.inFlight === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  for (const request of requests) {
    const response = await fetch(`${options.url}${request.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.credential}` },
      body: JSON.stringify(request.body),
    });
    const reply = (await response.json()) as { error_code?: string };
    const key = `${response.status} ${reply.error_code ?? "?"}`;
    byCode[key] = (byCode[key] ?? 0) + 1;
    await idle();
  }
  return { sent: requests.length, byCode };
}
