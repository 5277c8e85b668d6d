import type { Migration } from './migration.ts';

/**
 * Commit-ordered positions (issue #12, item 2). Until now readers took only rows of transactions older than
 * pg_snapshot_xmin: any idle transaction in any database of the server held every subscriber back, and after
 * pg_dump/pg_restore into another cluster the stored xids meant nothing (readAll(START) returned no events).
 *
 * Now every append takes one transaction-level advisory lock (`LOG_LOCK_KEY`, local to this database) before it
 * numbers its events head+1.., and keeps it until commit. PostgreSQL makes a transaction visible before it releases
 * its locks, so the next appender can only number after the previous one is visible: positions become visible in
 * order, a reader that sees position n sees every position below it, and readAll is `position > checkpoint` with no
 * xid in sight. An open transaction that appends nothing delays nobody; one that appended and idles holds the lock,
 * which blocks writers (not readers) until idle_in_transaction_session_timeout ends it (README, DBA settings).
 *
 * Checkpoints become (epoch, position). The epoch is one above every transaction id stored before this migration,
 * so every new checkpoint compares above every old one (projectors filter and chain by comparing checkpoints), and
 * a checkpoint with commit below the epoch is an old (xid, position) pair that `event_store_position_after` maps
 * onto the new position of the same event through `event_store_legacy_checkpoints`: a projection resumes exactly
 * where it stopped. Existing rows are renumbered 1.. in the old delivery order, (transaction_id, global_position).
 */
export const LOG_LOCK_KEY = 0x65766c6f67n; // "evlog"

export const migration003CommitOrder: Migration = {
  version: 3,
  name: 'commit-ordered positions',
  sql: /* sql */ `
CREATE TABLE event_store_log (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  epoch          bigint NOT NULL,
  first_position bigint NOT NULL DEFAULT 1
);
INSERT INTO event_store_log (epoch) SELECT coalesce(max(transaction_id)::text::bigint, 0) + 1 FROM events;

CREATE TABLE event_store_legacy_checkpoints (
  transaction_id  xid8 NOT NULL,
  global_position bigint NOT NULL,
  position        bigint NOT NULL,
  PRIMARY KEY (transaction_id, global_position)
);
INSERT INTO event_store_legacy_checkpoints (transaction_id, global_position, position)
SELECT transaction_id, global_position, row_number() OVER (ORDER BY transaction_id, global_position) FROM events;

ALTER TABLE events ALTER COLUMN global_position DROP IDENTITY;
UPDATE events e SET global_position = l.position
  FROM event_store_legacy_checkpoints l
 WHERE l.transaction_id = e.transaction_id AND l.global_position = e.global_position;
DROP INDEX events_delivery_order;
ALTER TABLE events DROP COLUMN transaction_id;
ALTER TABLE events ADD CONSTRAINT events_position_key UNIQUE (global_position);

-- The position after which a reader holding checkpoint (commit, prepare) resumes. Raises EV002 for a checkpoint
-- that cannot come from this log (commit above the epoch).
CREATE FUNCTION event_store_position_after(p_commit bigint, p_prepare bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_epoch bigint;
  v_position bigint;
BEGIN
  SELECT epoch INTO v_epoch FROM event_store_log;
  IF p_commit = v_epoch THEN
    RETURN p_prepare;
  ELSIF p_commit < v_epoch THEN
    SELECT l.position INTO v_position FROM event_store_legacy_checkpoints l
     WHERE (l.transaction_id, l.global_position) <= (p_commit::text::xid8, p_prepare)
     ORDER BY l.transaction_id DESC, l.global_position DESC LIMIT 1;
    RETURN coalesce(v_position, 0);
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'EV002', MESSAGE = 'checkpoint is not from this log',
    DETAIL = format('commit %s is above the log epoch %s', p_commit, v_epoch);
END
$fn$;

CREATE OR REPLACE FUNCTION event_store_append(p_stream text, p_expected text, p_events jsonb,
                                              OUT next_revision bigint, OUT last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_current bigint;
  v_last bigint;
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

  -- Held to commit; taken again by the next item of a batch at no cost. The head is read after it, by a statement
  -- whose snapshot therefore sees the previous holder's rows.
  PERFORM pg_advisory_xact_lock(${LOG_LOCK_KEY.toString()});
  SELECT e.global_position INTO v_last FROM events e ORDER BY e.global_position DESC LIMIT 1;
  IF v_last IS NULL THEN
    SELECT l.first_position - 1 INTO v_last FROM event_store_log l;
  END IF;

  INSERT INTO events (global_position, stream_id, stream_revision, event_id, type, data, metadata)
  SELECT v_last + x.ord, p_stream, v_current + x.ord, (x.e->'metadata'->>'eventId')::uuid, x.e->>'type', x.e->'data', x.e->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
   ORDER BY x.ord;

  last_position := v_last + jsonb_array_length(p_events);
  next_revision := v_current + jsonb_array_length(p_events);
END
$fn$;
`,
};
