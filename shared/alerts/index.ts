export * from "./alert.ts";
export * from "./alert-policy.ts";
export * from "./digest.ts";
export * from "./directory.ts";
export * from "./plan.ts";
export * from "./quiet-hours.ts";
export * from "./simulate.ts";
