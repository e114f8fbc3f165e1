import type { TimeLimit } from "../../shared/calendar/index.ts";
import type { Procedure } from "../../shared/dossier/index.ts";

/**
 * The demo province: one provincial public-service centre with the desks of four departments,
 * two commune-level centres (after 01/07/2025 there are no districts: province and commune
 * only), and the two agencies dossiers go to for liên thông. Every person is invented; every
 * phone number is +8490000xxxx and every e-mail is @example.vn (docs/demo.md).
 */

export const DEMO_PROVINCE = {
  name: "tỉnh Tây Ninh",
  /** Cơ quan chủ quản, printed on the apology letter. */
  parentName: "UBND tỉnh Tây Ninh",
  /** Place of issue on letters. */
  placeName: "Tân An",
  /** The province part of dossier codes (V1V2V3.Z1Z2.Y1Y2.MX1X2, TT 01/2018 Art. 19). */
  codeSuffix: "H42",
  notice: "Dữ liệu mẫu (demo): mọi tên người, số điện thoại và e-mail đều là giả.",
} as const;

export interface PersonSeed {
  readonly id: string;
  readonly name: string;
  readonly title: string;
}

export interface DemoUnit {
  readonly id: string;
  readonly name: string;
  /** Receiving desks only: the unit part of the dossier code ("000.00.12"). */
  readonly codeUnit?: string;
  readonly leaders: readonly PersonSeed[];
  readonly handlers: readonly PersonSeed[];
}

export interface DemoAgency {
  readonly id: string;
  readonly name: string;
  readonly level: "province" | "commune" | "partner";
  /** Commune centres: the commune, for applicants' addresses. */
  readonly commune?: string;
  readonly leaders: readonly PersonSeed[];
  readonly units: readonly DemoUnit[];
}

const person = (id: string, name: string, title: string): PersonSeed => ({ id, name, title });

export const DEMO_AGENCIES: readonly DemoAgency[] = [
  {
    id: "ttpvhcc-tinh",
    name: "Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
    level: "province",
    leaders: [
      person("gd-trung", "Nguyễn Quốc Trung", "Giám đốc Trung tâm"),
      person("pgd-hanh", "Lê Thị Mỹ Hạnh", "Phó Giám đốc Trung tâm"),
    ],
    units: [
      {
        id: "quay-tu-phap",
        name: "Quầy Sở Tư pháp",
        codeUnit: "000.00.11",
        leaders: [person("tq-phuong", "Trần Thị Phương", "Trưởng quầy Sở Tư pháp")],
        handlers: [
          person("cb-ngoc", "Phạm Bảo Ngọc", "Công chức tiếp nhận"),
          person("cv-khang", "Đỗ Minh Khang", "Chuyên viên Phòng Hành chính tư pháp"),
        ],
      },
      {
        id: "quay-xay-dung",
        name: "Quầy Sở Xây dựng",
        codeUnit: "000.00.15",
        leaders: [person("tq-dung", "Võ Tấn Dũng", "Trưởng quầy Sở Xây dựng")],
        handlers: [
          person("cb-thao", "Huỳnh Thanh Thảo", "Công chức tiếp nhận"),
          person("cv-phuc", "Bùi Hữu Phúc", "Chuyên viên Phòng Quản lý hoạt động xây dựng"),
        ],
      },
      {
        id: "quay-nnmt",
        name: "Quầy Sở Nông nghiệp và Môi trường",
        codeUnit: "000.00.12",
        leaders: [person("tq-mai", "Đặng Ngọc Mai", "Trưởng quầy Sở Nông nghiệp và Môi trường")],
        handlers: [
          person("cb-lan", "Trần Thị Lan", "Công chức tiếp nhận"),
          person("cv-hoa", "Phạm Thu Hoa", "Chuyên viên Chi cục Bảo vệ môi trường"),
          person("cv-tuan", "Ngô Anh Tuấn", "Chuyên viên Văn phòng Đăng ký đất đai"),
        ],
      },
      {
        id: "quay-tai-chinh",
        name: "Quầy Sở Tài chính",
        codeUnit: "000.00.13",
        leaders: [person("tq-vinh", "Hồ Quang Vinh", "Trưởng quầy Sở Tài chính")],
        handlers: [
          person("cb-quynh", "Dương Thúy Quỳnh", "Công chức tiếp nhận"),
          person("cv-duy", "Lý Khánh Duy", "Chuyên viên Phòng Đăng ký kinh doanh"),
        ],
      },
    ],
  },
  {
    id: "ttpvhcc-tan-an",
    name: "Trung tâm Phục vụ hành chính công phường Tân An",
    level: "commune",
    commune: "phường Tân An",
    leaders: [person("gd-son", "Phan Thanh Sơn", "Phó Chủ tịch UBND phường, Giám đốc Trung tâm")],
    units: [
      {
        id: "mot-cua",
        name: "Bộ phận tiếp nhận và trả kết quả",
        codeUnit: "000.21.30",
        leaders: [person("tp-yen", "Nguyễn Thị Hải Yến", "Phó Giám đốc Trung tâm")],
        handlers: [
          person("cb-trang", "Lê Thu Trang", "Công chức một cửa"),
          person("cb-nhan", "Trương Công Nhân", "Công chức một cửa"),
        ],
      },
      {
        id: "van-phong",
        name: "Văn phòng HĐND và UBND phường",
        leaders: [person("cvp-thu", "Vũ Minh Thư", "Chánh Văn phòng")],
        handlers: [person("cv-an", "Nguyễn Hoài An", "Công chức tư pháp - hộ tịch")],
      },
      {
        id: "phong-kt",
        name: "Phòng Kinh tế, Hạ tầng và Đô thị",
        leaders: [person("tp-long", "Trần Hoàng Long", "Trưởng phòng")],
        handlers: [person("cv-bao", "Lâm Gia Bảo", "Chuyên viên")],
      },
    ],
  },
  {
    id: "ttpvhcc-ben-luc",
    name: "Trung tâm Phục vụ hành chính công xã Bến Lức",
    level: "commune",
    commune: "xã Bến Lức",
    leaders: [person("gd-hai", "Lê Văn Hải", "Phó Chủ tịch UBND xã, Giám đốc Trung tâm")],
    units: [
      {
        id: "mot-cua",
        name: "Bộ phận tiếp nhận và trả kết quả",
        codeUnit: "000.35.31",
        leaders: [person("tp-nga", "Phạm Thị Nga", "Phó Giám đốc Trung tâm")],
        handlers: [
          person("cb-vy", "Huỳnh Tường Vy", "Công chức một cửa"),
          person("cb-tam", "Nguyễn Minh Tâm", "Công chức một cửa"),
        ],
      },
      {
        id: "van-phong",
        name: "Văn phòng HĐND và UBND xã",
        leaders: [person("cvp-loan", "Đoàn Thị Loan", "Chánh Văn phòng")],
        handlers: [person("cv-kiet", "Võ Anh Kiệt", "Công chức tư pháp - hộ tịch")],
      },
      {
        id: "phong-kt",
        name: "Phòng Kinh tế",
        leaders: [person("tp-hieu", "Châu Minh Hiếu", "Trưởng phòng")],
        handlers: [person("cv-dat", "Trần Tiến Đạt", "Chuyên viên")],
      },
    ],
  },
  {
    id: "cong-an-tinh",
    name: "Công an tỉnh Tây Ninh",
    level: "partner",
    leaders: [person("pgd-ca-thang", "Hoàng Đức Thắng", "Phó Giám đốc Công an tỉnh")],
    units: [
      {
        id: "pv06",
        name: "Phòng Hồ sơ nghiệp vụ",
        leaders: [person("tp-ca-hung", "Mai Văn Hùng", "Trưởng phòng Hồ sơ nghiệp vụ")],
        handlers: [person("cv-ca-linh", "Tạ Khánh Linh", "Cán bộ tra cứu hồ sơ")],
      },
    ],
  },
  {
    id: "thue-tinh",
    name: "Thuế tỉnh Tây Ninh",
    level: "partner",
    leaders: [person("pt-thue-son", "Cao Văn Sơn", "Phó Trưởng Thuế tỉnh")],
    units: [
      {
        id: "phong-truoc-ba",
        name: "Phòng Trước bạ và thu khác",
        leaders: [person("tp-thao", "Kiều Phương Thảo", "Trưởng phòng")],
        handlers: [person("cv-thue-hien", "Lưu Thị Hiền", "Công chức thuế")],
      },
    ],
  },
];

/** One step of a dossier's route (Phiếu kiểm soát): its unit, its allotment, its task. */
export interface StepPlan {
  readonly kind: "assigned" | "transferred";
  /** A partner agency (transferred steps); the receiving agency when absent. */
  readonly agencyId?: string;
  readonly unitId: string;
  /** "some": the partner sometimes names no handler (its unit leader is warned instead). */
  readonly handler: "always" | "some";
  /** Who in the unit does this step (default: its processing staff). */
  readonly handlers?: readonly string[];
  readonly allotment: TimeLimit;
  readonly task: string;
}

export interface ProcedureTemplate {
  readonly key: string;
  readonly procedure: Procedure;
  /** The agencies that receive it (a commune procedure: both commune centres). */
  readonly agencyIds: readonly string[];
  readonly deskUnitId: string;
  /** The usual route; the allotments fit the time limit with room for the desk. */
  readonly route: readonly StepPlan[];
  /** A liên thông route, taken by this share of dossiers. */
  readonly liaison?: { readonly share: number; readonly route: readonly StepPlan[] };
  readonly weight: number;
  readonly online: number;
  readonly postal: number;
  readonly applicant: "person" | "company";
}

const wd = (amount: number): TimeLimit => ({ amount, unit: "working-days" });
const wh = (amount: number): TimeLimit => ({ amount, unit: "working-hours" });
const days = (amount: number): TimeLimit => ({ amount, unit: "calendar-days" });
const step = (
  unitId: string,
  allotment: TimeLimit,
  task: string,
  handlers?: readonly string[],
): StepPlan => ({
  kind: "assigned",
  unitId,
  handler: "always",
  ...(handlers ? { handlers } : {}),
  allotment,
  task,
});
const LAND = ["cv-tuan"];
const ENVIRONMENT = ["cv-hoa"];
const COMMUNES = ["ttpvhcc-tan-an", "ttpvhcc-ben-luc"];
const PROVINCE = ["ttpvhcc-tinh"];

/**
 * Procedures with real-looking names, codes and limits (the codes are illustrative, not looked
 * up in the national database). Between them: 3, 5, 10 and 15 working days, 15, 30 and 90
 * calendar days, 4 and 8 working hours ("trong ngày"), a 15:00 cut-off, a "pause" supplement
 * policy, and two liên thông routes.
 */
export const DEMO_PROCEDURES: readonly ProcedureTemplate[] = [
  {
    key: "khai-sinh",
    procedure: {
      code: "1.001193",
      name: "Đăng ký khai sinh",
      field: "Hộ tịch",
      timeLimit: wh(4),
      // "Trong ngày; hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo" (NĐ 61/2018 Art. 18(2),(3)).
      cutoff: "15:00",
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("van-phong", wh(3), "Kiểm tra, ghi Sổ hộ tịch, trình ký")],
    weight: 18,
    online: 0.3,
    postal: 0,
    applicant: "person",
  },
  {
    key: "trich-luc",
    procedure: {
      code: "1.004884",
      name: "Cấp bản sao trích lục hộ tịch",
      field: "Hộ tịch",
      timeLimit: wh(8),
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("van-phong", wh(6), "Tra cứu Sổ hộ tịch, cấp bản sao trích lục")],
    weight: 10,
    online: 0.5,
    postal: 0.05,
    applicant: "person",
  },
  {
    key: "xac-nhan-hon-nhan",
    procedure: {
      code: "1.004873",
      name: "Cấp Giấy xác nhận tình trạng hôn nhân",
      field: "Hộ tịch",
      timeLimit: wd(3),
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("van-phong", wd(2), "Kiểm tra, xác minh, trình ký")],
    weight: 14,
    online: 0.4,
    postal: 0.05,
    applicant: "person",
  },
  {
    key: "ket-hon",
    procedure: {
      code: "1.000894",
      name: "Đăng ký kết hôn (trường hợp cần xác minh)",
      field: "Hộ tịch",
      timeLimit: wd(5),
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("van-phong", wd(4), "Xác minh, trình ký Giấy chứng nhận kết hôn")],
    weight: 6,
    online: 0.1,
    postal: 0,
    applicant: "person",
  },
  {
    key: "ho-kinh-doanh",
    procedure: {
      code: "2.000720",
      name: "Đăng ký thành lập hộ kinh doanh",
      field: "Thành lập và hoạt động của hộ kinh doanh",
      timeLimit: wd(3),
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("phong-kt", wd(2), "Kiểm tra hồ sơ, cấp Giấy chứng nhận đăng ký hộ kinh doanh")],
    weight: 10,
    online: 0.6,
    postal: 0.05,
    applicant: "person",
  },
  {
    key: "gpxd-nha-o",
    procedure: {
      code: "1.009998",
      name: "Cấp giấy phép xây dựng đối với nhà ở riêng lẻ",
      field: "Hoạt động xây dựng",
      timeLimit: days(15),
    },
    agencyIds: COMMUNES,
    deskUnitId: "mot-cua",
    route: [step("phong-kt", wd(8), "Thẩm định hồ sơ, kiểm tra thực địa, trình ký giấy phép")],
    weight: 8,
    online: 0.2,
    postal: 0.05,
    applicant: "person",
  },
  {
    key: "thanh-lap-cong-ty",
    procedure: {
      code: "2.001610",
      name: "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
      field: "Thành lập và hoạt động của doanh nghiệp",
      timeLimit: wd(3),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-tai-chinh",
    route: [step("quay-tai-chinh", wd(2), "Xem xét hồ sơ, cấp Giấy chứng nhận đăng ký doanh nghiệp")],
    weight: 14,
    online: 0.85,
    postal: 0.02,
    applicant: "person",
  },
  {
    key: "ly-lich-tu-phap",
    procedure: {
      code: "2.000488",
      name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
      field: "Lý lịch tư pháp",
      timeLimit: wd(10),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-tu-phap",
    route: [step("quay-tu-phap", wd(8), "Tra cứu cơ sở dữ liệu lý lịch tư pháp, lập Phiếu, trình ký")],
    liaison: {
      share: 0.5,
      route: [
        step("quay-tu-phap", wd(1), "Kiểm tra hồ sơ, lập văn bản đề nghị xác minh"),
        {
          kind: "transferred",
          agencyId: "cong-an-tinh",
          unitId: "pv06",
          handler: "some",
          allotment: wd(5),
          task: "Tra cứu, xác minh thông tin lý lịch tư pháp",
        },
        step("quay-tu-phap", wd(2), "Lập Phiếu lý lịch tư pháp, trình ký"),
      ],
    },
    weight: 14,
    online: 0.5,
    postal: 0.1,
    applicant: "person",
  },
  {
    key: "chung-chi-xay-dung",
    procedure: {
      code: "1.009794",
      name: "Cấp lại chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
      field: "Hoạt động xây dựng",
      timeLimit: wd(5),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-xay-dung",
    route: [step("quay-xay-dung", wd(4), "Kiểm tra hồ sơ, trình ký chứng chỉ")],
    weight: 6,
    online: 0.6,
    postal: 0.05,
    applicant: "person",
  },
  {
    key: "tham-dinh-thiet-ke",
    procedure: {
      code: "1.009972",
      name: "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
      field: "Hoạt động xây dựng",
      timeLimit: days(30),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-xay-dung",
    route: [step("quay-xay-dung", wd(18), "Thẩm định thiết kế, lấy ý kiến phòng cháy chữa cháy, trình ký")],
    weight: 4,
    online: 0.3,
    postal: 0.1,
    applicant: "company",
  },
  {
    key: "giay-phep-moi-truong",
    procedure: {
      code: "1.010727",
      name: "Cấp giấy phép môi trường (cấp tỉnh)",
      field: "Môi trường",
      timeLimit: wd(15),
      // This province's system holds the clock while it waits for a supplement (Art. 19(4) is read
      // as a restart elsewhere): the demo shows both policies.
      supplementPolicy: "pause",
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-nnmt",
    route: [step("quay-nnmt", wd(12), "Thẩm định, kiểm tra thực tế, trình ký giấy phép", ENVIRONMENT)],
    weight: 4,
    online: 0.3,
    postal: 0.1,
    applicant: "company",
  },
  {
    key: "dang-ky-bien-dong",
    procedure: {
      code: "1.004227",
      name: "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
      field: "Đất đai",
      timeLimit: wd(10),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-nnmt",
    route: [step("quay-nnmt", wd(8), "Kiểm tra hồ sơ, chỉnh lý hồ sơ địa chính", LAND)],
    liaison: {
      share: 0.6,
      route: [
        step("quay-nnmt", wd(3), "Kiểm tra hồ sơ, lập phiếu chuyển thông tin địa chính", LAND),
        {
          kind: "transferred",
          agencyId: "thue-tinh",
          unitId: "phong-truoc-ba",
          handler: "some",
          allotment: wd(3),
          task: "Xác định nghĩa vụ tài chính, ra thông báo nộp thuế",
        },
        step("quay-nnmt", wd(2), "Cập nhật biến động, chỉnh lý hồ sơ địa chính, trình ký", LAND),
      ],
    },
    weight: 12,
    online: 0.15,
    postal: 0.1,
    applicant: "person",
  },
  {
    key: "khai-thac-khoang-san",
    procedure: {
      code: "1.004446",
      name: "Cấp giấy phép khai thác khoáng sản làm vật liệu xây dựng thông thường",
      field: "Địa chất và khoáng sản",
      timeLimit: days(90),
    },
    agencyIds: PROVINCE,
    deskUnitId: "quay-nnmt",
    route: [
      step("quay-nnmt", wd(55), "Thẩm định hồ sơ, kiểm tra thực địa, lấy ý kiến, trình ký", ENVIRONMENT),
    ],
    weight: 2,
    online: 0.1,
    postal: 0.1,
    applicant: "company",
  },
];

export function procedureTemplate(key: string): ProcedureTemplate {
  const found = DEMO_PROCEDURES.find((template) => template.key === key);
  if (!found) throw new RangeError(`unknown demo procedure ${key}`);
  return found;
}

export function demoAgency(id: string): DemoAgency {
  const found = DEMO_AGENCIES.find((agency) => agency.id === id);
  if (!found) throw new RangeError(`unknown demo agency ${id}`);
  return found;
}

export function demoUnit(agency: DemoAgency, id: string): DemoUnit {
  const found = agency.units.find((unit) => unit.id === id);
  if (!found) throw new RangeError(`unknown unit ${id} of ${agency.id}`);
  return found;
}
