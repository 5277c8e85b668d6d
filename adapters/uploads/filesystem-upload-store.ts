import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHA256_HEX, type UploadStore } from '../../domain/ports/uploads.ts';

/**
 * Files under DATA_DIR/uploads, named by their hash: the embedded default. Several API processes need the directory
 * on shared storage; with DATABASE_URL set, the PostgreSQL store is used instead.
 */
export function createFilesystemUploadStore(dataDir: string): UploadStore {
  const dir = join(dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  const exists = (file: string) => stat(file).then(() => true, () => false);
  return {
    kind: 'filesystem',
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = join(dir, sha256);
      if (!(await exists(file))) {
        // Written aside and renamed, so a reader never sees half a file and two writers of one file both succeed.
        const partial = join(dir, `.${sha256}.${randomUUID()}.partial`);
        await writeFile(partial, bytes);
        await rename(partial, file);
      }
      return { sha256, size: bytes.length };
    },
    async get(sha256) {
      if (!SHA256_HEX.test(sha256)) return null;
      return readFile(join(dir, sha256)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
    },
    async delete(sha256) {
      if (!SHA256_HEX.test(sha256)) return false;
      return unlink(join(dir, sha256)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return false;
          throw error;
        },
      );
    },
    async close() {},
  };
}
