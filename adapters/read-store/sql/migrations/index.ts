import { initial } from './001-initial.ts';
import { compression } from './002-compression.ts';
import { fences } from './003-fences.ts';
import { checkpointLinks } from './004-checkpoint-links.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** Append only; applied in version order, each once. */
export const migrations: readonly Migration[] = [initial, compression, fences, checkpointLinks];
