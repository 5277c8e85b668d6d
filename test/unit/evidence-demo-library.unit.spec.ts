import { expect } from 'chai';
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { checkQuality } from '../../domain/evidence/index.ts';
import { createLibraryView } from '../../domain/evidence/index.ts';
import { DEFAULT_DEMO_SEED, generateDemoLibrary, type DemoLibrary } from '../../domain/evidence/demo-library/index.ts';
import { isValidCitizenId, isValidCreditCode } from '../../domain/identity/index.ts';

describe('demo shared data library', () => {
  let catalogue: DataCatalogue;
  let library: DemoLibrary;
  before(() => {
    catalogue = loadDataCatalogue();
    library = generateDemoLibrary();
  });

  const rows = (item: string) => library.records[item] ?? [];

  it('given the same seed, when generated twice, then the libraries are identical', () => {
    expect(JSON.stringify(generateDemoLibrary({ seed: 7 }))).to.equal(JSON.stringify(generateDemoLibrary({ seed: 7 })));
  });

  it('given two seeds, when generated, then the people differ', () => {
    expect(generateDemoLibrary({ seed: 1 }).persons[0]?.citizenId).to.not.equal(generateDemoLibrary({ seed: 2 }).persons[0]?.citizenId);
  });

  it('given the default options, then there are at least 1,000 persons and 200 enterprises, with valid and distinct codes', () => {
    expect(library.persons.length).to.be.at.least(1000);
    expect(library.enterprises.length).to.be.at.least(200);
    expect(library.persons.every((p) => isValidCitizenId(p.citizenId))).to.equal(true);
    expect(library.enterprises.every((e) => isValidCreditCode(e.creditCode))).to.equal(true);
    expect(new Set(library.persons.map((p) => p.citizenId)).size).to.equal(library.persons.length);
    expect(new Set(library.enterprises.map((e) => e.creditCode)).size).to.equal(library.enterprises.length);
  });

  it('given the data catalogue, then every item has records whose keys are exactly the catalogue field names', () => {
    for (const item of catalogue.list()) {
      const records = rows(item.id);
      expect(records.length, item.id).to.be.greaterThan(0);
      const names = item.fields.map((f) => f.name).sort();
      for (const row of records) expect(Object.keys(row).sort(), item.id).to.deep.equal(names);
    }
    expect(Object.keys(library.records).sort()).to.deep.equal(catalogue.list().map((i) => i.id).sort());
  });

  it('given a person, then the birth date and sex in the register agree with the citizen ID', () => {
    for (const person of library.persons) {
      expect(person.birthDate).to.equal(`${person.citizenId.slice(6, 10)}-${person.citizenId.slice(10, 12)}-${person.citizenId.slice(12, 14)}`);
      expect(person.sex).to.equal(Number(person.citizenId[16]) % 2 === 1 ? 'male' : 'female');
    }
  });

  it('given a marriage, then both spouses are persons whose records point at each other with the same certificate', () => {
    const byId = new Map(rows('marriage-record').map((r) => [r.citizenId, r]));
    const persons = new Map(library.persons.map((p) => [p.citizenId, p]));
    const married = rows('marriage-record').filter((r) => r.maritalStatus === 'married');
    expect(married.length).to.be.greaterThan(100);
    for (const record of married) {
      const spouse = byId.get(record.spouseCitizenId as string);
      expect(spouse?.spouseCitizenId).to.equal(record.citizenId);
      expect(spouse?.certificateNumber).to.equal(record.certificateNumber);
      expect(spouse?.registeredOn).to.equal(record.registeredOn);
      expect(persons.get(record.spouseCitizenId as string)?.name).to.equal(record.spouseName);
      expect(persons.get(record.spouseCitizenId as string)?.sex).to.not.equal(persons.get(record.citizenId as string)?.sex);
    }
  });

  it('given a birth record, then the child is a person born that day to a married couple and registered in their household', () => {
    const persons = new Map(library.persons.map((p) => [p.citizenId, p]));
    const spouseOf = new Map(rows('marriage-record').map((r) => [r.citizenId, r.spouseCitizenId]));
    const household = new Map(rows('household-registration').map((r) => [r.citizenId, r]));
    for (const birth of rows('birth-record')) {
      const child = [...persons.values()].find((p) => p.name === birth.childName && p.birthDate === birth.birthDate && household.get(p.citizenId)?.householdHeadRelation === 'child');
      expect(child, String(birth.medicalCertificateNumber)).to.not.equal(undefined);
      expect(persons.get(birth.motherCitizenId as string)?.sex).to.equal('female');
      expect(persons.get(birth.fatherCitizenId as string)?.sex).to.equal('male');
      expect(spouseOf.get(birth.motherCitizenId as string)).to.equal(birth.fatherCitizenId);
      expect(String(birth.birthDate) > String(persons.get(birth.motherCitizenId as string)?.birthDate)).to.equal(true);
    }
  });

  it('given enterprises, then legal representatives are generated adults named as they are registered', () => {
    const persons = new Map(library.persons.map((p) => [p.citizenId, p]));
    for (const row of rows('business-registration')) {
      const representative = persons.get(row.legalRepresentativeId as string);
      expect(representative?.name).to.equal(row.legalRepresentative);
      expect(Number(library.referenceDate.slice(0, 4)) - Number(representative?.birthDate.slice(0, 4))).to.be.at.least(22);
    }
  });

  it('given person items, then every subject they name is a generated person', () => {
    const persons = new Set(library.persons.map((p) => p.citizenId));
    for (const item of ['property-ownership', 'social-insurance', 'education-degree', 'housing-security-record', 'criminal-record', 'medical-record']) {
      for (const row of rows(item)) expect(persons.has(row.citizenId as string), item).to.equal(true);
    }
    for (const row of rows('errand-residence-permit')) expect(persons.has(row.holderCitizenId as string)).to.equal(true);
  });

  it('given records outside the deliberate cases, then they pass the catalogue quality rules on the reference date', () => {
    const deliberate = new Set(library.subjects.filter((s) => Object.values(s.expect).includes('quality_issue')).map((s) => s.subject.id));
    for (const item of catalogue.list()) {
      for (const row of rows(item.id)) {
        const subject = String(row.citizenId ?? row.holderCitizenId ?? row.creditCode ?? '');
        if (deliberate.has(subject)) continue;
        expect(checkQuality(item, row, library.referenceDate), `${item.id}`).to.deep.equal([]);
      }
    }
  });

  it('given any seed, then enterprise-active is "active" in both sources and enterprise-status-conflict is "active" at AMR but "revoked" in the base library', () => {
    for (const seed of [DEFAULT_DEMO_SEED, 1, 77]) {
      const lib = seed === DEFAULT_DEMO_SEED ? library : generateDemoLibrary({ seed });
      const item = catalogue.get('business-registration')!;
      const status = (records: typeof lib.records, key: string) => {
        const answer = createLibraryView(records).lookup(item, lib.subjects.find((s) => s.key === key)!.subject.id);
        return answer.kind === 'found' ? answer.row.status : answer.kind;
      };
      expect([status(lib.records, 'enterprise-active'), status(lib.secondary.records, 'enterprise-active')], `seed ${seed}`).to.deep.equal(['active', 'active']);
      expect([status(lib.records, 'enterprise-status-conflict'), status(lib.secondary.records, 'enterprise-status-conflict')], `seed ${seed}`).to.deep.equal(['active', 'revoked']);
    }
  });

  it('given the demo subjects, then each one shows the outcome it is described with', () => {
    const view = createLibraryView(library.records, library.pending);
    const secondary = createLibraryView(library.secondary.records);
    const keys = library.subjects.map((s) => s.key);
    for (const key of ['instant-approval', 'missing-household-registration', 'address-conflict', 'name-conflict', 'dirty-record', 'birth-record-pending', 'expired-residence-permit', 'enterprise-active', 'enterprise-missing-tax']) {
      expect(keys).to.include(key);
    }
    for (const subject of library.subjects) {
      for (const [itemId, outcome] of Object.entries(subject.expect)) {
        const item = catalogue.get(itemId)!;
        const answer = view.lookup(item, subject.subject.id);
        const label = `${subject.key} / ${itemId}`;
        if (outcome === 'no_match') expect(answer.kind, label).to.equal('none');
        else if (outcome === 'not_yet_available') expect(answer.kind, label).to.equal('pending');
        else expect(answer.kind, label).to.equal('found');
        if (outcome === 'conflict') {
          const other = secondary.lookup(item, subject.subject.id);
          expect(other.kind, label).to.equal('found');
          if (answer.kind === 'found' && other.kind === 'found') expect(answer.row, label).to.not.deep.equal(other.row);
        }
        if (outcome === 'quality_issue' && answer.kind === 'found') expect(checkQuality(item, answer.row, library.referenceDate), label).to.not.deep.equal([]);
      }
    }
  });
});
