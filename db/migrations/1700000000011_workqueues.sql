-- Up Migration
-- Workqueues: per case, the roles that can move it on now. The projection writes it with every transition
-- (workflows/case/pending-roles.ts); a queue is then `pending_roles @> ARRAY[role]`, served by the GIN index.
ALTER TABLE cases ADD COLUMN pending_roles text[] NOT NULL DEFAULT '{}';
CREATE INDEX cases_pending_roles_idx ON cases USING gin (pending_roles);

-- Rows written before this column existed: derive it once from summary.pendingActions, by the same rule as
-- pendingRolesOf (withdraw, record_absconding, stop_assistance, request_erasure and an early close_case are
-- never awaited). The next transition of each case overwrites it from the workflow anyway.
UPDATE cases c SET pending_roles = coalesce((
  SELECT array_agg(DISTINCT r ORDER BY r)
  FROM jsonb_array_elements(c.summary -> 'pendingActions') a, jsonb_array_elements_text(a -> 'roles') r
  WHERE a ->> 'action' NOT IN ('withdraw', 'record_absconding', 'stop_assistance', 'request_erasure')
    AND (a ->> 'action' <> 'close_case' OR c.stage = 'closure')
), '{}')
WHERE jsonb_typeof(c.summary -> 'pendingActions') = 'array';

-- Reports group departures by month and filter on the departure date.
CREATE INDEX cases_departed_idx ON cases (departed_at) WHERE departed_at IS NOT NULL;

-- Down Migration
DROP INDEX cases_departed_idx;
DROP INDEX cases_pending_roles_idx;
ALTER TABLE cases DROP COLUMN pending_roles;
