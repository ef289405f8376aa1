-- Each run of verify(): when, how many entries it checked, and the kind of the first failure (no
-- seq, no hashes: a tenant may read this row). The console and /metrics show the newest.
CREATE TABLE audit_verifications (
  verified_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  entries      BIGINT NOT NULL,
  ok           BOOLEAN NOT NULL,
  failure_kind VARCHAR(40)
);
CREATE INDEX audit_verifications_at ON audit_verifications (verified_at);
