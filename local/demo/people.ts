import type { Applicant } from "../../shared/dossier/index.ts";
import type { Random } from "./prng.ts";

/**
 * Invented applicants. Names are common Vietnamese names put together at random; contacts are
 * unmistakably fake: phone numbers +8490000xxxx (a block no one is given) and e-mails @example.vn.
 */

/** Every demo phone number starts with this: +84 90000 xxxx. */
export const FAKE_PHONE_PREFIX = "+8490000";
/** Every demo e-mail address ends with this. */
export const FAKE_EMAIL_DOMAIN = "example.vn";

/** Citizens get 0000–8999, staff 9000–9999. */
export function fakePhone(serial: number): string {
  return `${FAKE_PHONE_PREFIX}${String(serial % 10_000).padStart(4, "0")}`;
}

export function staffPhone(index: number): string {
  return fakePhone(9000 + (index % 1000));
}

/** "Nguyễn Thị Đào" → "nguyen.thi.dao" */
export function asciiSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.+|\.+$/g, "");
}

// Family names with roughly their share in Vietnam (Nguyễn ~38 %).
const FAMILY: readonly (readonly [string, number])[] = [
  ["Nguyễn", 38],
  ["Trần", 11],
  ["Lê", 9.5],
  ["Phạm", 7],
  ["Huỳnh", 4],
  ["Hoàng", 2],
  ["Phan", 4.5],
  ["Võ", 3],
  ["Vũ", 1],
  ["Đặng", 2],
  ["Bùi", 2],
  ["Đỗ", 1.5],
  ["Hồ", 1.5],
  ["Ngô", 1.3],
  ["Dương", 1],
  ["Lý", 0.5],
  ["Trương", 1],
  ["Lâm", 0.8],
];
const MIDDLE_MALE = ["Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Hoàng", "Công", "Tấn", "Trọng", "Gia"];
const MIDDLE_FEMALE = ["Thị", "Ngọc", "Thanh", "Thu", "Thùy", "Mỹ", "Kim", "Bích", "Hồng", "Phương", "Thị"];
const GIVEN_MALE = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Duy",
  "Hải",
  "Hiếu",
  "Hòa",
  "Hùng",
  "Huy",
  "Khang",
  "Khoa",
  "Lâm",
  "Lộc",
  "Minh",
  "Nam",
  "Nghĩa",
  "Nhân",
  "Phát",
  "Phong",
  "Quang",
  "Sang",
  "Tài",
  "Thắng",
  "Thành",
  "Thịnh",
  "Toàn",
  "Trí",
  "Tuấn",
  "Việt",
];
const GIVEN_FEMALE = [
  "Anh",
  "Châu",
  "Chi",
  "Diễm",
  "Dung",
  "Giang",
  "Hà",
  "Hạnh",
  "Hằng",
  "Hoa",
  "Hương",
  "Lan",
  "Linh",
  "Loan",
  "My",
  "Ngân",
  "Nhung",
  "Oanh",
  "Phượng",
  "Quyên",
  "Thảo",
  "Thư",
  "Trang",
  "Trinh",
  "Tuyết",
  "Uyên",
  "Vân",
  "Vy",
  "Yến",
];
const STREETS = [
  "Hùng Vương",
  "Nguyễn Huệ",
  "Trương Định",
  "Lê Lợi",
  "Nguyễn Trãi",
  "Trần Hưng Đạo",
  "Võ Văn Tần",
  "Nguyễn Đình Chiểu",
  "Châu Văn Giác",
  "Quốc lộ 1",
  "Nguyễn Thông",
  "Phan Văn Tình",
];
const PROVINCE_COMMUNES = [
  "phường Tân An",
  "phường Long An",
  "phường Khánh Hậu",
  "xã Bến Lức",
  "xã Đức Hòa",
  "xã Cần Giuộc",
  "xã Thủ Thừa",
  "phường Kiến Tường",
];
const COMPANY_FORMS = ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần"];
const COMPANY_TRADES = [
  "Vật liệu xây dựng",
  "Xây dựng",
  "Thương mại Dịch vụ",
  "Chế biến Nông sản",
  "Cơ khí",
  "Khai thác Cát",
  "Bê tông",
];
const COMPANY_NAMES = ["Phú Hưng", "Minh Phát", "Tân Thành", "Hòa Bình", "Long Hậu", "An Khang", "Đức Thịnh"];

export function personName(rng: Random): { name: string; honorific: "Ông" | "Bà" } {
  const family = rng.weighted(FAMILY);
  if (rng.chance(0.5)) {
    return { name: `${family} ${rng.pick(MIDDLE_MALE)} ${rng.pick(GIVEN_MALE)}`, honorific: "Ông" };
  }
  return { name: `${family} ${rng.pick(MIDDLE_FEMALE)} ${rng.pick(GIVEN_FEMALE)}`, honorific: "Bà" };
}

export function companyName(rng: Random): string {
  return `${rng.pick(COMPANY_FORMS)} ${rng.pick(COMPANY_TRADES)} ${rng.pick(COMPANY_NAMES)}`;
}

export function address(rng: Random, commune: string | undefined): string {
  const where = commune ?? rng.pick(PROVINCE_COMMUNES);
  return `Số ${rng.int(1, 250)}, đường ${rng.pick(STREETS)}, ${where}, tỉnh Tây Ninh`;
}

export type ConsentKind = "sms" | "email" | "both" | "none";

export interface ApplicantOptions {
  kind: "person" | "company";
  /** The applicant's serial: makes the phone number and the e-mail unique. */
  serial: number;
  commune?: string | undefined;
  online: boolean;
  /** Forces a consent (the category dossiers choose who hears what). */
  consent?: ConsentKind;
}

/**
 * An applicant with fake contacts. Consent is per channel (NĐ 13/2023/NĐ-CP): some agreed to SMS,
 * some to e-mail, some to both, some to nothing — and some left a number without agreeing to SMS,
 * so the demo shows that a contact alone is not consent.
 */
export function makeApplicant(rng: Random, options: ApplicantOptions): Applicant {
  const consent: ConsentKind =
    options.consent ??
    rng.weighted<ConsentKind>([
      ["sms", 30],
      ["email", 20],
      ["both", 20],
      ["none", 30],
    ]);
  const sms = consent === "sms" || consent === "both";
  const email = consent === "email" || consent === "both";
  const tag = String(options.serial % 10_000).padStart(4, "0");
  let name: string;
  let honorific: Applicant["honorific"];
  let mailbox: string;
  if (options.kind === "company") {
    name = companyName(rng);
    mailbox = `vanthu.${asciiSlug(name.replace(/^Công ty (TNHH MTV|TNHH|Cổ phần) /u, ""))}.${tag}`;
  } else {
    const person = personName(rng);
    name = person.name;
    honorific = person.honorific;
    mailbox = `${asciiSlug(name)}.${tag}`;
  }
  const applicant: Applicant = {
    name,
    ...(honorific ? { honorific } : {}),
    address: address(rng, options.commune),
    consent: { sms, email },
  };
  if (sms || rng.chance(0.5)) applicant.phone = fakePhone(options.serial);
  if (email || options.online || rng.chance(0.2)) applicant.email = `${mailbox}@${FAKE_EMAIL_DOMAIN}`;
  return applicant;
}
