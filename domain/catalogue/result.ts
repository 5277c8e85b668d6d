/** What every catalogue validator returns: the typed value, or every problem found (not just the first). */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Thrown by callers that cannot go on without a valid definition (loaders at start-up); carries every problem. */
export class CatalogueError extends Error {
  readonly code = 'CATALOGUE_INVALID';
  constructor(
    readonly source: string,
    readonly errors: string[],
  ) {
    super(`${source} is invalid:\n  - ${errors.join('\n  - ')}`);
    this.name = 'CatalogueError';
  }
}
