/**
 * `npm run privacy-keys -- <command>`: the master key file that wraps every subject key (README, "Personal data").
 *
 *   new <file>        writes a fresh key file (owner-only), refusing to overwrite one: one per deployment, mounted
 *                     into every API and worker process as PRIVACY_KEYS_FILE
 *   add-key <file>    adds a new master key and makes it current; the old one stays so existing keys still open
 *   rewrap            with the configured stores (DATABASE_URL or the embedded default), wraps every live subject
 *                     key again under the current master key; the log is not touched. Afterwards the old master
 *                     key may be removed from the file.
 *
 * The lookup secret (the keyed hash of ID numbers) is never rotated here: the references in the log would change.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileDurably } from '../adapters/durable-file.ts';
import { loadConfig } from '../adapters/config/index.ts';
import { newMasterKeyFile, parseMasterKeys, type MasterKeyFile } from '../adapters/key-store/index.ts';
import { openStores } from '../runtime/stores.ts';
import { runIfMain } from './run-if-main.ts';

const USAGE = 'usage: npm run privacy-keys -- new <file> | add-key <file> | rewrap';

export async function privacyKeys(argv: string[], env: NodeJS.ProcessEnv = process.env, say: (line: string) => void = console.log): Promise<number> {
  const [command, file] = argv;
  if (command === 'new' && file) {
    if (existsSync(file)) throw new Error(`${file} exists; a new file would orphan every key wrapped under it`);
    if (!writeFileDurably(file, `${JSON.stringify(newMasterKeyFile(), null, 2)}\n`, { mode: 0o600, exclusive: true })) throw new Error(`${file} exists; a new file would orphan every key wrapped under it`);
    say(`wrote ${file}`);
    return 0;
  }
  if (command === 'add-key' && file) {
    const content = JSON.parse(readFileSync(file, 'utf8')) as MasterKeyFile;
    parseMasterKeys(content, file);
    let id = `m${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
    for (let n = 2; content.keys[id] !== undefined; n += 1) id = `m${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${n}`;
    const next: MasterKeyFile = { ...content, current: id, keys: { ...content.keys, [id]: randomBytes(32).toString('base64') } };
    // Replaced whole: stopped half-way, the old file (every key that opens today) is what remains.
    writeFileDurably(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    say(`added master key ${id} to ${file} and made it current; run \`npm run privacy-keys -- rewrap\` next`);
    return 0;
  }
  if (command === 'rewrap') {
    const stores = await openStores(loadConfig(env));
    try {
      const count = await stores.keys.rewrap();
      say(`re-wrapped ${count} subject keys under the current master key`);
    } finally {
      await stores.close();
    }
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

runIfMain(import.meta.url, 'privacy-keys', (argv) => privacyKeys(argv));
