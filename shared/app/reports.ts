import { parseIsoDate } from "../calendar/index.ts";
import { InvalidInputError } from "../errors.ts";
import {
  type Bieu06,
  bieu06ToCsv,
  bieu06ToXlsx,
  buildBieu06,
  buildReport,
  type CounterStore,
  type FieldLookup,
  type GradeScale,
  type ProcedureField,
  type Report,
  type ReportDimension,
  reportToCsv,
  reportToXlsx,
} from "../reports/index.ts";
import { type Actor, requireGroup } from "./actor.ts";

/**
 * What the report by field and Biểu số 06 need of the procedure catalogue: each procedure's lĩnh
 * vực (`field`). The sync layer's `ProcedureCatalogue` has this shape; without a catalogue every
 * procedure is on the unknown-field line.
 */
export interface FieldCatalogue {
  current(): Promise<{ readonly procedures: ReadonlyMap<string, { readonly field?: string | undefined }> }>;
}

export interface ReportsPorts {
  readonly counters: CounterStore;
  readonly catalogue?: FieldCatalogue | undefined;
}

export interface PeriodRequest {
  readonly from: string;
  readonly to: string;
}

export interface ReportsOptions {
  /** The colour thresholds of the deployment (docs/reports.md, "Colour grades"); default dunghan's placeholder. */
  readonly grades?: GradeScale | undefined;
}

export interface ReportRequest {
  readonly from: string;
  readonly to: string;
  readonly by: ReportDimension;
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
    checkPeriod(request);
    const rows = await this.#ports.counters.read(actor.agencyId, request.from, request.to);
    return buildReport(
      rows,
      { ...request, agencyIds: [actor.agencyId] },
      {
        grades: this.#options.grades,
        fieldOf: request.by === "field" ? await this.#fieldOf() : undefined,
      },
    );
  }

  /**
   * Biểu số 06 (TT 01/2020/TT-VPCP) of the caller's agency: the report by field — the procedure
   * lines grouped by the catalogue's lĩnh vực — in the form's columns (docs/reports.md, "Biểu số 06").
   */
  async bieu06(actor: Actor, request: PeriodRequest): Promise<Bieu06> {
    return buildBieu06(await this.report(actor, { ...request, by: "field" }));
  }

  /** Each procedure's field as the catalogue names it (the name stands for the code). */
  async #fieldOf(): Promise<FieldLookup> {
    const catalogue = this.#ports.catalogue ? await this.#ports.catalogue.current() : undefined;
    return (code): ProcedureField | undefined => {
      const field = catalogue?.procedures.get(code)?.field?.trim();
      return field ? { code: field, name: field } : undefined;
    };
  }

  bieu06Csv(form: Bieu06): string {
    return bieu06ToCsv(form);
  }

  bieu06Xlsx(form: Bieu06): Uint8Array {
    return bieu06ToXlsx(form);
  }

  csv(report: Report): string {
    return reportToCsv(report);
  }

  xlsx(report: Report): Uint8Array {
    return reportToXlsx(report);
  }
}

function checkPeriod(request: PeriodRequest): void {
  const days = parseIsoDate(request.to) - parseIsoDate(request.from);
  if (days < 0) {
    throw new InvalidInputError(`the period ends (${request.to}) before it starts (${request.from})`);
  }
  if (days >= MAX_PERIOD_DAYS) {
    throw new InvalidInputError(`a report covers at most ${MAX_PERIOD_DAYS} days`, { days: days + 1 });
  }
}
