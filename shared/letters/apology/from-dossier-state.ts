import type { DossierState } from "../../dossier/dossier-state.ts";
import { ConflictError, InvalidInputError } from "../../errors.ts";
import type { ApologyLetterInput } from "./letter.ts";

/** What a dossier's state does not know and the issuing office does. */
export interface LetterOffice {
  /** Cơ quan chủ quản, e.g. "UBND tỉnh Tây Ninh". */
  parentName?: string;
  /** "Số: …"; a draft leaves the number to the văn thư. */
  letterNumber?: string;
  placeName?: string;
  signer?: { authority?: string; title: string; name: string };
  recipients?: readonly string[];
}

export interface ApologyDetails {
  reason: string;
  /** ISO instant of the new appointment, already checked against the working calendar. */
  newAppointment: string;
  /** Issue date (ISO); defaults to the state's `asOf`. */
  issueDate?: string;
}

/** Blanks a leader or the văn thư fills by hand on a draft (dotted leaders, as on paper forms). */
const BLANK = "…………";

/**
 * The apology letter's view model from a dossier's state (as `dunghan simulate --now` prints it
 * and the apology function stores it). Refuses a dossier that already had its one apology
 * (NĐ 61/2018 Art. 19(9): "không quá một lần") or that is no longer in progress.
 */
export function apologyLetterInputFromState(
  state: DossierState,
  details: ApologyDetails,
  office: LetterOffice = {},
): ApologyLetterInput {
  if (state.apology) {
    throw new ConflictError(
      `dossier ${state.dossierCode} already had its apology on ${state.apology.issuedAt}`,
    );
  }
  if (state.finishedAt || state.closure) {
    throw new InvalidInputError(`dossier ${state.dossierCode} is no longer in progress (${state.phase})`);
  }
  if (details.newAppointment <= state.currentAppointment) {
    throw new InvalidInputError(
      `new appointment ${details.newAppointment} is not after the current one (${state.currentAppointment})`,
    );
  }
  const responsible = state.delay?.assignment ?? state.current;
  const applicant = state.applicant;
  return {
    agency: { ...(office.parentName ? { parentName: office.parentName } : {}), unitName: state.agency.name },
    letterNumber: office.letterNumber ?? `${BLANK}/XL`,
    placeName: office.placeName ?? BLANK,
    issueDate: details.issueDate ?? state.asOf,
    recipient: {
      honorific: applicant.honorific ?? "Ông/Bà",
      name: applicant.name,
      ...(applicant.address ? { address: applicant.address } : {}),
      ...(applicant.phone ? { phone: applicant.phone } : {}),
    },
    receivedAt: state.receivedAt,
    dossierCode: state.dossierCode,
    procedure: {
      name: state.procedure.name,
      ...(state.procedure.field ? { field: state.procedure.field } : {}),
    },
    originalAppointment: state.currentAppointment,
    responsibleUnit: (responsible.unit ?? responsible.agency).name,
    reason: details.reason,
    newAppointment: details.newAppointment,
    signer: office.signer ?? { title: "THỦ TRƯỞNG CƠ QUAN", name: BLANK },
    recipients: office.recipients ?? ["Như trên", "Bộ phận Một cửa", "Lưu: VT"],
  };
}
