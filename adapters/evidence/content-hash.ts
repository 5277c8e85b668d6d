/** The content hash recorded with evidence: SHA-256 (lower-case hex) of the canonical JSON of the recorded fields. */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/json/canonical-json.ts';

export function contentHash(fields: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
