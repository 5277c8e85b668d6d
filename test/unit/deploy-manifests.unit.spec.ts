import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { loadConfig } from '../../adapters/config/index.ts';

type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: unknown };
type Container = { name: string; image: string; command?: string[]; env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>; envFrom?: Array<{ configMapRef?: { name: string } }>; resources?: { limits?: Record<string, unknown> }; readinessProbe?: { httpGet?: { path: string } }; livenessProbe?: unknown };
type Workload = Doc & { spec: { template: { metadata?: { labels?: Record<string, string> }; spec: { containers: Container[]; initContainers?: Container[] } } } };

const DIR = 'deploy/k8s';
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'apps/v1 StatefulSet': StatefulSet,
  'batch/v1 Job': Job,
  'v1 ConfigMap': ConfigMap,
  'v1 Namespace': Namespace,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'v1 Secret': Secret,
  'v1 Service': Service,
};

const docs: Doc[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJSON() as Doc));
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
const workloads = docs.filter((d) => ['Deployment', 'StatefulSet', 'Job'].includes(d.kind)) as Workload[];
const errandContainers = workloads.flatMap((w) => [...w.spec.template.spec.containers, ...(w.spec.template.spec.initContainers ?? [])].filter((c) => c.image.startsWith('errand:')).map((c) => ({ workload: w.metadata.name, container: c })));

/** The environment a container gets: its ConfigMaps, then its own entries, secret references resolved. */
function environmentOf(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const map = byKind('ConfigMap').find((m) => m.metadata.name === from.configMapRef?.name) as (Doc & { data: Record<string, string> }) | undefined;
    expect(map, `ConfigMap ${from.configMapRef?.name}`).to.not.equal(undefined);
    Object.assign(env, map!.data);
  }
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = byKind('Secret').find((s) => s.metadata.name === ref.name) as (Doc & { stringData: Record<string, string> }) | undefined;
      expect(secret?.stringData[ref.key], `secret ${ref.name}/${ref.key}`).to.be.a('string');
      env[entry.name] = secret!.stringData[ref.key]!;
    } else {
      env[entry.name] = entry.value ?? '';
    }
  }
  return env;
}

describe('deployment manifests (deploy/)', () => {
  it('given the Kubernetes manifests, when each is checked against the Kubernetes schema of its kind, then all are valid', () => {
    expect(docs.length).to.be.greaterThan(10);
    for (const doc of docs) {
      const Model = MODELS[`${doc.apiVersion} ${doc.kind}`];
      expect(Model, `no schema checked for ${doc.apiVersion} ${doc.kind}`).to.not.equal(undefined);
      expect(() => new Model!(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`).to.not.throw();
    }
  });

  it('given a manifest with a wrong type, when checked, then the schema refuses it (the check can fail)', () => {
    const api = structuredClone(docs.find((d) => d.metadata.name === 'errand-api')!) as Workload;
    (api.spec.template.spec.containers[0] as unknown as { ports: unknown[] }).ports = [{ containerPort: 'three thousand' }];
    expect(() => new Deployment(api as never).validate()).to.throw(/containerPort/);
  });

  it('given every Errand container, when its environment is loaded by the real configuration loader, then it is accepted', () => {
    expect(errandContainers.length).to.be.greaterThan(4);
    for (const { workload, container } of errandContainers) {
      const env = environmentOf(container);
      expect(() => loadConfig(env), `${workload}/${container.name}`).to.not.throw();
    }
  });

  it('given the API, the workers and the gateways, then each has resource limits, the workers a heap budget, the HTTP processes probes', () => {
    for (const w of workloads) {
      for (const c of [...w.spec.template.spec.containers, ...(w.spec.template.spec.initContainers ?? [])]) {
        expect(c.resources?.limits, `${w.metadata.name}/${c.name} limits`).to.include.keys('cpu', 'memory');
      }
    }
    const worker = workloads.find((w) => w.metadata.name === 'errand-worker')!;
    expect(environmentOf(worker.spec.template.spec.containers[0]!).NODE_OPTIONS).to.match(/--max-old-space-size=\d+/);
    for (const name of ['errand-api', 'gateway-psb', 'gateway-amr']) {
      const c = workloads.find((w) => w.metadata.name === name)!.spec.template.spec.containers[0]!;
      expect(c.readinessProbe?.httpGet?.path, name).to.match(/^\/(ready|health)$/);
      expect(c.livenessProbe, name).to.not.equal(undefined);
    }
    expect((workloads.find((w) => w.metadata.name === 'errand-api') as unknown as { spec: { replicas: number } }).spec.replicas).to.be.at.least(2);
  });

  it('given every Service, then it selects the pods of a workload in the manifests', () => {
    for (const service of byKind('Service') as Array<Doc & { spec: { selector: Record<string, string> } }>) {
      const match = workloads.some((w) => Object.entries(service.spec.selector).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));
      expect(match, `Service ${service.metadata.name}`).to.equal(true);
    }
  });

  it('given the database roles, then the app role connects everywhere and loses UPDATE, DELETE and TRUNCATE on the log; the owner role only migrates', () => {
    const appUrls = errandContainers.filter(({ container }) => !(container.command ?? []).join(' ').includes('migrate.ts')).map(({ container }) => environmentOf(container).DATABASE_URL);
    for (const url of appUrls) expect(url).to.match(/^postgres:\/\/errand_app:/);
    const migrate = errandContainers.find(({ container }) => (container.command ?? []).join(' ').includes('scripts/migrate.ts'))!;
    expect(environmentOf(migrate.container).DATABASE_URL).to.match(/^postgres:\/\/errand_owner:/);
    const grants = readFileSync('deploy/postgres/20-app-grants.sql', 'utf8');
    expect(grants).to.match(/REVOKE UPDATE, DELETE, TRUNCATE ON events FROM errand_app/);
    // One source for the SQL: the Kubernetes ConfigMap carries the same files as deploy/postgres.
    const init = byKind('ConfigMap').find((m) => m.metadata.name === 'postgres-init') as Doc & { data: Record<string, string> };
    for (const file of ['10-roles.sql', '20-app-grants.sql']) {
      const strip = (sql: string) => sql.split('\n').filter((l) => l.trim() && !l.trim().startsWith('--')).map((l) => l.trim()).join('\n');
      expect(strip(init.data[file]!)).to.equal(strip(readFileSync(join('deploy/postgres', file), 'utf8')));
    }
  });

  it('given the Compose file, then every Errand service loads its configuration, and every dependency and health check is declared', () => {
    const compose = parse(readFileSync('deploy/compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, { image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown>; healthcheck?: unknown; deploy?: { resources?: { limits?: unknown } } }> };
    const services = compose.services;
    expect(services).to.include.keys('postgres', 'redis', 'migrate', 'api', 'worker', 'gateway-psb', 'gateway-amr');
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(services, `${name} depends on ${dependency}`).to.have.property(dependency);
      if (service.image === 'errand:local') expect(() => loadConfig(service.environment ?? {}), name).to.not.throw();
    }
    for (const name of ['postgres', 'redis', 'api', 'gateway-psb', 'gateway-amr']) expect(services[name]!.healthcheck, name).to.not.equal(undefined);
    for (const name of ['api', 'worker']) expect(services[name]!.deploy?.resources?.limits, name).to.not.equal(undefined);
    expect(services.api!.environment!.DATABASE_URL).to.match(/^postgres:\/\/errand_app:/);
    expect(services.migrate!.environment!.DATABASE_URL).to.match(/^postgres:\/\/errand_owner:/);
  });
});
