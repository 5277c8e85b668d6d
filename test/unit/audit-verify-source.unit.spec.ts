import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { verifyForAuditor } from '../../api/routes/audit-verify.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { Engine } from '../../runtime/engine.ts';

/**
 * GET /audit/verify checks the log itself where the store keeps hash links (PostgreSQL, PGlite: test/e2e/audit-verify);
 * on a store without them (EventStoreDB has no verifyLog) the only chain there is the audit trail projection's, and
 * the answer must say that is what it checked, never pass it off as the log.
 */
describe('GET /audit/verify on a store that keeps no hash links', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-verify-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given an event store without verifyLog, when an auditor verifies, then the answer names the audit-trail projection as its source', async () => {
    const eventStore = { kind: 'eventstoredb' } as unknown as EventStore;
    const engine = { config: { dataDir }, stores: { eventStore, readStore: createMemoryReadStore() } } as unknown as Engine;
    const verdict = await verifyForAuditor(engine);
    expect(verdict).to.include({ ok: true, source: 'audit-trail projection' });
  });
});
