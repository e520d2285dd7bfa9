-- Up Migration
-- The application's database role. Migrations run as the owner; the app's pool switches to avrr_app
-- (db/pool.ts), which may append to audit_log but never change or remove an entry: append-only is then
-- enforced by the privileges as well as by the audit_log_append_only trigger.
DO $$
BEGIN
  -- Roles are cluster-wide: another database on the same server may have created it already.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'avrr_app') THEN
    CREATE ROLE avrr_app NOLOGIN;
  END IF;
END
$$;
-- The owner must be able to SET ROLE to it (a superuser always can; a plain owner needs membership).
GRANT avrr_app TO CURRENT_USER;

GRANT USAGE ON SCHEMA public TO avrr_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO avrr_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO avrr_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM avrr_app;
-- The migrations' own bookkeeping is the owner's business.
REVOKE ALL ON pgmigrations FROM avrr_app;
-- Tables and sequences that later migrations create get the normal rights without a GRANT each.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO avrr_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO avrr_app;

-- The non-personal state the projection wrote with each event, so an auditor can see a case "as of"
-- any entry of its history. NULL for events recorded before this column existed.
ALTER TABLE case_events ADD COLUMN snapshot jsonb;

-- Down Migration
ALTER TABLE case_events DROP COLUMN snapshot;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM avrr_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM avrr_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM avrr_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM avrr_app;
REVOKE USAGE ON SCHEMA public FROM avrr_app;
