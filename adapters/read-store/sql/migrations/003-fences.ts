import type { Migration } from './migration.ts';

/**
 * One fencing token per projection (or reactor), raised by each new lease holder. Writes check it under a shared row
 * lock, so raising it (an exclusive lock) waits for writes of the old holder that are committing, and any later
 * write of the old holder sees the new token and is refused.
 */
export const fences: Migration = {
  version: 3,
  name: 'fencing-tokens',
  up: (t) => `
    CREATE TABLE ${t.fences} (
      projection text PRIMARY KEY,
      token bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
