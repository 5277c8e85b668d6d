/**
 * The files citizens upload, by content hash: the case's events name a file by its sha256, so a retried upload stores
 * nothing twice and a file can be checked against the hash the case recorded. This is primary data, not a read
 * model: nothing can rebuild it.
 */
export interface UploadStore {
  readonly kind: 'filesystem' | 'postgres';
  put(bytes: Buffer): Promise<StoredUpload>;
  /** The file with that hash, or null when none is held (or the hash is malformed). */
  get(sha256: string): Promise<Buffer | null>;
  /** Removes the file (erasure: its subject's data is crypto-shredded); true when one was held. */
  delete(sha256: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface StoredUpload {
  sha256: string;
  size: number;
}

export const SHA256_HEX = /^[a-f0-9]{64}$/;
