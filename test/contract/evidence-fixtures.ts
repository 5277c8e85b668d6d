/** Shared by the evidence suites: one demo library and the shipped catalogue, built once per test run. */
import { loadDataCatalogue } from '../../adapters/files/index.ts';
import type { EvidenceRequest } from '../../domain/ports/evidence.ts';
import type { DataCatalogue } from '../../domain/catalogue/index.ts';
import { demoSubject, generateDemoLibrary, type DemoLibrary } from '../../domain/evidence/demo-library/index.ts';

let library: DemoLibrary | undefined;
let catalogue: DataCatalogue | undefined;

export function demoLibrary(): DemoLibrary {
  library ??= generateDemoLibrary();
  return library;
}

export function shippedCatalogue(): DataCatalogue {
  catalogue ??= loadDataCatalogue();
  return catalogue;
}

export function subjectId(key: string): string {
  return demoSubject(demoLibrary(), key).subject.id;
}

/** A request as a housing service (lead department HOUSING) would make it, unless overridden. */
export function requestFor(dataItem: string, id: string, fields: string[], overrides: Partial<EvidenceRequest> = {}): EvidenceRequest {
  const item = shippedCatalogue().get(dataItem);
  return {
    dataItem,
    subject: { type: item?.subjectType ?? 'person', id },
    fields,
    purpose: { caseId: 'case-contract-1', serviceId: 'public-rental-housing', legalBasis: '《公共租赁住房管理办法》' },
    requester: 'HOUSING',
    ...overrides,
  };
}
