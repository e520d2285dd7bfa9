-- Up Migration
-- Appending to a case's audit chain in one statement: the case's lock, its last entry, the new entry's hash and
-- the insert. A read of personal data appends an access entry before it answers, so this is on every read's path:
-- one round trip instead of five (BEGIN, lock, last entry, insert, COMMIT).
--
-- The hash is the one db/audit.ts chainHash computes and db/verify-audit.ts checks:
--   sha256(prev_hash || canonical JSON of the fields), keys sorted, no whitespace, JSON string escapes.
-- to_json(text) escapes exactly as JSON.stringify does for text Postgres can hold (", \, \b \f \n \r \t, other
-- controls as \u00xx); test/integration/audit-append.test.ts holds the two to the same hash on awkward strings.
CREATE FUNCTION audit_append(
  p_case_id text, p_kind text, p_event_seq integer, p_actor_id text, p_actor_role text, p_action text,
  p_reason text, p_stage_before text, p_stage_after text, p_request_id text, p_occurred_at text
) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  v_entry_no integer;
  v_prev text;
  v_fields text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_case_id, 0));
  SELECT entry_no, hash INTO v_entry_no, v_prev FROM audit_log WHERE case_id = p_case_id ORDER BY entry_no DESC LIMIT 1;
  v_entry_no := coalesce(v_entry_no, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_fields := '{"action":' || to_json(p_action)::text
    || ',"actorId":' || coalesce(to_json(p_actor_id)::text, 'null')
    || ',"actorRole":' || coalesce(to_json(p_actor_role)::text, 'null')
    || ',"caseId":' || to_json(p_case_id)::text
    || ',"entryNo":' || v_entry_no::text
    || ',"eventSeq":' || coalesce(p_event_seq::text, 'null')
    || ',"kind":' || to_json(p_kind)::text
    || ',"occurredAt":' || to_json(p_occurred_at)::text
    || ',"reason":' || coalesce(to_json(p_reason)::text, 'null')
    || ',"requestId":' || coalesce(to_json(p_request_id)::text, 'null')
    || ',"stageAfter":' || coalesce(to_json(p_stage_after)::text, 'null')
    || ',"stageBefore":' || coalesce(to_json(p_stage_before)::text, 'null')
    || '}';
  INSERT INTO audit_log (case_id, entry_no, kind, event_seq, actor_id, actor_role, action, reason,
    stage_before, stage_after, request_id, occurred_at, prev_hash, hash)
  VALUES (p_case_id, v_entry_no, p_kind, p_event_seq, p_actor_id, p_actor_role, p_action, p_reason,
    p_stage_before, p_stage_after, p_request_id, p_occurred_at::timestamptz, v_prev,
    encode(sha256(convert_to(v_prev || v_fields, 'UTF8')), 'hex'));
  RETURN v_entry_no;
END;
$$;
GRANT EXECUTE ON FUNCTION audit_append(text, text, integer, text, text, text, text, text, text, text, text) TO avrr_app;

-- Down Migration
DROP FUNCTION audit_append(text, text, integer, text, text, text, text, text, text, text, text);
