/** Row edits used while shaping the library: find, replace or drop the record a subject's key points at. */
import type { LibraryRecords, LibraryRow } from './types.ts';

export function findRow(records: LibraryRecords, item: string, keyField: string, id: string): LibraryRow | undefined {
  return records[item]?.find((row) => row[keyField] === id);
}

/** Merges the changes into the subject's record, creating it from `base` when there is none. */
export function upsertRow(records: LibraryRecords, item: string, keyField: string, id: string, changes: LibraryRow, base?: LibraryRow): LibraryRow {
  const rows = (records[item] ??= []);
  const index = rows.findIndex((row) => row[keyField] === id);
  if (index >= 0) {
    const merged = { ...(rows[index] as LibraryRow), ...changes };
    rows[index] = merged;
    return merged;
  }
  if (!base) throw new RangeError(`no ${item} record to change for this subject and no base to create one from`);
  const created = { ...base, ...changes, [keyField]: id };
  rows.push(created);
  return created;
}

export function removeRows(records: LibraryRecords, item: string, keyField: string, id: string): void {
  const rows = records[item];
  if (rows) records[item] = rows.filter((row) => row[keyField] !== id);
}

export function copyRecords(records: LibraryRecords, items: string[]): LibraryRecords {
  return Object.fromEntries(items.map((item) => [item, (records[item] ?? []).map((row) => ({ ...row }))]));
}
