-- Rights that take effect: the purposes a request concerns, who filed it, and the holds
-- (restriction, GDPR Art. 18; objection, Art. 21) the decision engine consults.
ALTER TABLE dsr_requests ADD COLUMN purposes VARCHAR(2000);
ALTER TABLE dsr_requests ADD COLUMN filed_by VARCHAR(16) DEFAULT 'FIDUCIARY' NOT NULL;

CREATE TABLE processing_holds (
  request_id  VARCHAR(36) NOT NULL,
  purpose     VARCHAR(256) NOT NULL,
  tenant      VARCHAR(256) NOT NULL,
  subject     VARCHAR(256) NOT NULL,
  kind        VARCHAR(12) NOT NULL,
  since       TIMESTAMP WITH TIME ZONE NOT NULL,
  lifts_at    TIMESTAMP WITH TIME ZONE,
  lift_reason VARCHAR(1000),
  PRIMARY KEY (request_id, purpose)
);
CREATE INDEX processing_holds_subject ON processing_holds (tenant, subject, purpose);
