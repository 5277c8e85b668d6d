import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHA256_HEX, UPLOAD_CASE_ID, UPLOAD_ID, type UploadStore } from '../../domain/ports/uploads.ts';

/**
 * Files under DATA_DIR/uploads, named by their hash: the embedded default. Several API processes need the directory
 * on shared storage; with DATABASE_URL set, the PostgreSQL store is used instead. DATA_DIR/uploads/cases/<caseId>
 * holds an empty file per hash stored for that case, and DATA_DIR/uploads/holders/<hash> one per put that stored it,
 * <caseId>.<uploadId> (or <caseId> alone, from before puts had ids), so a refused upload's put can be taken back
 * without taking the file from another put. DATA_DIR/uploads/named-only/<hash> marks a file stored before holders
 * were kept: its cases are known only by the events naming it, so no release may delete it.
 */
/**
 * Runs `work` once every earlier holder of `key` is done: an exclusive section per key, within this process. Nothing
 * fails another: a section that throws still lets the next one in.
 */
function keyedLock() {
  const tails = new Map<string, Promise<void>>();
  return async function locked<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export function createFilesystemUploadStore(dataDir: string): UploadStore {
  const dir = join(dataDir, 'uploads');
  const cases = join(dir, 'cases');
  const holders = join(dir, 'holders');
  const namedOnly = join(dir, 'named-only');
  const holdsFor = (caseId: string) => (mark: string) => mark === caseId || mark.startsWith(`${caseId}.`);
  const listing = (folder: string) =>
    readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
  mkdirSync(dir, { recursive: true });
  // A put and an erasure touch the same marks and file: an erasure of another case holding the file saw no other
  // holder while a put was between its mark and its check for the bytes, and took the file (or the holders' folder
  // under the put's feet, failing it). Each file's marks and bytes change under its hash's lock, and a case's marks
  // under the case's, always case before hash. Within this process only: the embedded default is one process
  // (runtime/folder-lock.ts); API processes sharing the folder (EventStoreDB for events) are not ordered (README).
  const lock = keyedLock();
  const exists = (file: string) => stat(file).then(() => true, () => false);
  const unlinkIfThere = (file: string) =>
    unlink(file).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
  return {
    kind: 'filesystem',
    async put(bytes, caseId) {
      if (!UPLOAD_CASE_ID.test(caseId)) throw new RangeError(`not a case id: ${caseId}`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const uploadId = randomUUID();
      const file = join(dir, sha256);
      await lock(`case:${caseId}`, () =>
        lock(`file:${sha256}`, async () => {
          // The case's mark before the bytes: stopped in between, erasing the case finds a mark and no file, never the reverse.
          await mkdir(join(cases, caseId), { recursive: true });
          await writeFile(join(cases, caseId, sha256), '');
          await mkdir(join(holders, sha256), { recursive: true });
          // Bytes no put holds were stored before holders were kept: only its case's events name them, so taking
          // back this put must not take them.
          if ((await exists(file)) && (await listing(join(holders, sha256))).length === 0) {
            await mkdir(namedOnly, { recursive: true });
            await writeFile(join(namedOnly, sha256), '');
          }
          await writeFile(join(holders, sha256, `${caseId}.${uploadId}`), '');
          if (!(await exists(file))) {
            // Written aside and renamed, so a reader never sees half a file and two writers of one file both succeed.
            const partial = join(dir, `.${sha256}.${randomUUID()}.partial`);
            await writeFile(partial, bytes);
            await rename(partial, file);
          }
        }),
      );
      return { sha256, size: bytes.length, uploadId };
    },
    async release(caseId, { sha256, uploadId }) {
      if (!UPLOAD_CASE_ID.test(caseId) || !SHA256_HEX.test(sha256) || !UPLOAD_ID.test(uploadId)) return false;
      return lock(`case:${caseId}`, () =>
        lock(`file:${sha256}`, async () => {
          if (!(await unlinkIfThere(join(holders, sha256, `${caseId}.${uploadId}`)))) return false;
          const left = await listing(join(holders, sha256));
          let deleted = false;
          if (left.length === 0 && !(await exists(join(namedOnly, sha256)))) {
            deleted = await unlinkIfThere(join(dir, sha256));
            await rm(join(holders, sha256), { recursive: true, force: true });
          }
          // The case's mark last, and only when no other put of this case holds the file: stopped before, an
          // erasure of the case still finds what is left.
          if (!left.some(holdsFor(caseId))) await unlinkIfThere(join(cases, caseId, sha256));
          return deleted;
        }),
      );
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
      return lock(`file:${sha256}`, () => unlinkIfThere(join(dir, sha256)));
    },
    async deleteOfCase(caseId, named = []) {
      if (!UPLOAD_CASE_ID.test(caseId)) return [];
      return lock(`case:${caseId}`, async () => {
        const wanted = new Set([...(await listing(join(cases, caseId))), ...named].filter((name) => SHA256_HEX.test(name)));
        const deleted: string[] = [];
        // Files before the case's marks: stopped half-way, the marks left still lead the next erasure to what is left.
        for (const sha256 of wanted) {
          await lock(`file:${sha256}`, async () => {
            for (const mark of (await listing(join(holders, sha256))).filter(holdsFor(caseId))) await unlinkIfThere(join(holders, sha256, mark));
            // Another case that stored the same bytes still holds them.
            if ((await listing(join(holders, sha256))).length > 0) return;
            if (await unlinkIfThere(join(dir, sha256))) deleted.push(sha256);
            await unlinkIfThere(join(namedOnly, sha256));
            await rm(join(holders, sha256), { recursive: true, force: true });
          });
        }
        await rm(join(cases, caseId), { recursive: true, force: true });
        return deleted.sort();
      });
    },
    async close() {},
  };
}
