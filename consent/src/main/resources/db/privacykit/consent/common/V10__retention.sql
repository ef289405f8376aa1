-- Retention that runs: when each principal last came (the host reports logins and other
-- contact; consent changes and requests count too), and every action the executor took.
CREATE TABLE principal_activity (
  tenant       VARCHAR(256) NOT NULL,
  subject      VARCHAR(256) NOT NULL,
  last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant, subject)
);

CREATE TABLE retention_actions (
  id         VARCHAR(36) PRIMARY KEY,
  tenant     VARCHAR(256) NOT NULL,
  subject    VARCHAR(256) NOT NULL,
  purpose    VARCHAR(256) NOT NULL,
  rule       VARCHAR(16) NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  status     VARCHAR(16) NOT NULL,
  basis_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  due_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  acted_at   TIMESTAMP WITH TIME ZONE,
  note       VARCHAR(1000)
);
-- One action of a kind per trigger: two processes running at once cannot act twice.
CREATE UNIQUE INDEX retention_actions_once
  ON retention_actions (tenant, subject, rule, kind, purpose, basis_at);
CREATE INDEX retention_actions_pending ON retention_actions (status, due_at);
CREATE INDEX retention_actions_report ON retention_actions (tenant, created_at);

-- How far the audit log's collection entries (WRITE, per purpose) have been read by each
-- purpose's "collected" retention rule: the next run reads from here.
CREATE TABLE retention_watermarks (
  tenant  VARCHAR(256) NOT NULL,
  purpose VARCHAR(256) NOT NULL,
  upto    TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant, purpose)
);
