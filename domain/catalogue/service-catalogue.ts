/**
 * Every published version of every service and bundle. Versions only grow: a running case keeps the version it was
 * opened with (it asks for get(id, version)), new cases take latest(id).
 */
import { validateBundleDefinition } from './bundle-validation.ts';
import type { DataCatalogue } from './data-catalogue.ts';
import type { Validated } from './result.ts';
import { serviceLabel, validateServiceDefinition } from './service-validation.ts';
import { isRecord } from './shape.ts';
import { frozenCopy } from './freeze.ts';
import type { BundleDefinition, ServiceDefinition } from './types.ts';

function newest<T extends { version: number }>(versions: T[] | undefined): T | undefined {
  return versions?.[versions.length - 1];
}

export class ServiceCatalogue {
  readonly #services = new Map<string, ServiceDefinition[]>();
  readonly #bundles = new Map<string, BundleDefinition[]>();

  constructor(readonly dataCatalogue: DataCatalogue) {}

  /** A specific version, e.g. the one a running case was opened with. */
  get(id: string, version: number): ServiceDefinition | undefined {
    return this.#services.get(id)?.find((s) => s.version === version);
  }

  latest(id: string): ServiceDefinition | undefined {
    return newest(this.#services.get(id));
  }

  /** Every version of one service, oldest first. */
  versions(id: string): ServiceDefinition[] {
    return [...(this.#services.get(id) ?? [])];
  }

  /** The latest version of each service, by id. */
  list(): ServiceDefinition[] {
    return [...this.#services.keys()].sort().map((id) => this.latest(id) as ServiceDefinition);
  }

  /** Validates and adds a definition; its version must be greater than the latest published one. */
  publish(raw: unknown): Validated<ServiceDefinition> {
    const checked = validateServiceDefinition(raw, this.dataCatalogue);
    if (!checked.ok) return checked;
    const def = checked.value;
    const current = this.latest(def.id);
    if (current && def.version <= current.version) {
      return { ok: false, errors: [`${serviceLabel(def)}: version must be greater than the published v${current.version}`] };
    }
    this.#services.set(def.id, [...(this.#services.get(def.id) ?? []), def]);
    return checked;
  }

  /**
   * Adds a definition checked when it was published (read back from the catalogue store), without checking it again
   * against today's data catalogue: an old version stays what it was. A version not above the latest is ignored.
   */
  admit(def: ServiceDefinition): void {
    const current = this.latest(def.id);
    if (current && def.version <= current.version) return;
    this.#services.set(def.id, [...(this.#services.get(def.id) ?? []), frozenCopy(def)]);
  }

  /** As admit, for bundles. */
  admitBundle(bundle: BundleDefinition): void {
    const current = this.bundle(bundle.id);
    if (current && bundle.version <= current.version) return;
    this.#bundles.set(bundle.id, [...(this.#bundles.get(bundle.id) ?? []), frozenCopy(bundle)]);
  }

  bundle(id: string, version?: number): BundleDefinition | undefined {
    const versions = this.#bundles.get(id);
    return version === undefined ? newest(versions) : versions?.find((b) => b.version === version);
  }

  /** The latest version of each bundle, by id. */
  bundles(): BundleDefinition[] {
    return [...this.#bundles.keys()].sort().map((id) => this.bundle(id) as BundleDefinition);
  }

  /** Validates and adds a bundle; its member services must already be published. */
  publishBundle(raw: unknown): Validated<BundleDefinition> {
    const checked = validateBundleDefinition(raw, this);
    if (!checked.ok) return checked;
    const bundle = checked.value;
    const current = this.bundle(bundle.id);
    if (current && bundle.version <= current.version) {
      return { ok: false, errors: [`bundle "${bundle.id}" v${bundle.version}: version must be greater than the published v${current.version}`] };
    }
    this.#bundles.set(bundle.id, [...(this.#bundles.get(bundle.id) ?? []), bundle]);
    return checked;
  }
}

function byIdThenVersion(a: unknown, b: unknown): number {
  const key = (x: unknown) => (isRecord(x) ? [String(x.id), Number(x.version)] : ['', 0]) as [string, number];
  const [ia, va] = key(a);
  const [ib, vb] = key(b);
  return ia < ib ? -1 : ia > ib ? 1 : va - vb;
}

/**
 * Builds a catalogue from raw definitions in any order (files load alphabetically, so v10 would come before v2):
 * services are published by id then version, bundles after them. Reports every problem of every definition.
 */
export function buildServiceCatalogue(
  dataCatalogue: DataCatalogue,
  services: readonly unknown[],
  bundles: readonly unknown[] = [],
): Validated<ServiceCatalogue> {
  const catalogue = new ServiceCatalogue(dataCatalogue);
  const errors: string[] = [];
  for (const raw of [...services].sort(byIdThenVersion)) {
    const published = catalogue.publish(raw);
    if (!published.ok) errors.push(...published.errors);
  }
  for (const raw of [...bundles].sort(byIdThenVersion)) {
    const published = catalogue.publishBundle(raw);
    if (!published.ok) errors.push(...published.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: catalogue };
}
