import { expect } from 'chai';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

type Json = Record<string, unknown>;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };

/**
 * The events database goes back in time (restored from an older backup, or a failover to a standby that lost the last
 * commits) while the read models, the case-jobs reactor's and the outbox's checkpoints live in another database
 * (READ_DATABASE_URL). Every reader is past positions the log no longer holds, and new events take those positions.
 * Each reader must notice rather than skip them or stand still: the projections rebuild from the log as it stands,
 * the reactor reads it again, the outbox goes on from the head and says so.
 */
describe('a log restored to an earlier point under readers that keep their checkpoints elsewhere', function () {
  this.timeout(240_000);
  let errand: RunningErrand;
  let readDb: TestDatabase;
  let events: pg.Client;
  const logs: string[] = [];

  before(async () => {
    readDb = await createTestDatabase('rewound_read');
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logs.push(chunk.toString('utf8')); done(); } });
    errand = await startErrand('rewound', { env: { READ_DATABASE_URL: readDb.url }, logger: pino({ level: 'info' }, sink) });
    const store = errand.engine.config.eventStore;
    if (store.kind !== 'postgres') throw new Error('this spec needs the events on PostgreSQL');
    events = new pg.Client({ connectionString: store.url });
    await events.connect();
  });
  after(async () => {
    await events?.end();
    await errand?.stop();
    await readDb?.drop();
  });

  const statusOf = async (token: string, caseId: string) => {
    const response = await errand.api(token, 'GET', `/cases/${caseId}`);
    return response.status === 200 ? String(response.body.status) : null;
  };
  const head = async () => BigInt((await events.query<{ p: string }>('SELECT coalesce(max(global_position), 0)::text AS p FROM events')).rows[0]!.p);
  /** A residence permit drafted, submitted and accepted: the reactor then fetches its evidence and it goes to review. */
  const acceptedCase = async (citizen: string, clerk: string, afterDraft?: (caseId: string) => Promise<void>) => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    await afterDraft?.(caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] })).status).to.equal(200);
    const accepted = await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200);
    return caseId;
  };
  const told = async (citizen: string, caseId: string, kind: string) =>
    ((await errand.api(citizen, 'GET', '/me/notifications?pageSize=100')).body.items as Json[]).some((n) => n.caseId === caseId && n.kind === kind);

  it('given every reader past the restore point, when new events take the lost positions, then projections rebuild, the reactor carries the new case on, and the outbox tells what follows and logs what it skipped', async () => {
    const citizen = await errand.signIn('citizen-instant-approval');
    const clerk = await errand.signIn('clerk-psb');
    const admin = await errand.signIn('admin');

    // Case A, told and in review; the backup to restore was taken just after it was drafted.
    let restorePoint = 0n;
    const a = await acceptedCase(citizen, clerk, async () => void (restorePoint = await head()));
    await until('case A in review', async () => (await statusOf(clerk, a)) === 'review');
    await until('case A told accepted', async () => told(citizen, a, 'accepted'));

    // The restore: everything after the draft is gone from the events database (and only there).
    await events.query('ALTER TABLE events DISABLE TRIGGER USER');
    await events.query('DELETE FROM events WHERE global_position > $1', [restorePoint.toString()]);
    await events.query('ALTER TABLE events ENABLE TRIGGER USER');

    // Case B's events take the positions case A's submission and acceptance held.
    const b = await acceptedCase(citizen, clerk);
    // Projections: rebuilt from the log as it stands, case A is a draft again and case B is there.
    await until('case A read back as a draft', async () => (await statusOf(citizen, a)) === 'draft', 120_000);
    // The reactor: it read the log again, so case B's evidence was fetched and it went on to review.
    await until('case B in review', async () => (await statusOf(clerk, b)) === 'review', 120_000);
    const projections = (await errand.api(admin, 'GET', '/admin/projections')).body.items as Array<{ name: string; rebuildRequest: { id: string } | null }>;
    expect(projections.find((p) => p.name === 'case-view')?.rebuildRequest?.id ?? '').to.match(/^log-rewound-/);
    // The outbox: it said, as an error, that it went on from the head; what came after is told.
    expect(logs.some((line) => /"level":50/.test(line) && line.includes('went back in time under the notification outbox'))).to.equal(true);
    await until('case B told accepted', async () => told(citizen, b, 'accepted'));
  });
});
