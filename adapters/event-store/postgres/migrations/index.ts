import { migration001Events } from './001_events.ts';
import { migration002AppendBatch } from './002_append_batch.ts';
import { migration003CommitOrder } from './003_commit_order.ts';
import { migration004HashLinks } from './004_hash_links.ts';
import { migration005SignedHeads } from './005_signed_heads.ts';
import { migration006CheckpointLinks } from './006_checkpoint_links.ts';
import type { Migration } from './migration.ts';

export type { Migration } from './migration.ts';

/** In version order; append new files here, never edit an applied one. */
export const eventStoreMigrations: readonly Migration[] = [migration001Events, migration002AppendBatch, migration003CommitOrder, migration004HashLinks, migration005SignedHeads, migration006CheckpointLinks];
