/**
 * Audit from the command line, against the stores the environment configures (DATABASE_URL / READ_DATABASE_URL
 * PostgreSQL, MONGO_URL, else the embedded PGlite under DATA_DIR):
 *
 *   npm run audit -- verify [--json] [--head FILE ...] [--jwks FILE]
 *   npm run audit -- head [--out FILE]
 *
 * verify checks the event log itself (every hash link recomputed from the events table, the chain of signed heads
 * kept beside it, and each exported head FILE an auditor kept: signature by the platform key, then the log must
 * still hold exactly what the head vouched for), then the audit trail projection's own chain. Prints the first bad
 * event's position and exits 1 on any failure. head signs the log's current head with the platform key and writes
 * it as JSON (to FILE, else stdout) for an auditor to keep. Public keys: the platform JWKS under DATA_DIR, or --jwks.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { JWK } from 'jose';
import type { EventStore } from '../adapters/event-store/index.ts';
import { publishHead, type ExportedHead } from '../adapters/log-heads/heads.ts';
import { auditEventLog } from '../adapters/log-heads/verify.ts';
import type { HeadSigner } from '../adapters/log-heads/sign.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import { verifyStoredChain } from '../projections/audit/index.ts';
import { runIfMain } from './run-if-main.ts';

const USAGE = 'usage: audit verify [--json] [--head FILE ...] [--jwks FILE] | audit head [--out FILE]';

export interface AuditCliDeps {
  readStore?: ReadStore;
  /** The event log and the platform's public keys; without it only the audit trail projection is checked. */
  log?: { eventStore: EventStore; keys: JWK[]; signer?: HeadSigner };
  readFile?: (path: string) => string;
  writeFile?: (path: string, text: string) => void;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export interface AuditArgs {
  command: 'verify' | 'head';
  json: boolean;
  heads: string[];
  jwks: string[];
  out?: string;
}

/**
 * Strict: an option this command does not take, a flag without its file, or a stray word is refused. A verify that
 * quietly dropped a mistyped `--heads kept.json` would answer "log intact" without ever reading the head the auditor
 * kept, which is the one check a rewritten log cannot pass. `--head FILE` and `--head=FILE` both work.
 */
export function parseAuditArgs(argv: string[]): AuditArgs {
  const [command, ...rest] = argv;
  if (command !== 'verify' && command !== 'head') throw new TypeError('the command is verify or head');
  const options: ParseArgsConfig['options'] = command === 'verify'
    ? { json: { type: 'boolean' }, head: { type: 'string', multiple: true }, jwks: { type: 'string', multiple: true } }
    : { out: { type: 'string' } };
  const { values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false });
  const given = values as { json?: boolean; head?: string[]; jwks?: string[]; out?: string };
  for (const file of [...(given.head ?? []), ...(given.jwks ?? []), ...(given.out === undefined ? [] : [given.out])]) {
    if (file === '' || file.startsWith('-')) throw new TypeError(`a file name was expected, got "${file}"`);
  }
  return { command, json: given.json ?? false, heads: given.head ?? [], jwks: given.jwks ?? [], ...(given.out === undefined ? {} : { out: given.out }) };
}

export async function runAuditCommand(argv: string[], deps: AuditCliDeps): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (error) {
    deps.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'head') return headCommand(args, deps);
  const json = args.json;
  let code = 0;
  if (deps.log) code = Math.max(code, await verifyLogCommand(args.heads, json, deps.log, deps));
  if (deps.readStore) {
    const verdict = await verifyStoredChain(deps.readStore);
    if (json) deps.stdout.write(`${JSON.stringify(verdict)}\n`);
    else if (verdict.ok) deps.stdout.write(`chain intact: ${verdict.checked} entries\n`);
    else {
      const broken = verdict.firstBroken!;
      deps.stdout.write(`chain broken at seq ${broken.seq} (id ${broken.id}): ${broken.reason}; ${verdict.checked} entries before it are intact\n`);
    }
    code = Math.max(code, verdict.ok ? 0 : 1);
  }
  return code;
}

async function verifyLogCommand(files: string[], json: boolean, log: NonNullable<AuditCliDeps['log']>, deps: AuditCliDeps): Promise<number> {
  const read = deps.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const exported = files.map((file) => JSON.parse(read(file)) as ExportedHead);
  const result = await auditEventLog(log.eventStore, log.keys, exported);
  if (!result) {
    deps.stdout.write(`event log: the ${log.eventStore.kind} store keeps no hash links; nothing to verify there\n`);
    return 0;
  }
  const bad = result.firstBad;
  const text = result.ok
    ? `log intact: ${result.checked} events up to position ${result.last?.position ?? 0}, consistent with ${result.heads} signed heads`
    : bad!.head
      ? `${bad!.head === 'stored' ? 'signed' : 'exported'} head at position ${bad!.position} is bad: ${bad!.reason}`
      : `log broken at position ${bad!.position}: ${bad!.reason}; ${result.checked} events before it are intact`;
  deps.stdout.write(json ? `${JSON.stringify({ log: result })}\n` : `${text}\n`);
  return result.ok ? 0 : 1;
}

async function headCommand(args: AuditArgs, deps: AuditCliDeps): Promise<number> {
  if (!deps.log?.signer) {
    deps.stderr.write('audit head needs the event store and the platform signing key\n');
    return 2;
  }
  const head = await publishHead(deps.log.eventStore, deps.log.signer, undefined, deps.log.keys);
  if (!head) {
    deps.stderr.write('the log is empty: no head to sign\n');
    return 1;
  }
  const text = `${JSON.stringify(head, null, 2)}\n`;
  const out = args.out;
  if (out) {
    (deps.writeFile ?? ((path: string, body: string) => writeFileSync(path, body)))(out, text);
    deps.stdout.write(`signed head at position ${head.position} written to ${out}\n`);
  } else deps.stdout.write(text);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (error) {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const { loadConfig } = await import('../adapters/config/index.ts');
  const { openStores } = await import('../runtime/stores.ts');
  const { loadOrCreateSigningKey, platformKeyFiles, readJwksFile } = await import('../adapters/evidence/index.ts');
  const { headSigner } = await import('../adapters/log-heads/sign.ts');
  const config = loadConfig();
  // Not created here: an empty new database would "verify" as an intact log of 0 events when DATA_DIR is wrong.
  const dir = resolve(join(config.dataDir, 'pglite'));
  if ((config.eventStore.kind === 'pglite' || config.readStore.kind === 'pglite') && !existsSync(dir)) {
    throw new Error(`no embedded database at ${dir}; set DATA_DIR, or DATABASE_URL for PostgreSQL`);
  }
  const stores = await openStores(config);
  try {
    const files = platformKeyFiles(config.dataDir);
    const signer = args.command === 'head' ? (({ privateKey, kid }) => headSigner(privateKey, kid))(loadOrCreateSigningKey(files, 'platform')) : undefined;
    const jwksFiles = [...args.jwks, files.jwks];
    const keys = jwksFiles.flatMap((file) => ((readJwksFile(file) as { keys?: JWK[] } | undefined)?.keys ?? []));
    return await runAuditCommand(argv, {
      readStore: stores.readStore,
      log: { eventStore: stores.eventStore, keys, signer },
      stdout: process.stdout,
      stderr: process.stderr,
    });
  } finally {
    await stores.close();
  }
}

runIfMain(import.meta.url, 'audit', main);
