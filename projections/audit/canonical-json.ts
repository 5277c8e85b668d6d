/**
 * One byte sequence per value, whatever key order a store hands back (jsonb reorders keys): object keys sorted by
 * UTF-16 code units (Array.prototype.sort's default order), no whitespace, JSON.stringify's escaping for strings and
 * numbers. Values a JSON store would not give back unchanged (undefined, functions, bigint, non-finite numbers) are
 * refused rather than silently dropped, since a hash over something the store cannot keep would never verify.
 * Written as plain loops: every audit entry goes through it once when chained and once per verification.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i += 1) {
        const key = keys[i]!;
        out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}
