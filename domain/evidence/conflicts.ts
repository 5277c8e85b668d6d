/**
 * Two sources for the same material (the providing department and a base library) disagreeing is a fact to put
 * in front of the clerk, never something to resolve silently. Values are compared after cleansing; a field one
 * source leaves empty is not a disagreement, only an absence.
 */
import { canonicalJson } from '../json/canonical-json.ts';

export interface SourcedFields {
  source: string;
  fields: Record<string, unknown>;
}

export interface FieldConflict {
  field: string;
  values: Array<{ source: string; value: unknown }>;
}

function comparable(value: unknown): string {
  return typeof value === 'string' ? canonicalJson(value.normalize('NFKC').replace(/\s+/g, ' ').trim()) : canonicalJson(value);
}

/** Conflicts in the primary source's field order, over the fields both sources returned with a value. */
export function detectConflicts(primary: SourcedFields, secondary: SourcedFields, only?: readonly string[]): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  for (const [field, value] of Object.entries(primary.fields)) {
    if (only && !only.includes(field)) continue;
    const other = secondary.fields[field];
    if (value === null || value === undefined || other === null || other === undefined) continue;
    if (comparable(value) === comparable(other)) continue;
    conflicts.push({ field, values: [{ source: primary.source, value }, { source: secondary.source, value: other }] });
  }
  return conflicts;
}
