import { mkdtempSync, rmSync } from 'node:fs';
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
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
});
