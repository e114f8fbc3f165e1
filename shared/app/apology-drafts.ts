import { formatInstant, parseInstant } from "../calendar/index.ts";
import {
  currentAppointment,
  type Dossier,
  type DossierEventJson,
  decide,
  dossierEventToJson,
  isOpen,
  parseDossierEvent,
  progressAt,
} from "../dossier/index.ts";
import { NotFoundError } from "../errors.ts";
import {
  type ApologyDraft,
  type ApologyLetterInput,
  type ApologyStatus,
  approveApology,
  buildApologyLetter,
  createApologyDraft,
  DOCX_CONTENT_TYPE,
  markApologySent,
  proposeNewAppointment,
  renderApologyLetterDocx,
  renderApologyLetterHtml,
  withdrawApology,
} from "../letters/index.ts";
import { type Actor, assertVisible, requireGroup } from "./actor.ts";
import { type BatchResult, processEach, type QueueRecord } from "./batch.ts";
import type { Blob, BlobStore } from "./blob-store.ts";
import type { Clock } from "./clock.ts";
import type { DirectoryRepository } from "./directory.ts";
import type { AppAlertLog, AppDossierRepository } from "./dossier-records.ts";
import type { AppLogger } from "./logger.ts";
import { type ApologyRequestMessage, eventDeduplicationId, parseApologyRequest } from "./messages.ts";
import { type ApologyDraftRepository, ConcurrencyError, type Versioned } from "./ports.ts";
import type { MessageQueue } from "./queue.ts";
import type { WorkingTimeProvider } from "./working-time-provider.ts";

/** The letters workflow's draft, plus what this app needs to issue it and find its documents. */
export interface StoredApologyDraft extends ApologyDraft {
  readonly agencyId: string;
  /** The responsible unit's id: the `apology-issued` event names it as an organisation. */
  readonly responsibleUnitId: string;
  /** The appointment version the apology moves. */
  readonly appointmentVersion: number;
  /** BlobStore keys of the rendered letter (re-rendered after every change). */
  readonly documents: { readonly html: string; readonly docx: string };
  /** The dedupe key of the alert that asked for the draft. */
  readonly requestedBy?: string;
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
}

export interface ApologyDraftsOptions {
  /** Working days the draft proposes beyond today for the new appointment (default 3). */
  readonly extraWorkingDays?: number;
  /** The draft's reason until the leader writes the real one. */
  readonly defaultReason?: string;
  /** "Nơi nhận" on the letter. */
  readonly letterRecipients?: readonly string[];
}

export interface ApologyEdits {
  readonly reason?: string;
  readonly newAppointment?: string;
}

export type DraftView = StoredApologyDraft & { readonly version: number };

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

const SYSTEM_ACTOR = "dunghan (tự động)";

/**
 * Apology drafts (NĐ 61/2018 Art. 19(9)): created when the alert policy asks for one, rendered
 * as HTML and DOCX into the letters bucket, then approved (or corrected), sent or withdrawn by a
 * leader with the letters module's workflow. Sending puts the `apology-issued` event on the events
 * queue, so the worker applies it like any event and the once-only rule is enforced there too.
 */
export class ApologyDrafts {
  readonly #ports: ApologyDraftsPorts;
  readonly #extraWorkingDays: number;
  readonly #defaultReason: string;
  readonly #recipients: readonly string[];

  constructor(ports: ApologyDraftsPorts, options: ApologyDraftsOptions = {}) {
    this.#ports = ports;
    this.#extraWorkingDays = options.extraWorkingDays ?? 3;
    this.#defaultReason =
      options.defaultReason ??
      "Hồ sơ cần thêm thời gian thẩm định, xác minh (lý do cụ thể do lãnh đạo bổ sung khi duyệt)";
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

    const { workingTime } = await this.#ports.workingTime.current();
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
    // NĐ 61/2018 Art. 19(7): the unit that caused the delay apologises; before the due instant, the holder.
    const responsible = progressAt(dossier, now, workingTime).delay?.assignment ?? dossier.current;
    const unit = responsible.unit ?? responsible.agency;
    const draft: StoredApologyDraft = {
      ...createApologyDraft({
        id,
        dossierCode: dossier.code,
        reason: this.#defaultReason,
        responsibleUnit: unit.name,
        originalAppointment: formatInstant(current.at),
        newAppointment,
        createdBy: SYSTEM_ACTOR,
        now: nowIso,
      }),
      agencyId: dossier.received.agency.id,
      responsibleUnitId: unit.id,
      appointmentVersion: alert.appointmentVersion,
      documents: documentKeys(dossier.code, id),
      requestedBy: message.dedupeKey,
    };
    await this.#render(draft, dossier, now);
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
   * The drafts of the caller's agency in one status (default: waiting for approval), the one whose
   * appointment comes first at the top — a leader approves the most urgent letter first. The
   * agency is the one that received the dossier and signs the letter (`StoredApologyDraft.agencyId`).
   */
  async listForAgency(actor: Actor, query: AgencyDraftQuery = {}): Promise<DraftPage> {
    requireGroup(actor, "leader", "admin");
    const page = await this.#ports.drafts.listByAgency(actor.agencyId, query.status ?? "draft", {
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    });
    return { items: page.items.map(view), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) };
  }

  async list(actor: Actor, code: string): Promise<DraftView[]> {
    requireGroup(actor, "leader");
    await this.#visibleDossier(actor, code);
    return (await this.#ports.drafts.listForDossier(code)).map(view);
  }

  async get(actor: Actor, code: string, id: string): Promise<DraftView> {
    return view((await this.#forLeader(actor, code, id)).draft);
  }

  async approve(actor: Actor, code: string, id: string, edits?: ApologyEdits): Promise<DraftView> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    const approved = approveApology(draft.value, { actor: actor.name, now: this.#nowIso(), edits });
    return this.#store(dossier, { ...draft.value, ...approved }, draft.version);
  }

  /** Corrects a draft before approval; the letters workflow records each change as an edit. */
  async edit(actor: Actor, code: string, id: string, edits: ApologyEdits): Promise<DraftView> {
    const { dossier, draft } = await this.#forLeader(actor, code, id);
    // approveApology validates the edits and records them; the draft itself stays a draft.
    const checked = approveApology(draft.value, { actor: actor.name, now: this.#nowIso(), edits });
    const edited: StoredApologyDraft = {
      ...draft.value,
      reason: checked.reason,
      newAppointment: checked.newAppointment,
      edits: checked.edits,
    };
    return this.#store(dossier, edited, draft.version);
  }

  /**
   * Sends an approved apology: refused when the dossier already has one (letters' once-only rule
   * and the dossier's own `decide`), else the `apology-issued` event is queued for the worker,
   * then the draft is marked sent. Queued first: a failed save leaves the draft approved, and
   * sending again queues the same event id, which the queue and the worker both deduplicate.
   */
  async send(actor: Actor, code: string, id: string): Promise<DraftView> {
    const { dossier, draft, events } = await this.#forLeader(actor, code, id);
    const nowIso = this.#nowIso();
    const prior = (await this.#ports.drafts.listForDossier(code)).map((d) => d.value);
    const { draft: sent, event: issued } = markApologySent(draft.value, {
      actor: actor.name,
      now: nowIso,
      priorApologies: prior,
    });
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
    const version = await this.#ports.drafts.save({ ...draft.value, ...sent }, draft.version);
    this.#ports.logger.info("apology sent", { dossierCode: code, draftId: id, eventId: event.id });
    return { ...draft.value, ...sent, version };
  }

  async withdraw(actor: Actor, code: string, id: string, reason?: string): Promise<DraftView> {
    const { draft } = await this.#forLeader(actor, code, id);
    const withdrawn = withdrawApology(draft.value, { actor: actor.name, now: this.#nowIso(), reason });
    const next = { ...draft.value, ...withdrawn };
    return { ...next, version: await this.#ports.drafts.save(next, draft.version) };
  }

  async letter(actor: Actor, code: string, id: string, format: "html" | "docx"): Promise<Blob> {
    const { draft } = await this.#forLeader(actor, code, id);
    const blob = await this.#ports.blobs.get(draft.value.documents[format]);
    if (blob === undefined)
      throw new NotFoundError(`the ${format} letter of draft ${id} is missing`, { draftId: id });
    return blob;
  }

  async #store(dossier: Dossier, draft: StoredApologyDraft, version: number): Promise<DraftView> {
    await this.#render(draft, dossier, this.#ports.clock.now());
    return { ...draft, version: await this.#ports.drafts.save(draft, version) };
  }

  async #forLeader(actor: Actor, code: string, id: string) {
    requireGroup(actor, "leader");
    const { dossier, events } = await this.#visibleDossier(actor, code);
    const draft: Versioned<StoredApologyDraft> | undefined = await this.#ports.drafts.get(code, id);
    if (draft === undefined)
      throw new NotFoundError(`apology draft ${id} of dossier ${code} not found`, { draftId: id });
    return { dossier, draft, events };
  }

  async #visibleDossier(actor: Actor, code: string) {
    const loaded = await this.#ports.dossiers.load(code);
    const dossier = assertVisible(actor, code, loaded?.state);
    return { dossier, events: (loaded?.events ?? []).map((json) => parseDossierEvent(json)) };
  }

  async #render(draft: StoredApologyDraft, dossier: Dossier, now: number): Promise<void> {
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
      signer: directory?.signer ?? { title: "Thủ trưởng cơ quan", name: "(chưa có người ký)" },
      recipients: this.#recipients,
    };
    const letter = buildApologyLetter(input);
    await Promise.all([
      this.#ports.blobs.put(
        draft.documents.html,
        renderApologyLetterHtml(letter),
        "text/html; charset=utf-8",
      ),
      this.#ports.blobs.put(draft.documents.docx, await renderApologyLetterDocx(letter), DOCX_CONTENT_TYPE),
    ]);
  }

  #nowIso(): string {
    return formatInstant(this.#ports.clock.now());
  }
}

function documentKeys(code: string, id: string) {
  return { html: `apology/${code}/${id}.html`, docx: `apology/${code}/${id}.docx` };
}

function view(draft: Versioned<StoredApologyDraft>): DraftView {
  return { ...draft.value, version: draft.version };
}
