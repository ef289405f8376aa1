-- The field keyring: every key wrapped by the root key. One row of crypto_keyring_state is locked
-- by every change, so concurrent rotations from several processes take turns.
CREATE TABLE crypto_keyring_state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO crypto_keyring_state (id, version) VALUES (1, 0);

CREATE TABLE crypto_keyring (
  key_id      INTEGER PRIMARY KEY,
  is_primary  BOOLEAN NOT NULL,
  wrapped_key BYTEA NOT NULL,
  root_key_id VARCHAR(300) NOT NULL,
  reserved    BIGINT DEFAULT 0 NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Tenant keys, wrapped by the root key; subject keys, wrapped by their tenant's key.
CREATE TABLE crypto_tenant_keys (
  tenant      VARCHAR(256) PRIMARY KEY,
  wrapped_key BYTEA NOT NULL,
  root_key_id VARCHAR(300) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE crypto_subject_keys (
  tenant      VARCHAR(256) NOT NULL,
  subject     VARCHAR(256) NOT NULL,
  key_id      INTEGER NOT NULL,
  wrapped_key BYTEA NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant, subject)
);

-- What crypto-shredding destroyed: no key material, only which key and when.
CREATE TABLE crypto_shredded_keys (
  tenant      VARCHAR(256) NOT NULL,
  subject     VARCHAR(256) NOT NULL,
  key_id      INTEGER NOT NULL,
  shredded_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tenant, subject, key_id)
);

-- Checkpoints of re-encryption (rewrap) jobs, so an interrupted job resumes where it stopped.
CREATE TABLE crypto_rewrap_jobs (
  name           VARCHAR(200) PRIMARY KEY,
  last_id        VARCHAR(256),
  rows_scanned   BIGINT NOT NULL,
  rows_rewrapped BIGINT NOT NULL,
  rows_failed    BIGINT NOT NULL,
  started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at    TIMESTAMP WITH TIME ZONE
);
