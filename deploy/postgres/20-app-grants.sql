-- Run after every migration (the migrate job does): the log is append-only for the app role. The events table's
-- trigger refuses UPDATE, DELETE and TRUNCATE for everyone; without the grants the app cannot even try.
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM errand_app;
GRANT SELECT, INSERT ON events TO errand_app;
