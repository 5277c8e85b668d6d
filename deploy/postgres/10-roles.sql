-- Two roles: errand_owner owns the schema and runs migrations; errand_app is what every API and worker process
-- connects as. errand_app can append to the log and read it, but never change or remove an event.
CREATE ROLE errand_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE errand_app LOGIN PASSWORD 'change-me-app';
CREATE DATABASE errand OWNER errand_owner;
\connect errand
ALTER SCHEMA public OWNER TO errand_owner;
-- USAGE only: `npm run migrate` (as errand_owner) creates everything; a process finding its schemas up to date
-- only reads schema_migrations.
GRANT USAGE ON SCHEMA public TO errand_app;
-- Tables and sequences the owner creates from now on (every migration) are usable by the app...
ALTER DEFAULT PRIVILEGES FOR ROLE errand_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO errand_app;
ALTER DEFAULT PRIVILEGES FOR ROLE errand_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO errand_app;
ALTER DEFAULT PRIVILEGES FOR ROLE errand_owner IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO errand_app;
