import { parseIsoDate, solarToLunar, ymdFromEpochDay } from "../../../shared/calendar/index.ts";
import { InvalidInputError } from "../../../shared/errors.ts";
import { type Command, parseOptions, reportError } from "../command.ts";

const HELP = `Usage: dunghan lunar DATE [DATE …] [--json]

Converts Gregorian dates to the Vietnamese lunar calendar (computed for UTC+7, 1900–2199).

Options:
  --json       a JSON array: [{"solar":"2030-02-02","lunar":{"day":1,"month":1,"year":2030,"leap":false}}]
  -h, --help   this help`;

const CAN = ["Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ"];
const CHI = ["Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi"];

/** The sexagenary name of a lunar year (2030 → Canh Tuất). */
export function yearName(year: number): string {
  return `${CAN[year % 10]} ${CHI[year % 12]}`;
}

export const lunarCommand: Command = {
  name: "lunar",
  summary: "Gregorian → Vietnamese lunar dates",
  help: HELP,
  async run(argv, io) {
    try {
      const { values, positionals } = parseOptions(argv, { json: { type: "boolean" } });
      if (values.help) {
        io.stdout(`${HELP}\n`);
        return 0;
      }
      if (positionals.length === 0) throw new InvalidInputError("give at least one date (YYYY-MM-DD)");
      const results = positionals.map((text) => {
        const solar = ymdFromEpochDay(parseIsoDate(text));
        return { solar: text, lunar: solarToLunar(solar) };
      });
      if (values.json) {
        io.stdout(
          `${JSON.stringify(results.map(({ solar, lunar }) => ({ solar, lunar: { day: lunar.day, month: lunar.month, year: lunar.year, leap: lunar.leap } })))}\n`,
        );
      } else {
        for (const { solar, lunar } of results) {
          const leap = lunar.leap ? " nhuận" : "";
          io.stdout(
            `${solar}  →  ngày ${lunar.day} tháng ${lunar.month}${leap} năm ${yearName(lunar.year)} (${lunar.year})\n`,
          );
        }
      }
      return 0;
    } catch (error) {
      return reportError(error, io);
    }
  },
};
