/**
 * The factories of every adapter that loads a client library (pg, PGlite, mongoose, the EventStoreDB gRPC client,
 * BullMQ, ioredis, nodemailer), each importing its adapter on first call: the composition root calls only those the
 * configuration selects, so the others never load (test/int/adapter-loading.int.spec.ts). Each is async, since the
 * import is.
 */
import type { EventStoreDBEventStoreOptions } from '../adapters/event-store/eventstoredb/index.ts';
import type { PGliteEventStoreOptions } from '../adapters/event-store/pglite/index.ts';
import type { PostgresEventStoreOptions } from '../adapters/event-store/postgres/index.ts';
import type { PostgresLeaseOptions } from '../adapters/lease/postgres/index.ts';
import type { RedisLeaseOptions } from '../adapters/lease/redis/index.ts';
import type { BullMQQueueOptions } from '../adapters/queue/bullmq/index.ts';
import type { RedisHitCounterOptions } from '../adapters/rate-limit/redis/index.ts';
import type { MongoReadStoreOptions } from '../adapters/read-store/mongo/index.ts';
import type { PGliteReadStoreOptions } from '../adapters/read-store/pglite/index.ts';
import type { PostgresReadStoreOptions } from '../adapters/read-store/postgres/index.ts';
import type { PostgresUploadStoreOptions } from '../adapters/uploads/postgres/index.ts';
import type { SmtpSenderOptions } from '../adapters/notifications/smtp/index.ts';
import type { PGlite } from '@electric-sql/pglite';
import type { CatalogueStore } from '../domain/ports/catalogue-store.ts';
import type { EventStore } from '../domain/ports/event-store.ts';
import type { KeyStore, KeyWrapper } from '../domain/ports/key-store.ts';
import type { EmailSender } from '../domain/ports/notifications.ts';
import type { LeaseManager } from '../domain/ports/lease.ts';
import type { JobQueue } from '../domain/ports/queue.ts';
import type { HitCounter } from '../domain/ports/rate-limit.ts';
import type { ReadStore } from '../domain/ports/read-store.ts';
import type { UploadStore } from '../domain/ports/uploads.ts';

export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore> {
  return (await import('../adapters/event-store/postgres/index.ts')).createPostgresEventStore(options);
}

export async function createPGliteEventStore(options: PGliteEventStoreOptions): Promise<EventStore> {
  return (await import('../adapters/event-store/pglite/index.ts')).createPGliteEventStore(options);
}

export async function createEventStoreDBEventStore(options: EventStoreDBEventStoreOptions): Promise<EventStore> {
  return (await import('../adapters/event-store/eventstoredb/index.ts')).createEventStoreDBEventStore(options);
}

export async function createPostgresReadStore(options: PostgresReadStoreOptions): Promise<ReadStore> {
  return (await import('../adapters/read-store/postgres/index.ts')).createPostgresReadStore(options);
}

export async function createPGliteReadStore(options: PGliteReadStoreOptions): Promise<ReadStore> {
  return (await import('../adapters/read-store/pglite/index.ts')).createPGliteReadStore(options);
}

export async function createMongoReadStore(options: MongoReadStoreOptions): Promise<ReadStore> {
  return (await import('../adapters/read-store/mongo/index.ts')).createMongoReadStore(options);
}

/** Stops the start at once, with one line, when MongoDB does not answer. */
export async function assertMongoReachable(url: string): Promise<void> {
  return (await import('../adapters/read-store/mongo/index.ts')).assertMongoReachable(url);
}

export async function createBullMQQueue(options: BullMQQueueOptions): Promise<JobQueue> {
  return (await import('../adapters/queue/bullmq/index.ts')).createBullMQQueue(options);
}

export async function createRedisHitCounter(options: RedisHitCounterOptions): Promise<HitCounter> {
  return (await import('../adapters/rate-limit/redis/index.ts')).createRedisHitCounter(options);
}

export async function createPostgresUploadStore(options: PostgresUploadStoreOptions): Promise<UploadStore> {
  return (await import('../adapters/uploads/postgres/index.ts')).createPostgresUploadStore(options);
}

export async function createPostgresLeaseManager(options: PostgresLeaseOptions): Promise<LeaseManager> {
  return (await import('../adapters/lease/postgres/index.ts')).createPostgresLeaseManager(options);
}

export async function createRedisLeaseManager(options: RedisLeaseOptions): Promise<LeaseManager> {
  return (await import('../adapters/lease/redis/index.ts')).createRedisLeaseManager(options);
}

export async function createSmtpEmailSender(options: SmtpSenderOptions): Promise<EmailSender> {
  return (await import('../adapters/notifications/smtp/index.ts')).createSmtpEmailSender(options);
}

export async function createPostgresCatalogueStore(options: { connectionString: string; maxConnections?: number }): Promise<CatalogueStore> {
  return (await import('../adapters/catalogue-store/postgres/index.ts')).createPostgresCatalogueStore(options);
}

export async function createPGliteCatalogueStore(options: { pglite: PGlite }): Promise<CatalogueStore> {
  return (await import('../adapters/catalogue-store/pglite/index.ts')).createPGliteCatalogueStore(options);
}

export async function createPostgresKeyStore(options: { connectionString: string; wrapper: KeyWrapper; maxConnections?: number }): Promise<KeyStore> {
  return (await import('../adapters/key-store/postgres/index.ts')).createPostgresKeyStore(options);
}

export async function createPGliteKeyStore(options: { pglite: PGlite; wrapper: KeyWrapper }): Promise<KeyStore> {
  return (await import('../adapters/key-store/pglite/index.ts')).createPGliteKeyStore(options);
}

/** PGlite itself, for the embedded default. */
export async function createPGlite(dir: string): Promise<import('@electric-sql/pglite').PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  return new PGlite(dir);
}

export async function postgresServerTime(connectionString: string): Promise<number> {
  return (await import('../adapters/pg-server-time.ts')).postgresServerTime(connectionString);
}
