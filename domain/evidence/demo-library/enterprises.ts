/** Enterprises whose legal representatives are generated adults. */
import { DEMO_REGIONS, makeCreditCode, organisationCodeCheckChar, type Random } from '../../identity/index.ts';
import { addressIn, ageOn, chance, dateBetween, digits, plusDays, plusYears, regionInfo } from './draw.ts';
import type { DemoEnterprise, DemoPerson, LibraryRow } from './types.ts';
import { INDUSTRIES, NAME_WORDS } from './vocabulary.ts';

export interface GeneratedEnterprise extends DemoEnterprise {
  registration: LibraryRow;
}

/** Registration authority 9 (market regulation); category 1 company, 2 individual business, 3 farmers' cooperative. */
const CATEGORY: Record<DemoEnterprise['entityType'], string> = { company: '1', 'individual-business': '2', partnership: '1', cooperative: '3' };

function entityTypeOf(random: Random): DemoEnterprise['entityType'] {
  const roll = random.next();
  if (roll < 0.62) return 'company';
  if (roll < 0.88) return 'individual-business';
  if (roll < 0.95) return 'partnership';
  return 'cooperative';
}

function statusOf(random: Random): string {
  const roll = random.next();
  if (roll < 0.9) return 'active';
  if (roll < 0.94) return 'suspended';
  if (roll < 0.97) return 'revoked';
  return 'deregistered';
}

function nameOf(random: Random, entityType: DemoEnterprise['entityType'], city: string, industry: string, operator: DemoPerson): string {
  const word = random.pick(NAME_WORDS);
  switch (entityType) {
    case 'company':
      return `${city}${word}${industry}有限公司`;
    case 'individual-business':
      return `${city.replace(/市$/, '')}${operator.name}${industry.slice(0, 2)}店`;
    case 'partnership':
      return `${city}${word}${industry}合伙企业（有限合伙）`;
    case 'cooperative':
      return `${city}${word}农产品专业合作社`;
  }
}

export function generateEnterprises(random: Random, count: number, adults: DemoPerson[], referenceDate: string): GeneratedEnterprise[] {
  const taken = new Set<string>();
  const out: GeneratedEnterprise[] = [];
  while (out.length < count) {
    const representative = random.pick(adults);
    if (ageOn(representative.birthDate, referenceDate) < 23) continue;
    const entityType = entityTypeOf(random);
    const region = chance(random, 0.6) ? representative.region : random.pick(DEMO_REGIONS);
    const body = digits(random, 8);
    const creditCode = makeCreditCode({ registrationAuthority: '9', category: CATEGORY[entityType], region, organisationCode: body + organisationCodeCheckChar(body) });
    if (taken.has(creditCode)) continue;
    taken.add(creditCode);
    const industry = random.pick(INDUSTRIES);
    const enterpriseName = nameOf(random, entityType, regionInfo(region).city, industry.word, representative);
    const capital = entityType === 'individual-business' ? random.int(1, 50) : random.int(10, 5000);
    const establishedOn = dateBetween(random, plusYears(representative.birthDate, 22), plusDays(referenceDate, -30));
    out.push({
      creditCode,
      enterpriseName,
      entityType,
      legalRepresentativeId: representative.citizenId,
      registration: {
        creditCode,
        enterpriseName,
        entityType,
        legalRepresentative: representative.name,
        legalRepresentativeId: representative.citizenId,
        registeredCapital: capital,
        establishedOn,
        businessScope: industry.scope,
        registeredAddress: addressIn(random, region),
        status: statusOf(random),
      },
    });
  }
  return out;
}

