/**
 * The apology: the draft → approved → sent workflow, the new appointment's rule, the letter's
 * templates as law-dated data and the letter laid out for rendering (render/ prints it).
 */

export { APOLOGY_REASON_MAX_EM, APOLOGY_REASON_MAX_WORD_EM } from "../fields/index.ts";
export {
  type AppointmentDay,
  type AppointmentOptions,
  appointmentOptions,
  earliestNewAppointment,
  NEW_APPOINTMENT_RULES,
  type NewAppointmentContext,
  type NewAppointmentRule,
  resolveNewAppointment,
} from "./appointment.ts";
export { type ApologyDetails, apologyLetterInputFromState, type LetterOffice } from "./from-dossier-state.ts";
export {
  type ApologyLetter,
  type ApologyLetterInput,
  type BuildApologyLetterOptions,
  buildApologyLetter,
  type Honorific,
  REASON_BLANK,
} from "./letter.ts";
export {
  APOLOGY_PLACEHOLDERS,
  APOLOGY_TEMPLATES,
  type ApologyPlaceholder,
  type ApologyTemplate,
  type ApologyTemplateId,
  type ApologyTemplateOverride,
  type ApologyUnitConfig,
  chooseApologyTemplate,
  DEFAULT_TT03_EFFECTIVE_FROM,
  mergeApologyTemplate,
  TT01_2018_APOLOGY,
  TT03_2025_APOLOGY,
} from "./templates.ts";
export {
  type AddWorkingDays,
  APOLOGY_REASON_HINT,
  APOLOGY_STATUSES,
  type ApologyDraft,
  type ApologyEdit,
  type ApologyEditsInput,
  type ApologyIssuedEvent,
  type ApologySigner,
  type ApologyStatus,
  type ApproveApologyInput,
  approveApology,
  assertNoPriorApology,
  type CreateApologyDraftInput,
  createApologyDraft,
  editApologyDraft,
  markApologySent,
  type ProposeNewAppointmentInput,
  proposeNewAppointment,
  reopenApology,
  type SendApologyInput,
  type WithdrawApologyInput,
  withdrawApology,
} from "./workflow.ts";
