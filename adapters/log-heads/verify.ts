import type { JWK } from 'jose';
import type { EventStore } from '../event-store/index.ts';
import { checkHeads, exportHead, type ExportedHead } from './heads.ts';

export interface LogAuditResult {
  ok: boolean;
  /** Events whose links were recomputed before the first fault (all of them when ok). */
  checked: number;
  /** Signed heads the log was checked against: those kept beside it, then the exported ones given. */
  heads: number;
  last: { position: string; link: string } | null;
  /** The first bad event, or the first bad signed head. */
  firstBad: { position: string; reason: string; head?: 'stored' | 'exported' } | null;
}

/**
 * The whole audit of the event log, shared by `npm run audit -- verify` and GET /audit/verify: the chain of signed
 * heads kept beside the log (signatures by the platform's keys, each naming the one before), any exported heads an
 * auditor brings, then every event's link recomputed from the events table against all of them.
 */
export async function auditEventLog(store: EventStore, keys: readonly JWK[], exported: readonly ExportedHead[] = []): Promise<LogAuditResult | null> {
  if (!store.verifyLog || !store.logHeads) return null;
  const chain = await checkHeads((await store.logHeads.list()).map(exportHead), keys, true);
  if (!chain.ok) return { ok: false, checked: 0, heads: 0, last: null, firstBad: { ...chain.fault!, head: 'stored' } };
  const kept = await checkHeads(exported, keys, false);
  if (!kept.ok) return { ok: false, checked: 0, heads: 0, last: null, firstBad: { ...kept.fault!, head: 'exported' } };
  const verdict = await store.verifyLog.call(store, [...chain.trusted, ...kept.trusted]);
  return {
    ok: verdict.ok,
    checked: verdict.checked,
    heads: chain.trusted.length + kept.trusted.length,
    last: verdict.last && { position: verdict.last.position.toString(), link: verdict.last.link },
    firstBad: verdict.fault && { position: verdict.fault.position.toString(), reason: verdict.fault.reason },
  };
}
