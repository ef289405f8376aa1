-- Audit entries this module owes the log, written in the transaction of the change they record (a
-- consent change, a data-subject request step) and removed once the log has committed them under
-- their idempotency key: a change and its entry are one unit, even if the process dies between
-- the two commits.
CREATE TABLE consent_audit_outbox (
  idempotency_key VARCHAR(128) PRIMARY KEY,
  tenant          VARCHAR(256) NOT NULL,
  actor           VARCHAR(256) NOT NULL,
  action          VARCHAR(40) NOT NULL,
  subject         VARCHAR(256),
  purpose         VARCHAR(128),
  legal_basis     VARCHAR(64),
  request_id      VARCHAR(128),
  outcome         VARCHAR(16) NOT NULL,
  body            VARCHAR(4000),
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX consent_audit_outbox_age ON consent_audit_outbox (created_at);
