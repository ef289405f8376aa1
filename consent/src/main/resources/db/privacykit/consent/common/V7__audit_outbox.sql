-- The audit entry of each consent change, written in the change's own transaction and removed once
-- the audit log has committed it (under an idempotency key made from the event id): a change and its
-- entry are one unit, even if the process dies between the two commits.
CREATE TABLE consent_audit_outbox (
  event_id   VARCHAR(36) PRIMARY KEY,
  actor      VARCHAR(256) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
