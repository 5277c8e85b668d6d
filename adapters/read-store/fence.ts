/**
 * A write refused because it carries a fencing token older than the one the read store holds for its projection:
 * another process has since been granted that projection's lease, so this writer is a stale leader and must stop.
 */
export class FencedWriteError extends Error {
  constructor(
    readonly projection: string,
    readonly token: number,
    readonly current: number,
  ) {
    super(`write to "${projection}" refused: fencing token ${token} is older than the stored ${current}`);
    this.name = 'FencedWriteError';
  }
}

/** Tokens are positive safe integers (a PostgreSQL sequence, or a counter in process). */
export function assertToken(token: number): void {
  if (!Number.isSafeInteger(token) || token < 1) throw new TypeError(`fencing token must be a positive integer, got ${String(token)}`);
}
