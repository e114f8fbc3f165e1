import { mergePauses, type Pause, type WorkingTime } from "../calendar/index.ts";
import {
  type AppointmentVersion,
  type ClockStop,
  type Dossier,
  isOpen,
  legalAppointment,
} from "./dossier.ts";

/**
 * Stops of the clock (pauses, supplement waits) as calendar pauses. `closeOpenAt` ends the open
 * ones at an instant: the due instant "if the clock restarted now", or at the finish.
 */
export function asPauses(stops: readonly ClockStop[], closeOpenAt?: number): Pause[] {
  return stops.map((stop) => {
    const end = stop.end ?? closeOpenAt;
    return end === undefined ? { start: stop.start } : { start: stop.start, end };
  });
}

/**
 * Moves a due instant by the office time the clock stood still after `startAt` and before the
 * due instant was reached (a stop that begins once the time is up moves nothing). Returns
 * undefined while an open stop holds the clock.
 */
export function extendByStops(
  working: WorkingTime,
  startAt: number,
  dueAt: number,
  pauses: readonly Pause[],
): number | undefined {
  if (pauses.length === 0) return dueAt;
  const startOffice = working.officeTimeAt(startAt);
  const base = working.officeTimeAt(dueAt);
  let target = base;
  for (const pause of pauses.length === 1 ? pauses : mergePauses(pauses)) {
    const pauseStart = Math.max(working.officeTimeAt(pause.start), startOffice);
    if (pauseStart >= target) break;
    if (pause.end === undefined) return undefined;
    const pauseEnd = working.officeTimeAt(pause.end);
    if (pauseEnd > pauseStart) target += pauseEnd - pauseStart;
  }
  return target === base ? dueAt : working.instantAtOfficeTime(target);
}

/** Office time the clock stood still between two instants. */
export function stoppedOfficeTime(
  working: WorkingTime,
  fromMs: number,
  toMs: number,
  pauses: readonly Pause[],
) {
  let total = 0;
  for (const pause of mergePauses(pauses)) {
    const start = Math.max(pause.start, fromMs);
    const end = Math.min(pause.end ?? toMs, toMs);
    if (end > start) total += working.workingTimeBetween(start, end);
  }
  return total;
}

/**
 * The due instant of an appointment version as far as the clock has run: moved by the stops
 * before it; with an open stop that began once the time was already up (the dossier waits on the
 * applicant, overdue), the instant passed; undefined while an open stop holds a clock that had
 * not run out. `at` defaults to the version's appointment.
 */
export function dueReached(
  working: WorkingTime,
  stops: readonly ClockStop[],
  version: Pick<AppointmentVersion, "startAt" | "at">,
  at: number = version.at,
): number | undefined {
  let openStart: number | undefined;
  for (const stop of stops) {
    if (stop.end === undefined && (openStart === undefined || stop.start < openStart)) openStart = stop.start;
  }
  if (openStart === undefined) return extendByStops(working, version.startAt, at, asPauses(stops));
  const due = extendByStops(working, version.startAt, at, asPauses(stops, openStart));
  return due !== undefined && due <= openStart ? due : undefined;
}

/**
 * The legal due instant (`which` "legal") or the current appointment's (`"current"`) of an open
 * dossier, including while its clock is stopped after the instant passed (`Dossier.legalDueAt`
 * and `dueAt` are undefined then). A finished or closed dossier: its `legalDueAt` / `dueAt`.
 */
export function reachedDueAt(
  dossier: Dossier,
  working: WorkingTime,
  which: "legal" | "current",
): number | undefined {
  const known = which === "legal" ? dossier.legalDueAt : dossier.dueAt;
  if (known !== undefined || !isOpen(dossier)) return known;
  const version =
    which === "legal" ? legalAppointment(dossier) : dossier.appointments[dossier.appointments.length - 1]!;
  return dueReached(working, dossier.stops, version);
}
