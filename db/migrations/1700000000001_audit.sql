-- Up Migration
-- Append-only, hash-chained audit log: transitions, human steps, partner callbacks, reads of personal data.
-- hash = sha256(prev_hash || canonical JSON of the entry); entry_no counts per case from 1.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  case_id      text NOT NULL,
  entry_no     integer NOT NULL,
  kind         text NOT NULL,          -- transition | access | denied | erasure
  event_seq    integer,
  actor_id     text,
  actor_role   text,
  action       text NOT NULL,
  reason       text,
  stage_before text,
  stage_after  text,
  request_id   text,
  occurred_at  timestamptz NOT NULL,
  prev_hash    text NOT NULL,
  hash         text NOT NULL,
  UNIQUE (case_id, entry_no)
);
CREATE UNIQUE INDEX audit_log_event_idx ON audit_log (case_id, event_seq) WHERE kind = 'transition';

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_refuse_change();
