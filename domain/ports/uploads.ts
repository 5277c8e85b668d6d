/**
 * The files citizens upload, by content hash: the case's events name a file by its sha256, so a retried upload stores
 * nothing twice and a file can be checked against the hash the case recorded. This is primary data, not a read
 * model: nothing can rebuild it.
 */
export interface UploadStore {
  readonly kind: 'filesystem' | 'postgres';
  /**
   * Stores the file for a case. The case is kept with it before any event names the file: a process stopped between
   * the two leaves a file only this store knows of, and deleteOfCase still finds it when the case is erased.
   */
  put(bytes: Buffer, caseId: string): Promise<StoredUpload>;
  /**
   * Takes back one put whose upload was refused after it (its event was never appended: another command moved the
   * case meanwhile), so a refused upload stores no byte. Only that put's hold goes: the bytes stay while any other
   * put holds them (the same file uploaded at the same moment by another request, to another material or case) and
   * when the file was stored before holds were kept (named only by its case's events). Answers true when the bytes
   * were deleted; a second release, or one after the case was erased, does nothing.
   */
  release(caseId: string, upload: Pick<StoredUpload, 'sha256' | 'uploadId'>): Promise<boolean>;
  /** The file with that hash, or null when none is held (or the hash is malformed). */
  get(sha256: string): Promise<Buffer | null>;
  /** Removes the file (erasure: its subject's data is crypto-shredded); true when one was held. */
  delete(sha256: string): Promise<boolean>;
  /**
   * Erasure of a case's files: every file stored for it (whether or not an event names it) and the files `named` by
   * its events, except those another case stored too and still holds (the same scan uploaded to two cases: erasing
   * one must not take the other's, which may be under a legal hold). Files stored before files were kept per case
   * are known only by name and go as named. Answers the hashes whose files were deleted.
   */
  deleteOfCase(caseId: string, named?: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface StoredUpload {
  sha256: string;
  size: number;
  /** This put's own hold on the file, unique per put: what release takes back. */
  uploadId: string;
}

export const SHA256_HEX = /^[a-f0-9]{64}$/;

/** A case id as the file system store may use it in a path (case ids are UUIDs). */
export const UPLOAD_CASE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** An upload id as stores make them (UUIDs), safe in a path like a case id. */
export const UPLOAD_ID = UPLOAD_CASE_ID;
