import { senderDate } from "../local/demo/sync-feed.ts";
import { ManualClock } from "../local/runtime/clock.ts";
import { type LocalStack, startLocalStack } from "../local/runtime/stack.ts";
import { SyncSenders } from "../shared/app/sync-senders.ts";
import { parseInstant } from "../shared/calendar/index.ts";
import type { Benchmark, Figure } from "./harness.ts";

/**
 * The national sync route on the local stack (docs/integration.md), over HTTP as a one-stop system
 * sends it: `POST /sync/dvcqg/update` with arrays of whole dossiers (`HoSo`), a few requests at
 * once, until the worker has applied everything.
 *
 * - `sync.first`: N dossiers synced for the first time (map → ingest → FIFO queue → apply-events →
 *   DynamoDB Local), records/s. Baseline: the unchanged re-send below.
 * - `sync.resend`: the same N dossiers sent again unchanged (one read each, nothing queued):
 *   records/s and its speed-up over the first sync (target ≥ 5×), and the table writes it caused
 *   (target 0: counted on the DynamoDB client).
 * - `sync.catch-up`: a burst of B dossiers after an outage, mostly unchanged as the senders' catch-up
 *   jobs send them — 90% already held, 10% new — wall time until applied.
 *
 * SYNC_BENCH_RECORDS (default 2000) and SYNC_BENCH_BURST (default 10000) change the sizes;
 * SYNC_BENCH_PROGRESS=1 prints the phases.
 */
const RECORDS = Number(process.env.SYNC_BENCH_RECORDS ?? 2000);
const BURST = Number(process.env.SYNC_BENCH_BURST ?? 10_000);
const PER_REQUEST = 50;
const CONCURRENT_REQUESTS = 4;
const START = "2026-11-20T08:05:00+07:00";
const AGENCY = "000.00.17.H56";
const PROCEDURE = {
  code: "1.001612",
  name: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
  field: "Hoạt động xây dựng",
  timeLimit: { amount: 5, unit: "working-days" as const },
};

const progress = (line: string) => {
  if (process.env.SYNC_BENCH_PROGRESS) process.stderr.write(`  ${line}\n`);
};

function hoSo(prefix: string, n: number): Record<string, unknown> {
  const received = parseInstant(START) - (n % 240) * 60_000 - 3 * 86_400_000;
  return {
    MaHoSo: `${AGENCY}-${prefix}-${String(n).padStart(6, "0")}`,
    MaTTHC: PROCEDURE.code,
    TenTTHC: PROCEDURE.name,
    KenhThucHien: "2",
    ChuHoSo: "Trần Thị Bé Năm",
    LoaiDoiTuong: "1",
    NgayNopHoSo: senderDate(received),
    NgayTiepNhan: senderDate(received),
    NgayHenTra: "",
    TrangThaiHoSo: "2",
    DonViXuLy: "Bộ phận một cửa",
    DanhSachHoSoBoSung: [],
  };
}

async function sendAll(
  stack: LocalStack,
  credential: string,
  records: readonly Record<string, unknown>[],
): Promise<{ ms: number; accepted: number; unchanged: number; refused: number }> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < records.length; i += PER_REQUEST) batches.push(records.slice(i, i + PER_REQUEST));
  const totals = { accepted: 0, unchanged: 0, refused: 0 };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const response = await fetch(`${stack.url}/sync/dvcqg/update`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
        body: JSON.stringify(batch),
      });
      const reply = (await response.json()) as { accepted?: number; unchanged?: number; errors?: unknown[] };
      if (response.status >= 500) throw new Error(`sync bench: ${response.status} ${JSON.stringify(reply)}`);
      totals.accepted += reply.accepted ?? 0;
      totals.unchanged += reply.unchanged ?? 0;
      totals.refused += reply.errors?.length ?? 0;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, worker));
  await stack.settle();
  return { ms: performance.now() - started, ...totals };
}

export const syncBenchmark: Benchmark = {
  name: "sync (national sync payload on the local stack)",
  async run(): Promise<Figure[]> {
    const stack = await startLocalStack({
      inMemory: true,
      port: 0,
      clock: new ManualClock(START),
      demo: "people",
      timers: false,
      syncCatalogue: { version: "bench", procedures: new Map([[PROCEDURE.code, PROCEDURE]]) },
    });
    let writes = 0;
    stack.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(String(context.commandName))) writes++;
        return next(args);
      },
      { step: "initialize", name: "countWrites" },
    );
    try {
      const credential = (
        await new SyncSenders({ senders: stack.syncSenders }).issue(
          { id: "bench", name: "bench", agencies: [AGENCY, "Bộ phận một cửa"] },
          Buffer.alloc(32, 1),
          START,
        )
      ).credential;
      const records = Array.from({ length: RECORDS }, (_, n) => hoSo("A", n));

      progress(`first sync of ${RECORDS}`);
      const writesAtStart = writes;
      const first = await sendAll(stack, credential, records);
      const firstWrites = writes - writesAtStart;
      // The counter must see the first sync's writes, or a 0 below would prove nothing.
      if (firstWrites < RECORDS) throw new Error(`sync bench: the write counter saw ${firstWrites} writes`);
      if (first.accepted !== RECORDS)
        throw new Error(`sync bench: first sync accepted ${JSON.stringify(first)}`);
      progress(`re-send of ${RECORDS}`);
      const writesBefore = writes;
      const resend = await sendAll(stack, credential, records);
      const resendWrites = writes - writesBefore;
      if (resend.unchanged !== RECORDS) throw new Error(`sync bench: re-send ${JSON.stringify(resend)}`);

      progress(`catch-up burst of ${BURST}`);
      const held = Array.from({ length: Math.round(BURST * 0.9) }, (_, n) => hoSo("B", n));
      await sendAll(stack, credential, held);
      const burstRecords = [...held, ...Array.from({ length: BURST - held.length }, (_, n) => hoSo("C", n))];
      const burst = await sendAll(stack, credential, burstRecords);
      if (burst.unchanged !== held.length || burst.accepted !== BURST - held.length) {
        throw new Error(`sync bench: burst ${JSON.stringify(burst)}`);
      }

      const rate = (n: number, ms: number) => (n / ms) * 1000;
      return [
        {
          figure: "sync.first",
          value: rate(RECORDS, first.ms),
          unit: "records/s",
          baselines: { "unchanged re-send": rate(RECORDS, resend.ms) },
          note: `${RECORDS} dossiers in ${(first.ms / 1000).toFixed(1)} s (HTTP → map → FIFO queue → worker → DynamoDB Local), ${PER_REQUEST} per request, ${CONCURRENT_REQUESTS} at once; table writes: ${firstWrites}`,
        },
        {
          figure: "sync.resend",
          value: first.ms / resend.ms,
          unit: "× faster than the first sync",
          target: "≥ 5×",
          baselines: { "first sync": 1 },
          note: `${RECORDS} unchanged dossiers in ${(resend.ms / 1000).toFixed(1)} s; table writes: ${resendWrites} (target 0)`,
        },
        {
          figure: "sync.resend.writes",
          value: resendWrites,
          unit: "table writes",
          target: "0",
          baselines: {},
        },
        {
          figure: "sync.catch-up",
          value: burst.ms / 1000,
          unit: "s",
          baselines: {},
          note: `${BURST} dossiers in one burst (${held.length} unchanged, ${BURST - held.length} new), until applied`,
        },
      ];
    } finally {
      await stack.stop();
    }
  },
};
