import type { AppDossierRepository, DossierSnapshot } from "../../shared/app/dossier-records.ts";
import type { WorkingTimeProvider } from "../../shared/app/working-time-provider.ts";
import { type DossierEvent, foldDossier } from "../../shared/dossier/index.ts";
import { working } from "../unit/dossier/builders.ts";

/**
 * A read-only dossier repository holding the given event streams folded on the default calendar,
 * for use cases that only read (the public lookup). `reads` lists every code loaded, in order.
 */
export function foldedDossiers(...streams: DossierEvent[][]) {
  const states = new Map<string, DossierSnapshot>();
  for (const events of streams) {
    const dossier = foldDossier(events, working);
    states.set(dossier.code, dossier);
  }
  const reads: string[] = [];
  const repository = {
    async load(code: string) {
      reads.push(code);
      const state = states.get(code);
      if (state === undefined) return undefined;
      return { code, events: [], state, version: 1, agenda: [], listing: undefined };
    },
    async save() {
      throw new Error("this repository is read-only");
    },
  } satisfies AppDossierRepository;
  return { repository, reads };
}

/** The built-in calendar, as every handler's WorkingTimeProvider would give it. */
export const builtInWorkingTime = {
  current: async () => ({ version: "built-in", workingTime: working }),
} as unknown as WorkingTimeProvider;
