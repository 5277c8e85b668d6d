/** The slice of pino the gateway and the worker use; a silent default keeps libraries quiet unless given one. */
export interface EvidenceLogger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

export const silentLogger: EvidenceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
