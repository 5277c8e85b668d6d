import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../adapters/config/index.ts';
import { createEngine, type Engine } from '../../runtime/engine.ts';
import { migrate } from '../../scripts/migrate.ts';
import { startThrowawayCluster, type ThrowawayCluster } from '../support/pg-cluster.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/**
 * The documented production database setup, for real: deploy/postgres's roles on a fresh cluster, `npm run migrate`
 * as the owner, the append-only grants, then an engine connected as the app role records cases but cannot change
 * or remove an event, whatever it sends.
 */
describe('production database roles (deploy/postgres)', function () {
  this.timeout(180_000);
  let cluster: ThrowawayCluster;
  let engine: Engine | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-roles-'));
  const url = (user: string) => `postgres://${user}@127.0.0.1:${cluster.port}/errand`;

  before(async () => {
    cluster = await startThrowawayCluster();
    const psql = (file: string, database: string, user = 'postgres') => cluster.tool('psql', ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', user, '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', '-f', file]);
    await psql(join(process.cwd(), 'deploy/postgres/10-roles.sql'), 'postgres');
    await migrate({ DATABASE_URL: url('errand_owner'), DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    await psql(join(process.cwd(), 'deploy/postgres/20-app-grants.sql'), 'errand', 'errand_owner');
  });
  after(async () => {
    await engine?.stop();
    await cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the app role, when an engine runs a case, then events are appended; when it tries UPDATE, DELETE or TRUNCATE on the log or the other append-only tables, then each is refused', async () => {
    engine = await createEngine(loadConfig({ DATABASE_URL: url('errand_app'), DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_DEV_SIGNIN: 'true', DEMO_LIBRARY: 'true' }));
    const caseId = '11111111-1111-4111-8111-111111111111';
    const result = await engine.commands.handle({
      type: 'DraftApplication', commandId: 'draft-1', caseId, serviceId: 'residence-permit', form: FORM,
      actor: { kind: 'citizen', id: '110101199003070011', name: 'Test' },
    } as never);
    expect(result.events.length).to.be.greaterThan(0);

    const app = new pg.Client({ connectionString: url('errand_app') });
    await app.connect();
    try {
      expect(Number((await app.query('SELECT count(*) AS n FROM events')).rows[0].n)).to.be.greaterThan(0);
      // The engine above started without creating anything: the app role could not have.
      expect((await app.query(`SELECT has_schema_privilege('public', 'CREATE') AS c`)).rows[0].c).to.equal(false);
      for (const statement of ["UPDATE events SET type = 'Forged'", 'DELETE FROM events', 'TRUNCATE events']) {
        const error = await app.query(statement).then(() => null, (e: Error & { code?: string }) => e);
        expect(error, statement).to.not.equal(null);
        expect(error!.code, statement).to.equal('42501');
      }
      // The other append-only tables (signed heads, the catalogue's audit, the gateway's access log): not granted either.
      for (const [table, column] of [['event_store_heads', 'size'], ['catalogue_audit', 'action'], ['gateway_access_log', 'result']]) {
        for (const statement of [`UPDATE ${table} SET ${column} = ${column}`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
          const error = await app.query(statement).then(() => null, (e: Error & { code?: string }) => e);
          expect(error?.code, statement).to.equal('42501');
        }
      }
    } finally {
      await app.end();
    }
  });
});
