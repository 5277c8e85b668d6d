/**
 * 一件事一次办: one form for a bundle. A field several member services ask for (same name) is asked once and
 * goes to each of them; the rest belong to one service each. Pure: the route splits, the deciders validate each
 * member's form as for any application.
 */
import type { FormField, ServiceDefinition } from './types.ts';

export interface BundleForm {
  /** Fields two or more members ask for, asked once; required when any member requires it. */
  common: Array<FormField & { services: string[] }>;
  /** The fields only one member asks for, by service id. */
  perService: Record<string, FormField[]>;
}

export function bundleForm(services: readonly ServiceDefinition[]): BundleForm {
  const askedBy = new Map<string, string[]>();
  for (const service of services) {
    for (const field of service.form) askedBy.set(field.name, [...(askedBy.get(field.name) ?? []), service.id]);
  }
  const common: BundleForm['common'] = [];
  const perService: BundleForm['perService'] = {};
  for (const service of services) {
    perService[service.id] = service.form.filter((field) => (askedBy.get(field.name) ?? []).length < 2);
    for (const field of service.form) {
      const by = askedBy.get(field.name) ?? [];
      if (by.length < 2) continue;
      const known = common.find((c) => c.name === field.name);
      if (known) known.required ||= field.required;
      else common.push({ ...field, services: by });
    }
  }
  return { common, perService };
}

/**
 * Each member's form from the shared answers and its own. A common field given again per service is refused rather
 * than silently preferred: the applicant answers it once. Shared answers no member asks for are refused too.
 */
export function splitBundleForms(
  services: readonly ServiceDefinition[],
  shared: Record<string, unknown>,
  own: Record<string, Record<string, unknown>>,
): { forms: Record<string, Record<string, unknown>>; problems: string[] } {
  const { common } = bundleForm(services);
  const commonNames = new Set(common.map((f) => f.name));
  const problems: string[] = [];
  for (const name of Object.keys(shared)) {
    if (!commonNames.has(name) && !services.some((s) => s.form.some((f) => f.name === name))) problems.push(`form.${name} is asked by no service of the bundle`);
  }
  for (const serviceId of Object.keys(own)) {
    if (!services.some((s) => s.id === serviceId)) problems.push(`forms.${serviceId}: ${serviceId} is not part of the bundle`);
  }
  const forms: Record<string, Record<string, unknown>> = {};
  for (const service of services) {
    const mine = own[service.id] ?? {};
    const form: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(mine)) {
      if (commonNames.has(name)) problems.push(`forms.${service.id}.${name} is common to the bundle: give it once, in form`);
      else form[name] = value;
    }
    // A field only this member asks for may also come in the shared form: one form for everything is the point.
    for (const field of service.form) {
      if (field.name in shared && !(field.name in form)) form[field.name] = shared[field.name];
    }
    forms[service.id] = form;
  }
  return { forms, problems };
}
