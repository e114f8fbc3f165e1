/**
 * What the use cases log through. The Powertools Logger satisfies it; the production and local
 * loggers pass every line through the redaction step (shared/adapters/logging/redaction.ts), and
 * callers still put only ids, codes and counts in attributes (NĐ 13/2023/NĐ-CP).
 */
export interface AppLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

export const silentLogger: AppLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
