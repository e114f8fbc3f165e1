export * from "./catalogue.ts";
export * from "./dvcqg/map.ts";
export * from "./dvcqg/payload.ts";
export * from "./flags.ts";
export * from "./reconcile.ts";
