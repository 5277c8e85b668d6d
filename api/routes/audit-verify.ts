import type { JWK } from 'jose';
import { platformKeyFiles, readJwksFile } from '../../adapters/evidence/index.ts';
import { auditEventLog } from '../../adapters/log-heads/verify.ts';
import type { Engine } from '../../runtime/engine.ts';
import { verifyStoredChain } from '../../projections/audit/index.ts';

/**
 * GET /audit/verify: the event log itself (links recomputed from the events table, checked against the signed heads
 * kept beside it), so rebuilding a projection can never change the answer. On EventStoreDB, which keeps no hash
 * links, it falls back to the audit trail projection's chain and says so in `source`.
 */
export async function verifyForAuditor(engine: Engine): Promise<Record<string, unknown>> {
  const keys = ((readJwksFile(platformKeyFiles(engine.config.dataDir).jwks) as { keys?: JWK[] } | undefined)?.keys ?? []);
  const result = await auditEventLog(engine.stores.eventStore, keys);
  if (!result) return { ...(await verifyStoredChain(engine.stores.readStore)), source: 'audit-trail projection' };
  const { firstBad, ...rest } = result;
  return { ...rest, source: 'event log', ...(firstBad ? { firstBroken: firstBad } : {}) };
}
