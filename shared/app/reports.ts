import { parseIsoDate } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";
import {
  buildReport,
  type CounterStore,
  type Dimension,
  type GradeScale,
  type Report,
  reportToCsv,
} from "../reports/index.ts";
import { type Actor, requireGroup } from "./actor.ts";

export interface ReportsPorts {
  readonly counters: CounterStore;
}

export interface ReportsOptions {
  /** The colour thresholds of the deployment (docs/reports.md, "Colour grades"); default dunghan's placeholder. */
  readonly grades?: GradeScale | undefined;
}

export interface ReportRequest {
  readonly from: string;
  readonly to: string;
  readonly by: Dimension;
}

/** Ten years of day rows at most: a longer period is a typo, not a report. */
const MAX_PERIOD_DAYS = 3660;

/**
 * The reports leaders and admins read (docs/reports.md): the caller's agency only, from the counters the
 * worker keeps current — never a fold of the dossiers.
 */
export class Reports {
  readonly #ports: ReportsPorts;
  readonly #options: ReportsOptions;

  constructor(ports: ReportsPorts, options: ReportsOptions = {}) {
    this.#ports = ports;
    this.#options = options;
  }

  async report(actor: Actor, request: ReportRequest): Promise<Report> {
    requireGroup(actor, "leader", "admin");
    const days = parseIsoDate(request.to) - parseIsoDate(request.from);
    if (days < 0) {
      throw new InvalidInputError(`the period ends (${request.to}) before it starts (${request.from})`);
    }
    if (days >= MAX_PERIOD_DAYS) {
      throw new InvalidInputError(`a report covers at most ${MAX_PERIOD_DAYS} days`, { days: days + 1 });
    }
    const rows = await this.#ports.counters.read(actor.agencyId, request.from, request.to);
    return buildReport(
      rows,
      { ...request, agencyIds: [actor.agencyId] },
      this.#options.grades ? { grades: this.#options.grades } : {},
    );
  }

  csv(report: Report): string {
    return reportToCsv(report);
  }
}
