export * from "./announcements.ts";
export * from "./civil-calendar.ts";
export * from "./holiday-rules.ts";
export * from "./local-date.ts";
export * from "./lunar.ts";
export * from "./working-time.ts";
