-- Host backends that want to hear of withdrawals, erasures and restrictions.
CREATE TABLE webhook_recipients (
  id                VARCHAR(36) PRIMARY KEY,
  tenant            VARCHAR(256) NOT NULL,
  url               VARCHAR(2000) NOT NULL,
  events            VARCHAR(1000) NOT NULL,
  secret_ciphertext VARCHAR(500) NOT NULL,
  active            BOOLEAN NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE webhook_outbox (
  id         VARCHAR(36) PRIMARY KEY,
  tenant     VARCHAR(256) NOT NULL,
  type       VARCHAR(64) NOT NULL,
  payload    VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE webhook_deliveries (
  outbox_id       VARCHAR(36) NOT NULL,
  recipient_id    VARCHAR(36) NOT NULL,
  status          VARCHAR(16) NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_status     INTEGER,
  last_error      VARCHAR(200),
  delivered_at    TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (outbox_id, recipient_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
