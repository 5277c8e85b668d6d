import type { Migration } from './migration.ts';

/**
 * Signed heads kept beside the log (adapters/log-heads): each names a position, the link there, and the hash of the
 * head before it, signed with the platform key. Append-only like the log itself. They are exported to auditors as
 * files; the copies here let `audit verify` check the chain of heads and the log against every one of them.
 */
export const migration005SignedHeads: Migration = {
  version: 5,
  name: 'signed heads',
  sql: /* sql */ `
CREATE TABLE event_store_heads (
  position  bigint PRIMARY KEY,
  size      bigint NOT NULL,
  link      text NOT NULL,
  signed_at timestamptz NOT NULL,
  jws       text NOT NULL,
  -- The head this one follows (0 for the first): unique, so of two workers signing after the same head one loses
  -- and the heads stay one chain.
  after_position bigint NOT NULL UNIQUE
);
CREATE TRIGGER event_store_heads_append_only BEFORE UPDATE OR DELETE ON event_store_heads
  FOR EACH STATEMENT EXECUTE FUNCTION event_store_refuse_change();
CREATE TRIGGER event_store_heads_no_truncate BEFORE TRUNCATE ON event_store_heads
  FOR EACH STATEMENT EXECUTE FUNCTION event_store_refuse_change();
`,
};
