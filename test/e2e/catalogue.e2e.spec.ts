import { expect } from 'chai';
import { startErrand, until, type RunningErrand } from '../support/http-engine.ts';

type Json = Record<string, unknown>;
type File = { name: string; content: string };

const RESIDENCE_FORM = { residenceAddress: '深圳市南山区粤海街道科技园1号', residenceSince: '2025-06-01', residenceReason: '就业', phone: '13800138000' };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('JFIF'), 0xff, 0xd9]);

describe('the catalogue as data the city runs: seeded store, review, publication, import and export over HTTP', function () {
  this.timeout(120_000);
  let errand: RunningErrand;
  let admin: string;
  let reviewer: string;

  before(async () => {
    errand = await startErrand('catalogue');
    admin = await errand.signIn('admin');
    reviewer = await errand.signIn('admin-reviewer');
  });
  after(async () => errand?.stop());

  const exportFiles = async (): Promise<File[]> => {
    const response = await errand.api(admin, 'GET', '/admin/catalogue-export');
    expect(response.status).to.equal(200);
    return response.body.files as File[];
  };
  const catalogueState = async () => ({
    services: (await errand.api(admin, 'GET', '/admin/catalogue/services')).body,
    data: (await errand.api(admin, 'GET', '/admin/catalogue/data-catalogue/data-catalogue')).body,
    audit: ((await errand.api(admin, 'GET', '/admin/catalogue-audit?limit=1000')).body.items as Json[]).length,
    head: await errand.engine.stores.catalogueStore.head(),
  });

  it('a first start seeds the store from the bundled files, audited as the system, and serves it', async () => {
    const services = (await errand.api(admin, 'GET', '/admin/catalogue/services')).body.items as Json[];
    expect(services.length).to.be.greaterThan(5);
    expect(services.find((s) => s.id === 'residence-permit')).to.include({ published: 1, open: null });
    const audit = (await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=catalogue')).body.items as Json[];
    expect(audit[0]).to.deep.include({ action: 'seeded', actor: { kind: 'system', id: 'errand' } });
    expect((await errand.api(null, 'GET', '/services')).body.items).to.have.length(services.length);
  });

  it('a draft is validated field by field, approved by another administrator only, and published only after a dry run or an audited override', async () => {
    const current = (await errand.api(null, 'GET', '/services/individual-business-licence')).body as Json & { version: number; limits: Json };
    const path = '/admin/catalogue/services/individual-business-licence';
    const bad = await errand.api(admin, 'PUT', `${path}/draft`, { ...current, version: current.version + 1, department: 'NOPE', limits: { ...current.limits, promisedDays: 'soon' } });
    expect(bad.status).to.equal(422);
    const fields = (bad.body.errors as Json[]).map((e) => [e.file, e.field]);
    expect(fields).to.deep.include([`services/individual-business-licence.v${current.version + 1}.json`, 'department']);
    expect(fields).to.deep.include([`services/individual-business-licence.v${current.version + 1}.json`, 'limits.promisedDays']);
    expect((await errand.api(admin, 'PUT', `${path}/draft`, { ...current })).status, 'a version not above the one in force').to.equal(422);
    // Past what a version column holds: a clear 422 naming the field, not a 500 from the store.
    const huge = await errand.api(admin, 'PUT', `${path}/draft`, { ...current, version: 3_000_000_000 });
    expect(huge.status, JSON.stringify(huge.body)).to.equal(422);
    expect((huge.body.errors as Json[]).map((e) => e.field)).to.include('version');

    const next = { ...current, version: current.version + 1, limits: { ...current.limits, promisedDays: Math.max(1, Number(current.limits.promisedDays) - 1) } };
    const draft = await errand.api(admin, 'PUT', `${path}/draft`, next);
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    expect(draft.body).to.include({ status: 'draft', version: next.version, updatedBy: 'admin:admin-1' });
    const version = `${path}/versions/${next.version}`;
    expect((await errand.api(admin, 'POST', `${version}/publish`, {})).status, 'a draft is not published').to.equal(409);
    const own = await errand.api(admin, 'POST', `${version}/approve`, {});
    expect(own.status).to.equal(409);
    expect(own.body.reason).to.equal('four-eyes');
    expect((await errand.api(reviewer, 'POST', `${version}/approve`, {})).body).to.include({ status: 'approved' });
    const unrun = await errand.api(admin, 'POST', `${version}/publish`, {});
    expect(unrun.status).to.equal(409);
    expect(unrun.body.reason).to.equal('dry-run-required');
    expect((await errand.api(null, 'GET', '/services/individual-business-licence')).body).to.include({ version: current.version });
    const published = await errand.api(admin, 'POST', `${version}/publish`, { override: { reason: 'statutory change in force tomorrow' } });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    expect((await errand.api(null, 'GET', '/services/individual-business-licence')).body).to.include({ version: next.version });
    expect((await errand.api(null, 'GET', `/services/individual-business-licence?version=${current.version}`)).body).to.include({ version: current.version });
    const trail = ((await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=service&id=individual-business-licence')).body.items as Json[]).map((a) => [a.action, (a.actor as Json).id]);
    expect(trail).to.deep.equal([['draft-saved', 'admin-1'], ['approved', 'admin-2'], ['publish-override', 'admin-1']]);
    const versions = (await errand.api(admin, 'GET', path)).body.items as Json[];
    expect(versions.map((v) => [v.version, v.status])).to.deep.equal([[current.version, 'published'], [next.version, 'published']]);
    expect((await errand.api(admin, 'PUT', `${path}/draft`, next)).status, 'a published version never changes').to.equal(422);
  });

  it('an import with errors lists every one by file and field and changes nothing', async () => {
    const files = await exportFiles();
    const before = await catalogueState();
    const edited = files.map((f): File => {
      if (f.name === 'services/residence-permit.v1.json') return { name: 'services/residence-permit.v2.json', content: JSON.stringify({ ...JSON.parse(f.content), version: 2, coReviewers: ['NOWHERE'] }) };
      if (f.name.startsWith('services/social-insurance-certificate.')) return { name: 'services/social-insurance-certificate.v7.json', content: f.content };
      return f;
    });
    edited.push({ name: 'services/broken.v1.json', content: '{ "id": "broken", ' });
    edited.push({ name: 'services/individual-business-licence.v1.json', content: JSON.stringify({ ...JSON.parse(files.find((f) => f.name === 'services/individual-business-licence.v1.json')!.content), legalBasis: 'rewritten' }) });
    edited.push({ name: 'notes.txt', content: 'hello' });
    edited.push({ name: 'services/residence-permit.v3000000000.json', content: JSON.stringify({ ...JSON.parse(files.find((f) => f.name === 'services/residence-permit.v1.json')!.content), version: 3_000_000_000 }) });
    const refused = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'moving the staging catalogue to production', files: edited });
    expect(refused.status).to.equal(422);
    const errors = (refused.body.errors as Json[]).map((e) => [e.file, e.field]);
    expect(errors).to.deep.include(['services/residence-permit.v2.json', 'coReviewers[0]']);
    expect(errors).to.deep.include(['services/social-insurance-certificate.v7.json', 'version']);
    expect(errors).to.deep.include(['services/broken.v1.json', '(file)']);
    expect(errors).to.deep.include(['notes.txt', '(file)']);
    expect(errors.some(([file]) => file === 'services/residence-permit.v3000000000.json'), JSON.stringify(errors)).to.equal(true);
    expect(errors.filter(([file]) => file === 'services/individual-business-licence.v1.json'), 'a duplicate file name').to.have.length(1);
    expect(await catalogueState()).to.deep.equal(before);
    expect((await errand.api(null, 'GET', '/services/residence-permit')).body).to.include({ version: 1 });

    // A valid file set that would rewrite a published version is refused too, naming the file.
    const rewritten = files.map((f) => (f.name === 'services/residence-permit.v1.json' ? { ...f, content: JSON.stringify({ ...JSON.parse(f.content), legalBasis: 'changed in place' }) } : f));
    const history = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'moving the staging catalogue to production', files: rewritten });
    expect(history.status).to.equal(422);
    expect((history.body.errors as Json[]).map((e) => e.file)).to.deep.equal(['services/residence-permit.v1.json']);
    expect(await catalogueState()).to.deep.equal(before);
  });

  it('an export imported again changes nothing; an import with a new version publishes it, audited with its reason', async () => {
    const files = await exportFiles();
    expect(files[0]!.name).to.equal('data-catalogue.json');
    const same = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'round trip of the export', files });
    expect(same.body).to.include({ unchanged: true });
    const residence = JSON.parse(files.find((f) => f.name === 'services/residence-permit.v1.json')!.content) as Json;
    const v2 = { ...residence, version: 2, legalBasis: `${String(residence.legalBasis)} (2027)` };
    const imported = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'the 2027 catalogue from staging', files: [...files, { name: 'services/residence-permit.v2.json', content: JSON.stringify(v2, null, 2) }] });
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    expect(imported.body.published).to.deep.equal(['service:residence-permit@2']);
    expect((await errand.api(null, 'GET', '/services/residence-permit')).body).to.include({ version: 2 });
    const last = ((await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=catalogue&limit=1')).body.items as Json[])[0]!;
    expect(last).to.deep.include({ action: 'imported', actor: { kind: 'admin', id: 'admin-1' } });
    expect((last.details as Json).reason).to.equal('the 2027 catalogue from staging');
  });

  it('a data item is changed through a data catalogue draft; one that would strand a service in force is refused naming it', async () => {
    const data = ((await errand.api(admin, 'GET', '/admin/catalogue/data-catalogue/data-catalogue')).body.items as Json[]).at(-1)!.body as { items: Json[] };
    const used = data.items.find((i) => i.id === 'household-registration')!;
    const narrowed = await errand.api(admin, 'PUT', '/admin/data-items/household-registration', { ...used, sharing: 'not_shared', allowedServices: undefined, allowedDepartments: undefined });
    expect(narrowed.status).to.equal(422);
    expect((narrowed.body.errors as Json[]).some((e) => String(e.file).startsWith('services/'))).to.equal(true);
    const dept = await errand.api(admin, 'PUT', '/admin/departments/SPORT', { name: { 'zh-CN': '体育局', en: 'Sports Bureau' } });
    expect(dept.status, JSON.stringify(dept.body)).to.equal(200);
    expect(dept.body).to.include({ kind: 'data-catalogue', status: 'draft', version: 2 });
    expect((await errand.api(reviewer, 'POST', '/admin/catalogue/data-catalogue/data-catalogue/versions/2/approve', {})).status).to.equal(200);
    expect((await errand.api(reviewer, 'POST', '/admin/catalogue/data-catalogue/data-catalogue/versions/2/publish', {})).status).to.equal(200);
    expect(((await errand.api(null, 'GET', '/data-catalogue')).body.departments as Json[]).some((d) => d.code === 'SPORT')).to.equal(true);
  });

  it('a clerk\'s recorded duties decide what the clerk may do, whatever the token says, until they are removed', async () => {
    const clerk = await errand.signIn('clerk-psb'); // the token says intake, reviewer, approver at PSB
    const citizen = await errand.signIn('citizen-homeowner');
    const draft = await errand.api(citizen, 'POST', '/cases', { serviceId: 'residence-permit', form: RESIDENCE_FORM });
    const caseId = String(draft.body.caseId);
    await errand.api(citizen, 'POST', `/cases/${caseId}/materials/photo?fileName=photo.jpg`, JPEG, { 'Content-Type': 'image/jpeg' });
    expect((await errand.api(citizen, 'POST', `/cases/${caseId}/submit`, {})).status).to.equal(200);

    expect((await errand.api(admin, 'PUT', '/admin/duties/clerk-psb', { department: 'NOPE', roles: ['intake'] })).status).to.equal(422);
    expect((await errand.api(admin, 'PUT', '/admin/duties/clerk-psb', { department: 'ERRAND', roles: ['intake'] })).status).to.equal(422);
    const set = await errand.api(admin, 'PUT', '/admin/duties/clerk-psb', { department: 'PSB', roles: ['reviewer'], name: 'PSB reviewer' });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {})).status, 'intake withdrawn').to.equal(403);
    expect(((await errand.api(admin, 'GET', '/admin/duties')).body.items as Json[]).map((d) => [d.staffId, d.roles])).to.deep.equal([['clerk-psb', ['reviewer']]]);
    expect((await errand.api(admin, 'DELETE', '/admin/duties/clerk-psb')).status).to.equal(204);
    expect((await errand.api(admin, 'DELETE', '/admin/duties/clerk-psb')).status).to.equal(404);
    expect((await errand.api(clerk, 'POST', `/cases/${caseId}/accept`, {})).status, 'the token decides again').to.equal(200);
    const trail = ((await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=duties')).body.items as Json[]).map((a) => a.action);
    expect(trail).to.deep.equal(['duties-set', 'duties-removed']);
  });

  it('holiday arrangements live in the store: the bundled year is there, and a new year is drafted, approved and published through the API', async () => {
    const calendars = (await errand.api(admin, 'GET', '/admin/catalogue/calendars')).body.items as Json[];
    expect(calendars.find((c) => c.id === 'CN-2026')).to.include({ published: 1 });
    const seeded = ((await errand.api(admin, 'GET', '/admin/catalogue-audit?kind=calendar')).body.items as Json[]).map((a) => [a.action, (a.actor as Json).id]);
    expect(seeded).to.deep.include(['calendar-file-published', 'calendar-dir']);
    expect(errand.engine.calendar('CN').isProvisional('2027-01-04')).to.equal(true);
    const cn2027 = { region: 'CN', year: 2027, source: 'test arrangement', holidays: [{ name: { 'zh-CN': '元旦', en: "New Year's Day" }, from: '2027-01-01', to: '2027-01-04', makeUpWorkingDays: [] }] };
    const wrong = await errand.api(admin, 'PUT', '/admin/catalogue/calendars/CN-2028/draft', cn2027);
    expect(wrong.status).to.equal(422);
    expect((wrong.body.errors as Json[])[0]).to.include({ file: 'calendars/CN-2028.json', field: 'year' });
    expect((await errand.api(admin, 'PUT', '/admin/catalogue/calendars/CN-2027/draft', cn2027)).status).to.equal(200);
    expect((await errand.api(reviewer, 'POST', '/admin/catalogue/calendars/CN-2027/versions/1/approve', {})).status).to.equal(200);
    expect((await errand.api(reviewer, 'POST', '/admin/catalogue/calendars/CN-2027/versions/1/publish', {})).status).to.equal(200);
    await until('the 2027 arrangement in force', async () => (errand.engine.calendar('CN').isProvisional('2027-01-04') ? null : true));
    expect(errand.engine.calendar('CN').isWorkingDay('2027-01-04')).to.equal(false);
    const exported = await exportFiles();
    expect(exported.map((f) => f.name)).to.include.members(['calendars/CN-2026.json', 'calendars/CN-2027.json']);
    // An import that changes a year's arrangement publishes it as that year's next version.
    const moved = exported.map((f) => (f.name === 'calendars/CN-2027.json' ? { ...f, content: JSON.stringify({ ...cn2027, source: 'State Council notice (as published)' }) } : f));
    const imported = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'the 2027 notice as published', files: moved });
    expect(imported.body.published).to.deep.equal(['calendar:CN-2027@2']);
    const misnamed = await errand.api(admin, 'POST', '/admin/catalogue-import', { reason: 'the 2027 notice as published', files: [...exported, { name: 'calendars/CN-2028.json', content: JSON.stringify(cn2027) }] });
    expect((misnamed.body.errors as Json[]).map((e) => [e.file, e.field])).to.deep.equal([['calendars/CN-2028.json', 'year']]);
  });

  it('a catalogue of several hundred services (larger than any other request) is imported in one go, and exported again', async () => {
    const files = await exportFiles();
    const template = JSON.parse(files.find((f) => f.name === 'services/residence-permit.v1.json')!.content) as Json;
    const many = Array.from({ length: 400 }, (_, i) => {
      const id = `district-service-${String(i + 1).padStart(3, '0')}`;
      return { name: `services/${id}.v1.json`, content: `${JSON.stringify({ ...template, id, version: 1 }, null, 2)}\n` };
    });
    const body = { reason: 'the district catalogue, moved in from staging', files: [...files, ...many] };
    expect(JSON.stringify(body).length, 'more than the default body limit').to.be.greaterThan(1_048_576);
    const citizen = await errand.signIn('citizen-homeowner');
    expect((await errand.api(citizen, 'POST', '/admin/catalogue-import', body)).status, 'no one else may send that much').to.equal(413);
    const imported = await errand.api(admin, 'POST', '/admin/catalogue-import', body);
    expect(imported.status, JSON.stringify(imported.body).slice(0, 500)).to.equal(200);
    expect(imported.body.published).to.have.length(400);
    expect((await errand.api(null, 'GET', '/services/district-service-400')).status).to.equal(200);
    expect((await exportFiles()).filter((f) => f.name.startsWith('services/district-service-'))).to.have.length(400);
  });
});
