import { expect } from 'chai';
import pg from 'pg';
import { newEvents } from '../contract/event-store.fixtures.ts';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

/** GET /audit/verify checks the events table itself: damage to a projection cannot change it, damage to the log shows. */
describe('GET /audit/verify over the event log', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let auditor: string;
  let attacker: pg.Client;

  before(async function () {
    errand = await startErrand('audit_verify');
    auditor = await errand.signIn('auditor');
    await errand.engine.stores.eventStore.append('audit-verify-case', newEvents(5), { expectedRevision: 'no_stream' });
    const config = errand.engine.config.eventStore;
    if (config.kind !== 'postgres') throw new Error('startErrand is expected to keep events in PostgreSQL');
    attacker = new pg.Client({ connectionString: config.url });
    await attacker.connect();
    await attacker.query('SET session_replication_role = replica');
  });

  after(async function () {
    await attacker?.end();
    await errand?.stop();
  });

  it('given an intact log, then it reports every event checked from the event log', async function () {
    const { rows } = await attacker.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const verdict = await errand.api(auditor, 'GET', '/audit/verify');
    expect(verdict.status).to.equal(200);
    expect(verdict.body).to.include({ ok: true, source: 'event log' });
    expect(verdict.body.checked).to.be.at.least(rows[0]!.n);
  });

  it('given the audit trail projection emptied, then the verdict does not change', async function () {
    const before = await errand.api(auditor, 'GET', '/audit/verify');
    const projected = async () => (await attacker.query(`SELECT 1 FROM read_docs WHERE collection LIKE '%audit%' AND doc->>'streamId' = 'audit-verify-case'`)).rowCount! > 0;
    await until(projected, 'the audit trail projection');
    const removed = await attacker.query(`DELETE FROM read_docs WHERE collection LIKE '%audit%'`);
    expect(removed.rowCount, 'audit trail documents removed').to.be.greaterThan(0);
    const after = await errand.api(auditor, 'GET', '/audit/verify');
    expect(after.body).to.include({ ok: true });
    expect(after.body.checked).to.be.at.least(before.body.checked as number);
  });

  it('given one event edited in the table, then it reports that position as the first bad event', async function () {
    const { rows } = await attacker.query<{ position: string }>(
      `UPDATE events SET data = jsonb_set(data, '{index}', '99') WHERE stream_id = 'audit-verify-case' AND stream_revision = 2 RETURNING global_position::text AS position`,
    );
    const verdict = await errand.api(auditor, 'GET', '/audit/verify');
    expect(verdict.body).to.include({ ok: false, source: 'event log' });
    expect(verdict.body.firstBroken).to.include({ position: rows[0]!.position });
  });
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
