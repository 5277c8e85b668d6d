/** The event store's steps are the shared runner's; kept here so the migration files import from next door. */
export type { Migration } from '../../../sql-migrations/index.ts';
