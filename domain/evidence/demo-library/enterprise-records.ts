/** Records held about enterprises: registration (AMR), tax (TAX), and the platform's own business licences. */
import type { Random } from '../../identity/index.ts';
import { chance, dateBetween, digits, plusDays } from './draw.ts';
import type { GeneratedEnterprise } from './enterprises.ts';
import type { DemoPerson, LibraryRecords, LibraryRow } from './types.ts';

function taxRow(enterprise: GeneratedEnterprise, random: Random, referenceDate: string): LibraryRow {
  const inArrears = chance(random, 0.1);
  return {
    creditCode: enterprise.creditCode,
    taxpayerName: enterprise.enterpriseName,
    arrearsAmount: inArrears ? random.int(100, 500_000) : 0,
    creditRating: inArrears ? random.pick(['C', 'D', 'M']) : random.pick(['A', 'A', 'B', 'B', 'M']),
    checkedOn: referenceDate,
  };
}

function licenceRow(enterprise: GeneratedEnterprise, random: Random, referenceDate: string, representative: DemoPerson): LibraryRow {
  const established = String(enterprise.registration.establishedOn);
  return {
    certificateNumber: `YYZZ${enterprise.creditCode.slice(2, 8)}${digits(random, 10)}`,
    creditCode: enterprise.creditCode,
    name: enterprise.enterpriseName,
    operatorName: representative.name,
    businessScope: enterprise.registration.businessScope ?? null,
    premisesAddress: enterprise.registration.registeredAddress ?? null,
    issuedOn: dateBetween(random, established, plusDays(referenceDate, -1) > established ? plusDays(referenceDate, -1) : established),
  };
}

export function enterpriseRecords(random: Random, enterprises: GeneratedEnterprise[], persons: Map<string, DemoPerson>, referenceDate: string): LibraryRecords {
  return {
    'business-registration': enterprises.map((e) => ({ ...e.registration })),
    // A few taxpayers are not yet in the tax system's shared view: "no match".
    'tax-clearance': enterprises.filter(() => chance(random, 0.95)).map((e) => taxRow(e, random, referenceDate)),
    // Errand issues electronic business licences to the individual businesses registered through it.
    'errand-business-licence': enterprises
      .filter((e) => e.registration.status === 'active' && (e.entityType === 'individual-business' || chance(random, 0.3)))
      .map((e) => licenceRow(e, random, referenceDate, persons.get(e.legalRepresentativeId) as DemoPerson)),
  };
}
