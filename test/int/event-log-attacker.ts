import type pg from 'pg';
import { GENESIS_LINK, entryHash, eventDigest, nextLink } from '../../adapters/event-store/postgres/index.ts';
import { newEvent } from '../contract/event-store.fixtures.ts';

/**
 * What a superuser attacker does to the events table, on a client that has `SET session_replication_role = replica`
 * (the append-only triggers then stay silent, as they would for them).
 */
export async function rehashAll(attacker: pg.Client): Promise<void> {
  const { rows } = await attacker.query<{ position: string; stream_id: string; stream_revision: string; type: string; data: unknown; metadata: unknown }>(
    'SELECT global_position::text AS position, stream_id, stream_revision::text AS stream_revision, type, data, metadata FROM events ORDER BY global_position',
  );
  let link = GENESIS_LINK;
  for (const row of rows) {
    link = nextLink(link, entryHash(BigInt(row.position), row.stream_id, BigInt(row.stream_revision), eventDigest(row)));
    await attacker.query('UPDATE events SET link = $2 WHERE global_position = $1', [row.position, link]);
  }
}

/** Replaces the whole log with `count` forged events, every link recomputed so the chain is whole in itself. */
export async function replaceWithForgery(attacker: pg.Client, count: number): Promise<void> {
  await attacker.query('TRUNCATE events');
  for (let i = 0; i < count; i += 1) {
    const event = newEvent('ApplicationSubmitted', { forged: i });
    await attacker.query(
      `INSERT INTO events (global_position, stream_id, stream_revision, event_id, type, data, metadata, link) VALUES ($1, $2, 0, $3, $4, $5, $6, '\\x00')`,
      [i + 1, `forged-${i}`, event.metadata.eventId, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata)],
    );
  }
  await rehashAll(attacker);
}
