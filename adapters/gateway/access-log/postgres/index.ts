/** The gateway's access log on PostgreSQL (pg), for gateways that share one database. */
export { createPostgresAccessLog, type PostgresAccessLogOptions } from './postgres-access-log.ts';
