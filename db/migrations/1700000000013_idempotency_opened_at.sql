-- Up Migration
-- The instant a keyed start request first arrived. A retry with the same key opens the case at that same
-- instant, so the read-model row the API writes equals the one the workflow records, however late the retry.
ALTER TABLE idempotency_keys ADD COLUMN opened_at timestamptz NOT NULL DEFAULT now();

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN opened_at;
