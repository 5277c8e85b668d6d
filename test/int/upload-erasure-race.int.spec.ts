import { expect } from 'chai';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { createPostgresUploadStore } from '../../adapters/uploads/postgres/index.ts';
import type { UploadStore } from '../../domain/ports/uploads.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

/** An advisory lock key of this test's own database: a put for the held case waits on it before it commits. */
const GATE = 770_311;

/**
 * Files are kept once by content hash, with a row per case holding them. Two API processes: one stores a scan for a
 * case while the other erases another case that stored the same scan. The erasure must not take the file the
 * upload just stored (its MaterialUploaded would then name a file no one can download).
 */
describe('uploads: a file stored for one case while another case holding it is erased (PostgreSQL)', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let store: UploadStore;
  let eraser: UploadStore;
  let admin: pg.Client;

  before(async () => {
    database = await createTestDatabase('upload-erasure-race');
    store = await createPostgresUploadStore({ connectionString: database.url });
    eraser = await createPostgresUploadStore({ connectionString: database.url });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    // Holds the storing statement open after its rows are written, until the test lets it commit.
    await admin.query(`CREATE FUNCTION upload_gate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.case_id = 'case-held' THEN
          PERFORM pg_advisory_lock_shared(${GATE});
          PERFORM pg_advisory_unlock_shared(${GATE});
        END IF;
        RETURN NEW;
      END $$`);
    await admin.query('CREATE TRIGGER upload_gate AFTER INSERT ON upload_cases FOR EACH ROW EXECUTE FUNCTION upload_gate()');
  });

  after(async () => {
    await admin?.end();
    await store?.close();
    await eraser?.close();
    await database?.drop();
  });

  it('given a case erased while another case is storing the same file, when both have committed, then the file the second case stored is still there', async () => {
    const bytes = Buffer.from('the same scan, uploaded to two cases');
    const hash = createHash('sha256').update(bytes).digest('hex');
    await store.put(bytes, 'case-erased');

    await admin.query('SELECT pg_advisory_lock($1)', [GATE]);
    let storing: Promise<unknown> = Promise.resolve();
    try {
      storing = store.put(bytes, 'case-held');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rows } = await admin.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        );
        if (rows[0]!.n > 0) break;
        if (Date.now() > deadline) throw new Error('the upload never reached the gate');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The erasure runs to its end or waits for the upload: either way it is not told to wait here by the test.
      const erasing = eraser.deleteOfCase('case-erased');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await admin.query('SELECT pg_advisory_unlock($1)', [GATE]);
      await storing;
      await erasing;
    } finally {
      await admin.query('SELECT pg_advisory_unlock_all()');
      await storing.catch(() => undefined);
    }

    const kept = await store.get(hash);
    expect(kept, 'the file case-held stored').to.not.equal(null);
    expect(Buffer.compare(kept!, bytes)).to.equal(0);
    // And it still goes with its last holder.
    expect(await eraser.deleteOfCase('case-held')).to.deep.equal([hash]);
    expect(await store.get(hash)).to.equal(null);
  });
});
