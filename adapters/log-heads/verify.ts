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
  /** The fault at the lowest position: a bad event, or a signed head (kept beside the log, or exported) that fails. */
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
  const kept = await checkHeads(exported, keys, false);
  // A bad head does not end the audit: the log is still checked against every head that held, so a head row someone
  // slipped into the table cannot hide an edited event before it, nor keep an auditor's own head from being read.
  const verdict = await store.verifyLog.call(store, [...chain.trusted, ...kept.trusted]);
  const faults: NonNullable<LogAuditResult['firstBad']>[] = [
    ...(verdict.fault ? [{ position: verdict.fault.position.toString(), reason: verdict.fault.reason }] : []),
    ...(chain.fault ? [{ ...chain.fault, head: 'stored' as const }] : []),
    ...(kept.fault ? [{ ...kept.fault, head: 'exported' as const }] : []),
  ];
  return {
    ok: faults.length === 0,
    checked: verdict.checked,
    heads: chain.trusted.length + kept.trusted.length,
    last: verdict.last && { position: verdict.last.position.toString(), link: verdict.last.link },
    firstBad: faults.sort((a, b) => compareSigned(positionOf(a.position), positionOf(b.position)))[0] ?? null,
  };
}

/** A fault's position as a number to sort by; a head's unreadable position sorts after every real one. */
function positionOf(text: string): bigint | null {
  return /^\d{1,19}$/.test(String(text)) ? BigInt(text) : null;
}

function compareSigned(a: bigint | null, b: bigint | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
