import type { Tables } from '../tables.ts';

export interface Migration {
  version: number;
  name: string;
  up(tables: Tables): string;
}
