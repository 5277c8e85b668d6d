import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { ERASED } from '../../domain/privacy/personal-data.ts';
import { rebuildKey } from '../../projections/runner/index.ts';
import { PERSONAL_READ_MODELS } from '../../runtime/engine.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';
import { pdfText } from '../support/pdf-text.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';

const MARK = `${process.pid}${Date.now().toString(36)}`;
const FORM = { residenceAddress: `深圳市南山区粤海街道科技园${MARK}号`, residenceSince: '2025-06-01', residenceReason: '就业', phone: '13912345678' };
const FILE_NAME = `passport-photo-${MARK}.jpg`;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(`JFIF photo of the applicant ${MARK}`), 0xff, 0xd9]);
const PDF = Buffer.from(`%PDF-1.4\n% rental contract ${MARK}\n%%EOF\n`);

/** Every value stored anywhere: rows of every table of the database as text, and every Redis key and value of the run. */
async function rawDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await client.query<{ name: string }>(`SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`)).rows;
    const parts: string[] = [];
    for (const { name } of tables) {
      const rows = (await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`)).rows;
      parts.push(`${name}: ${rows.map((r) => r.row).join('\n')}`);
      // bytea columns print as hex in t::text: search the raw bytes as text too.
      const bytea = (await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE quote_ident(table_schema) || '.' || quote_ident(table_name) = $1 AND data_type = 'bytea'`, [name])).rows;
      for (const { column_name } of bytea) {
        const blobs = (await client.query<{ b: Buffer | null }>(`SELECT ${column_name} AS b FROM ${name}`)).rows;
        parts.push(blobs.map((r) => (r.b ? r.b.toString('latin1') + r.b.toString('utf8') : '')).join('\n'));
      }
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

async function rawRedis(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const parts: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', '500');
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        const value =
          type === 'string' ? await redis.get(key)
          : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
          : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
          : type === 'set' ? JSON.stringify(await redis.smembers(key))
          : type === 'zset' ? JSON.stringify(await redis.zrange(key, '0', '-1'))
          : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
          : '';
        parts.push(`${key} ${value}`);
      }
    } while (cursor !== '0');
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

function findings(haystack: string, needles: Record<string, string>): string[] {
  return Object.entries(needles).filter(([, value]) => haystack.includes(value)).map(([name]) => name);
}

describe('erasure by crypto-shredding, end to end (real PostgreSQL, Redis, BullMQ, gateways)', function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let clerk: string;
  let auditor: string;
  let caseId: string;
  const logs: string[] = [];
  const clear: Record<string, string> = {};

  before(async () => {
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logs.push(chunk.toString('utf8')); done(); } });
    errand = await startErrand('erasure', { logger: pino({ level: 'debug' }, sink) });
    citizen = await errand.signIn('citizen-instant-approval');
    clerk = await errand.signIn('clerk-psb');
    auditor = await errand.signIn('auditor');
  });
  after(async () => errand?.stop());

  it('given a case with personal answers, an upload, a note and fetched evidence, then the events table holds none of those values in clear', async () => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    caseId = String(draft.body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo?fileName=${FILE_NAME}`, JPEG, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: ['housing'] })).status).to.equal(200);
    const note = `请上传租赁合同 ${MARK}`;
    const notice = await errand.api(clerk, 'POST', `/cases/${caseId}/supplement-request`, { items: [{ materialId: 'rental-contract', note }] });
    expect(notice.status, JSON.stringify(notice.body)).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/materials/rental-contract`, PDF, { 'Content-Type': 'application/pdf' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/supplement`, {})).status).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {})).status).to.equal(200);
    const view = await until('evidence in', async () => {
      const response = await errand.api(clerk, 'GET', `/cases/${caseId}`);
      return response.body.status === 'review' ? response : null;
    }, 60_000);
    const applicant = view.body.applicant as { id: string };
    const household = (view.body.evidence as Record<string, { fields: Record<string, unknown> | null }>)['household-registration']!.fields!;
    Object.assign(clear, {
      citizenId: applicant.id, phone: FORM.phone, address: FORM.residenceAddress, fileName: FILE_NAME, note,
      upload: `JFIF photo of the applicant ${MARK}`, contract: `rental contract ${MARK}`, evidenceName: String(household.name),
    });
    expect(clear.citizenId).to.match(/^\d{17}[\dX]$/);
    expect((view.body.form as Record<string, unknown>).phone).to.equal(FORM.phone);
    const approved = await errand.api(clerk, 'POST', `/cases/${caseId}/approve`, { reasons: ['ok'] });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/certificate`, {})).body).to.include({ status: 'closed' });

    const url = (errand.engine.config.eventStore as { url: string }).url;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const events = (await client.query<{ row: string }>('SELECT stream_id || data::text || metadata::text AS row FROM events')).rows.map((r) => r.row).join('\n');
      expect(events).to.include(caseId);
      const { upload: _u, contract: _c, ...inEvents } = clear;
      const where = (await client.query<{ row: string }>('SELECT stream_id, type, data::text, metadata::text FROM events')).rows.filter((r) => JSON.stringify(r).includes(clear.citizenId!));
      expect(findings(events, inEvents), `personal values in clear in the events table: ${JSON.stringify(where).slice(0, 1500)}`).to.deep.equal([]);
    } finally {
      await client.end();
    }
  });

  it('when the case is shredded, then every view, list, queue, trail and data-use log shows "erased" and no store holds a clear value', async () => {
    const stats = await until('the statistics count the approval', async () => {
      const response = await errand.api(auditor, 'GET', '/statistics');
      const text = JSON.stringify(response.body);
      return text.includes('residence-permit') && text.includes('"approved":1') ? response : null;
    });
    // The search itself works: before shredding, the read models (clear by design) and the uploads hold the values.
    const url = (errand.engine.config.eventStore as { url: string }).url;
    expect(findings(await rawDatabase(url), clear)).to.include.members(['phone', 'address', 'citizenId', 'upload']);
    expect(await rawRedis((errand.engine.config.queue as { prefix: string }).prefix)).to.include(caseId);
    // The holder showed a verifier the certificate, disclosing their name and ID number.
    const shown = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/certificate/document?disclose=holderName,holderId`, { headers: { Authorization: `Bearer ${citizen}` } });
    expect(shown.status).to.equal(200);
    const link = new URL((await pdfText(Buffer.from(await shown.arrayBuffer()))).links[0]!);
    const verifyShown = () => errand.api(null, 'GET', `/certificates/${link.searchParams.get('no')}/verify?t=${encodeURIComponent(link.searchParams.get('t')!)}`);
    expect(JSON.stringify((await verifyShown()).body)).to.include(clear.citizenId);
    const outcome = await errand.engine.shredder.shredCase(caseId, { reason: 'administrator' });
    expect(outcome.status).to.equal('shredded');
    // At once, not only after the read models' rebuild: the key store says the case is erased, and what was served
    // from the case view with personal values in it is no longer (the view keeps them until it is rebuilt).
    const verdict = await verifyShown();
    expect(verdict.body.disclosed).to.deep.equal({ holderName: ERASED, holderId: ERASED });
    expect(verdict.body.status, 'the non-personal fact stays').to.be.oneOf(['valid', 'expired', 'revoked']);
    expect((await errand.api(citizen, 'GET', `/cases/${caseId}/certificate`)).status).to.equal(404);
    expect((await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/certificate/document`, { headers: { Authorization: `Bearer ${citizen}` } })).status).to.equal(404);
    expect((await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/notices/acceptance`, { headers: { Authorization: `Bearer ${clerk}` } })).status).to.equal(404);
    expect(await errand.engine.shredder.shredCase(caseId, { reason: 'administrator' })).to.deep.equal({ status: 'nothing' });

    await until('every read model rebuilt', async () => {
      const states = await Promise.all(PERSONAL_READ_MODELS.map(async (name) => (await errand.engine.stores.readStore.getMeta(rebuildKey(name)))?.state));
      return states.every((s) => s === 'done') ? states : null;
    }, 120_000);
    const view = await errand.api(clerk, 'GET', `/cases/${caseId}`);
    expect(view.status).to.equal(200);
    expect(view.body.applicant).to.deep.include({ id: ERASED });
    expect(view.body.form).to.deep.include({ phone: ERASED, residenceAddress: ERASED, residenceReason: '就业' });
    expect(JSON.stringify(view.body.materials)).to.include(ERASED);

    const queue = await errand.api(clerk, 'GET', '/work-queue');
    expect(queue.status).to.equal(200);
    const trail = await errand.api(auditor, 'GET', `/audit/cases/${caseId}`);
    expect(trail.status).to.equal(200);
    expect(JSON.stringify(trail.body)).to.include(ERASED).and.include('SubjectKeysShredded');
    const mine = await errand.api(citizen, 'GET', '/cases');
    expect(mine.status).to.equal(200);
    expect((await errand.api(citizen, 'GET', '/me/data-use')).status).to.equal(200);
    const file = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/materials/photo/file`, { headers: { Authorization: `Bearer ${clerk}` } });
    expect(file.status).to.be.oneOf([404, 410]);

    // Wait out the rebuilds' drop of the versions they replaced before looking at the raw tables.
    const leftovers = await until('no clear value anywhere in the database', async () => {
      const found = findings(await rawDatabase(url), clear);
      return found.length === 0 ? found : null;
    }, 30_000).catch(async () => findings(await rawDatabase(url), clear));
    expect(leftovers, 'clear values in the database (events, read models, uploads, keys)').to.deep.equal([]);
    const prefix = (errand.engine.config.queue as { prefix: string }).prefix;
    expect(findings(await rawRedis(prefix), clear), 'clear values in Redis').to.deep.equal([]);
    expect(findings(logs.join(''), clear), 'clear values in the logs').to.deep.equal([]);

    const verify = await errand.api(auditor, 'GET', '/audit/verify');
    expect(verify.status).to.equal(200);
    expect(JSON.stringify(verify.body)).to.match(/"ok":true|"valid":true|"intact":true/);
    expect((await errand.engine.stores.eventStore.verifyLog!()).ok).to.equal(true);
    const after = await errand.api(auditor, 'GET', '/statistics');
    expect(after.body).to.deep.equal(stats.body);
  });
});
