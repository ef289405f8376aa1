-- Rectification, erasure and restriction reach the recipients of the policy (GDPR Art. 19, DPDP Act
-- s.8(7)(b) and s.12). A webhook may stand for one recipient of the policy: at most one active
-- webhook per tenant and recipient (the primary key; a link whose webhook was removed is replaced).
CREATE TABLE webhook_policy_links (
  tenant           VARCHAR(256) NOT NULL,
  policy_recipient VARCHAR(128) NOT NULL,
  webhook_id       VARCHAR(36) NOT NULL,
  PRIMARY KEY (tenant, policy_recipient)
);
CREATE INDEX webhook_policy_links_webhook ON webhook_policy_links (webhook_id);

-- One notice per request and recipient, queued in the step's transaction: the event sent to the
-- recipient's webhook (null when it has none: to be told by hand), when its confirmation is due,
-- and the confirmation with its reference.
CREATE TABLE dsr_recipient_notices (
  request_id             VARCHAR(36) NOT NULL,
  recipient              VARCHAR(128) NOT NULL,
  tenant                 VARCHAR(256) NOT NULL,
  event_type             VARCHAR(64) NOT NULL,
  purposes               VARCHAR(2000),
  webhook_id             VARCHAR(36),
  outbox_id              VARCHAR(36),
  created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
  due_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
  confirmed_at           TIMESTAMP WITH TIME ZONE,
  confirmation_reference VARCHAR(256),
  PRIMARY KEY (request_id, recipient)
);
CREATE INDEX dsr_recipient_notices_overdue ON dsr_recipient_notices (tenant, confirmed_at, due_at);
