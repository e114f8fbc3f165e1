import type { Pause } from "../calendar/index.ts";
import { localEpochDay } from "../calendar/local-date.ts";
import type { WorkingTime } from "../calendar/working-time.ts";
import {
  type AppointmentVersion,
  type Assignment,
  currentAppointment,
  type Dossier,
  escalationStoppedAt,
  isClockStopped,
  isOpen,
  legalAppointment,
} from "../dossier/dossier.ts";
import { asPauses, dueReached, extendByStops } from "../dossier/stopped-clock.ts";
import { type Offset, offsetMs } from "../dossier/timeliness.ts";
import {
  type AlertChannel,
  type AlertKind,
  compareAlerts,
  dedupeKey,
  type PlannedAlert,
  type RecipientRole,
} from "./alert.ts";
import type { AlertPolicy, WarningMark, WarningSchedule } from "./alert-policy.ts";
import { type Directory, type Recipient, recipientKey, recipientsFor } from "./directory.ts";
import { smsSendableAt } from "./quiet-hours.ts";

export interface AlertContext {
  /** One WorkingTime per office-hours configuration, built once and reused. */
  workingTime: WorkingTime;
  directory: Directory;
}

/**
 * Every alert the policy gives a dossier as it stands, past and future, each with its instant —
 * the agenda a storage layer indexes by time bucket. Pure: no `now`. The plan of a finished
 * dossier keeps only the citizen notices; a paused one has no warnings until it resumes (its due
 * instant is unknown). Dedupe keys do not contain the instant, so re-planning after a pause or a
 * calendar change never makes an alert already sent due again.
 */
export function planAlerts(dossier: Dossier, policy: AlertPolicy, context: AlertContext): PlannedAlert[] {
  const plan = new Planner(dossier, policy, context);
  plan.citizenNotices();
  if (isOpen(dossier)) {
    plan.handlerWarnings();
    plan.stepAlerts();
    plan.apologyDuty();
    plan.escalation();
  }
  return plan.alerts.sort(compareAlerts);
}

/**
 * The alerts due at `now`: planned at or before it and still meaningful (a warning is dropped once
 * the next warning, or its due instant, has come — a stale warning is never sent late). The
 * dossier must be folded from the events known at `now`; the caller drops the dedupe keys it has
 * already sent.
 */
export function dueAlerts(dossier: Dossier, now: number, policy: AlertPolicy, context: AlertContext) {
  return planAlerts(dossier, policy, context).filter(
    (alert) => alert.at <= now && (alert.expiresAt === undefined || now < alert.expiresAt),
  );
}

interface AlertSpec {
  at: number;
  rule: string;
  kind?: AlertKind;
  role: RecipientRole;
  assignment: Assignment;
  channel: AlertChannel;
  version: number;
  subject?: string;
  /** Leave the appointment version out of the dedupe key (step alerts). */
  unversioned?: boolean;
  stepId?: string;
  dueAt?: number;
  expiresAt?: number;
  actBy?: number;
  /** Skip a recipient already planned this rule (the desk's leaders under liên thông). */
  skipPlanned?: boolean;
  /** One alert for the role, not one per person (the apology draft). */
  once?: boolean;
}

class Planner {
  readonly alerts: PlannedAlert[] = [];
  private readonly working: WorkingTime;

  constructor(
    private readonly dossier: Dossier,
    private readonly policy: AlertPolicy,
    private readonly context: AlertContext,
  ) {
    this.working = context.workingTime;
  }

  citizenNotices(): void {
    const { dossier, policy } = this;
    const citizen = policy.citizen;
    const applicant = dossier.received.applicant;
    const channels = citizen.channels.filter((channel) =>
      channel === "sms"
        ? applicant.phone !== undefined && applicant.consent.sms
        : applicant.email !== undefined && applicant.consent.email,
    );
    if (channels.length === 0) return;
    const reception: Assignment = {
      agency: dossier.received.agency,
      unit: dossier.received.unit,
      handler: undefined,
    };
    const notify = (rule: string, at: number, version: number, subject?: string) => {
      for (const channel of channels) {
        this.add({ at, rule, role: "citizen", assignment: reception, channel, version, subject });
      }
    };
    for (const version of dossier.appointments) {
      if (version.kind === "apology") {
        if (citizen.apology) notify("citizen-apology", version.givenAt, version.version);
      } else if (citizen.receipt) {
        notify("citizen-receipt", version.givenAt, version.version);
      }
    }
    if (citizen.supplementRequested) {
      for (const round of dossier.supplements) {
        notify(
          "citizen-supplement-requested",
          round.requestedAt,
          versionAt(dossier, round.requestedAt),
          round.requestId,
        );
      }
    }
    if (citizen.resultReady && dossier.finishedAt !== undefined) {
      notify("citizen-result-ready", dossier.finishedAt, currentAppointment(dossier).version);
    }
  }

  handlerWarnings(): void {
    const { dossier } = this;
    const version = currentAppointment(dossier);
    if (!this.policy.handlerWarnings.enabled || dossier.dueAt === undefined) return;
    this.warn(
      this.policy.handlerWarnings,
      dossier.dueAt,
      version.startAt,
      version.allotmentMs,
      (mark, at) => ({
        at,
        rule: mark.rule,
        role: "handler",
        assignment: dossier.current,
        channel: this.policy.handlerWarnings.channel,
        version: version.version,
        dueAt: dossier.dueAt,
        expiresAt: dossier.dueAt,
      }),
    );
  }

  stepAlerts(): void {
    const { dossier, policy, working } = this;
    const step = dossier.steps[dossier.steps.length - 1];
    if (!step || step.finishedAt !== undefined || step.dueAt === undefined) return;
    const dueAt = step.dueAt;
    const version = currentAppointment(dossier).version;
    if (policy.stepWarnings.enabled) {
      const allotmentMs =
        step.allotment && step.allotment.unit !== "calendar-days"
          ? offsetMs(step.allotment as Offset)
          : working.workingTimeBetween(step.countFrom, dueAt);
      this.warn(policy.stepWarnings, dueAt, step.countFrom, allotmentMs, (mark, at) => ({
        at,
        rule: mark.rule,
        role: "handler",
        assignment: step.assignment,
        channel: policy.stepWarnings.channel,
        version,
        subject: step.id,
        unversioned: true,
        stepId: step.id,
        dueAt,
        expiresAt: dueAt,
      }));
    }
    if (policy.stepOverdue.enabled) {
      const desk: Assignment = {
        agency: dossier.received.agency,
        unit: dossier.received.unit,
        handler: undefined,
      };
      this.add({
        at: dueAt,
        rule: "step-overdue",
        role: "unit-leader",
        assignment: desk,
        channel: policy.stepOverdue.channel,
        version,
        subject: step.id,
        unversioned: true,
        stepId: step.id,
        dueAt,
      });
    }
  }

  /**
   * The apology duty and, when the law's last moment passes without an apology, apology-overdue
   * (NĐ 61/2018 Art. 19(9) / NĐ 118/2025). The clock is the legal one: the due instant under the
   * time limit — the earlier of it and the receipt's recorded appointment —, moved by stops.
   */
  apologyDuty(): void {
    const { dossier, policy, working } = this;
    const duty = policy.apologyDuty;
    const overdue = policy.apologyOverdue;
    if ((!duty.enabled && !overdue.enabled) || dossier.apology) return;
    const legal = legalAppointment(dossier);
    const limitAt = legal.limitAt ?? legal.at;
    const dueAt =
      limitAt < legal.at ? dueReached(working, dossier.stops, legal, limitAt) : dossier.legalDueAt;
    // While the clock is stopped the instants are unknown; they move when it runs again.
    if (dueAt === undefined || isClockStopped(dossier)) return;
    const allotmentMs = working.workingTimeBetween(legal.startAt, Math.min(legal.at, limitAt));
    const short = allotmentMs <= offsetMs(duty.shortAllotment);
    let dutyAt = short
      ? this.elapsedAt(duty.shortElapsedFraction, dueAt, allotmentMs)
      : this.before(dueAt, duty.before);
    if (dutyAt <= legal.startAt) dutyAt = this.elapsedAt(duty.shortElapsedFraction, dueAt, allotmentMs);
    let overdueAt = short
      ? this.elapsedAt(overdue.shortElapsedFraction, dueAt, allotmentMs)
      : this.before(dueAt, overdue.before);
    if (overdueAt <= dutyAt) overdueAt = this.elapsedAt(overdue.shortElapsedFraction, dueAt, allotmentMs);

    const desk: Assignment = {
      agency: dossier.received.agency,
      unit: dossier.received.unit,
      handler: undefined,
    };
    const holder = dossier.current;
    const liaison =
      holder.agency.id !== desk.agency.id || (holder.unit !== undefined && holder.unit.id !== desk.unit?.id);
    const version = legal.version;
    const actBy = overdueAt;
    // One spec shape for every apology alert (add() stays fast: few object shapes reach it).
    const alert = (
      rule: string,
      kind: AlertKind,
      at: number,
      role: RecipientRole,
      assignment: Assignment,
      channel: AlertChannel,
      skipPlanned: boolean,
      once = false,
    ) => this.add({ at, rule, kind, role, assignment, channel, version, dueAt, actBy, skipPlanned, once });
    if (duty.enabled) {
      alert("apology-duty", "notice", dutyAt, "unit-leader", holder, duty.channel, false);
      if (duty.notifyDesk && liaison) {
        alert("apology-duty", "notice", dutyAt, "unit-leader", desk, duty.channel, true);
      }
      if (duty.requestDraft) {
        const kind = "apology-draft-requested";
        alert(kind, kind, dutyAt, "unit-leader", holder, duty.channel, false, true);
      }
    }
    if (overdue.enabled) {
      for (const role of overdue.roles) {
        alert("apology-overdue", "notice", overdueAt, role, holder, overdue.channel, false);
      }
      if (overdue.notifyDesk && liaison) {
        alert("apology-overdue", "notice", overdueAt, "unit-leader", desk, overdue.channel, true);
      }
    }
  }

  /**
   * Levels after the current appointment's due instant. Stopped office time moves every pending
   * level, whether the stop began before the due instant (it moves the instant itself) or after
   * (the dossier waits on the applicant, overdue: the levels wait with it); a leader's
   * acknowledgement at or after the due instant stops the levels after it.
   */
  escalation(): void {
    const { dossier, policy, working } = this;
    if (!policy.escalation.enabled) return;
    const version = currentAppointment(dossier);
    const dueAt = dossier.dueAt ?? dueReached(working, dossier.stops, version);
    if (dueAt === undefined) return;
    const stoppedAt = escalationStoppedAt(dossier, version.version, dueAt);
    const pauses = dossier.stops.length === 0 ? NO_PAUSES : asPauses(dossier.stops);
    const levels = policy.escalation.levels;
    for (let index = 0; index < levels.length; index++) {
      const level = levels[index]!;
      const at = extendByStops(working, dueAt, this.after(dueAt, level.after), pauses);
      if (at === undefined) continue; // held by the open stop
      if (stoppedAt !== undefined && at > stoppedAt) continue;
      this.add({
        at,
        rule: `overdue-level-${index + 1}`,
        role: level.role,
        assignment: dossier.current,
        channel: level.channel,
        version: version.version,
        dueAt,
      });
    }
  }

  /**
   * Warning marks for a due instant. A mark not after the clock's start, or not before the due
   * instant, is skipped. Each warning expires when the next one (or the due instant) comes: a
   * late-planned warning, after a reassignment or a resume, never repeats a stale message.
   */
  private warn(
    schedule: WarningSchedule,
    dueAt: number,
    startAt: number,
    allotmentMs: number,
    spec: (mark: WarningMark, at: number) => AlertSpec,
  ): void {
    const short = allotmentMs <= offsetMs(schedule.shortAllotment);
    const marks = (short ? schedule.shortMarks : schedule.marks)
      .map((mark) => ({ mark, at: this.markAt(mark, dueAt, allotmentMs) }))
      .filter(({ at }) => at > startAt && at < dueAt)
      .sort((a, b) => a.at - b.at);
    marks.forEach(({ mark, at }, index) => {
      this.add({ ...spec(mark, at), expiresAt: marks[index + 1]?.at ?? dueAt });
    });
  }

  private markAt(mark: WarningMark, dueAt: number, allotmentMs: number): number {
    if ("before" in mark) return this.before(dueAt, mark.before);
    if ("atOpeningOfDueDay" in mark) return this.working.openingOf(localEpochDay(dueAt));
    return this.elapsedAt(mark.elapsedFraction, dueAt, allotmentMs);
  }

  /** When `fraction` of an allotment ending at `dueAt` has elapsed. */
  private elapsedAt(fraction: number, dueAt: number, allotmentMs: number): number {
    const office = this.working.officeTimeAt(dueAt) - (1 - fraction) * allotmentMs;
    return this.working.instantAtOfficeTime(Math.max(0, Math.round(office)));
  }

  private before(at: number, offset: Offset): number {
    const ms = offsetMs(offset);
    return ms === 0 ? at : this.working.instantAtOfficeTime(Math.max(0, this.working.officeTimeAt(at) - ms));
  }

  private after(at: number, offset: Offset): number {
    const ms = offsetMs(offset);
    return ms === 0 ? at : this.working.addOfficeTime(at, ms);
  }

  private add(spec: AlertSpec): void {
    const recipients: Recipient[] = spec.once
      ? [{ role: spec.role, agencyId: spec.assignment.agency.id, unitId: spec.assignment.unit?.id }]
      : recipientsFor(spec.role, spec.assignment, this.context.directory);
    const at = spec.channel === "sms" ? smsSendableAt(spec.at, this.policy.smsWindow) : spec.at;
    for (const recipient of recipients) {
      const key = dedupeKey({
        dossier: this.dossier.code,
        rule: spec.rule,
        version: spec.unversioned ? undefined : spec.version,
        subject: spec.subject,
        recipientKey: spec.once ? recipient.role : recipientKey(recipient),
        channel: spec.channel,
      });
      // One person reached twice (a holder's leader who also leads the desk) gets one alert.
      if (spec.skipPlanned && this.alerts.some((alert) => alert.dedupeKey === key)) continue;
      // One object literal with every field (absent ones undefined): one hidden class, no reshaping.
      this.alerts.push({
        at,
        dossier: this.dossier.code,
        rule: spec.rule,
        kind: spec.kind ?? "notice",
        recipientRole: recipient.role,
        recipientId: recipient.id,
        agencyId: recipient.agencyId ?? spec.assignment.agency.id,
        unitId: recipient.unitId,
        stepId: spec.stepId,
        channel: spec.channel,
        appointmentVersion: spec.version,
        dueAt: spec.dueAt,
        expiresAt: spec.expiresAt,
        actBy: spec.actBy,
        dedupeKey: key,
      });
    }
  }
}

const NO_PAUSES: readonly Pause[] = [];

/** The appointment version current at an instant. */
function versionAt(dossier: Dossier, at: number): number {
  let found: AppointmentVersion = dossier.appointments[0]!;
  for (const version of dossier.appointments) if (version.givenAt <= at) found = version;
  return found.version;
}
