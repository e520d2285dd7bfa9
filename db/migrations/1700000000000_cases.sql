-- Up Migration
-- The read model, the append-only event log, the webhook outbox and the funded-place ledger.
-- One transaction per transition writes cases + case_events + audit_log + webhook_outbox (see activities/events.ts).

CREATE TABLE cases (
  case_id        text PRIMARY KEY,
  programme_id   text NOT NULL,
  country        text NOT NULL,
  office         text NOT NULL,
  stage          text NOT NULL,
  outcome        text,
  assignee       text,
  partner_ids    text[] NOT NULL DEFAULT '{}',
  open_escalations integer NOT NULL DEFAULT 0,
  next_deadline  timestamptz,
  opened_at      timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  closed_at      timestamptz,
  departed_at    timestamptz,
  last_seq       integer NOT NULL,
  -- Non-personal view of the workflow state (stage, amounts, deadlines, timeline).
  summary        jsonb NOT NULL,
  -- Personal data (household, vulnerabilities); set to NULL on erasure.
  personal       jsonb
);
-- Keyset pagination sorts by (opened_at, case_id); each filter gets an index that ends in that order.
CREATE INDEX cases_opened_idx ON cases (opened_at DESC, case_id DESC);
CREATE INDEX cases_stage_idx ON cases (stage, opened_at DESC, case_id DESC);
CREATE INDEX cases_programme_idx ON cases (programme_id, opened_at DESC, case_id DESC);
CREATE INDEX cases_country_idx ON cases (country, opened_at DESC, case_id DESC);
CREATE INDEX cases_office_idx ON cases (office, opened_at DESC, case_id DESC);
CREATE INDEX cases_assignee_idx ON cases (assignee, opened_at DESC, case_id DESC) WHERE assignee IS NOT NULL;
CREATE INDEX cases_escalated_idx ON cases (opened_at DESC, case_id DESC) WHERE open_escalations > 0;
CREATE INDEX cases_partner_idx ON cases USING gin (partner_ids);
CREATE INDEX cases_deadline_idx ON cases (next_deadline) WHERE next_deadline IS NOT NULL;

-- Domain events, one per transition, numbered per case. Idempotent on (case_id, seq).
CREATE TABLE case_events (
  case_id      text NOT NULL,
  seq          integer NOT NULL,
  type         text NOT NULL,
  version      integer NOT NULL DEFAULT 1,
  stage_before text NOT NULL,
  stage_after  text NOT NULL,
  action       text,
  actor_id     text,
  actor_role   text,
  reason       text,
  data         jsonb NOT NULL DEFAULT '{}',
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, seq)
);

-- Webhook outbox: one row per event; fan-out to endpoints happens at delivery.
CREATE TABLE webhook_outbox (
  id           bigserial PRIMARY KEY,
  case_id      text NOT NULL,
  seq          integer NOT NULL,
  event_type   text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, seq)
);

-- Funded places: a transactional ledger. A reservation is active while released_at IS NULL.
CREATE TABLE programme_places (
  programme_id  text PRIMARY KEY,
  funded_places integer NOT NULL CHECK (funded_places >= 0)
);
CREATE TABLE place_reservations (
  case_id      text PRIMARY KEY,
  programme_id text NOT NULL REFERENCES programme_places (programme_id),
  reserved_at  timestamptz NOT NULL DEFAULT now(),
  released_at  timestamptz
);
CREATE INDEX place_reservations_active_idx ON place_reservations (programme_id) WHERE released_at IS NULL;

-- Payment orders, keyed by the case's payment ID so a retried activity never pays twice.
CREATE TABLE payments (
  case_id    text NOT NULL,
  payment_id text NOT NULL,
  kind       text NOT NULL,
  due_when   text NOT NULL,
  amount     integer NOT NULL,
  status     text NOT NULL DEFAULT 'ordered',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, payment_id)
);

-- Idempotency-Key → case, so a retried POST (even across API restarts) returns the same case.
CREATE TABLE idempotency_keys (
  key          text NOT NULL,
  principal    text NOT NULL,
  request_hash text NOT NULL,
  case_id      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);

-- Duplicate referral detection: a keyed hash of identity fields, never the fields themselves.
CREATE TABLE referral_fingerprints (
  fingerprint text NOT NULL,
  case_id     text NOT NULL PRIMARY KEY
);
CREATE INDEX referral_fingerprints_idx ON referral_fingerprints (fingerprint);

-- Down Migration
DROP TABLE referral_fingerprints, idempotency_keys, payments, place_reservations, programme_places, webhook_outbox, case_events, cases;
