import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFilesystemUploadStore } from '../../adapters/uploads/index.ts';
import { createPostgresUploadStore } from '../../adapters/uploads/postgres/index.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { uploadStoreContract } from './upload-store.contract.ts';

uploadStoreContract('filesystem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'errand-uploads-'));
  return {
    store: createFilesystemUploadStore(dir),
    another: async () => createFilesystemUploadStore(dir),
    async forgetHolders(sha256) {
      rmSync(join(dir, 'uploads', 'holders', sha256), { recursive: true, force: true });
      rmSync(join(dir, 'uploads', 'cases'), { recursive: true, force: true });
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

uploadStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('uploads');
  const store = await createPostgresUploadStore({ connectionString: database.url });
  return {
    store,
    another: () => createPostgresUploadStore({ connectionString: database.url }),
    async forgetHolders(sha256) {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query('DELETE FROM upload_cases WHERE sha256 = $1', [sha256]);
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});
