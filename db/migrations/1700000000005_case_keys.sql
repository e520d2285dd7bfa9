-- Up Migration
-- One data key per case, stored only wrapped by a master key. Destroying the wrapped key crypto-shreds
-- everything encrypted with it: Temporal payloads, the read model's personal part.
CREATE TABLE case_keys (
  key_id        text PRIMARY KEY,
  owner_id      text NOT NULL UNIQUE,       -- the case (workflow) ID, or 'system'
  wrapped       bytea,                      -- NULL once destroyed
  master_key_id text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  destroyed_at  timestamptz
);

-- Down Migration
DROP TABLE case_keys;
