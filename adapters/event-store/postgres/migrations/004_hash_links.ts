import { GENESIS_LINK, entryHash, eventDigest, nextLink } from '../log-chain.ts';
import type { MigrationSession } from '../../../sql-migrations/index.ts';
import { LOG_LOCK_KEY } from './003_commit_order.ts';
import type { Migration } from './migration.ts';

const PAGE = 1000;

interface Row {
  position: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

/** Links the events already stored, in position order, with the same functions the verifier uses. */
async function linkExistingRows(session: MigrationSession): Promise<void> {
  let after = -1n;
  let link: Buffer = GENESIS_LINK;
  for (;;) {
    const rows = await session.query<Row>(
      `SELECT global_position::text AS position, stream_id, stream_revision::text AS stream_revision, type, data, metadata
         FROM events WHERE global_position > $1::bigint ORDER BY events.global_position LIMIT ${PAGE}`,
      [after.toString()],
    );
    if (rows.length === 0) return;
    const links = rows.map((row) => {
      link = nextLink(link, entryHash(BigInt(row.position), row.stream_id, BigInt(row.stream_revision), eventDigest(row)));
      return { position: row.position, link: link.toString('hex') };
    });
    await session.query(
      `UPDATE events e SET link = decode(u.link, 'hex')
         FROM jsonb_to_recordset($1::text::jsonb) AS u(position bigint, link text)
        WHERE e.global_position = u.position`,
      [JSON.stringify(links)],
    );
    after = BigInt(rows[rows.length - 1]!.position);
  }
}

/**
 * Tamper evidence at the source (issue #12, item 1): every event carries the hash link defined in log-chain.ts, and
 * the table refuses UPDATE, DELETE and TRUNCATE to every role, its owner included, unless someone with the power to
 * alter the table first switches the triggers off (which is why exported signed heads exist). Production: own the
 * schema with a migration role; give the application role only SELECT and INSERT on events (README).
 *
 * The event's digest arrives from Node with each event (`digest`, hex): RFC 8785 canonical JSON is not something
 * SQL can produce from jsonb. The entry hash and the link are computed here, under the log lock that numbers the
 * events, so they follow the position order. A wrong digest from a faulty client is not trusted, only stored: the
 * verifier recomputes every digest from the stored row and reports that event.
 */
export const migration004HashLinks: Migration = {
  version: 4,
  name: 'hash links',
  sql: /* sql */ `
ALTER TABLE events ADD COLUMN link bytea;
`,
  backfill: linkExistingRows,
  sqlAfter: /* sql */ `
ALTER TABLE events ALTER COLUMN link SET NOT NULL;

CREATE OR REPLACE FUNCTION event_store_append(p_stream text, p_expected text, p_events jsonb,
                                              OUT next_revision bigint, OUT last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_current bigint;
  v_last bigint;
  v_link bytea;
  v_stream_hash bytea;
  v_event jsonb;
  v_ord bigint;
  v_links bytea[] := '{}';
BEGIN
  SELECT coalesce(max(e.stream_revision), -1) INTO v_current FROM events e WHERE e.stream_id = p_stream;

  IF p_expected = 'any' THEN
    NULL;
  ELSIF p_expected = 'no_stream' THEN
    IF v_current <> -1 THEN
      RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version', DETAIL = v_current::text;
    END IF;
  ELSIF p_expected = 'stream_exists' THEN
    IF v_current = -1 THEN
      RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version', DETAIL = v_current::text;
    END IF;
  ELSIF p_expected::bigint <> v_current THEN
    RAISE EXCEPTION USING ERRCODE = 'EV001', MESSAGE = 'wrong expected version', DETAIL = v_current::text;
  END IF;

  PERFORM pg_advisory_xact_lock(${LOG_LOCK_KEY.toString()});
  SELECT e.global_position, e.link INTO v_last, v_link FROM events e ORDER BY e.global_position DESC LIMIT 1;
  IF v_last IS NULL THEN
    SELECT l.first_position - 1 INTO v_last FROM event_store_log l;
    v_link := '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  v_stream_hash := sha256(convert_to(p_stream, 'UTF8'));

  -- The links are a running hash, so they are computed one after another; the rows then go in with one INSERT
  -- (one statement per event measured slower for 10-event appends).
  FOR v_event, v_ord IN SELECT x.e, x.ord FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord) ORDER BY x.ord LOOP
    v_link := sha256(v_link || sha256(int8send(v_last + v_ord) || int8send(v_current + v_ord) || v_stream_hash
                                      || decode(v_event->>'digest', 'hex')));
    v_links := v_links || v_link;
  END LOOP;
  INSERT INTO events (global_position, stream_id, stream_revision, event_id, type, data, metadata, link)
  SELECT v_last + x.ord, p_stream, v_current + x.ord, (x.e->'metadata'->>'eventId')::uuid, x.e->>'type', x.e->'data', x.e->'metadata',
         v_links[x.ord]
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
   ORDER BY x.ord;

  last_position := v_last + jsonb_array_length(p_events);
  next_revision := v_current + jsonb_array_length(p_events);
END
$fn$;

CREATE FUNCTION event_store_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'EV003', MESSAGE = format('the event log is append-only: %s refused', TG_OP);
END
$fn$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store_refuse_change();
`,
};
