/**
 * Each issuing department signs its certificates with its own key, kept under DATA_DIR like the evidence exchange's
 * keys (adapters/evidence/http/key-files.ts), through the one JOSE module:
 *
 *   <dataDir>/certificates/<DEPT>-key.json    the department's private certificate-signing key (JWK with kid, 0600)
 *   <dataDir>/certificates/<DEPT>.jwks.json   its public half: what verifiers trust, and what is published
 *
 * A key is made on the department's first certificate. Verification trusts every department's JWKS in the folder and
 * remembers which department each kid belongs to, so a key of one department cannot vouch for another's certificate.
 * The folder is re-read when a kid is unknown (another API process on the shared DATA_DIR made a key since), and
 * whatever was read is used for at most `refreshMs` (60 s): a key an operator removed from a JWKS (compromised) stops
 * vouching, and one whose private file was moved away (rotation) stops signing, in every running process within that
 * period, not at its next restart.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateSigningKey, parseJwks, publicKeySet, readJwksFile, resolveSigningKey, signingKeyId, type KeySet, type ResolvedSigningKey, type VerificationKey } from '../jose/index.ts';

const DEPARTMENT = /^[A-Z][A-Z0-9]{1,15}$/;

export interface CertificateKeys {
  signing(department: string): ResolvedSigningKey;
  /** Every department's public certificate keys, and the department of each kid. */
  trusted(refresh?: boolean): { keys: KeySet; departmentOf: ReadonlyMap<string, string> };
  /** The public keys as one JWKS document (with each key's department), for verifiers off the platform. */
  jwks(): { keys: Array<Record<string, unknown>> };
}

export function createCertificateKeys(dataDir: string, options: { refreshMs?: number; now?: () => number } = {}): CertificateKeys {
  const folder = join(dataDir, 'certificates');
  const refreshMs = options.refreshMs ?? 60_000;
  const now = options.now ?? (() => performance.now());
  const signers = new Map<string, { signer: ResolvedSigningKey; at: number }>();
  let trust: { keys: Map<string, VerificationKey>; departmentOf: Map<string, string>; documents: Array<Record<string, unknown>>; at: number } | null = null;
  const fresh = (held: { at: number } | null | undefined): boolean => held != null && now() - held.at < refreshMs;

  const load = () => {
    const keys = new Map<string, VerificationKey>();
    const departmentOf = new Map<string, string>();
    const documents: Array<Record<string, unknown>> = [];
    const files = existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.jwks.json')).sort() : [];
    for (const file of files) {
      const department = file.slice(0, -'.jwks.json'.length);
      if (!DEPARTMENT.test(department)) continue;
      const document = readJwksFile(join(folder, file));
      if (!document) continue;
      for (const key of parseJwks(document, `certificate keys ${file}`)) {
        keys.set(key.kid, key);
        departmentOf.set(key.kid, department);
      }
      for (const jwk of document.keys) documents.push({ ...(jwk as Record<string, unknown>), department });
    }
    trust = { keys: publicKeySet([...keys.values()], 'certificate keys'), departmentOf, documents, at: now() };
    return trust;
  };

  return {
    signing(department) {
      if (!DEPARTMENT.test(department)) throw new RangeError(`not a department code: ${department}`);
      const held = signers.get(department);
      if (held && fresh(held)) return held.signer;
      const privateFile = join(folder, `${department}-key.json`);
      // Still the same key: only its kid is read again (loading rewrites the JWKS, which an operator may be editing).
      if (held && signingKeyId(privateFile) === held.signer.kid) {
        signers.set(department, { signer: held.signer, at: now() });
        return held.signer;
      }
      const { kid, privateKey } = loadOrCreateSigningKey({ privateKey: privateFile, jwks: join(folder, `${department}.jwks.json`) }, `${department}-certificates`);
      const signer = resolveSigningKey({ kid, privateKey });
      trust = null;
      signers.set(department, { signer, at: now() });
      return signer;
    },
    trusted(refresh = false) {
      const current = !refresh && trust && fresh(trust) ? trust : load();
      return { keys: current.keys, departmentOf: current.departmentOf };
    },
    jwks() {
      return { keys: (trust && fresh(trust) ? trust : load()).documents };
    },
  };
}
