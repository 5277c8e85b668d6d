import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/gateway.ts', '--department', 'PSB', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, line: JSON.parse(line) as Started['line'] }));
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
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
      evidence: { gateways: { PSB: gateway.line.url }, sqlLibraryUrl: null, demoLibrary: true },
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
});
