import { isReconsiderationService } from '../../domain/appeals/reconsideration.ts';
import { expect } from 'chai';
import { join } from 'node:path';
import { CATALOGUE_DATA_DIR, jsonFilesIn, loadDataCatalogue, loadServiceCatalogue, readJsonFile } from '../../adapters/files/index.ts';
import { validateServiceDefinition, type DataCatalogue, type ServiceCatalogue } from '../../domain/catalogue/index.ts';

describe('demo services', () => {
  let data: DataCatalogue;
  let services: ServiceCatalogue;
  before(() => {
    data = loadDataCatalogue();
    services = loadServiceCatalogue(data);
  });

  it('given every service file, when validated on its own, then each passes', () => {
    const files = jsonFilesIn(join(CATALOGUE_DATA_DIR, 'services'));
    expect(files.length).to.be.greaterThanOrEqual(8);
    for (const file of files) {
      const checked = validateServiceDefinition(readJsonFile(file), data);
      expect(checked.ok ? [] : checked.errors, file).to.deep.equal([]);
    }
  });

  it('given the catalogue, then it offers at least 8 services and the newborn bundle', () => {
    expect(services.list().length).to.be.greaterThanOrEqual(8);
    expect(services.bundle('newborn')?.services).to.deep.equal([
      'birth-medical-certificate',
      'newborn-household-registration',
      'newborn-medical-insurance',
    ]);
  });

  it('given the catalogue, then it has a single-department service and a joint review by three departments', () => {
    expect(services.latest('residence-permit')?.coReviewers).to.deep.equal([]);
    const restaurant = services.latest('restaurant-opening');
    expect(restaurant?.department).to.equal('AMR');
    expect(restaurant?.coReviewers).to.have.members(['FIRE', 'HEALTH', 'HOUSING']);
  });

  it('given the catalogue, then instant approval, commitment, uploads and enterprise applicants all occur', () => {
    const all = services.list();
    expect(all.filter((s) => s.instantApproval).map((s) => s.id)).to.include.members(['social-insurance-certificate', 'tax-clearance-certificate']);
    expect(all.filter((s) => s.commitment).map((s) => s.id)).to.include.members(['individual-business-licence', 'fire-safety-inspection']);
    expect(all.filter((s) => s.materials.some((m) => m.kind === 'upload')).length).to.be.greaterThanOrEqual(3);
    expect(all.filter((s) => s.applicantType === 'enterprise').length).to.be.greaterThanOrEqual(3);
  });

  it('given a certificate issued by one service, then another service reuses it through the ERRAND data item', () => {
    for (const item of data.providedBy('ERRAND')) {
      const issuers = services.list().filter((s) => s.outcome.certificateType === item.certificateType);
      const users = services.list().filter((s) => s.materials.some((m) => m.kind === 'evidence' && m.dataItem === item.id));
      expect(issuers, `issuer of ${item.id}`).to.have.length.greaterThan(0);
      expect(users, `user of ${item.id}`).to.have.length.greaterThan(0);
    }
  });

  it('given every licensing service, then its promised limit is within 20 working days and shorter than or equal to the statutory one (reconsideration has its own 60 days)', () => {
    for (const s of services.list()) {
      // Administrative Licensing Law art. 42 limits licences; a reconsideration case runs under the Reconsideration Law (art. 62: 60 days).
      if (!isReconsiderationService(s.id)) expect(s.limits.statutoryDays, s.id).to.be.at.most(20);
      else expect(s.limits.statutoryDays, s.id).to.equal(60);
      expect(s.limits.promisedDays, s.id).to.be.at.most(s.limits.statutoryDays);
    }
  });

  it('given a running case on v1, when v2 is the latest, then v1 is still served', () => {
    expect(services.latest('social-insurance-certificate')?.version).to.equal(2);
    expect(services.get('social-insurance-certificate', 1)?.version).to.equal(1);
    expect(services.versions('social-insurance-certificate').map((s) => s.version)).to.deep.equal([1, 2]);
  });
});
