import { createHash } from "node:crypto";
import { isoDate, localEpochDay, parseIsoDate } from "../calendar/local-date.ts";
import { canonicalJson } from "../canonical-json.ts";
import { InvalidInputError } from "../errors.ts";
import type { Column } from "../reports/columns.ts";
import { toCsv } from "../reports/csv.ts";
import { SYNC_FLAG_RULES, type SyncFlag, type SyncFlagRule } from "../sync/flags.ts";
import { type Actor, requireGroup } from "./actor.ts";
import type { SyncFlagSink } from "./sync-dossiers.ts";

/**
 * The discrepancy report (docs/integration.md, "Discrepancies"): what the national sync noticed
 * and did not believe — a procedure missing from the catalogue, a sender's appointment the law
 * does not give, a finish rewritten, … (shared/sync/flags.ts) — kept per dossier so an agency's
 * admins can read them per procedure and fix the catalogue or the sender's data. No personal data:
 * a flag carries codes, rules, field names and instants only.
 */
export interface SyncDiscrepancy {
  readonly agencyId: string;
  readonly dossierCode: string;
  /** `MaTTHC`, when the record named one. */
  readonly procedureCode?: string | undefined;
  readonly rule: SyncFlagRule;
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** The sender whose payload first raised it. */
  readonly senderId: string;
  /** When dunghan first received it (ISO instant): the report's period is read on this. */
  readonly firstSeenAt: string;
  /** The flag's identity within the dossier (`discrepancyKey`). */
  readonly key: string;
}

/**
 * The details that make one discrepancy another: all but the catalogue's version (a new version of
 * the catalogue that still disagrees with the sender's appointment is the same disagreement).
 */
export function discrepancyKey(flag: Pick<SyncFlag, "rule" | "procedureCode" | "details">): string {
  const { catalogueVersion: _, ...details } = flag.details;
  const digest = createHash("sha256")
    .update(canonicalJson({ procedureCode: flag.procedureCode ?? null, details }))
    .digest("hex")
    .slice(0, 16);
  return `${flag.rule}#${digest}`;
}

/** The store (shared/adapters/dynamodb/sync-discrepancy-log.dynamodb.ts). */
export interface SyncDiscrepancyLog {
  /**
   * Keeps each (agency, dossier, key) once: the first sighting stays, a re-sent record's flag
   * writes nothing (whole-dossier re-sends raise the same flags again and again).
   */
  record(discrepancies: readonly SyncDiscrepancy[]): Promise<void>;
  /** One agency's discrepancies first seen on the local days `from` to `to` (inclusive). */
  listByAgency(
    agencyId: string,
    period: { readonly from: string; readonly to: string },
  ): Promise<SyncDiscrepancy[]>;
}

/** The sync use case's flag sink over the log (functions/sync-wiring.ts). */
export function discrepancySink(log: SyncDiscrepancyLog): SyncFlagSink {
  return {
    async record(flags, context) {
      const firstSeenAt = new Date(context.receivedAt).toISOString();
      const unique = new Map<string, SyncDiscrepancy>();
      for (const flag of flags) {
        const key = discrepancyKey(flag);
        const discrepancy: SyncDiscrepancy = {
          agencyId: flag.agencyId,
          dossierCode: flag.dossierCode,
          ...(flag.procedureCode === undefined ? {} : { procedureCode: flag.procedureCode }),
          rule: flag.rule,
          details: flag.details,
          senderId: context.senderId,
          firstSeenAt,
          key,
        };
        unique.set(`${flag.agencyId}\u0000${flag.dossierCode}\u0000${key}`, discrepancy);
      }
      await log.record([...unique.values()]);
    },
  };
}

export const MAX_DISCREPANCY_PERIOD_DAYS = 366;

export interface DiscrepancyCount {
  readonly total: number;
  readonly byRule: Readonly<Partial<Record<SyncFlagRule, number>>>;
}

export interface DiscrepancyReport {
  readonly agencyId: string;
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly byRule: Readonly<Partial<Record<SyncFlagRule, number>>>;
  /** Per `MaTTHC` ("" when the record named none), most discrepancies first. */
  readonly byProcedure: readonly (DiscrepancyCount & { readonly procedureCode: string })[];
  /** Oldest first. */
  readonly items: readonly SyncDiscrepancy[];
}

/** `GET /sync/discrepancies`: the caller's agency only, admins only. */
export class SyncDiscrepancies {
  readonly #log: SyncDiscrepancyLog;

  constructor(ports: { readonly log: SyncDiscrepancyLog }) {
    this.#log = ports.log;
  }

  async report(
    actor: Actor,
    period: { readonly from: string; readonly to: string },
  ): Promise<DiscrepancyReport> {
    requireGroup(actor, "admin");
    const from = parseIsoDate(period.from);
    const to = parseIsoDate(period.to);
    if (to < from) throw new InvalidInputError("to must not be before from", { rule: "period" });
    if (to - from + 1 > MAX_DISCREPANCY_PERIOD_DAYS) {
      throw new InvalidInputError(`the period is at most ${MAX_DISCREPANCY_PERIOD_DAYS} days`, {
        rule: "period",
      });
    }
    const items = (await this.#log.listByAgency(actor.agencyId, period))
      .filter((item) => {
        const day = localEpochDay(Date.parse(item.firstSeenAt));
        return day >= from && day <= to;
      })
      .sort(
        (a, b) =>
          a.firstSeenAt.localeCompare(b.firstSeenAt) ||
          a.dossierCode.localeCompare(b.dossierCode) ||
          a.key.localeCompare(b.key),
      );
    const byProcedure = new Map<string, { total: number; byRule: Partial<Record<SyncFlagRule, number>> }>();
    const byRule: Partial<Record<SyncFlagRule, number>> = {};
    for (const item of items) {
      byRule[item.rule] = (byRule[item.rule] ?? 0) + 1;
      const code = item.procedureCode ?? "";
      const entry = byProcedure.get(code) ?? { total: 0, byRule: {} };
      entry.total++;
      entry.byRule[item.rule] = (entry.byRule[item.rule] ?? 0) + 1;
      byProcedure.set(code, entry);
    }
    return {
      agencyId: actor.agencyId,
      from: isoDate(from),
      to: isoDate(to),
      total: items.length,
      byRule: ordered(byRule),
      byProcedure: [...byProcedure.entries()]
        .map(([procedureCode, count]) => ({
          procedureCode,
          total: count.total,
          byRule: ordered(count.byRule),
        }))
        .sort((a, b) => b.total - a.total || a.procedureCode.localeCompare(b.procedureCode)),
      items,
    };
  }
}

function ordered(counts: Partial<Record<SyncFlagRule, number>>): Partial<Record<SyncFlagRule, number>> {
  return Object.fromEntries(
    SYNC_FLAG_RULES.filter((rule) => counts[rule] !== undefined).map((rule) => [rule, counts[rule]]),
  );
}

type DiscrepancyItem = DiscrepancyReport["items"][number];
const text = (header: string, value: (item: DiscrepancyItem) => string): Column<DiscrepancyItem> => ({
  header,
  kind: "text",
  width: 20,
  value,
});

/** The CSV's columns, by their API field names. */
const DISCREPANCY_CSV_COLUMNS: readonly Column<DiscrepancyItem>[] = [
  text("firstSeenAt", (item) => item.firstSeenAt),
  text("agencyId", (item) => item.agencyId),
  text("procedureCode", (item) => item.procedureCode ?? ""),
  text("dossierCode", (item) => item.dossierCode),
  text("rule", (item) => item.rule),
  text("details", (item) =>
    Object.entries(item.details)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${name}=${String(value)}`)
      .join("; "),
  ),
  text("senderId", (item) => item.senderId),
];

/** One row per discrepancy; `details` as `name=value` pairs by name, joined by "; " (a spreadsheet can filter them). */
export function discrepancyCsv(report: DiscrepancyReport): string {
  return toCsv(DISCREPANCY_CSV_COLUMNS, report.items, { separator: "," });
}
