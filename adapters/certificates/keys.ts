/**
 * Each issuing department signs its certificates with its own key, kept under DATA_DIR like the evidence exchange's
 * keys (adapters/evidence/http/key-files.ts), through the one JOSE module:
 *
 *   <dataDir>/certificates/<DEPT>-key.json    the department's private certificate-signing key (JWK with kid, 0600)
 *   <dataDir>/certificates/<DEPT>.jwks.json   its public half: what verifiers trust, and what is published
 *
 * A key is made on the department's first certificate. Verification trusts every department's JWKS in the folder and
 * remembers which department each kid belongs to, so a key of one department cannot vouch for another's certificate.
 * The folder is re-read when a kid is unknown (another API process on the shared DATA_DIR made a key since).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateSigningKey, parseJwks, publicKeySet, readJwksFile, resolveSigningKey, type KeySet, type ResolvedSigningKey, type VerificationKey } from '../jose/index.ts';

const DEPARTMENT = /^[A-Z][A-Z0-9]{1,15}$/;

export interface CertificateKeys {
  signing(department: string): ResolvedSigningKey;
  /** Every department's public certificate keys, and the department of each kid. */
  trusted(refresh?: boolean): { keys: KeySet; departmentOf: ReadonlyMap<string, string> };
  /** The public keys as one JWKS document (with each key's department), for verifiers off the platform. */
  jwks(): { keys: Array<Record<string, unknown>> };
}

export function createCertificateKeys(dataDir: string): CertificateKeys {
  const folder = join(dataDir, 'certificates');
  const signers = new Map<string, ResolvedSigningKey>();
  let trust: { keys: Map<string, VerificationKey>; departmentOf: Map<string, string>; documents: Array<Record<string, unknown>> } | null = null;

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
    trust = { keys: publicKeySet([...keys.values()], 'certificate keys'), departmentOf, documents };
    return trust;
  };

  return {
    signing(department) {
      if (!DEPARTMENT.test(department)) throw new RangeError(`not a department code: ${department}`);
      let signer = signers.get(department);
      if (!signer) {
        const { kid, privateKey } = loadOrCreateSigningKey({ privateKey: join(folder, `${department}-key.json`), jwks: join(folder, `${department}.jwks.json`) }, `${department}-certificates`);
        signer = resolveSigningKey({ kid, privateKey });
        signers.set(department, signer);
        trust = null;
      }
      return signer;
    },
    trusted(refresh = false) {
      const current = !refresh && trust ? trust : load();
      return { keys: current.keys, departmentOf: current.departmentOf };
    },
    jwks() {
      return { keys: (trust ?? load()).documents };
    },
  };
}
