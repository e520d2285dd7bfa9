-- Up Migration
-- Cooperation projects: the read model of the project workflows. Their events, audit chain, webhook outbox and
-- tranche payment orders reuse case_events, audit_log, webhook_outbox and payments, keyed by the project ID
-- (coop-<uuid>, which never collides with a case ID): one audit tool verifies both, one dispatcher delivers both.
CREATE TABLE cooperation_projects (
  project_id       text PRIMARY KEY,
  title            text NOT NULL,
  partner_id       text NOT NULL,
  country          text NOT NULL,
  municipality     text NOT NULL,
  funder           text,
  stage            text NOT NULL,
  outcome          text,
  budget           integer NOT NULL CHECK (budget > 0),
  released         integer NOT NULL CHECK (released >= 0 AND released <= budget),
  slots            integer NOT NULL CHECK (slots > 0),
  slots_used       integer NOT NULL CHECK (slots_used >= 0 AND slots_used <= slots),
  open_escalations integer NOT NULL DEFAULT 0,
  next_deadline    timestamptz,
  opened_at        timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  closed_at        timestamptz,
  last_seq         integer NOT NULL,
  -- The whole project state (it holds no personal data: beneficiaries are case IDs).
  summary          jsonb NOT NULL
);
-- Keyset pagination sorts by (opened_at, project_id); each filter gets an index that ends in that order.
CREATE INDEX cooperation_projects_opened_idx ON cooperation_projects (opened_at DESC, project_id DESC);
CREATE INDEX cooperation_projects_stage_idx ON cooperation_projects (stage, opened_at DESC, project_id DESC);
CREATE INDEX cooperation_projects_partner_idx ON cooperation_projects (partner_id, opened_at DESC, project_id DESC);
CREATE INDEX cooperation_projects_country_idx ON cooperation_projects (country, opened_at DESC, project_id DESC);
CREATE INDEX cooperation_projects_escalated_idx ON cooperation_projects (opened_at DESC, project_id DESC) WHERE open_escalations > 0;

-- Down Migration
DROP TABLE cooperation_projects;
