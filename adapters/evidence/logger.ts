/** The slice of pino the evidence worker and the gateways use; a silent default keeps them quiet unless given one. */
export interface EvidenceLogger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

export const silentLogger: EvidenceLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
