import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { startErrand, type RunningErrand } from '../support/http-engine.ts';

const FORM = { residenceAddress: '深圳市福田区6号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138006' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a photo, really a PNG')]);
const PDF = Buffer.from('%PDF-1.4\n% a scanned social insurance record\n%%EOF\n');
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a material takes is its declared list of media types (for evidence uploaded in place of a fetched record,
 * PDF, JPEG and PNG unless the service names others), and the file's own first bytes must bear out the type it was
 * sent as: the Content-Type header alone is the sender's word. A refusal names what is accepted and stores nothing.
 */
describe('uploads are checked against the media types their material accepts, by their content', function () {
  this.timeout(90_000);
  let errand: RunningErrand;
  let citizen: string;
  let caseId: string;

  const upload = (materialId: string, body: Buffer, mediaType: string) =>
    errand.api(citizen, 'POST', `/cases/${caseId}/materials/${materialId}`, body, { 'Content-Type': mediaType });
  const uploadedEvents = async () =>
    (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).filter((e) => e.type === 'MaterialUploaded').length;

  before(async () => {
    errand = await startErrand('media-types');
    citizen = await errand.signIn('citizen-instant-approval');
    caseId = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
  });
  after(async () => errand?.stop());

  const mismatches: Array<[string, string, Buffer, string, RegExp]> = [
    ['an HTML page sent as a JPEG photo', 'photo', HTML, 'image/jpeg', /sent as image\/jpeg but its content does not start as image\/jpeg does; material "photo" accepts image\/jpeg, image\/png/],
    ['a PNG sent as a JPEG photo', 'photo', PNG, 'image/jpeg', /sent as image\/jpeg but its content is a PNG image; material "photo" accepts image\/jpeg, image\/png/],
    ['an executable sent as a PDF in place of evidence', 'social-insurance', EXE, 'application/pdf', /sent as application\/pdf but its content does not start as application\/pdf does; material "social-insurance" accepts application\/pdf, image\/jpeg, image\/png/],
  ];
  for (const [what, materialId, body, mediaType, detail] of mismatches) {
    it(`given ${what}, when uploaded, then 415 problem+json naming the accepted media types, and nothing is stored or recorded`, async () => {
      const before = await uploadedEvents();
      const response = await upload(materialId, body, mediaType);
      expect(response.status, JSON.stringify(response.body)).to.equal(415);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(response.body.type).to.equal('urn:errand:problem:unsupported-media-type');
      expect(String(response.body.detail)).to.match(detail);
      expect(response.body.acceptedMediaTypes).to.deep.equal(materialId === 'photo' ? ['image/jpeg', 'image/png'] : ['application/pdf', 'image/jpeg', 'image/png']);
      expect(JSON.stringify(response.body)).to.not.match(/\n\s+at /);
      expect(await errand.engine.uploads.get(sha256(body))).to.equal(null);
      expect(await uploadedEvents()).to.equal(before);
    });
  }

  it('given evidence uploaded in its place as a media type outside the default list, when uploaded, then 422 naming PDF, JPEG and PNG, and nothing is stored', async () => {
    const gif = Buffer.from('GIF89a a scanned record');
    const response = await upload('social-insurance', gif, 'image/gif');
    expect(response.status, JSON.stringify(response.body)).to.equal(422);
    expect(String(response.body.detail)).to.include('material "social-insurance" accepts application/pdf, image/jpeg, image/png, not image/gif');
    expect(await errand.engine.uploads.get(sha256(gif))).to.equal(null);
  });

  it('given files whose content is what they are sent as, when uploaded, then each is recorded and stored', async () => {
    for (const [materialId, body, mediaType] of [['photo', PNG, 'image/png'], ['social-insurance', PDF, 'application/pdf']] as const) {
      const response = await upload(materialId, body, mediaType);
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
      expect((await errand.engine.uploads.get(sha256(body)))?.equals(body)).to.equal(true);
    }
  });

  it('given a genuine JPEG sent as image/pjpeg (another name browsers use), when uploaded, then it is accepted and recorded as image/jpeg', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`a photo ${Date.now()}`), Buffer.from([0xff, 0xd9])]);
    const response = await upload('photo', jpeg, 'image/pjpeg');
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    const recorded = (await errand.engine.stores.eventStore.readStream(`case-${caseId}`)).find((event) => event.type === 'MaterialUploaded' && event.data.sha256 === sha256(jpeg));
    expect(recorded?.data.mediaType).to.equal('image/jpeg');
  });
});
