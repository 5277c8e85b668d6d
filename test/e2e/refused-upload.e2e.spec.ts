import { createHash } from 'node:crypto';
import { expect } from 'chai';
import pg from 'pg';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
/** A JPEG's first bytes, then filler: the content bears out the media type it is sent as. */
const JPEG = (size: number, fill: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, fill)]);

/**
 * Check first, store after: an upload refused for any reason leaves no byte in the upload store. Each refusal is
 * tried with a body large enough that storing it would show, and the stored rows and bytes are counted around it.
 */
describe('a refused upload stores nothing', function () {
  this.timeout(90_000);
  let errand: RunningErrand;
  let db: pg.Client;
  let owner: string;
  let stranger: string;
  let clerk: string;
  let draftId: string;

  const stored = async () => {
    const { rows } = await db.query<{ n: string; bytes: string }>('SELECT count(*) AS n, coalesce(sum(size), 0) AS bytes FROM uploads');
    return { files: Number(rows[0]!.n), bytes: Number(rows[0]!.bytes) };
  };
  const upload = (token: string, caseId: string, materialId: string, body: Buffer, mediaType = 'image/jpeg') =>
    errand.api(token, 'POST', `/cases/${caseId}/materials/${materialId}`, body, { 'Content-Type': mediaType });

  before(async () => {
    errand = await startErrand('refused-upload');
    const events = errand.engine.config.eventStore;
    if (events.kind !== 'postgres') throw new Error('this suite counts the PostgreSQL upload store');
    db = new pg.Client({ connectionString: events.url });
    await db.connect();
    owner = await errand.signIn('citizen-instant-approval');
    stranger = await errand.signIn('citizen-address-conflict');
    clerk = await errand.signIn('clerk-psb');
    draftId = String((await errand.api(owner, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    // One accepted upload, so the table exists and the counts below start from a known, non-empty state.
    expect((await upload(owner, draftId, 'photo', JPEG(1000, 7))).status).to.equal(200);
  });
  after(async () => {
    await db?.end();
    await errand?.stop();
  });

  const refusals: Array<[string, () => Promise<{ status: number }>, number]> = [
    ["a stranger's upload to someone else's case", () => upload(stranger, draftId, 'photo', JPEG(900_000, 1)), 404],
    ['a clerk uploading to a citizen case', () => upload(clerk, draftId, 'photo', JPEG(900_000, 2)), 403],
    ['an unknown case', () => upload(owner, '00000000-0000-4000-8000-000000000000', 'photo', JPEG(900_000, 3)), 404],
    ['an unknown material id', () => upload(owner, draftId, 'no-such-material', JPEG(900_000, 4)), 422],
    ['a media type the material does not accept', () => upload(owner, draftId, 'photo', JPEG(900_000, 5), 'image/gif'), 422],
    ['a body over the material\'s size limit', () => upload(owner, draftId, 'photo', JPEG(2_200_000, 6)), 413],
    ['a file whose content is not the JPEG it is sent as (a PDF)', () => upload(owner, draftId, 'photo', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(900_000, 13)])), 415],
    ['evidence uploaded in its place as a media type it does not accept', () => upload(owner, draftId, 'social-insurance', JPEG(900_000, 14), 'image/gif'), 422],
    ['evidence uploaded in its place whose content is not the PDF it is sent as', () => upload(owner, draftId, 'social-insurance', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(900_000, 15)]), 'application/pdf'), 415],
  ];
  for (const [reason, send, status] of refusals) {
    it(`given ${reason}, when uploaded, then it is refused with ${status} and no byte is stored`, async () => {
      const before = await stored();
      const response = await send();
      expect(response.status).to.equal(status);
      expect(await stored()).to.deep.equal(before);
    });
  }

  it('given a case whose state no longer takes uploads, when uploaded, then 409 and no byte is stored', async () => {
    const caseId = String((await errand.api(owner, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    expect((await errand.api(owner, 'POST', `/cases/${caseId}/withdraw`, {})).status).to.equal(200);
    const before = await stored();
    const response = await upload(owner, caseId, 'photo', JPEG(900_000, 8));
    expect(response.status).to.equal(409);
    expect(await stored()).to.deep.equal(before);
  });

  it('given an accepted upload, when retried with the same Idempotency-Key, then it is answered as before and stored once', async () => {
    const body = JPEG(5000, 9);
    const first = await errand.api(owner, 'POST', `/cases/${draftId}/materials/photo`, body, { 'Content-Type': 'image/jpeg', 'Idempotency-Key': 'photo-once-1' });
    expect(first.status).to.equal(200);
    const after = await stored();
    const again = await errand.api(owner, 'POST', `/cases/${draftId}/materials/photo`, body, { 'Content-Type': 'image/jpeg', 'Idempotency-Key': 'photo-once-1' });
    expect(again.status).to.equal(200);
    expect(again.body.replayed).to.equal(true);
    expect(await stored()).to.deep.equal(after);
  });

  it('given two uploads sent at once under one Idempotency-Key with different files, then one is stored and the other refused (422) with no byte of it stored', async () => {
    const files = [JPEG(6000, 21), JPEG(6000, 22)];
    const sent = await Promise.all(files.map((body) => errand.api(owner, 'POST', `/cases/${draftId}/materials/photo`, body, { 'Content-Type': 'image/jpeg', 'Idempotency-Key': 'photo-race-1' })));
    expect(sent.map((r) => r.status).sort(), JSON.stringify(sent.map((r) => r.body))).to.deep.equal([200, 422]);
    const refused = files[sent.findIndex((r) => r.status === 422)]!;
    const kept = files[sent.findIndex((r) => r.status === 200)]!;
    const hash = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(await errand.engine.uploads.get(hash(refused))).to.equal(null);
    expect((await errand.engine.uploads.get(hash(kept)))?.equals(kept)).to.equal(true);
  });
});
