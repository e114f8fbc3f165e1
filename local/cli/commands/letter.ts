import { writeFile } from "node:fs/promises";
import { letterFontFiles } from "../../../shared/adapters/fonts/letter-font-files.ts";
import { formatInstant, parseInstant, WorkingTime } from "../../../shared/calendar/index.ts";
import type { DossierState } from "../../../shared/dossier/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import {
  type ApologyTemplateId,
  apologyLetterInputFromState,
  buildApologyLetter,
  resolveNewAppointment,
} from "../../../shared/letters/apology/index.ts";
import {
  renderApologyLetterDocx,
  renderApologyLetterHtml,
  renderApologyLetterText,
} from "../../../shared/letters/render/index.ts";
import { type Command, parseOptions, reportError, requireOption } from "../command.ts";
import { loadCalendar, readJson } from "../io.ts";

const HELP = `Usage: dunghan letter --dossier FILE --reason TEXT (--new-date DATE|INSTANT | --extra-days N)
                      [--format html|docx|txt] [--out FILE] [options]

Renders the apology letter (Phiếu/Văn bản xin lỗi) for a dossier that will be late, from the
dossier's state as printed by "dunghan simulate --now … --json".

Options:
  --dossier FILE         a dossier state, or an array of them (then --code picks one)
  --code CODE            the dossier code when FILE holds several
  --reason TEXT          why the dossier is late (printed in the letter)
  --new-date DATE        the new appointment: YYYY-MM-DD (that working day's closing time)
                         or an ISO instant; it must be in office hours of a working day,
                         after --today and after the current appointment
  --extra-days N         or: N working days from --today (default: the state's "asOf")
  --today INSTANT        the letter's date and the start for --extra-days
  --format FORMAT        txt (default), html (A5 print) or docx (Word)
  --out FILE             where to write (required for docx; stdout otherwise)
  --number TEXT          "Số: …" (default left blank for the văn thư)
  --place NAME           place of issue, e.g. "Tân An"
  --parent NAME          cơ quan chủ quản, e.g. "UBND tỉnh Tây Ninh"
  --signer-title TITLE   e.g. "PHÓ GIÁM ĐỐC"; --signer-name NAME; --on-behalf "KT. GIÁM ĐỐC"
  --template ID          force tt01-2018 or tt03-2025 (default: chosen by date)
  --announcements FILE   add or override calendar years
  -h, --help             this help`;

export const letterCommand: Command = {
  name: "letter",
  summary: "render the apology letter for a late dossier (html, docx, txt)",
  help: HELP,
  async run(argv, io) {
    try {
      const { values } = parseOptions(argv, {
        dossier: { type: "string" },
        code: { type: "string" },
        reason: { type: "string" },
        "new-date": { type: "string" },
        "extra-days": { type: "string" },
        today: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        number: { type: "string" },
        place: { type: "string" },
        parent: { type: "string" },
        "signer-title": { type: "string" },
        "signer-name": { type: "string" },
        "on-behalf": { type: "string" },
        template: { type: "string" },
        announcements: { type: "string" },
      });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      const format = values.format ?? "txt";
      if (!["txt", "html", "docx"].includes(format))
        throw new InvalidInputError(`unknown format "${format}": expected html, docx or txt`);
      if (format === "docx" && !values.out) throw new InvalidInputError("--format docx needs --out FILE");
      if (values.template && !["tt01-2018", "tt03-2025"].includes(values.template)) {
        throw new InvalidInputError(`unknown template "${values.template}": expected tt01-2018 or tt03-2025`);
      }
      const state = pickState(await readStates(requireOption(values.dossier, "dossier")), values.code);
      const working = new WorkingTime(await loadCalendar(values.announcements));
      const today = values.today ? formatInstant(parseInstant(values.today)) : state.asOf;
      const newAppointment = resolveNewAppointmentOption(
        working,
        state,
        today,
        values["new-date"],
        values["extra-days"],
      );
      const signerTitle = values["signer-title"];
      const input = apologyLetterInputFromState(
        state,
        { reason: requireOption(values.reason, "reason"), newAppointment, issueDate: today },
        {
          ...(values.parent ? { parentName: values.parent } : {}),
          ...(values.number ? { letterNumber: values.number } : {}),
          ...(values.place ? { placeName: values.place } : {}),
          ...(signerTitle
            ? {
                signer: {
                  title: signerTitle,
                  name: values["signer-name"] ?? "…………",
                  ...(values["on-behalf"] ? { authority: values["on-behalf"] } : {}),
                },
              }
            : {}),
        },
      );
      const letter = buildApologyLetter(
        input,
        values.template ? { unitConfig: { template: values.template as ApologyTemplateId } } : {},
      );
      const output =
        format === "docx"
          ? await renderApologyLetterDocx(letter)
          : format === "html"
            ? renderApologyLetterHtml(letter, letterFontFiles)
            : renderApologyLetterText(letter);
      if (values.out) {
        await writeFile(values.out, output);
        io.stderr(`dunghan: wrote ${values.out} (${letter.templateId}, new appointment ${newAppointment})\n`);
      } else io.stdout(String(output));
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};

async function readStates(path: string): Promise<DossierState[]> {
  const json = await readJson(path, "dossier");
  const list = Array.isArray(json) ? json : [json];
  for (const [index, item] of list.entries()) {
    const state = item as Partial<DossierState> | null;
    if (!state || typeof state.dossierCode !== "string" || typeof state.currentAppointment !== "string") {
      throw new InvalidInputError(
        `dossier file "${path}": entry ${index + 1} is not a dossier state (see dunghan simulate --now)`,
      );
    }
  }
  return list as DossierState[];
}

function pickState(states: DossierState[], code: string | undefined): DossierState {
  if (code) {
    const found = states.find((state) => state.dossierCode === code);
    if (!found) throw new InvalidInputError(`no dossier "${code}" in the file`);
    return found;
  }
  if (states.length !== 1) {
    throw new InvalidInputError(
      `the file holds ${states.length} dossiers: pick one with --code (${states.map((s) => s.dossierCode).join(", ")})`,
    );
  }
  return states[0]!;
}

/**
 * The new appointment, by the same rule as the API's (`resolveNewAppointment`): a working day,
 * inside office hours, after `today` and after the current appointment; a bare date is that
 * day's closing time.
 */
function resolveNewAppointmentOption(
  working: WorkingTime,
  state: DossierState,
  today: string,
  newDate: string | undefined,
  extraDays: string | undefined,
): string {
  if ((newDate === undefined) === (extraDays === undefined)) {
    throw new InvalidInputError("give exactly one of --new-date or --extra-days");
  }
  let text: string;
  if (extraDays !== undefined) {
    const days = Number(extraDays);
    if (!Number.isFinite(days) || days <= 0)
      throw new InvalidInputError(`invalid --extra-days ${extraDays}: expected a number > 0`);
    text = formatInstant(working.addWorkingDays(parseInstant(today), days));
  } else text = newDate!;
  const instant = resolveNewAppointment(text, {
    workingTime: working,
    now: parseInstant(today),
    currentAppointment: parseInstant(state.currentAppointment),
  });
  return formatInstant(instant);
}
