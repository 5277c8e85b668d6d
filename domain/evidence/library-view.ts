/** Answers "the record of this subject" over library records held in memory, with an index built once per item. */
import type { DataItem } from '../catalogue/index.ts';
import type { LibraryRecords, LibraryRow, PendingRecord } from './demo-library/types.ts';
import { subjectKeyOf } from './subject-keys.ts';

export type LibraryAnswer =
  | { kind: 'found'; row: LibraryRow }
  | { kind: 'pending'; availableAfter: string }
  | { kind: 'none' }
  /** The library holds no records of this item at all (not the same as holding none for this subject). */
  | { kind: 'not_held' };

export interface LibraryView {
  lookup(item: DataItem, subjectId: string): LibraryAnswer;
}

function latest(rows: LibraryRow[], field: string | undefined): LibraryRow {
  if (!field || rows.length === 1) return rows[0] as LibraryRow;
  return rows.reduce((best, row) => (String(row[field] ?? '') > String(best[field] ?? '') ? row : best));
}

export function createLibraryView(records: LibraryRecords, pending: readonly PendingRecord[] = []): LibraryView {
  const indexes = new Map<string, Map<string, LibraryRow[]>>();
  const waiting = new Map(pending.map((p) => [`${p.dataItem}\u0000${p.subjectId}`, p.availableAfter]));

  function indexOf(item: DataItem, fields: string[]): Map<string, LibraryRow[]> {
    let index = indexes.get(item.id);
    if (!index) {
      index = new Map();
      for (const row of records[item.id] ?? []) {
        for (const field of fields) {
          const key = row[field];
          if (typeof key !== 'string') continue;
          const list = index.get(key);
          if (list) list.push(row);
          else index.set(key, [row]);
        }
      }
      indexes.set(item.id, index);
    }
    return index;
  }

  return {
    lookup(item, subjectId) {
      const availableAfter = waiting.get(`${item.id}\u0000${subjectId}`);
      if (availableAfter !== undefined) return { kind: 'pending', availableAfter };
      const key = subjectKeyOf(item);
      if (!key || !(item.id in records)) return { kind: 'not_held' };
      const rows = indexOf(item, key.fields).get(subjectId);
      return rows?.length ? { kind: 'found', row: latest(rows, key.latestBy) } : { kind: 'none' };
    },
  };
}
