/**
 * Picks subjects for every path evidence gathering can take and shapes their records so the path holds for any
 * seed: a person who passes instant approval, one with no household registration, conflicting sources, a pending
 * record, an expired certificate, a record that needs cleansing, enterprises in good and bad standing.
 */
import { makeCitizenId, randomCreditCode, type Random } from '../../identity/index.ts';
import { addressIn, ageOn, plusDays, plusYears, previousMonth } from './draw.ts';
import type { GeneratedEnterprise } from './enterprises.ts';
import type { Population } from './people.ts';
import { educationRow, residencePermitRow, socialInsuranceRow } from './person-records.ts';
import { findRow, removeRows, upsertRow } from './table.ts';
import type { DemoPerson, DemoSubject, LibraryRecords, PendingRecord } from './types.ts';
import { LOCAL_REGION_PREFIX, MALE_GIVEN } from './vocabulary.ts';

export interface ShapingInput {
  random: Random;
  referenceDate: string;
  population: Population;
  enterprises: GeneratedEnterprise[];
  employers: string[];
  records: LibraryRecords;
  secondary: LibraryRecords;
  pending: PendingRecord[];
}

const HOUSEHOLD = 'household-registration';

export function shapeSubjects(input: ShapingInput): DemoSubject[] {
  const { random, referenceDate, population, records, secondary } = input;
  const used = new Set<string>();
  const married = new Set(population.marriages.flatMap((m) => [m.husband, m.wife]));
  const mothers = new Set(population.births.map((b) => b.mother));
  const subjects: DemoSubject[] = [];

  function person(predicate: (p: DemoPerson) => boolean): DemoPerson {
    const found = population.persons.find((p) => !used.has(p.citizenId) && ageOn(p.birthDate, referenceDate) >= 25 && predicate(p));
    if (!found) throw new RangeError('the demo population is too small to pick every demo subject');
    used.add(found.citizenId);
    return found;
  }
  function enterprise(predicate: (e: GeneratedEnterprise) => boolean): GeneratedEnterprise {
    const found = input.enterprises.find((e) => !used.has(e.creditCode) && predicate(e));
    if (!found) throw new RangeError('too few enterprises to pick every demo subject');
    used.add(found.creditCode);
    return found;
  }
  function add(key: string, type: 'person' | 'enterprise', id: string, description: string, expect: DemoSubject['expect']): void {
    subjects.push({ key, subject: { type, id }, description, expect });
  }

  const star = person((p) => married.has(p.citizenId) && !p.region.startsWith(LOCAL_REGION_PREFIX) && ageOn(p.birthDate, referenceDate) <= 50);
  const id = star.citizenId;
  upsertRow(records, 'property-ownership', 'citizenId', id, { propertiesOwned: 0, certificateNumber: null, address: null, floorArea: null, use: 'none', registeredOn: null });
  upsertRow(records, 'social-insurance', 'citizenId', id, { insuredStatus: 'active', monthsContributed: 60, monthsContributedLocally: 48, lastContributionMonth: previousMonth(referenceDate) }, socialInsuranceRow(star, random, referenceDate, input.employers));
  upsertRow(records, 'education-degree', 'citizenId', id, { level: 'bachelor', degree: 'bachelor' }, educationRow(star, random, referenceDate));
  upsertRow(records, 'housing-security-record', 'citizenId', id, { receivingBenefit: false, benefitType: 'none' });
  upsertRow(records, 'criminal-record', 'citizenId', id, { hasRecord: false, offences: null });
  const issuedOn = plusDays(referenceDate, -100);
  upsertRow(records, 'errand-residence-permit', 'holderCitizenId', id, { issuedOn, validUntil: plusYears(issuedOn, 3) }, residencePermitRow(star, random, referenceDate));
  add('instant-approval', 'person', id, 'Married, owns no home, 48 months of local social insurance, bachelor degree, no housing benefit, valid residence permit: every shared item is found and clean, so rule-based instant approval passes.', {
    [HOUSEHOLD]: 'found', 'marriage-record': 'found', 'property-ownership': 'found', 'social-insurance': 'found',
    'education-degree': 'found', 'housing-security-record': 'found', 'errand-residence-permit': 'found',
  });

  const missing = person(() => true);
  removeRows(records, HOUSEHOLD, 'citizenId', missing.citizenId);
  removeRows(secondary, HOUSEHOLD, 'citizenId', missing.citizenId);
  add('missing-household-registration', 'person', missing.citizenId, 'Has other records but no household registration at PSB: the fetch answers "no match" and the clerk asks for an upload.', { [HOUSEHOLD]: 'no_match' });

  const movedAway = person(() => true);
  upsertRow(secondary, HOUSEHOLD, 'citizenId', movedAway.citizenId, { address: addressIn(random, movedAway.region) });
  add('address-conflict', 'person', movedAway.citizenId, 'PSB and the base library disagree on the registered address: the evidence is recorded and the conflict flagged on the case, never resolved silently.', { [HOUSEHOLD]: 'conflict' });

  const renamed = person(() => true);
  const other = MALE_GIVEN.find((c) => !renamed.name.endsWith(c)) as string;
  upsertRow(secondary, HOUSEHOLD, 'citizenId', renamed.citizenId, { name: renamed.name.slice(0, -1) + other });
  add('name-conflict', 'person', renamed.citizenId, 'PSB and the base library spell the name differently: a conflict on "name".', { [HOUSEHOLD]: 'conflict' });

  const dirty = person(() => true);
  const clean = findRow(records, HOUSEHOLD, 'citizenId', dirty.citizenId);
  const since = String(clean?.registeredSince ?? dirty.birthDate);
  upsertRow(records, HOUSEHOLD, 'citizenId', dirty.citizenId, {
    name: `  ${dirty.name}\u3000`,
    birthDate: dirty.birthDate.replaceAll('-', '/'),
    registeredSince: `${Number(since.slice(0, 4))}年${Number(since.slice(5, 7))}月${Number(since.slice(8, 10))}日`,
    address: ` ${dirty.address} `,
  });
  add('dirty-record', 'person', dirty.citizenId, 'PSB holds the record with padded name and address and dates as 1990/01/31 and 2010年3月4日: cleansing normalises them, after which it agrees with the base library.', { [HOUSEHOLD]: 'cleansed' });

  const expecting = person((p) => mothers.has(p.citizenId));
  input.pending.push({ dataItem: 'birth-record', subjectId: expecting.citizenId, availableAfter: plusDays(referenceDate, 1) });
  add('birth-record-pending', 'person', expecting.citizenId, 'A birth registered today is not yet synchronised to the shared view: the hospital record answers "not yet available".', { 'birth-record': 'not_yet_available' });

  const parent = person((p) => mothers.has(p.citizenId));
  add('parent-with-child', 'person', parent.citizenId, 'A mother: the birth record of her latest child is found, naming both parents.', { 'birth-record': 'found', 'marriage-record': 'found' });

  const lapsed = person((p) => !p.region.startsWith(LOCAL_REGION_PREFIX));
  const lapsedIssued = plusYears(plusDays(referenceDate, -30), -3);
  upsertRow(records, 'errand-residence-permit', 'holderCitizenId', lapsed.citizenId, { issuedOn: lapsedIssued, validUntil: plusDays(referenceDate, -30) }, residencePermitRow(lapsed, random, referenceDate));
  add('expired-residence-permit', 'person', lapsed.citizenId, 'Holds a residence permit that expired 30 days before the reference date: found, with a "notExpired" quality issue.', { 'errand-residence-permit': 'quality_issue' });

  const uninsured = person(() => true);
  removeRows(records, 'social-insurance', 'citizenId', uninsured.citizenId);
  add('no-social-insurance', 'person', uninsured.citizenId, 'Never insured in the shared system: social insurance answers "no match".', { 'social-insurance': 'no_match' });

  const owner = person(() => true);
  upsertRow(records, 'property-ownership', 'citizenId', owner.citizenId, { propertiesOwned: 2, use: 'residential', certificateNumber: `粤(2019)深圳市不动产权第${String(random.int(0, 9_999_999)).padStart(7, '0')}号`, address: owner.address, floorArea: 98.6, registeredOn: plusYears(referenceDate, -7) });
  add('homeowner', 'person', owner.citizenId, 'Owns two homes: found, and fails a "no home" condition.', { 'property-ownership': 'found' });

  const assisted = person(() => true);
  upsertRow(records, 'housing-security-record', 'citizenId', assisted.citizenId, { receivingBenefit: true, benefitType: 'public-rental' });
  add('housing-benefit-recipient', 'person', assisted.citizenId, 'Already lives in public rental housing: found, and fails a "not already assisted" condition.', { 'housing-security-record': 'found' });

  let sequence = 999;
  while (population.byId.has(makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence }))) sequence -= 1;
  const stranger = makeCitizenId({ region: '440305', birthDate: '1990-01-01', sequence });
  {
    add('unknown-person', 'person', stranger, 'A valid citizen ID no department knows: every item answers "no match".', { [HOUSEHOLD]: 'no_match', 'social-insurance': 'no_match' });
  }

  const good = enterprise((e) => e.entityType === 'company');
  upsertRow(records, 'business-registration', 'creditCode', good.creditCode, { status: 'active' });
  // Clean in both sources, so a no-tax-arrears certificate is approved by rule with no human step (秒批).
  upsertRow(secondary, 'business-registration', 'creditCode', good.creditCode, { status: 'active' });
  upsertRow(records, 'tax-clearance', 'creditCode', good.creditCode, { arrearsAmount: 0, creditRating: 'A', checkedOn: referenceDate }, { creditCode: good.creditCode, taxpayerName: good.enterpriseName, arrearsAmount: 0, creditRating: 'A', checkedOn: referenceDate });
  add('enterprise-active', 'enterprise', good.creditCode, 'An active company with no tax arrears and an A tax credit rating, the same in AMR and the base library: clean data, so 秒批 approves it.', { 'business-registration': 'found', 'tax-clearance': 'found' });
  // Agents: the company's legal representative in the base library applies for it (the enterprise is the applicant).
  add('legal-representative', 'person', good.legalRepresentativeId, 'The legal representative of the active company above (法定代表人 in the legal-entity base data): applies for the company as its agent.', { [HOUSEHOLD]: 'found' });

  const debtor = enterprise((e) => e.entityType === 'company');
  upsertRow(records, 'tax-clearance', 'creditCode', debtor.creditCode, { arrearsAmount: 86_500, creditRating: 'D' }, { creditCode: debtor.creditCode, taxpayerName: debtor.enterpriseName, arrearsAmount: 0, creditRating: 'D', checkedOn: referenceDate });
  add('enterprise-with-arrears', 'enterprise', debtor.creditCode, 'Owes 86,500 CNY of tax and is rated D.', { 'tax-clearance': 'found' });

  const revoked = enterprise(() => true);
  upsertRow(records, 'business-registration', 'creditCode', revoked.creditCode, { status: 'revoked' });
  removeRows(records, 'errand-business-licence', 'creditCode', revoked.creditCode);
  add('enterprise-revoked', 'enterprise', revoked.creditCode, 'Its business licence was revoked: registration found with status "revoked".', { 'business-registration': 'found' });

  const untaxed = enterprise(() => true);
  removeRows(records, 'tax-clearance', 'creditCode', untaxed.creditCode);
  add('enterprise-missing-tax', 'enterprise', untaxed.creditCode, 'Not yet in the tax system\'s shared view: tax clearance answers "no match".', { 'tax-clearance': 'no_match' });

  const relocated = enterprise(() => true);
  upsertRow(secondary, 'business-registration', 'creditCode', relocated.creditCode, { registeredAddress: addressIn(random, '440304') });
  add('enterprise-address-conflict', 'enterprise', relocated.creditCode, 'AMR and the base library disagree on the registered address: a conflict on "registeredAddress".', { 'business-registration': 'conflict' });

  let phantom = randomCreditCode(random, { regions: ['440305'] });
  while (input.enterprises.some((e) => e.creditCode === phantom)) phantom = randomCreditCode(random, { regions: ['440305'] });
  {
    add('unknown-enterprise', 'enterprise', phantom, 'A valid credit code no department knows: "no match".', { 'business-registration': 'no_match' });
  }

  const disputed = enterprise((e) => e.entityType === 'company');
  upsertRow(records, 'business-registration', 'creditCode', disputed.creditCode, { status: 'active' });
  upsertRow(secondary, 'business-registration', 'creditCode', disputed.creditCode, { status: 'revoked' });
  upsertRow(records, 'tax-clearance', 'creditCode', disputed.creditCode, { arrearsAmount: 0, creditRating: 'B', checkedOn: referenceDate }, { creditCode: disputed.creditCode, taxpayerName: disputed.enterpriseName, arrearsAmount: 0, creditRating: 'B', checkedOn: referenceDate });
  add('enterprise-status-conflict', 'enterprise', disputed.creditCode, 'AMR says "active", the base library says "revoked": a conflict on the very field the tax-clearance rule tests, so 秒批 never approves it and a clerk decides.', {
    'business-registration': 'conflict', 'tax-clearance': 'found',
  });

  // Background noise beyond the named subjects: about 1% of base-library addresses are stale.
  for (const p of population.persons) {
    if (!used.has(p.citizenId) && random.next() < 0.01 && findRow(secondary, HOUSEHOLD, 'citizenId', p.citizenId)) {
      upsertRow(secondary, HOUSEHOLD, 'citizenId', p.citizenId, { address: addressIn(random, p.region) });
    }
  }
  return subjects;
}
