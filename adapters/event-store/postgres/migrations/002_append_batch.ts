import type { Migration } from './migration.ts';

/**
 * Group commit: several callers' appends in one transaction and one round trip. Each item goes through
 * `event_store_append`, so its expectation check and inserts are exactly those of a lone append; the first item that
 * fails raises and rolls the whole batch back, and the adapter then redoes every item on its own (see
 * adapters/group-commit.ts), so one caller's conflict never becomes another caller's error.
 *
 * No exception block per item: each would open a subtransaction, and past 64 of them per transaction every snapshot
 * on the server has to consult pg_subtrans.
 */
export const migration002AppendBatch: Migration = {
  version: 2,
  name: 'append batch',
  sql: /* sql */ `
CREATE FUNCTION event_store_append_batch(p_batch jsonb)
RETURNS TABLE (ord bigint, next_revision bigint, last_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_item jsonb;
  v_ord bigint;
BEGIN
  FOR v_item, v_ord IN SELECT x.item, x.n FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS x(item, n) ORDER BY x.n LOOP
    ord := v_ord;
    SELECT a.next_revision, a.last_position INTO next_revision, last_position
      FROM event_store_append(v_item->>'stream', v_item->>'expected', v_item->'events') a;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`,
};
