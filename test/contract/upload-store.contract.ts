import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { UploadStore } from '../../adapters/uploads/index.ts';

export interface UploadStoreHarness {
  store: UploadStore;
  /** Another store over the same files, as another API process would open it. */
  another(): Promise<UploadStore>;
  /** Leaves the file's bytes and drops the store's record of which cases hold it, as a release before that kept none. */
  forgetHolders(sha256: string): Promise<void>;
  cleanup(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The behaviour every UploadStore adapter must show. Files are random per test, so none depends on an empty store. */
export function uploadStoreContract(name: string, open: () => Promise<UploadStoreHarness>): void {
  describe(`UploadStore contract: ${name}`, () => {
    let harness: UploadStoreHarness;
    let caseId: string;
    beforeEach(async () => {
      harness = await open();
      caseId = randomUUID();
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    it('given a file, when put, then it is named by its sha256 and read back byte for byte, every byte value included', async () => {
      const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(1000)]);
      const stored = await harness.store.put(bytes, caseId);
      expect(stored).to.deep.include({ sha256: sha256(bytes), size: bytes.length });
      expect(stored.uploadId).to.be.a('string').and.not.equal('');
      expect((await harness.store.get(stored.sha256))!.equals(bytes)).to.equal(true);
    });

    it('given a stored file, when deleted, then it is gone for every process, a second delete answers false, and a malformed hash deletes nothing', async () => {
      const bytes = randomBytes(2048);
      const kept = randomBytes(2048);
      const stored = await harness.store.put(bytes, caseId);
      await harness.store.put(kept, caseId);
      expect(await harness.store.delete(stored.sha256)).to.equal(true);
      expect(await harness.store.get(stored.sha256)).to.equal(null);
      const other = await harness.another();
      expect(await other.get(stored.sha256)).to.equal(null);
      await other.close();
      expect(await harness.store.delete(stored.sha256)).to.equal(false);
      expect(await harness.store.delete('../etc')).to.equal(false);
      expect((await harness.store.get(sha256(kept)))!.equals(kept)).to.equal(true);
    });

    it('given the same bytes put again, also at once, then every put answers the same and one file is kept', async () => {
      const bytes = randomBytes(4096);
      const answers = await Promise.all(Array.from({ length: 6 }, () => harness.store.put(bytes, caseId)));
      expect(new Set(answers.map((a) => a.sha256)).size).to.equal(1);
      expect((await harness.store.put(bytes, caseId)).sha256).to.equal(answers[0]!.sha256);
      expect((await harness.store.get(answers[0]!.sha256))!.equals(bytes)).to.equal(true);
      const other = randomBytes(4096);
      expect((await harness.store.put(other, caseId)).sha256).to.not.equal(answers[0]!.sha256);
    });

    it('given files put for a case, one also put for another case, when the case\'s files are deleted, then its own are gone for every process and the one the other case holds too stays until that case\'s go', async () => {
      const first = randomBytes(1024);
      const shared = randomBytes(1024);
      const others = randomBytes(1024);
      const otherCase = randomUUID();
      await harness.store.put(first, caseId);
      await harness.store.put(shared, caseId);
      await harness.store.put(shared, otherCase);
      await harness.store.put(others, otherCase);
      expect(await harness.store.deleteOfCase(caseId, [sha256(shared)])).to.deep.equal([sha256(first)]);
      const other = await harness.another();
      try {
        expect(await other.get(sha256(first))).to.equal(null);
        expect((await other.get(sha256(shared)))!.equals(shared)).to.equal(true);
        expect((await other.get(sha256(others)))!.equals(others)).to.equal(true);
      } finally {
        await other.close();
      }
      expect(await harness.store.deleteOfCase(caseId)).to.deep.equal([]);
      expect(await harness.store.deleteOfCase('../..')).to.deep.equal([]);
      expect(await harness.store.deleteOfCase(otherCase)).to.deep.equal([sha256(shared), sha256(others)].sort());
      expect(await harness.store.get(sha256(shared))).to.equal(null);
    });

    it('given a case erased while another case stores the same file, at once and again and again, then every put succeeds and the file the other case stored stays', async () => {
      for (let round = 0; round < 30; round += 1) {
        const bytes = randomBytes(2048);
        const [erased, storing] = [randomUUID(), randomUUID()];
        await harness.store.put(bytes, erased);
        const [stored] = await Promise.all([harness.store.put(bytes, storing), harness.store.deleteOfCase(erased)]);
        expect(stored.sha256).to.equal(sha256(bytes));
        expect((await harness.store.get(sha256(bytes)))?.equals(bytes), `round ${round}: the file is gone`).to.equal(true);
        expect(await harness.store.deleteOfCase(storing)).to.deep.equal([sha256(bytes)]);
      }
    });

    it('given a case erased while a file is stored for it at once, then the put either came first and went with the erasure or came after and stays, never half of each', async () => {
      for (let round = 0; round < 30; round += 1) {
        const bytes = randomBytes(1024);
        const id = randomUUID();
        const [, erased] = await Promise.all([harness.store.put(bytes, id), harness.store.deleteOfCase(id)]);
        const kept = await harness.store.get(sha256(bytes));
        // Gone with the erasure, or stored after it with its mark, so a second erasure takes it.
        if (erased.length === 1) expect(kept, `round ${round}`).to.equal(null);
        else expect(await harness.store.deleteOfCase(id), `round ${round}`).to.deep.equal(kept ? [sha256(bytes)] : []);
        expect(await harness.store.get(sha256(bytes))).to.equal(null);
      }
    });

    it('given a file its case\'s events name but that was stored before files were kept per case, when the case\'s files are deleted, then it goes as named', async () => {
      const bytes = randomBytes(512);
      const { sha256: hash } = await harness.store.put(bytes, randomUUID());
      // As a release before per-case files left it: the bytes, and no record of which case holds them.
      await harness.forgetHolders(hash);
      expect(await harness.store.deleteOfCase(caseId, [hash, 'not-a-hash'])).to.deep.equal([hash]);
      expect(await harness.store.get(hash)).to.equal(null);
    });

    it('given a put taken back (its upload refused), then its file is gone for every process, the case holds nothing, and a second release does nothing', async () => {
      const bytes = randomBytes(2048);
      const kept = randomBytes(2048);
      const refused = await harness.store.put(bytes, caseId);
      await harness.store.put(kept, caseId);
      expect(await harness.store.release(caseId, refused)).to.equal(true);
      const other = await harness.another();
      try {
        expect(await other.get(sha256(bytes))).to.equal(null);
      } finally {
        await other.close();
      }
      expect(await harness.store.release(caseId, refused)).to.equal(false);
      expect(await harness.store.release(randomUUID(), refused)).to.equal(false);
      expect(await harness.store.release('../etc', { sha256: '../x', uploadId: '..' })).to.equal(false);
      expect((await harness.store.get(sha256(kept)))!.equals(kept)).to.equal(true);
      // Only the file still held is left for the case's erasure.
      expect(await harness.store.deleteOfCase(caseId)).to.deep.equal([sha256(kept)]);
    });

    it('given the same file put by two uploads of one case and by another case, when puts are taken back one by one, then the file stays while any put holds it and goes with the last', async () => {
      const bytes = randomBytes(2048);
      const otherCase = randomUUID();
      const first = await harness.store.put(bytes, caseId);
      const second = await harness.store.put(bytes, caseId);
      const elsewhere = await harness.store.put(bytes, otherCase);
      expect(first.uploadId).to.not.equal(second.uploadId);
      expect(await harness.store.release(caseId, first)).to.equal(false);
      expect((await harness.store.get(sha256(bytes)))!.equals(bytes), 'held by the second upload').to.equal(true);
      expect(await harness.store.release(caseId, second)).to.equal(false);
      expect((await harness.store.get(sha256(bytes)))!.equals(bytes), 'held by the other case').to.equal(true);
      // The case took its puts back: erasing it leaves the other case's file.
      expect(await harness.store.deleteOfCase(caseId)).to.deep.equal([]);
      expect((await harness.store.get(sha256(bytes)))!.equals(bytes)).to.equal(true);
      expect(await harness.store.release(otherCase, elsewhere)).to.equal(true);
      expect(await harness.store.get(sha256(bytes))).to.equal(null);
    });

    it('given a put taken back while another upload puts the same file, at once and again and again, then the file the other put stored stays', async () => {
      for (let round = 0; round < 30; round += 1) {
        const bytes = randomBytes(2048);
        const refused = await harness.store.put(bytes, caseId);
        const [, kept] = await Promise.all([harness.store.release(caseId, refused), harness.store.put(bytes, round % 2 ? caseId : randomUUID())]);
        expect((await harness.store.get(sha256(bytes)))?.equals(bytes), `round ${round}: the file is gone`).to.equal(true);
        expect(kept.sha256).to.equal(sha256(bytes));
      }
    });

    it('given a file stored before files were kept per case, when an upload of the same file is put and taken back, then the file its old case\'s events name stays', async () => {
      const bytes = randomBytes(512);
      const { sha256: hash } = await harness.store.put(bytes, randomUUID());
      await harness.forgetHolders(hash);
      const refused = await harness.store.put(bytes, caseId);
      expect(await harness.store.release(caseId, refused)).to.equal(false);
      expect((await harness.store.get(hash))!.equals(bytes)).to.equal(true);
      // Still erased as named by its case's events.
      expect(await harness.store.deleteOfCase(randomUUID(), [hash])).to.deep.equal([hash]);
      expect(await harness.store.get(hash)).to.equal(null);
    });

    it('refuses to put a file for something that is not a case id', async () => {
      const refused = await harness.store.put(randomBytes(16), '../etc').then(() => null, (error: Error) => error);
      expect(refused).to.be.instanceOf(RangeError);
    });

    it('holds a 5 MB file whole', async () => {
      const bytes = randomBytes(5 * 1024 * 1024);
      const { sha256: hash } = await harness.store.put(bytes, caseId);
      expect((await harness.store.get(hash))!.equals(bytes)).to.equal(true);
    });

    it('answers null for a hash it does not hold, and for anything that is not a lower-case sha256', async () => {
      expect(await harness.store.get(sha256(randomBytes(16)))).to.equal(null);
      const stored = await harness.store.put(randomBytes(64), caseId);
      for (const bad of ['../etc/passwd', stored.sha256.toUpperCase(), `${stored.sha256}x`, stored.sha256.slice(1), '']) {
        expect(await harness.store.get(bad), JSON.stringify(bad)).to.equal(null);
      }
    });

    it('given a file put through one process, then another process over the same store reads it', async () => {
      const bytes = randomBytes(2048);
      const { sha256: hash } = await harness.store.put(bytes, caseId);
      const other = await harness.another();
      try {
        expect((await other.get(hash))!.equals(bytes)).to.equal(true);
      } finally {
        await other.close();
      }
    });
  });
}
