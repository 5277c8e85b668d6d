import { createHash } from 'node:crypto';
import { mkdirSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredUpload {
  sha256: string;
  size: number;
}

/**
 * Uploaded materials, content-addressed under DATA_DIR/uploads so a retried upload stores nothing twice. Several API
 * processes need this directory on shared storage (or an object-store adapter behind the same two functions).
 */
export function createUploadStore(dataDir: string) {
  const dir = join(dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  return {
    put(bytes: Buffer): StoredUpload {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = join(dir, sha256);
      if (!existsSync(file)) writeFileSync(file, bytes);
      return { sha256, size: bytes.length };
    },
    get(sha256: string): Buffer | null {
      if (!/^[a-f0-9]{64}$/.test(sha256)) return null;
      const file = join(dir, sha256);
      return existsSync(file) ? readFileSync(file) : null;
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
