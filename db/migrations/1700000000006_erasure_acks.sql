-- Up Migration
-- Partners told to erase a case's data, and whether they confirmed it. Reminders come from the case workflow.
CREATE TABLE erasure_acks (
  case_id         text NOT NULL,
  partner_id      text NOT NULL,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  reminders       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, partner_id)
);
CREATE INDEX erasure_acks_pending_idx ON erasure_acks (case_id) WHERE acknowledged_at IS NULL;

-- Down Migration
DROP TABLE erasure_acks;
