import { formatInstant, parseInstant } from "../calendar/index.ts";
import {
  currentAppointment,
  type Dossier,
  type DossierEventJson,
  decide,
  dossierEventToJson,
  isOpen,
  legalBasisFor,
  parseDossierEvent,
  parseStoredDossierEvent,
  progressAt,
} from "../dossier/index.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import {
  APOLOGY_REASON_HINT,
  type ApologyDraft,
  type ApologyEditsInput,
  type ApologyLetterInput,
  type ApologySigner,
  type ApologyStatus,
  type AppointmentOptions,
  appointmentOptions,
  approveApology,
  buildApologyLetter,
  createApologyDraft,
  editApologyDraft,
  markApologySent,
  type NewAppointmentContext,
  proposeNewAppointment,
  reopenApology,
  resolveNewAppointment,
  withdrawApology,
} from "../letters/apology/index.ts";
import {
  DOCX_CONTENT_TYPE,
  type LetterFonts,
  renderApologyLetterDocx,
  renderApologyLetterHtml,
} from "../letters/render/index.ts";
import { type Actor, assertVisible, ForbiddenError, inScope, readScope, requireGroup } from "./actor.ts";
import { type BatchResult, processEach, type QueueRecord } from "./batch.ts";
import type { Blob, BlobStore } from "./blob-store.ts";
import type { Clock } from "./clock.ts";
import type { AgencyDirectory, DirectoryRepository } from "./directory.ts";
import type { AppAlertLog, AppDossierRepository } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { type ApologyRequestMessage, eventDeduplicationId, parseApologyRequest } from "./messages.ts";
import { type ApologyDraftRepository, ConcurrencyError, type Versioned } from "./ports.ts";
import type { MessageQueue } from "./queue.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

/** What the approval card shows of the dossier: no contact details (NĐ 13/2023/NĐ-CP). */
export interface DraftDossierSummary {
  readonly code: string;
  readonly applicantName: string;
  readonly procedureName: string;
  readonly receivedAt: string;
  /** The appointment the apology moves. */
  readonly originalAppointment: string;
  /** The legal due instant (null while the clock is stopped). */
  readonly legalDueAt: string | null;
  /** The responsible unit: the one that apologises and whose leaders approve. */
  readonly unitId: string;
  readonly unitName: string;
}

/** The letters workflow's draft, plus what this app needs to issue it and find its documents. */
export interface StoredApologyDraft extends ApologyDraft {
  readonly agencyId: string;
  /** The responsible unit's id: the `apology-issued` event names it as an organisation. */
  readonly responsibleUnitId: string;
  /** The agency of the responsible unit (another one than `agencyId` in liên thông); default `agencyId`. */
  readonly responsibleAgencyId?: string;
  /** The appointment version the apology moves. */
  readonly appointmentVersion: number;
  /** BlobStore keys of the rendered letter (re-rendered after every change). */
  readonly documents: { readonly html: string; readonly docx: string };
  /** The dedupe key of the alert that asked for the draft. */
  readonly requestedBy?: string;
  /** The approving person's staff id (`approvedBy` is their name). */
  readonly approvedById?: string;
  /** The dossier as the draft was made (drafts are listed without reading each dossier). */
  readonly dossier?: DraftDossierSummary;
}
export type AppApologyDraftRepository = ApologyDraftRepository<StoredApologyDraft>;

export interface ApologyDraftsPorts {
  readonly drafts: AppApologyDraftRepository;
  readonly dossiers: AppDossierRepository;
  readonly directories: DirectoryRepository;
  readonly alerts: AppAlertLog;
  readonly blobs: BlobStore;
  /** The events FIFO queue: a sent apology is applied by the worker like any other event. */
  readonly eventsQueue: MessageQueue;
  readonly workingTime: WorkingTimeProvider;
  readonly clock: Clock;
  readonly logger: AppLogger;
  /** The font the HTML letter carries inline (read once, when the first letter is rendered). */
  readonly letterFonts: LetterFonts;
}

export interface ApologyDraftsOptions {
  /** Working days the draft proposes beyond today for the new appointment (default 3). */
  readonly extraWorkingDays?: number;
  /** "Nơi nhận" on the letter. */
  readonly letterRecipients?: readonly string[];
}

export interface ApologyEdits {
  readonly reason?: string;
  /** An ISO instant or a bare `YYYY-MM-DD` (that working day's closing time): `resolveNewAppointment`. */
  readonly newAppointment?: string;
}

/** A draft as the API returns it. */
export type DraftView = Omit<StoredApologyDraft, "dossier"> & {
  readonly version: number;
  /** What to write as the reason (guidance for the empty field; never printed). */
  readonly reasonHint: string;
  /** The calling person may approve, edit, send, withdraw and reopen this draft (whatever its status). */
  readonly canApprove: boolean;
  readonly dossier: DraftDossierSummary;
};

export interface AgencyDraftQuery {
  readonly status?: ApologyStatus;
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
}

export interface DraftPage {
  readonly items: readonly DraftView[];
  /** Present when more drafts may follow: pass it back as `cursor` (as GET /dossiers pages). */
  readonly cursor?: string;
}

/** Read by this function's caller (ApplyEvents) for the automatic withdrawal, and by the drafts. */
export const SYSTEM_ACTOR = "dunghan (tự động)";

/** A unit leader's listing reads at most this many index pages to fill one page of theirs. */
const MAX_SCOPED_PAGES = 10;

/** Statuses in which a draft still waits to go out: one per dossier at a time. */
const PENDING: readonly ApologyStatus[] = ["draft", "approved"];

/**
 * Apology drafts (NĐ 61/2018 Art. 19(9); NĐ 118/2025 from 01/07/2025): created when the alert
 * policy asks for one (or a leader does), rendered as HTML and DOCX into the letters bucket, then
 * completed with the reason a person writes, approved, sent or withdrawn by a leader who may
 * approve it (`approverOf`) with the letters module's workflow. Sending puts the `apology-issued`
 * event on the events queue, so the worker applies it like any event and the once-only rule is
 * enforced there too.
 */
export class ApologyDrafts {
  readonly #ports: ApologyDraftsPorts;
  readonly #extraWorkingDays: number;
  readonly #recipients: readonly string[];

  constructor(ports: ApologyDraftsPorts, options: ApologyDraftsOptions = {}) {
    this.#ports = ports;
    this.#extraWorkingDays = options.extraWorkingDays ?? 3;
    this.#recipients = options.letterRecipients ?? ["Như trên", "Bộ phận Một cửa", "Lưu: VT"];
  }

  /** The apology queue's consumer. */
  async createRequestedBatch(records: readonly QueueRecord[]): Promise<BatchResult> {
    const result = await processEach(records, (record) =>
      this.createRequested(parseApologyRequest(record.body)),
    );
    for (const failure of result.failures) {
      this.#ports.logger.warn("apology request left for SQS to retry", {
        messageId: failure.messageId,
        reason: failure.reason,
      });
    }
    return result;
  }

  /** Creates the draft an `apology-draft-requested` alert asks for, once (its id comes from the appointment version). */
  async createRequested(message: ApologyRequestMessage): Promise<"created" | "exists" | "not-needed"> {
    const { alert } = message;
    const { dossiers, drafts, alerts, clock } = this.#ports;
    const now = clock.now();
    const nowIso = formatInstant(now);
    const dossier = (await dossiers.load(alert.dossierCode))?.state;
    if (!dossier || !isOpen(dossier) || dossier.apology !== undefined) {
      await alerts.recordDelivery(message.dedupeKey, {
        status: "skipped",
        at: nowIso,
        detail: { reason: "NOT_NEEDED" },
      });
      return "not-needed";
    }
    const id = `draft-v${alert.appointmentVersion}`;
    if ((await drafts.get(dossier.code, id)) !== undefined) {
      // Created by an earlier delivery that may have stopped before recording it.
      if ((await alerts.get(message.dedupeKey))?.status === "queued") {
        await alerts.recordDelivery(message.dedupeKey, {
          status: "sent",
          at: nowIso,
          detail: { draftId: id },
        });
      }
      return "exists";
    }
    const draft = await this.#newDraft(dossier, now, id, alert.appointmentVersion, message.dedupeKey);
    try {
      await drafts.save(draft, undefined);
    } catch (error) {
      // Another delivery of the same request created it first: same draft, nothing to do.
      if (!(error instanceof ConcurrencyError)) throw error;
      return "exists";
    }
    await alerts.recordDelivery(message.dedupeKey, { status: "sent", at: nowIso, detail: { draftId: id } });
    this.#ports.logger.info("apology draft created", { dossierCode: dossier.code, draftId: id });
    return "created";
  }

  /**
   * A leader asks for a draft (e.g. after withdrawing one): for the dossier's current appointment,
   * when the dossier is open, has had no apology and has no draft waiting (draft or approved).
   */
  async create(actor: Actor, code: string): Promise<DraftView> {
    requireGroup(actor, "leader");
    const { dossier } = await this.#visibleDossier(actor, code);
    const existing = (await this.#ports.drafts.listForDossier(code)).map((d) => d.value);
    assertMayDraft(dossier, existing);
    const now = this.#ports.clock.now();
    const version = currentAppointment(dossier).version;
    const base = `draft-v${version}`;
    const taken = new Set(existing.map((d) => d.id));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    const draft = await this.#newDraft(dossier, now, id, version, undefined, actor.name, false);
    const directory = await this.#ports.directories.get(draft.agencyId);
    this.#assertApprover(actor, draft, directory, await this.#responsibleDirectory(draft, directory));
    await this.#renderStored(draft, dossier, now);
    const saved = await this.#ports.drafts.save(draft, undefined);
    this.#ports.logger.info("apology draft created by a leader", { dossierCode: code, draftId: id });
    return (await this.#views(actor, [{ value: draft, version: saved }]))[0]!;
  }

  /**
   * The drafts of the caller's agency in one status (default: waiting for approval), the one whose
   * appointment comes first at the top — a leader approves the most urgent letter first. The
   * agency is the one that received the dossier and signs the letter (`StoredApologyDraft.agencyId`).
   * A unit leader sees their unit's drafts only (`readScope`).
   */
  async listForAgency(actor: Actor, query: AgencyDraftQuery = {}): Promise<DraftPage> {
    requireGroup(actor, "leader", "admin");
    const directory = await this.#ports.directories.get(actor.agencyId);
    const scope = readScope(actor, directory);
    const status = query.status ?? "draft";
    const limit = query.limit;
    const items: Versioned<StoredApologyDraft>[] = [];
    let cursor = query.cursor;
    for (let pages = 0; pages < (scope.kind === "agency" ? 1 : MAX_SCOPED_PAGES); pages++) {
      const page = await this.#ports.drafts.listByAgency(actor.agencyId, status, {
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      items.push(...page.items.filter((d) => inScope(scope, [d.value.responsibleUnitId])));
      cursor = page.cursor;
      // A page of theirs is full at the page size asked (the listing's default, 50, otherwise).
      if (cursor === undefined || items.length >= (limit ?? 50)) break;
    }
    return {
      items: await this.#views(actor, items, directory),
      ...(cursor === undefined ? {} : { cursor }),
    };
  }

  async list(actor: Actor, code: string): Promise<DraftView[]> {
    requireGroup(actor, "leader");
    const { dossier } = await this.#visibleDossier(actor, code);
    const drafts = await this.#ports.drafts.listForDossier(code);
    const directory = await this.#ports.directories.get(actor.agencyId);
    await this.#assertInScope(actor, directory, dossier, code, drafts);
    return this.#views(actor, drafts, directory);
  }

  async get(actor: Actor, code: string, id: string): Promise<DraftView> {
    const { draft } = await this.#forLeader(actor, code, id);
    return (await this.#views(actor, [draft]))[0]!;
  }

  /** What a date picker offers for the draft's new appointment (`appointmentOptions`). */
  async appointmentOptions(actor: Actor, code: string, id: string): Promise<AppointmentOptions> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    return appointmentOptions(await this.#appointmentContext(dossier), draft.value.newAppointment);
  }

  async approve(actor: Actor, code: string, id: string, edits?: ApologyEdits): Promise<DraftView> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    const approver = await this.#approverFor(actor, draft.value);
    const checked = await this.#checkedEdits(dossier, edits);
    // The draft's own proposal obeys the same rules: it may have been made days ago.
    if (checked.newAppointment === undefined)
      await this.#checkAppointment(dossier, draft.value.newAppointment);
    const approved = approveApology(draft.value, {
      actor: approver.signer.name,
      now: this.#nowIso(),
      edits: checked,
      signer: approver.signer,
    });
    const next: StoredApologyDraft = {
      ...draft.value,
      ...approved,
      ...(actor.staffId === undefined ? {} : { approvedById: actor.staffId }),
    };
    return this.#store(actor, dossier, next, draft.version);
  }

  /** Corrects a draft before approval; the letters workflow records each change as an edit. */
  async edit(actor: Actor, code: string, id: string, edits: ApologyEdits): Promise<DraftView> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    await this.#approverFor(actor, draft.value);
    const checked = await this.#checkedEdits(dossier, edits);
    const edited = editApologyDraft(draft.value, { actor: actor.name, now: this.#nowIso(), edits: checked });
    return this.#store(actor, dossier, { ...draft.value, ...edited }, draft.version);
  }

  /**
   * Sends an approved apology: refused when the dossier already has one (letters' once-only rule
   * and the dossier's own `decide`), else the `apology-issued` event is queued for the worker,
   * then the draft is marked sent. Queued first: a failed save leaves the draft approved, and
   * sending again queues the same event id, which the queue and the worker both deduplicate.
   */
  async send(actor: Actor, code: string, id: string): Promise<DraftView> {
    const { dossier, draft, events } = await this.#forLeader(actor, code, id);
    await this.#approverFor(actor, draft.value);
    const nowIso = this.#nowIso();
    const prior = (await this.#ports.drafts.listForDossier(code)).map((d) => d.value);
    const { draft: sent, event: issued } = markApologySent(draft.value, {
      actor: actor.name,
      now: nowIso,
      priorApologies: prior,
      legalBasis: legalBasisFor(dossier.received.receivedAt),
    });
    // Approved days ago, the new appointment may have passed meanwhile: the same rules again.
    await this.#checkAppointment(dossier, issued.newAppointment);
    const wire: DossierEventJson = {
      id: `apology-issued-${draft.value.id}`,
      type: "apology-issued",
      dossierCode: dossier.code,
      occurredAt: nowIso,
      reason: issued.reason,
      responsibleUnit: { id: draft.value.responsibleUnitId, name: issued.responsibleUnit },
      newAppointment: issued.newAppointment,
    };
    const event = parseDossierEvent(wire);
    decide(events, event);
    await this.#ports.eventsQueue.send([
      {
        body: JSON.stringify(dossierEventToJson(event)),
        groupId: dossier.code,
        deduplicationId: eventDeduplicationId(dossier.code, event.id),
      },
    ]);
    const next = { ...draft.value, ...sent };
    const version = await this.#ports.drafts.save(next, draft.version);
    this.#ports.logger.info("apology sent", { dossierCode: code, draftId: id, eventId: event.id });
    return (await this.#views(actor, [{ value: next, version }]))[0]!;
  }

  async withdraw(actor: Actor, code: string, id: string, reason?: string): Promise<DraftView> {
    const { draft } = await this.#forLeader(actor, code, id);
    await this.#approverFor(actor, draft.value);
    const withdrawn = withdrawApology(draft.value, { actor: actor.name, now: this.#nowIso(), reason });
    const next = { ...draft.value, ...withdrawn };
    return (
      await this.#views(actor, [{ value: next, version: await this.#ports.drafts.save(next, draft.version) }])
    )[0]!;
  }

  /** withdrawn → draft, on the conditions of `create` (open dossier, no apology, no other draft waiting). */
  async reopen(actor: Actor, code: string, id: string): Promise<DraftView> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    await this.#approverFor(actor, draft.value);
    if (draft.value.status !== "withdrawn") {
      throw new ConflictError(
        `Chỉ mở lại được văn bản xin lỗi đã rút (trạng thái hiện tại: "${draft.value.status}")`,
        { draftId: id, status: draft.value.status, rule: "not-withdrawn" },
      );
    }
    const others = (await this.#ports.drafts.listForDossier(code))
      .map((d) => d.value)
      .filter((d) => d.id !== id);
    assertMayDraft(dossier, others);
    const reopened = reopenApology(draft.value, { actor: actor.name, now: this.#nowIso() });
    return this.#store(actor, dossier, stripped({ ...draft.value, ...reopened }), draft.version);
  }

  async letter(actor: Actor, code: string, id: string, format: "html" | "docx"): Promise<Blob> {
    const { draft } = await this.#forLeader(actor, code, id);
    const blob = await this.#ports.blobs.get(draft.value.documents[format]);
    if (blob === undefined)
      throw new NotFoundError(`the ${format} letter of draft ${id} is missing`, { draftId: id });
    return blob;
  }

  async #newDraft(
    dossier: Dossier,
    now: number,
    id: string,
    appointmentVersion: number,
    requestedBy: string | undefined,
    createdBy = SYSTEM_ACTOR,
    render = true,
  ): Promise<StoredApologyDraft> {
    const { workingTime } = await this.#ports.workingTime.current();
    const nowIso = formatInstant(now);
    const current = currentAppointment(dossier);
    const addWorkingDays = (iso: string, days: number) =>
      formatInstant(workingTime.addWorkingDays(parseInstant(iso), days));
    let newAppointment = proposeNewAppointment({
      now: nowIso,
      extraWorkingDays: this.#extraWorkingDays,
      addWorkingDays,
    });
    if (parseInstant(newAppointment) <= current.at) {
      newAppointment = addWorkingDays(formatInstant(current.at), this.#extraWorkingDays);
    }
    // The proposal obeys the rules a person's choice does (working day, office hours, later).
    resolveNewAppointment(newAppointment, { workingTime, now, currentAppointment: current.at });
    // NĐ 61/2018 Art. 19(7): the unit that caused the delay apologises; before the due instant, the holder.
    const responsible = progressAt(dossier, now, workingTime).delay?.assignment ?? dossier.current;
    const unit = responsible.unit ?? responsible.agency;
    const { received } = dossier;
    const draft: StoredApologyDraft = {
      ...createApologyDraft({
        id,
        dossierCode: dossier.code,
        // No reason until a person writes one: the guidance is `reasonHint`, never the reason.
        reason: null,
        responsibleUnit: unit.name,
        originalAppointment: formatInstant(current.at),
        newAppointment,
        createdBy,
        now: nowIso,
      }),
      agencyId: received.agency.id,
      responsibleUnitId: unit.id,
      responsibleAgencyId: responsible.agency.id,
      appointmentVersion,
      documents: documentKeys(dossier.code, id),
      ...(requestedBy === undefined ? {} : { requestedBy }),
      dossier: {
        code: dossier.code,
        applicantName: received.applicant.name,
        procedureName: received.procedure.name,
        receivedAt: formatInstant(received.receivedAt),
        originalAppointment: formatInstant(current.at),
        legalDueAt: dossier.legalDueAt === undefined ? null : formatInstant(dossier.legalDueAt),
        unitId: unit.id,
        unitName: unit.name,
      },
    };
    if (render) await this.#renderStored(draft, dossier, now);
    return draft;
  }

  async #store(
    actor: Actor,
    dossier: Dossier,
    draft: StoredApologyDraft,
    version: number,
  ): Promise<DraftView> {
    await this.#renderStored(draft, dossier, this.#ports.clock.now());
    const saved = await this.#ports.drafts.save(draft, version);
    return (await this.#views(actor, [{ value: draft, version: saved }]))[0]!;
  }

  async #forLeader(actor: Actor, code: string, id: string) {
    requireGroup(actor, "leader");
    const { dossier, events } = await this.#visibleDossier(actor, code);
    const draft: Versioned<StoredApologyDraft> | undefined = await this.#ports.drafts.get(code, id);
    if (draft === undefined)
      throw new NotFoundError(`apology draft ${id} of dossier ${code} not found`, { draftId: id });
    const directory = await this.#ports.directories.get(actor.agencyId);
    await this.#assertInScope(actor, directory, dossier, code, [draft]);
    return { dossier, draft, events };
  }

  async #visibleDossier(actor: Actor, code: string) {
    const loaded = await this.#ports.dossiers.load(code);
    const dossier = assertVisible(actor, code, loaded?.state);
    return { dossier, events: (loaded?.events ?? []).map((json) => parseStoredDossierEvent(json)) };
  }

  /** A unit leader reads a dossier's drafts when their unit holds it, made it late or answers for a draft. */
  async #assertInScope(
    actor: Actor,
    directory: AgencyDirectory | undefined,
    dossier: Dossier,
    code: string,
    drafts: readonly Versioned<StoredApologyDraft>[],
  ): Promise<void> {
    const scope = readScope(actor, directory);
    if (scope.kind === "agency") return;
    const { workingTime } = await this.#ports.workingTime.current();
    const delay = progressAt(dossier, this.#ports.clock.now(), workingTime).delay;
    const units = [
      dossier.current.unit?.id,
      delay?.assignment.unit?.id,
      ...drafts.map((d) => d.value.responsibleUnitId),
    ];
    // As for another agency's dossier: "not found" tells nothing about what exists.
    if (!inScope(scope, units)) throw new NotFoundError(`dossier ${code} not found`, { dossierCode: code });
  }

  async #responsibleDirectory(draft: StoredApologyDraft, agencyDirectory: AgencyDirectory | undefined) {
    const agencyId = draft.responsibleAgencyId ?? draft.agencyId;
    return agencyId === draft.agencyId ? agencyDirectory : await this.#ports.directories.get(agencyId);
  }

  /** The approver and their signature block, or 403 naming why not. */
  async #approverFor(actor: Actor, draft: StoredApologyDraft): Promise<Approver> {
    const directory = await this.#ports.directories.get(draft.agencyId);
    return this.#assertApprover(actor, draft, directory, await this.#responsibleDirectory(draft, directory));
  }

  #assertApprover(
    actor: Actor,
    draft: StoredApologyDraft,
    agency: AgencyDirectory | undefined,
    responsible: AgencyDirectory | undefined,
  ): Approver {
    const decision = approverOf(actor, draft, agency, responsible);
    if (!decision.ok) throw new ForbiddenError(decision.reason, { rule: decision.rule, draftId: draft.id });
    return decision;
  }

  async #appointmentContext(dossier: Dossier): Promise<NewAppointmentContext> {
    const { workingTime } = await this.#ports.workingTime.current();
    return { workingTime, now: this.#ports.clock.now(), currentAppointment: currentAppointment(dossier).at };
  }

  async #checkAppointment(dossier: Dossier, text: string): Promise<string> {
    return formatInstant(resolveNewAppointment(text, await this.#appointmentContext(dossier)));
  }

  /** The edits with the new appointment checked and normalised (a bare date → its closing time). */
  async #checkedEdits(dossier: Dossier, edits: ApologyEdits | undefined): Promise<ApologyEditsInput> {
    if (edits?.newAppointment === undefined)
      return { ...(edits?.reason === undefined ? {} : { reason: edits.reason }) };
    return {
      ...(edits.reason === undefined ? {} : { reason: edits.reason }),
      newAppointment: await this.#checkAppointment(dossier, edits.newAppointment),
    };
  }

  /** The API's view of drafts: the reason's guidance, whether the caller may approve, the dossier card. */
  async #views(
    actor: Actor,
    drafts: readonly Versioned<StoredApologyDraft>[],
    actorDirectory?: AgencyDirectory,
  ): Promise<DraftView[]> {
    const directories = new Map<string, Promise<AgencyDirectory | undefined>>();
    if (actorDirectory !== undefined) directories.set(actor.agencyId, Promise.resolve(actorDirectory));
    const directory = (agencyId: string) => {
      let found = directories.get(agencyId);
      if (found === undefined) {
        found = this.#ports.directories.get(agencyId);
        directories.set(agencyId, found);
      }
      return found;
    };
    return Promise.all(
      drafts.map(async ({ value, version }) => {
        const agency = await directory(value.agencyId);
        const responsible = await directory(value.responsibleAgencyId ?? value.agencyId);
        const { dossier, ...draft } = value;
        return {
          ...draft,
          version,
          reasonHint: APOLOGY_REASON_HINT,
          canApprove: approverOf(actor, value, agency, responsible).ok,
          dossier: dossier ?? {
            code: value.dossierCode,
            applicantName: "",
            procedureName: "",
            receivedAt: "",
            originalAppointment: value.originalAppointment,
            legalDueAt: null,
            unitId: value.responsibleUnitId,
            unitName: value.responsibleUnit,
          },
        };
      }),
    );
  }

  async #renderStored(draft: StoredApologyDraft, dossier: Dossier, now: number): Promise<void> {
    const directory = await this.#ports.directories.get(dossier.received.agency.id);
    const { received } = dossier;
    const applicant = received.applicant;
    const input: ApologyLetterInput = {
      agency: { parentName: directory?.parentName, unitName: received.agency.name },
      letterNumber: "…/XL",
      placeName: directory?.placeName ?? received.agency.name,
      issueDate: formatInstant(now),
      recipient: {
        honorific: applicant.honorific ?? "Ông/Bà",
        name: applicant.name,
        address: applicant.address,
        phone: applicant.phone,
      },
      receivedAt: formatInstant(received.receivedAt),
      dossierCode: dossier.code,
      procedure: { name: received.procedure.name, field: received.procedure.field },
      originalAppointment: draft.originalAppointment,
      responsibleUnit: draft.responsibleUnit,
      reason: draft.reason,
      newAppointment: draft.newAppointment,
      // Who signs is who approves; until then the block is left blank to fill.
      signer: draft.signer ?? { title: UNSIGNED, name: UNSIGNED },
      recipients: this.#recipients,
    };
    const letter = buildApologyLetter(input);
    await Promise.all([
      this.#ports.blobs.put(
        draft.documents.html,
        renderApologyLetterHtml(letter, this.#ports.letterFonts),
        "text/html; charset=utf-8",
      ),
      this.#ports.blobs.put(draft.documents.docx, await renderApologyLetterDocx(letter), DOCX_CONTENT_TYPE),
    ]);
  }

  #nowIso(): string {
    return formatInstant(this.#ports.clock.now());
  }
}

/** The signature block of a letter nobody has approved yet. */
const UNSIGNED = "…………";

export type Approver = {
  readonly ok: true;
  readonly role: "unit-leader" | "agency-leader";
  readonly signer: ApologySigner;
};
export type ApproverDecision =
  | Approver
  | { readonly ok: false; readonly rule: "not-a-leader" | "not-an-approver"; readonly reason: string };

/**
 * Who may approve (and edit, send, withdraw, reopen) a draft: a leader (`cognito:groups`) who is
 * a leader of the responsible unit (its `leaderIds` in the directory, matched against the
 * person's `custom:staffId`) or a leader of the agency (`leaderIds`); with the agency's
 * `apologyApprovers: "agency-leaders-only"`, only the latter. The approver signs: their name and
 * title from the directory (`signingAuthority`, e.g. "KT. GIÁM ĐỐC", only when the directory has it).
 */
export function approverOf(
  actor: Actor,
  draft: Pick<StoredApologyDraft, "agencyId" | "responsibleUnitId" | "responsibleAgencyId">,
  agency: AgencyDirectory | undefined,
  responsible: AgencyDirectory | undefined,
): ApproverDecision {
  if (!actor.groups.includes("leader")) {
    return { ok: false, rule: "not-a-leader", reason: "Chỉ lãnh đạo mới được duyệt văn bản xin lỗi" };
  }
  const staffId = actor.staffId;
  const policy = agency?.apologyApprovers ?? "unit-and-agency-leaders";
  const responsibleAgencyId = draft.responsibleAgencyId ?? draft.agencyId;
  const unit = responsible?.units[draft.responsibleUnitId];
  const isAgencyLeader =
    staffId !== undefined &&
    actor.agencyId === draft.agencyId &&
    (agency?.leaderIds.includes(staffId) ?? false);
  const isUnitLeader =
    policy === "unit-and-agency-leaders" &&
    staffId !== undefined &&
    actor.agencyId === responsibleAgencyId &&
    (unit?.leaderIds.includes(staffId) ?? false);
  if (!isAgencyLeader && !isUnitLeader) {
    const who =
      policy === "agency-leaders-only"
        ? "lãnh đạo cơ quan"
        : `lãnh đạo ${unit?.name ?? "đơn vị chịu trách nhiệm"} hoặc lãnh đạo cơ quan`;
    return {
      ok: false,
      rule: "not-an-approver",
      reason: `Văn bản xin lỗi này do ${who} duyệt và ký; tài khoản của đồng chí không thuộc danh sách đó`,
    };
  }
  const directory = isAgencyLeader ? agency : responsible;
  const person = staffId === undefined ? undefined : directory?.people[staffId];
  const name = person?.name ?? actor.name;
  // The directory's signer block is data: when the approver is that person, it is their block.
  const block = agency?.signer !== undefined && agency.signer.name === name ? agency.signer : undefined;
  const title =
    block?.title ??
    person?.title ??
    (isAgencyLeader ? `Lãnh đạo ${agency?.name ?? "cơ quan"}` : `Lãnh đạo ${unit?.name ?? "đơn vị"}`);
  const authority = block?.authority ?? person?.signingAuthority;
  return {
    ok: true,
    role: isAgencyLeader ? "agency-leader" : "unit-leader",
    signer: { ...(authority === undefined ? {} : { authority }), title, name },
  };
}

/** A new or reopened draft needs an open dossier without an apology and no other draft waiting. */
function assertMayDraft(dossier: Dossier, drafts: readonly ApologyDraft[]): void {
  if (!isOpen(dossier)) {
    throw new ConflictError(`Hồ sơ ${dossier.code} đã kết thúc: không lập văn bản xin lỗi`, {
      dossierCode: dossier.code,
      rule: "dossier-closed",
    });
  }
  const basis = legalBasisFor(dossier.received.receivedAt);
  if (dossier.apology !== undefined || drafts.some((d) => d.status === "sent")) {
    throw new ConflictError(
      `Hồ sơ ${dossier.code} đã có văn bản xin lỗi; chỉ được hẹn lại một lần (${basis.apologyCitation})`,
      { dossierCode: dossier.code, rule: "apology-issued" },
    );
  }
  const pending = drafts.find((d) => PENDING.includes(d.status));
  if (pending !== undefined) {
    throw new ConflictError(
      `Hồ sơ ${dossier.code} đang có văn bản xin lỗi chờ xử lý (${pending.id}, trạng thái "${pending.status}")`,
      { dossierCode: dossier.code, rule: "draft-pending", draftId: pending.id },
    );
  }
}

/** Removes the approval fields `reopenApology` cleared but a spread of the stored draft kept. */
function stripped(draft: StoredApologyDraft): StoredApologyDraft {
  const copy: Partial<Record<keyof StoredApologyDraft, unknown>> = { ...draft };
  if (draft.status === "draft") {
    for (const key of [
      "approvedBy",
      "approvedAt",
      "approvedById",
      "signer",
      "withdrawnBy",
      "withdrawnAt",
      "withdrawalReason",
    ] as const)
      delete copy[key];
  }
  return copy as StoredApologyDraft;
}

/**
 * Withdraws the drafts still waiting (draft or approved) of a dossier that ended before its
 * apology went out: nothing is left for a leader to send. Idempotent: withdrawn and sent drafts are
 * left alone. The worker calls it after applying the event that ended the dossier.
 */
export async function withdrawPendingDrafts(
  drafts: AppApologyDraftRepository,
  dossier: Dossier,
  now: number,
): Promise<readonly string[]> {
  if (isOpen(dossier) || dossier.apology !== undefined) return [];
  const reason =
    dossier.finishedAt !== undefined
      ? "hồ sơ đã giải quyết xong"
      : `hồ sơ đã kết thúc (${CLOSURE_WORDS[dossier.closure?.kind ?? "stopped"]})`;
  const withdrawn: string[] = [];
  for (const { value, version } of await drafts.listForDossier(dossier.code)) {
    if (!PENDING.includes(value.status)) continue;
    const next = {
      ...value,
      ...withdrawApology(value, { actor: SYSTEM_ACTOR, now: formatInstant(now), reason }),
    };
    await drafts.save(next, version);
    withdrawn.push(value.id);
  }
  return withdrawn;
}

const CLOSURE_WORDS = { rejected: "từ chối", withdrawn: "rút hồ sơ", stopped: "dừng giải quyết" } as const;

function documentKeys(code: string, id: string) {
  return { html: `apology/${code}/${id}.html`, docx: `apology/${code}/${id}.docx` };
}
