-- Up Migration
-- Partner webhooks: endpoints, their signing secrets, one delivery per (event, endpoint), every HTTP attempt,
-- and the dead letters. Events come from webhook_outbox; fan-out and delivery are Temporal workflows.

CREATE TABLE webhook_endpoints (
  endpoint_id     text PRIMARY KEY,
  partner_id      text NOT NULL REFERENCES partners (partner_id),
  url             text NOT NULL,
  event_types     text[] NOT NULL,
  -- Which cases' events are sent: those of some programmes, some countries of return, or the cases
  -- assigned to the partner (cases.partner_ids).
  scope_kind      text NOT NULL CHECK (scope_kind IN ('programmes', 'countries', 'assigned')),
  scope_values    text[] NOT NULL DEFAULT '{}',
  enabled         boolean NOT NULL DEFAULT true,
  disabled_reason text,
  disabled_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_partner_idx ON webhook_endpoints (partner_id);

-- Signing secrets, encrypted at rest (activities/webhooks/secret-box.ts). A secret signs while
-- expires_at is NULL or in the future, so a rotation keeps the old one valid through the overlap window.
CREATE TABLE webhook_secrets (
  secret_id   bigserial PRIMARY KEY,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (endpoint_id),
  sealed      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz
);
CREATE INDEX webhook_secrets_endpoint_idx ON webhook_secrets (endpoint_id, expires_at);

-- One row per (event, endpoint). delivery_id is the stable webhook-id, identical across retries and replays.
CREATE TABLE webhook_deliveries (
  delivery_id  text PRIMARY KEY,
  endpoint_id  text NOT NULL REFERENCES webhook_endpoints (endpoint_id),
  partner_id   text NOT NULL REFERENCES partners (partner_id),
  case_id      text NOT NULL,
  seq          integer NOT NULL,
  event_type   text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts     integer NOT NULL DEFAULT 0,
  -- Set once the delivery workflow has been signalled; a fan-out retried after a crash re-signals the rest.
  signalled_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (endpoint_id, case_id, seq)
);
CREATE INDEX webhook_deliveries_partner_idx ON webhook_deliveries (partner_id, created_at DESC, delivery_id DESC);
CREATE INDEX webhook_deliveries_unsignalled_idx ON webhook_deliveries (case_id, seq) WHERE signalled_at IS NULL;

-- Every HTTP attempt. Never the response body: a partner's answer may echo personal data.
CREATE TABLE webhook_attempts (
  id           bigserial PRIMARY KEY,
  delivery_id  text NOT NULL REFERENCES webhook_deliveries (delivery_id),
  attempt_no   integer NOT NULL,
  attempted_at timestamptz NOT NULL,
  status_code  integer,
  latency_ms   integer NOT NULL,
  error        text,
  UNIQUE (delivery_id, attempt_no)
);

-- Deliveries given up on (retries exhausted, or the endpoint answered 410 Gone). A redelivery resolves them.
CREATE TABLE webhook_dead_letters (
  delivery_id text PRIMARY KEY REFERENCES webhook_deliveries (delivery_id),
  reason      text NOT NULL,
  dead_at     timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);

-- Fan-out bookkeeping on the outbox: NULL until the event has been routed to the matching endpoints.
ALTER TABLE webhook_outbox ADD COLUMN dispatched_at timestamptz;
-- Events recorded before webhooks existed are not sent: no endpoint could have asked for them.
UPDATE webhook_outbox SET dispatched_at = created_at;
CREATE INDEX webhook_outbox_undispatched_idx ON webhook_outbox (case_id, seq) WHERE dispatched_at IS NULL;
CREATE INDEX webhook_outbox_created_idx ON webhook_outbox (created_at);

-- Down Migration
DROP INDEX webhook_outbox_created_idx;
DROP INDEX webhook_outbox_undispatched_idx;
ALTER TABLE webhook_outbox DROP COLUMN dispatched_at;
DROP TABLE webhook_dead_letters, webhook_attempts, webhook_deliveries, webhook_secrets, webhook_endpoints;
