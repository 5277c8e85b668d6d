/** The data resource catalogue (数据资源目录): which department provides which data item, and on what terms. */
import { validateDataItem, validateDepartment } from './data-item-validation.ts';
import { frozenCopy } from './freeze.ts';
import type { Validated } from './result.ts';
import { expectArray, expectObject, isRecord } from './shape.ts';
import type { DataItem, Department } from './types.ts';

export interface DataCatalogue {
  /** The item, or undefined for an unknown id. */
  get(id: string): DataItem | undefined;
  /** Every item, in file order. */
  list(): DataItem[];
  department(code: string): Department | undefined;
  departments(): Department[];
  /** Items a department provides (its data-service directory entry). */
  providedBy(code: string): DataItem[];
}

/** The raw document: `{ "departments": Department[], "items": DataItem[] }`. */
export interface DataCatalogueDocument {
  departments: Department[];
  items: DataItem[];
}

function labelOf(raw: unknown, key: string, index: number, kind: string): string {
  const id = isRecord(raw) ? raw[key] : undefined;
  return typeof id === 'string' && id !== '' ? `${kind} "${id}"` : `${kind} #${index + 1}`;
}

function collectDuplicates(rows: unknown[], key: string, kind: string, errors: string[]): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const id = isRecord(row) ? row[key] : undefined;
    if (typeof id !== 'string') continue;
    if (seen.has(id)) errors.push(`${kind} "${id}": ${key} is used twice`);
    seen.add(id);
  }
}

/** Validates the raw document and builds the catalogue. Every error names the department or item and the field. */
export function buildDataCatalogue(raw: unknown): Validated<DataCatalogue> {
  const errors: string[] = [];
  const doc = expectObject(raw, '', (path, message) => errors.push(`data catalogue: ${path} ${message}`), ['departments', 'items']);
  if (!doc) return { ok: false, errors };
  const top = (path: string, message: string) => errors.push(`data catalogue: ${path} ${message}`);
  const rawDepartments = expectArray(doc.departments, 'departments', top, { nonEmpty: true }) ?? [];
  const rawItems = expectArray(doc.items, 'items', top) ?? [];

  rawDepartments.forEach((d, i) => {
    const label = labelOf(d, 'code', i, 'department');
    validateDepartment(d, '', (path, message) => errors.push(`${label}: ${path || '(root)'} ${message}`));
  });
  collectDuplicates(rawDepartments, 'code', 'department', errors);
  const codes = new Set(rawDepartments.filter(isRecord).map((d) => d.code).filter((c): c is string => typeof c === 'string'));

  rawItems.forEach((item, i) => {
    const label = labelOf(item, 'id', i, 'data item');
    validateDataItem(item, '', (path, message) => errors.push(`${label}: ${path || '(root)'} ${message}`), codes);
  });
  collectDuplicates(rawItems, 'id', 'data item', errors);
  if (errors.length > 0) return { ok: false, errors };

  return { ok: true, value: catalogueOf(rawDepartments as Department[], rawItems as DataItem[]) };
}

function catalogueOf(rawDepartments: Department[], rawItems: DataItem[]): DataCatalogue {
  const departments = frozenCopy(rawDepartments);
  const items = frozenCopy(rawItems);
  const byId = new Map(items.map((item) => [item.id, item]));
  const byCode = new Map(departments.map((d) => [d.code, d]));
  return {
    get: (id) => byId.get(id),
    list: () => [...items],
    department: (code) => byCode.get(code),
    departments: () => [...departments],
    providedBy: (code) => items.filter((item) => item.provider === code),
  };
}
