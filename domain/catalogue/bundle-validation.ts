/** 一件事 bundles: one application that opens a case in each member service. */
import { frozenCopy } from './freeze.ts';
import type { Validated } from './result.ts';
import { ID_PATTERN, ID_PATTERN_NAME, expectInteger, expectLocalized, expectObject, expectString, expectStringList, isRecord, type Report } from './shape.ts';
import type { BundleDefinition, ServiceDefinition } from './types.ts';

export interface ServiceLookup {
  latest(id: string): ServiceDefinition | undefined;
}

export function validateBundleDefinition(raw: unknown, services: ServiceLookup): Validated<BundleDefinition> {
  const errors: string[] = [];
  const label =
    isRecord(raw) && typeof raw.id === 'string'
      ? `bundle "${raw.id}"${Number.isInteger(raw.version) ? ` v${String(raw.version)}` : ''}`
      : 'bundle (without id)';
  const report: Report = (path, message) => errors.push(`${label}: ${path} ${message}`);
  const bundle = expectObject(raw, '', report, ['id', 'version', 'name', 'services']);
  if (!bundle) return { ok: false, errors };
  expectString(bundle.id, 'id', report, { pattern: ID_PATTERN, patternName: ID_PATTERN_NAME });
  expectInteger(bundle.version, 'version', report, 1, 999_999);
  expectLocalized(bundle.name, 'name', report);
  const members = expectStringList(bundle.services, 'services', report) ?? [];
  if (Array.isArray(bundle.services) && bundle.services.length < 2) {
    report('services', 'must name at least two services: a bundle of one is just the service');
  }
  const applicantTypes = new Set<string>();
  members.forEach((id, i) => {
    const service = services.latest(id);
    if (!service) report(`services[${i}]`, `"${id}" is not a published service`);
    else applicantTypes.add(service.applicantType);
  });
  // One application form is filled once by one applicant, so every member must expect the same kind of applicant.
  if (applicantTypes.size > 1) report('services', 'mix person and enterprise applicants: one application has one applicant');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: frozenCopy(raw as BundleDefinition) };
}
