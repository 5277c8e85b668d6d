/**
 * The two command headers. Idempotency-Key, scoped to the principal, becomes the command id (idempotency.ts):
 * commands are idempotent by command id downstream, so a retried POST with the same key is recorded once and no
 * response cache is needed here; the request a key first named is recorded, so another request under it is refused.
 * If-Match carries the case revision the client last saw, so a decision made on stale data is refused (409).
 */
import { badRequest } from './problem.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,100}$/;
const REVISION = /^(?:"(\d{1,20})"|(\d{1,20}))$/;
const MAX_REVISION = 2n ** 63n - 1n;

/** null when absent; throws a 400 problem naming the rule when present but malformed. */
export function parseIdempotencyKey(value: string | undefined): string | null {
  if (value === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw badRequest('Idempotency-Key must be 1 to 100 characters from A-Z, a-z, 0-9, "-" and "_"', {
      slug: 'invalid-idempotency-key',
      extensions: { errors: [{ path: '/headers/idempotency-key', message: 'must match ^[A-Za-z0-9_-]{1,100}$' }] },
    });
  }
  return value;
}

/** A revision as a decimal string, optionally quoted as an entity tag (`"12"`); null when absent. */
export function parseIfMatch(value: string | undefined): bigint | null {
  if (value === undefined) return null;
  const match = REVISION.exec(value.trim());
  const digits = match?.[1] ?? match?.[2];
  const revision = digits === undefined ? undefined : BigInt(digits);
  if (revision === undefined || revision > MAX_REVISION) {
    throw badRequest('If-Match must be a case revision: a whole number such as 12 or "12"', {
      slug: 'invalid-if-match',
      extensions: { errors: [{ path: '/headers/if-match', message: 'must be a decimal revision, optionally quoted' }] },
    });
  }
  return revision;
}

/** The ETag a response carries for a case at `revision`, the value clients send back in If-Match. */
export function revisionEtag(revision: bigint): string {
  return `"${revision.toString()}"`;
}
