/** How the shared data library is laid out in PostgreSQL: one table per data item, one column per catalogue field. */
import type { DataField, DataItem } from '../../../domain/catalogue/index.ts';

export const DEFAULT_LIBRARY_SCHEMA = 'library';
export const PENDING_TABLE = 'pending_records';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Quotes an identifier that came from the catalogue; anything unusual is refused rather than escaped. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new RangeError(`"${name}" cannot be used as a PostgreSQL identifier in the evidence library`);
  return `"${name}"`;
}

/** "household-registration" -> household_registration. */
export function tableOf(item: Pick<DataItem, 'id'>): string {
  return item.id.replace(/-/g, '_');
}

export function qualified(schema: string, table: string): string {
  return `${ident(schema)}.${ident(table)}`;
}

/**
 * Dates stay text: departments' data is not always clean, and the library mirrors what they hold; cleansing
 * happens at the edge. Numbers are float8 so they come back as JavaScript numbers, exactly as written.
 */
export function columnType(field: DataField): string {
  switch (field.type) {
    case 'number':
      return 'double precision';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}
