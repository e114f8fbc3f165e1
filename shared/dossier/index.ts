export * from "./decide.ts";
export * from "./dossier.ts";
export * from "./dossier-state.ts";
export * from "./events.ts";
export * from "./fold.ts";
export * from "./reevaluate.ts";
export * from "./stopped-clock.ts";
export * from "./timeliness.ts";
