import { migration001Events } from './001_events.ts';
import { migration002AppendBatch } from './002_append_batch.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** In version order; append new files here, never edit an applied one. */
export const eventStoreMigrations: readonly Migration[] = [migration001Events, migration002AppendBatch];
