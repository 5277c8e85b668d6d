import type { Migration } from './migration.ts';

/**
 * The log and its streams.
 *
 * - `transaction_id xid8` + the (transaction_id, global_position) index let readers take only rows from transactions
 *   older than the oldest one still running, so an event that commits late is never skipped (field notes, section 3).
 * - `event_streams` holds one row per stream whose lock serialises appends to that stream and whose revision makes
 *   the expected-revision check one indexed lookup.
 * - All work happens in `event_store_append`, so an append is one round trip whatever the number of events.
 */
export const migration001Events: Migration = {
  version: 1,
  name: 'events',
  sql: /* sql */ `
CREATE TABLE event_streams (
  stream_id text PRIMARY KEY,
  revision  bigint NOT NULL
);

CREATE TABLE events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id       text NOT NULL,
  stream_revision bigint NOT NULL,
  event_id        uuid NOT NULL,
  type            text NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb NOT NULL,
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision)
);

CREATE INDEX events_delivery_order ON events (transaction_id, global_position);

CREATE FUNCTION event_store_append(p_stream text, p_expected text, p_events jsonb)
RETURNS TABLE (next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  v_current   bigint;
  v_count     int := jsonb_array_length(p_events);
  v_stored    int;
  v_elsewhere int;
BEGIN
  -- Lock the stream row (creating it if needed) so writers to one stream queue up and see each other's revision.
  LOOP
    SELECT s.revision INTO v_current FROM event_streams s WHERE s.stream_id = p_stream FOR UPDATE;
    EXIT WHEN FOUND;
    INSERT INTO event_streams (stream_id, revision) VALUES (p_stream, -1) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      v_current := -1;
      EXIT;
    END IF;
  END LOOP;

  -- A retried command re-sends the same event ids: answer with the original result instead of writing twice.
  -- Checked under the stream lock so two concurrent retries cannot both pass.
  SELECT count(*), count(*) FILTER (WHERE e.stream_id <> p_stream), max(e.stream_revision), max(e.global_position)
    INTO v_stored, v_elsewhere, next_revision, last_position
    FROM events e
   WHERE e.event_id IN (SELECT (x->'metadata'->>'eventId')::uuid FROM jsonb_array_elements(p_events) x);
  IF v_stored > 0 THEN
    IF v_stored = v_count AND v_elsewhere = 0 THEN
      RETURN NEXT;
      RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'EV002',
      MESSAGE = format('%s of %s event ids are already stored%s: a retry must resend exactly the original events',
                       v_stored, v_count, CASE WHEN v_elsewhere > 0 THEN ' (some in another stream)' ELSE '' END);
  END IF;

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

  WITH inserted AS (
    INSERT INTO events (stream_id, stream_revision, event_id, type, data, metadata)
    SELECT p_stream, v_current + x.ord, (x.e->'metadata'->>'eventId')::uuid, x.e->>'type', x.e->'data', x.e->'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
     ORDER BY x.ord
    RETURNING global_position
  )
  SELECT max(global_position) INTO last_position FROM inserted;

  next_revision := v_current + v_count;
  UPDATE event_streams SET revision = next_revision WHERE stream_id = p_stream;
  RETURN NEXT;
END
$fn$;
`,
};
