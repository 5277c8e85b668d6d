import type { Migration } from './migration.ts';

/**
 * The log.
 *
 * - `transaction_id xid8` + the (transaction_id, global_position) index let readers take only rows from transactions
 *   older than the oldest one still running, so an event that commits late is never skipped (field notes, section 3).
 * - The unique (stream_id, stream_revision) key is the concurrency control: two writers that read the same current
 *   revision both try to insert the next one and the second fails on the key once the first commits. No stream
 *   table and no row lock, so an append is one index probe plus the inserts (measured here: a streams table locked
 *   with SELECT ... FOR UPDATE took server CPU per append from about 170 to 200 microseconds).
 * - The event id is the primary key, so a retried command cannot write twice; the adapter turns that violation (or
 *   a revision mismatch) into "already stored" by looking the ids up, so the happy path never pays for it.
 * - global_position has no index of its own: GENERATED ALWAYS keeps it unique, nothing looks an event up by
 *   position alone, and each index that grows at its right edge is a page every concurrent writer contends for.
 * - All work happens in `event_store_append`, so an append is one round trip whatever the number of events.
 */
export const migration001Events: Migration = {
  version: 1,
  name: 'events',
  sql: /* sql */ `
CREATE TABLE events (
  event_id        uuid NOT NULL,
  global_position bigint NOT NULL GENERATED ALWAYS AS IDENTITY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
);

CREATE INDEX events_delivery_order ON events (transaction_id, global_position);

-- Raises EV001 with the actual revision (-1: no stream) in DETAIL when the expectation does not hold.
CREATE FUNCTION event_store_append(p_stream text, p_expected text, p_events jsonb,
                                   OUT next_revision bigint, OUT last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_current bigint;
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

  INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
  SELECT p_stream, v_current + x.ord, (x.e->'metadata'->>'eventId')::uuid, x.e->>'type', x.e->'data', x.e->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
   ORDER BY x.ord;

  -- Rows take positions in insert order, so this session's last sequence value is the last event's position;
  -- cheaper than RETURNING through a CTE (measured about 33 against 40 microseconds per single-event append).
  last_position := currval('events_global_position_seq');
  next_revision := v_current + jsonb_array_length(p_events);
END
$fn$;
`,
};
