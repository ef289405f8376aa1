-- Idempotency keys of appended entries: a replayed key answers with the original seq and appends
-- nothing; the same key for a different entry is refused. Written in the batch's transaction, under
-- the log head's lock, so concurrent replays across processes cannot both append.
CREATE TABLE audit_idempotency (
  tenant          VARCHAR(256) NOT NULL,
  idempotency_key VARCHAR(128) NOT NULL,
  seq             BIGINT NOT NULL,
  fingerprint     VARCHAR(64) NOT NULL,
  -- the key first: a batch looks up hundreds of random keys of one tenant, each by the index
  PRIMARY KEY (idempotency_key, tenant)
);
