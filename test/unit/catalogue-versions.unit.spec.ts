import { expect } from 'chai';
import { join } from 'node:path';
import { CATALOGUE_DATA_DIR, loadDataCatalogue, readJsonFile } from '../../adapters/files/index.ts';
import {
  ServiceCatalogue,
  buildServiceCatalogue,
  validateBundleDefinition,
  type DataCatalogue,
} from '../../domain/catalogue/index.ts';

function demo(file: string): Record<string, unknown> {
  return readJsonFile(join(CATALOGUE_DATA_DIR, 'services', file)) as Record<string, unknown>;
}

describe('service catalogue versions', () => {
  let data: DataCatalogue;
  before(() => {
    data = loadDataCatalogue();
  });

  it('given v1 published, when v2 is published, then latest is v2 and v1 stays available for running cases', () => {
    const catalogue = new ServiceCatalogue(data);
    expect(catalogue.publish(demo('residence-permit.v1.json')).ok).to.equal(true);
    const v2 = { ...demo('residence-permit.v1.json'), version: 2 };
    expect(catalogue.publish(v2).ok).to.equal(true);
    expect(catalogue.latest('residence-permit')?.version).to.equal(2);
    expect(catalogue.get('residence-permit', 1)?.version).to.equal(1);
    expect(catalogue.list().map((s) => `${s.id} v${s.version}`)).to.deep.equal(['residence-permit v2']);
  });

  it('given v2 published, when v2 or v1 is published again, then it is refused', () => {
    const catalogue = new ServiceCatalogue(data);
    catalogue.publish({ ...demo('residence-permit.v1.json'), version: 2 });
    const again = catalogue.publish({ ...demo('residence-permit.v1.json'), version: 2 });
    expect(again.ok ? [] : again.errors).to.deep.equal(['service "residence-permit" v2: version must be greater than the published v2']);
    expect(catalogue.publish(demo('residence-permit.v1.json')).ok).to.equal(false);
  });

  it('given an invalid definition, when published, then it is refused and nothing changes', () => {
    const catalogue = new ServiceCatalogue(data);
    const published = catalogue.publish({ ...demo('residence-permit.v1.json'), department: 'MOON' });
    expect(published.ok).to.equal(false);
    expect(catalogue.latest('residence-permit')).to.equal(undefined);
  });

  it('given an unknown id or version, when looked up, then the answer is undefined', () => {
    const catalogue = new ServiceCatalogue(data);
    catalogue.publish(demo('residence-permit.v1.json'));
    expect(catalogue.get('residence-permit', 7)).to.equal(undefined);
    expect(catalogue.latest('no-such-service')).to.equal(undefined);
  });

  it('given definitions in any order, when a catalogue is built, then versions are published in order', () => {
    const v1 = demo('residence-permit.v1.json');
    const v2 = { ...v1, version: 2 };
    const built = buildServiceCatalogue(data, [v2, v1]);
    expect(built.ok).to.equal(true);
    if (built.ok) expect(built.value.versions('residence-permit').map((s) => s.version)).to.deep.equal([1, 2]);
  });

  it('given invalid definitions, when a catalogue is built, then every problem of every definition is listed', () => {
    const built = buildServiceCatalogue(data, [{ ...demo('residence-permit.v1.json'), fee: 5 }, { ...demo('restaurant-opening.v1.json'), coReviewers: ['MARS'] }]);
    expect(built.ok ? [] : built.errors).to.deep.equal([
      'service "residence-permit" v1: fee must be an object, got number 5',
      'service "restaurant-opening" v1: coReviewers[0] "MARS" is not a known department',
      'service "restaurant-opening" v1: advisoryCoReviewers[0] "HOUSING" is not one of the coReviewers',
    ]);
  });
});

describe('bundles', () => {
  let catalogue: ServiceCatalogue;
  before(() => {
    catalogue = new ServiceCatalogue(loadDataCatalogue());
    for (const file of ['birth-medical-certificate.v1.json', 'newborn-household-registration.v1.json', 'fire-safety-inspection.v1.json']) {
      catalogue.publish(demo(file));
    }
  });

  const bundle = (services: unknown) => ({ id: 'newborn', version: 1, name: { 'zh-CN': '出生一件事', en: 'Newborn' }, services });

  it('given published person services, when bundled, then the bundle is valid', () => {
    expect(validateBundleDefinition(bundle(['birth-medical-certificate', 'newborn-household-registration']), catalogue).ok).to.equal(true);
  });

  it('given an unknown member, a single member or a duplicate, when validated, then each is refused', () => {
    const errors = (services: unknown) => {
      const checked = validateBundleDefinition(bundle(services), catalogue);
      return checked.ok ? [] : checked.errors;
    };
    expect(errors(['birth-medical-certificate', 'marriage-registration'])).to.deep.equal([
      'bundle "newborn" v1: services[1] "marriage-registration" is not a published service',
    ]);
    expect(errors(['birth-medical-certificate'])).to.deep.equal([
      'bundle "newborn" v1: services must name at least two services: a bundle of one is just the service',
    ]);
    expect(errors(['birth-medical-certificate', 'birth-medical-certificate'])[0]).to.match(/services\[1\] "birth-medical-certificate" is listed twice/);
  });

  it('given person and enterprise services, when bundled, then the mix is refused', () => {
    const checked = validateBundleDefinition(bundle(['birth-medical-certificate', 'fire-safety-inspection']), catalogue);
    expect(checked.ok ? [] : checked.errors).to.deep.equal([
      'bundle "newborn" v1: services mix person and enterprise applicants: one application has one applicant',
    ]);
  });

  it('given a published bundle, when a new version is published, then the latest is served and the old one kept', () => {
    expect(catalogue.publishBundle(bundle(['birth-medical-certificate', 'newborn-household-registration'])).ok).to.equal(true);
    const v2 = { ...bundle(['newborn-household-registration', 'birth-medical-certificate']), version: 2 };
    expect(catalogue.publishBundle(v2).ok).to.equal(true);
    expect(catalogue.bundle('newborn')?.version).to.equal(2);
    expect(catalogue.bundle('newborn', 1)?.services[0]).to.equal('birth-medical-certificate');
    expect(catalogue.publishBundle(v2).ok).to.equal(false);
    expect(catalogue.bundles().map((b) => b.version)).to.deep.equal([2]);
  });
});
