import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { assembleHttp } from '../../api/assemble.ts';
import { startHttpServer } from '../../api/http/index.ts';
import { createEngine } from '../../runtime/engine.ts';
import { contentDisposition } from '../../api/routes/material-file.route.ts';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF a passport photo'), 0xff, 0xd9]);
const FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
const FILE_NAME = '证件照 photo.jpg';

describe('uploaded materials opened by the clerk, over HTTP (real PostgreSQL and Redis)', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let citizen: string;
  let caseId: string;
  let openapi: Record<string, unknown>;

  const download = (token: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${errand.baseUrl}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const fileOf = (materialId: string) => `/cases/${caseId}/materials/${materialId}/file`;
  const fileUses = async () => {
    const uses = await errand.api(citizen, 'GET', '/me/data-use');
    return (uses.body.items as Array<Record<string, unknown>>).filter((u) => u.channel === 'material-file' && u.caseId === caseId);
  };

  before(async () => {
    errand = await startErrand('material_file');
    citizen = await errand.signIn('citizen-instant-approval');
    openapi = await errand.openapi();
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM });
    caseId = String(draft.body.caseId);
    const upload = await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo?fileName=${encodeURIComponent(FILE_NAME)}`, PHOTO, { 'Content-Type': 'image/jpeg' });
    expect(upload.status, JSON.stringify(upload.body)).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, { explicitRequests: [] })).status).to.equal(200);
  });
  after(async () => errand?.stop());

  it('the case view names the uploaded file: name, media type, size and hash', async () => {
    const view = await until('the upload in the case view', async () => {
      const response = await errand.api(citizen, 'GET', `/cases/${caseId}`);
      return (response.body.materials as Record<string, { file?: unknown }>).photo?.file ? response : null;
    });
    const file = (view.body.materials as Record<string, { file: Record<string, unknown> }>).photo!.file;
    expect(file).to.include({ fileName: FILE_NAME, mediaType: 'image/jpeg', size: PHOTO.length });
    expect(file.sha256).to.match(/^[0-9a-f]{64}$/);
    // The timeline is served with its facts and an English line made from them.
    const uploaded = (view.body.timeline as Array<Record<string, unknown>>).find((entry) => entry.type === 'MaterialUploaded');
    expect(uploaded).to.deep.include({ facts: { materialId: 'photo' }, summary: 'Material photo uploaded', by: 'citizen' });
  });

  it('the PSB clerk gets the bytes as uploaded, as an attachment that is never sniffed or run, and the applicant sees that use of their data', async () => {
    const clerk = await errand.signIn('clerk-psb');
    const response = await download(clerk, fileOf('photo'));
    expect(response.status).to.equal(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PHOTO)).to.equal(true);
    expect(response.headers.get('content-type')).to.equal('image/jpeg');
    expect(response.headers.get('content-disposition')).to.equal(contentDisposition(FILE_NAME));
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('content-security-policy')).to.equal("default-src 'none'; sandbox");
    const documented = (openapi.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)['/cases/{caseId}/materials/{materialId}/file'];
    expect(documented?.get?.responses['200']?.content).to.deep.equal({ '*/*': { schema: { type: 'string', format: 'binary' } } });

    const uses = await until('the download in the data-use log', async () => ((await fileUses()).length === 1 ? fileUses() : null));
    expect(uses[0]).to.deep.include({ department: 'PSB', purpose: 'handling the case', fields: ['material:photo'], result: 'granted' });

    // Opening it again with the ETag of the copy held reads nothing, so nothing more is logged.
    const again = await download(clerk, fileOf('photo'), { 'If-None-Match': response.headers.get('etag')! });
    expect(again.status).to.equal(304);
    await errand.api(citizen, 'GET', `/cases/${caseId}`);
    expect(await fileUses()).to.have.length(1);
  });

  it('the applicant may download their own upload, and that is not logged as a use by someone else', async () => {
    const response = await download(citizen, fileOf('photo'));
    expect(response.status).to.equal(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(PHOTO)).to.equal(true);
    expect(await fileUses()).to.have.length(1);
  });

  it('given a second API process on the same database, then it serves the file the first one stored: files live in PostgreSQL, not under DATA_DIR', async () => {
    const second = await createEngine(errand.engine.config);
    const server = await startHttpServer(assembleHttp(second).app, { port: 0, host: '127.0.0.1' });
    try {
      expect(second.uploads.kind).to.equal('postgres');
      const clerk = await errand.signIn('clerk-psb');
      const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${fileOf('photo')}`, { headers: { Authorization: `Bearer ${clerk}` } });
      expect(response.status).to.equal(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(PHOTO)).to.equal(true);
      expect(existsSync(join(errand.engine.config.dataDir, 'uploads'))).to.equal(false);
      // That download was a use of the applicant's data as well, logged by the second process.
      await until('the second download in the data-use log', async () => ((await fileUses()).length === 2 ? true : null));
    } finally {
      await server.close();
      await second.stop();
    }
  });

  it('answers 404 problems to a clerk of another department, another citizen, a material with no upload and an unknown case', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [await errand.signIn('clerk-amr'), fileOf('photo'), /was not found/],
      [await errand.signIn('citizen-homeowner'), fileOf('photo'), /was not found/],
      [citizen, fileOf('rental-contract'), /no file has been uploaded for material "rental-contract"/],
      [citizen, `/cases/00000000-0000-4000-8000-000000000000/materials/photo/file`, /was not found/],
    ];
    for (const [token, path, detail] of cases) {
      const response = await download(token, path);
      expect(response.status, path).to.equal(404);
      expect(response.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(((await response.json()) as { detail: string }).detail).to.match(detail);
    }
    expect((await fetch(`${errand.baseUrl}/api/v1${fileOf('photo')}`)).status).to.equal(401);
    // None of the refusals was logged as a use. Uses of one applicant's data are projected in order, so once a later,
    // granted download shows, anything logged before it would show too.
    expect((await download(await errand.signIn('clerk-psb'), fileOf('photo'))).status).to.equal(200);
    const uses = await until('the marker download in the data-use log', async () => {
      const found = await fileUses();
      return found.length >= 3 ? found : null;
    });
    expect(uses).to.have.length(3);
    expect(uses.map((u) => u.department)).to.deep.equal(['PSB', 'PSB', 'PSB']);
  });

  it("an erased case's file is not served, though another case that stored the same bytes keeps it", async () => {
    const clerk = await errand.signIn('clerk-psb');
    const other = String((await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: FORM })).body.caseId);
    expect((await errand.api(citizen, 'POST', `/cases/${other}/materials/photo?fileName=${encodeURIComponent(FILE_NAME)}`, PHOTO, { 'Content-Type': 'image/jpeg' })).status).to.equal(200);
    expect((await errand.api(citizen, 'POST', `/cases/${other}/submit`, { explicitRequests: [] })).status).to.equal(200);
    expect((await errand.engine.shredder.shredCase(caseId, { reason: 'administrator' })).status).to.equal('shredded');
    const erased = await download(clerk, fileOf('photo'));
    expect(erased.status).to.equal(404);
    expect(Buffer.from(await erased.arrayBuffer()).includes(PHOTO)).to.equal(false);
    const kept = await download(clerk, `/cases/${other}/materials/photo/file`);
    expect(kept.status).to.equal(200);
    expect(Buffer.from(await kept.arrayBuffer()).equals(PHOTO)).to.equal(true);
  });
});
