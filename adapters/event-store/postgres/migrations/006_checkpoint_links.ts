import type { Migration } from './migration.ts';

/**
 * Resuming from a checkpoint checks the event it was taken at (issue: a log that went back in time). New events take
 * the positions after the head, so when the log loses its last commits (restored from an older backup, or failed
 * over to a standby that had not received them) while a reader keeps a checkpoint from before, the new events
 * land on the lost positions and a reader past them skipped them without a word. A checkpoint that names the hash
 * link of its event (Checkpoint.link) now resumes only where that very event still stands; anywhere else this
 * raises EV003, and the reader stops and says so (its read model must be rebuilt). The two-argument form stays for
 * releases before this one.
 */
export const migration006CheckpointLinks: Migration = {
  version: 6,
  name: 'checkpoint links',
  sql: /* sql */ `
CREATE FUNCTION event_store_position_after(p_commit bigint, p_prepare bigint, p_link text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_position bigint := event_store_position_after(p_commit, p_prepare);
  v_link bytea;
BEGIN
  IF p_link IS NULL OR v_position = 0 OR v_position <> p_prepare THEN
    RETURN v_position;
  END IF;
  SELECT e.link INTO v_link FROM events e WHERE e.global_position = v_position;
  IF v_link IS DISTINCT FROM decode(p_link, 'hex') THEN
    RAISE EXCEPTION USING ERRCODE = 'EV003', MESSAGE = 'checkpoint is not in this log any more',
      DETAIL = format('position %s holds %s, not the event the checkpoint was taken at: the log went back in time under this reader (a restore or a failover that lost commits); rebuild what it feeds',
                      v_position, CASE WHEN v_link IS NULL THEN 'no event' ELSE 'another event' END);
  END IF;
  RETURN v_position;
END
$fn$;
`,
};
