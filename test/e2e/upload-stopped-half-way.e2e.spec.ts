import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区3号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138003' };
const JPEG_START = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * An upload stores the file, then records it on the case. A process stopped between the two leaves a file that no
 * event of the case names; it is still the applicant's data, so erasing the case must delete it with the others.
 * The stop is simulated by an upload store that stores the bytes and then fails, so the event is never appended.
 */
for (const [name, embedded] of [['PostgreSQL', false], ['embedded: files under DATA_DIR', true]] as const) describe(`an upload stopped between storing the file and recording it (${name})`, function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let citizen: string;
  let admin: string;

  before(async () => {
    errand = await startErrand('upload-half-way', { embedded });
    expect(errand.engine.uploads.kind).to.equal(embedded ? 'filesystem' : 'postgres');
    citizen = await errand.signIn('citizen-instant-approval');
    admin = await errand.signIn('admin');
  });
  after(async () => errand?.stop());

  it('given a file stored for a case whose upload was never recorded, when the ended case is erased on request, then that file is deleted too', async () => {
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    const caseId = String(draft.body.caseId);
    const upload = (body: Buffer) => errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo`, body, { 'Content-Type': 'image/jpeg' }, { contract: false });

    const recorded = Buffer.concat([JPEG_START, Buffer.alloc(3000, 11)]);
    expect((await upload(recorded)).status).to.equal(200);
    const uploads = errand.engine.uploads;
    const put = uploads.put.bind(uploads);
    const orphan = Buffer.concat([JPEG_START, Buffer.alloc(4000, 12)]);
    uploads.put = async (...args: Parameters<typeof put>) => {
      await put(...args);
      throw new Error('process stopped after storing the file');
    };
    try {
      expect((await upload(orphan)).status).to.equal(500);
    } finally {
      uploads.put = put;
    }
    expect(await uploads.get(sha256(orphan)), 'the stopped upload stored its bytes').to.not.equal(null);
    const events = await errand.engine.stores.eventStore.readStream(`case-${caseId}`);
    expect(events.filter((e) => e.type === 'MaterialUploaded').map((e) => e.data.sha256)).to.deep.equal([sha256(recorded)]);

    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/withdraw`, { reason: '不再需要' })).status).to.equal(200);
    const asked = await errand.api(citizen, 'POST', '/erasure-requests', { caseIds: [caseId], reason: '请删除我的个人信息' });
    expect(asked.status, JSON.stringify(asked.body)).to.equal(201);
    const decided = await errand.api(admin, 'POST', `/admin/erasure-requests/${String(asked.body.requestId)}/decision`, { decision: 'accepted', explanation: 'purpose achieved' });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(200);
    expect(decided.body.erased).to.deep.equal([caseId]);

    expect(await uploads.get(sha256(recorded)), 'the recorded file').to.equal(null);
    expect(await uploads.get(sha256(orphan)), 'the file no event names').to.equal(null);
  });
});
