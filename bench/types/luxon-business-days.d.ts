// luxon-business-days ships no types; it patches luxon's DateTime. Only what the benchmark uses.
declare module "luxon-business-days" {
  import type { DateTime } from "luxon";

  export interface BusinessDateTime extends DateTime {
    setupBusiness(options: {
      businessDays?: number[];
      holidayMatchers?: ((dt: BusinessDateTime) => boolean)[];
    }): void;
    plusBusiness(options?: { days?: number }): BusinessDateTime;
  }

  const businessDays: {
    DateTime: { fromMillis(ms: number, options?: { zone?: string }): BusinessDateTime };
  };
  export default businessDays;
}
