import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import { createPGliteEventStore } from '../../adapters/event-store/pglite/index.ts';
import { createCertificateRegistry, type CertificateRegistryOptions } from '../../adapters/certificates/registry.ts';
import { createMemoryReadStore } from '../../adapters/read-store/memory/index.ts';
import { CERTIFICATE_REVOKED, certificateStream } from '../../domain/certificates/certificate.ts';
import type { EventStore } from '../../domain/ports/event-store.ts';
import type { CaseView } from '../../projections/views/case-view/index.ts';

/**
 * Two approvers of the issuing department revoking one certificate at the same moment: one revocation is recorded,
 * and the other approver is told it was revoked already, whatever lands between the registry's reads.
 */
describe('certificate revocation, with another revocation at the same moment', function () {
  this.timeout(60_000);
  const CERTIFICATE = 'PSB-2026-000000000042';
  const clock = { now: () => new Date('2026-06-01T08:00:00Z') };
  const view = { caseId: 'c1', department: 'PSB', revocation: null, certificate: { certificateNo: CERTIFICATE, certificateType: 't', issuedOn: '2026-01-05', validUntil: '2031-01-04' } } as unknown as CaseView;
  let pglite: PGlite;
  let eventStore: EventStore;
  let dataDir: string;

  beforeEach(async () => {
    pglite = new PGlite();
    eventStore = await createPGliteEventStore({ pglite });
    dataDir = mkdtempSync(join(tmpdir(), 'errand-certificate-revocation-'));
  });
  afterEach(async () => {
    await pglite.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const registryOver = (store: EventStore) =>
    createCertificateRegistry({
      eventStore: store,
      readStore: createMemoryReadStore(),
      services: { get: () => undefined },
      dataCatalogue: {} as CertificateRegistryOptions['dataCatalogue'],
      dataDir,
      timeZone: 'Asia/Shanghai',
      clock,
    });
  const approver = (id: string) => ({ kind: 'clerk' as const, id, department: 'PSB' });

  it('given another approver\'s revocation recorded after this one read the certificate\'s stream, when this revocation is recorded, then it is refused as already revoked and the stream holds one revocation, the first', async () => {
    let reads = 0;
    // The other approver's revocation lands just after the read this revocation is decided on (the second read of
    // the stream: the first looks for an expiry to record).
    const racing: EventStore = {
      ...eventStore,
      readStream: async (stream, options) => {
        const events = await eventStore.readStream(stream, options);
        if (stream === certificateStream(CERTIFICATE) && ++reads === 2) {
          expect(await registryOver(eventStore).revoke(view, 'issued in error', approver('approver-1'), 'revoke-1')).to.have.property('replayed', false);
        }
        return events;
      },
    };
    const outcome = await registryOver(racing).revoke(view, 'holder deceased', approver('approver-2'), 'revoke-2');

    expect(reads, 'the race was staged').to.be.at.least(2);
    expect(outcome).to.equal('already-revoked');
    const revocations = (await eventStore.readStream(certificateStream(CERTIFICATE))).filter((e) => e.type === CERTIFICATE_REVOKED);
    expect(revocations.map((e) => e.data.reason)).to.deep.equal(['issued in error']);
  });
});
