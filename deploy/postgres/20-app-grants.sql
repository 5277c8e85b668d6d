-- Run after every migration (the migrate job does): the log is append-only for the app role. The events table's
-- trigger refuses UPDATE, DELETE and TRUNCATE for everyone; without the grants the app cannot even try.
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM errand_app;
GRANT SELECT, INSERT ON events TO errand_app;
-- The other append-only tables refuse UPDATE, DELETE and TRUNCATE by trigger too, for everyone; the app role only
-- ever inserts into them, so it is not even granted the rest.
-- Each only where it exists, so the file never fails as a whole on a database some component has not migrated yet.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['event_store_heads', 'catalogue_audit', 'gateway_access_log'] LOOP
    IF to_regclass(t) IS NOT NULL THEN
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM errand_app', t);
    END IF;
  END LOOP;
END $$;
