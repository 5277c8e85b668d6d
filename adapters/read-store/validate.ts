import type { Doc } from '../../domain/ports/read-store.ts';

/** Documents are stored as JSON objects; anything else would come back as something different. */
export function assertDoc(doc: unknown, where: string): asserts doc is Doc {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TypeError(`${where}: a document must be a JSON object`);
  }
}

export function assertName(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what} must be a non-empty string`);
}
