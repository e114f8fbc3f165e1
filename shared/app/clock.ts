/** The one replaceable clock (docs/architecture.md): epoch ms, structurally the local runtime's clock. */
export interface Clock {
  now(): number;
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
