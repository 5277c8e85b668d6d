/** Leases on PostgreSQL advisory locks (pg): loaded by the composition root only when a PostgreSQL database is configured. */
export { createPostgresLeaseManager, type PostgresLeaseOptions } from './postgres-lease-manager.ts';
export { lockKey } from './postgres-lease-manager.ts';
