/** The gateway's replay cache on PostgreSQL (pg), for gateways that share one database. */
export { createPostgresReplayCache, type PostgresReplayCacheOptions } from './postgres-replay-cache.ts';
