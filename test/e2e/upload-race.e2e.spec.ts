import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区5号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138005' };
/** A JPEG's first bytes, then a body large enough that both requests are checked before either is recorded. */
const JPEG = (fill: number, size = 300_000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size, fill)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const ROUNDS = 4;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Two uploads sent at once under one If-Match: both pass the check made before the body is read, both files are
 * stored, and only one is recorded; the other is refused at its append (409, the case moved). Neither the refused
 * file nor any record of it may stay in the store, and the accepted one, the same bytes included, must.
 */
for (const [name, embedded] of [['PostgreSQL', false], ['embedded: files under DATA_DIR', true]] as const) describe(`two uploads sent at once under one If-Match (${name})`, function () {
  this.timeout(180_000);
  let errand: RunningErrand;
  let citizen: string;
  let db: pg.Client | null = null;

  /** Where the raw store holds these bytes (rows, files, or marks named by their hash): empty when nowhere. */
  const traces = async (bytes: Buffer): Promise<string[]> => {
    const hash = sha256(bytes);
    if (db) {
      const files = await db.query<{ sha256: string }>('SELECT sha256 FROM uploads WHERE position($1::bytea IN bytes) > 0', [bytes]);
      const holds = await db.query<{ case_id: string }>('SELECT case_id FROM upload_cases WHERE sha256 = $1', [hash]);
      return [...files.rows.map((row) => `uploads ${row.sha256}`), ...holds.rows.map((row) => `upload_cases ${row.case_id}`)];
    }
    const found: string[] = [];
    for (const file of await filesUnder(join(errand.engine.config.dataDir, 'uploads'))) {
      if (file.includes(hash) || (await readFile(file)).includes(bytes)) found.push(file);
    }
    return found;
  };
  const draft = async () => {
    const created = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    return { caseId: String(created.body.caseId), etag: created.headers.get('etag')! };
  };
  const race = (caseId: string, etag: string, sends: Array<[string, Buffer]>) =>
    Promise.all(sends.map(([materialId, body]) => errand.api(citizen, 'POST', `/cases/${caseId}/materials/${materialId}`, body, { 'Content-Type': 'image/jpeg', 'If-Match': etag })));

  before(async () => {
    errand = await startErrand('upload-race', { embedded });
    expect(errand.engine.uploads.kind).to.equal(embedded ? 'filesystem' : 'postgres');
    const events = errand.engine.config.eventStore;
    if (!embedded && events.kind === 'postgres') {
      db = new pg.Client({ connectionString: events.url });
      await db.connect();
    }
    citizen = await errand.signIn('citizen-instant-approval');
  });
  after(async () => {
    await db?.end();
    await errand?.stop();
  });

  it('given two different files, when uploaded at once under one If-Match, then one is recorded, the other refused with 409, and no byte or mark of the refused one is left in the store', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { caseId, etag } = await draft();
      const files = [JPEG(2 * round + 1), JPEG(2 * round + 2)];
      const sent = await race(caseId, etag, [['photo', files[0]!], ['photo', files[1]!]]);
      expect(sent.map((r) => r.status).sort(), JSON.stringify(sent.map((r) => r.body))).to.deep.equal([200, 409]);
      const refused = files[sent.findIndex((r) => r.status === 409)]!;
      const kept = files[sent.findIndex((r) => r.status === 200)]!;
      expect(await traces(refused), `round ${round}: the refused file is still stored`).to.deep.equal([]);
      expect(await traces(kept), `round ${round}: the recorded file`).to.not.deep.equal([]);
      expect((await errand.engine.uploads.get(sha256(kept)))?.equals(kept)).to.equal(true);
    }
  });

  it('given the same file uploaded at once under one If-Match to one material and to another, then the refused upload leaves the recorded one\'s file in place, downloadable', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { caseId, etag } = await draft();
      const same = JPEG(100 + round);
      const other = round % 2 === 0 ? 'photo' : 'rental-contract';
      const sent = await race(caseId, etag, [['photo', same], [other, same]]);
      expect(sent.map((r) => r.status).sort(), JSON.stringify(sent.map((r) => r.body))).to.deep.equal([200, 409]);
      const materialId = sent[0]!.status === 200 ? 'photo' : other;
      const file = await fetch(`${errand.baseUrl}/api/v1/cases/${caseId}/materials/${materialId}/file`, { headers: { Authorization: `Bearer ${citizen}` } });
      expect(file.status, `round ${round}`).to.equal(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(same), `round ${round}: the recorded file`).to.equal(true);
    }
  });
});
