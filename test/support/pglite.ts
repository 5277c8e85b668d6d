import { PGlite } from '@electric-sql/pglite';

let shared: PGlite | undefined;

/** PGlite takes seconds to start: one in-memory instance per test run, schemas truncated by the suites that use it. */
export async function sharedPGlite(): Promise<PGlite> {
  shared ??= new PGlite();
  await shared.waitReady;
  return shared;
}
