-- Up Migration
-- What a webhook can be about: a return case or a cooperation project. The dispatcher routes outbox events
-- through this view, so one fan-out serves both; a project's partner is its only assigned partner.
CREATE VIEW webhook_subjects AS
  SELECT case_id, programme_id, country, partner_ids FROM cases
  UNION ALL
  SELECT project_id, NULL, country, ARRAY[partner_id] FROM cooperation_projects;

-- Down Migration
DROP VIEW webhook_subjects;
