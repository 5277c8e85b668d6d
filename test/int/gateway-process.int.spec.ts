import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadOrCreateSigningKey } from '../../adapters/evidence/index.ts';
import { createAuditorToken, type AccessLogEntry } from '../../adapters/gateway/index.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { assembleEvidenceProviders } from '../../adapters/evidence/index.ts';
import { gatewayKeyFiles, platformKeyFiles } from '../../adapters/evidence/index.ts';
import { createPersistentPlatformSigner } from '../../adapters/evidence/index.ts';
import { demoLibrary, requestFor, shippedCatalogue, subjectId } from '../contract/evidence-fixtures.ts';
import { postEvidence } from './gateway-fixture.ts';

interface Started {
  child: ChildProcess;
  line: { department: string; url: string; kid: string };
}

function startGatewayProcess(dataDir: string, port = 0): Promise<Started> {
  return spawnGateway(dataDir, port).then((outcome) => (outcome.started ? outcome.started : Promise.reject(new Error(`gateway exited with ${outcome.code}: ${outcome.stderr}`))));
}

/** Starts scripts/gateway.ts for PSB: answers its ready line, or how it exited (code and what it wrote to stderr). */
function spawnGateway(dataDir: string, port = 0): Promise<{ started?: Started; code?: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/gateway.ts', '--department', 'PSB', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ started: { child, line: JSON.parse(line) as Started['line'] }, stderr }));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** The gateway's access log as an auditor reads it over HTTP, signed with the gateway's own key from the data directory. */
async function accessLogOf(dataDir: string, url: string): Promise<AccessLogEntry[]> {
  const key = loadOrCreateSigningKey(gatewayKeyFiles(dataDir, 'PSB'), 'PSB-gateway');
  const token = await createAuditorToken({ privateKey: key.privateKey, kid: key.kid, department: 'PSB', auditor: 'A1' });
  const response = await fetch(`${url}/access-log?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).to.equal(200);
  return ((await response.json()) as { entries: AccessLogEntry[] }).entries;
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
}

describe('department gateway as its own process, keys kept in the data directory', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'errand-gateway-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given a platform that started once, when the gateway starts with defaults, then the platform reaches it through the router, and again after a gateway restart', async () => {
    const signer = createPersistentPlatformSigner({ dataDir });
    expect(statSync(platformKeyFiles(dataDir).privateKey).mode & 0o777).to.equal(0o600);
    let gateway = await startGatewayProcess(dataDir);
    const port = Number(new URL(gateway.line.url).port);
    const firstKid = gateway.line.kid;
    const providers = await assembleEvidenceProviders({
      evidence: { gateways: { PSB: gateway.line.url }, sqlLibraryUrl: null, demoLibrary: true, limits: {} },
      catalogue: shippedCatalogue(),
      signer,
      library: demoLibrary(),
      dataDir,
    });
    try {
      expect(providers.router.routeFor('PSB')).to.equal('gateway');
      expect(providers.router.routeFor('NRB')).to.equal('demo');
      const request = requestFor('household-registration', subjectId('instant-approval'), ['name']);
      expect((await providers.router.fetch(request)).status).to.equal('found');

      await stop(gateway);
      gateway = await startGatewayProcess(dataDir, port);
      expect(gateway.line.kid).to.equal(firstKid);
      expect(statSync(gatewayKeyFiles(dataDir, 'PSB').privateKey).mode & 0o777).to.equal(0o600);
      expect((await providers.router.fetch(request)).status).to.equal('found');
      // A restarted platform keeps its key, so the gateway still trusts it.
      expect(createPersistentPlatformSigner({ dataDir }).kid).to.equal(signer.kid);
    } finally {
      await providers.close();
      await stop(gateway);
    }
  });

  it('given a request answered before a gateway restart, when the same signed request is sent after it, then it is refused as a replay (by default, with no database)', async () => {
    const signer = createPersistentPlatformSigner({ dataDir });
    let gateway = await startGatewayProcess(dataDir);
    const port = Number(new URL(gateway.line.url).port);
    try {
      const token = (await signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token;
      expect((await postEvidence(gateway.line.url, token)).status).to.equal(200);
      await stop(gateway);
      gateway = await startGatewayProcess(dataDir, port);
      const replay = await postEvidence(gateway.line.url, token);
      expect(replay.status).to.equal(401);
    } finally {
      await stop(gateway);
    }
  });

  it('given deliveries logged by a gateway without --access-log-url, when it restarts, then its access log still holds them and numbering goes on', async () => {
    const signer = createPersistentPlatformSigner({ dataDir });
    let gateway = await startGatewayProcess(dataDir);
    try {
      const before = (await accessLogOf(dataDir, gateway.line.url)).length;
      const token = (await signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token;
      expect((await postEvidence(gateway.line.url, token)).status).to.equal(200);
      const logged = await accessLogOf(dataDir, gateway.line.url);
      expect(logged).to.have.length(before + 1);
      await stop(gateway);
      gateway = await startGatewayProcess(dataDir);
      expect(await accessLogOf(dataDir, gateway.line.url)).to.deep.equal(logged);
      const next = (await signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token;
      expect((await postEvidence(gateway.line.url, next)).status).to.equal(200);
      const after = await accessLogOf(dataDir, gateway.line.url);
      expect(after.map((entry) => entry.seq)).to.deep.equal(Array.from({ length: before + 2 }, (_, i) => i + 1));
    } finally {
      await stop(gateway);
    }
  });

  it('given a gateway running on a data directory, when a second gateway of the same department starts on it, then the second is refused and says why, and the first keeps answering', async () => {
    const signer = createPersistentPlatformSigner({ dataDir });
    const first = await startGatewayProcess(dataDir);
    try {
      const second = await spawnGateway(dataDir);
      if (second.started) await stop(second.started);
      expect(second.started, 'a second gateway of PSB started on the same data directory').to.equal(undefined);
      expect(second.code).to.equal(2);
      expect(second.stderr).to.match(/gateway folder of PSB .* is in use by process \d+/);
      const token = (await signer.sign(requestFor('household-registration', subjectId('instant-approval'), ['name']), 'PSB')).token;
      expect((await postEvidence(first.line.url, token)).status).to.equal(200);
    } finally {
      await stop(first);
    }
  });
});
