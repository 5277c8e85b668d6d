import { migration001Events } from './001_events.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** In version order; append new files here, never edit an applied one. */
export const eventStoreMigrations: readonly Migration[] = [migration001Events];
