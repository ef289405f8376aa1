-- The tree head: one row, locked by every batch append so that appends from several processes
-- take turns and seq stays gapless.
CREATE TABLE audit_state (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  tree_size  BIGINT NOT NULL,
  root       BYTEA NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The first row (the empty tree) is inserted by each dialect's V2, which spells bytes its own way.

-- One row per entry; seq is the leaf index (0-based, gapless). The leaf hash covers every column
-- but the body itself, which it covers through body_hash, so bodies can be pruned or shredded and
-- the log still verifies.
CREATE TABLE audit_entries (
  seq            BIGINT PRIMARY KEY,
  recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  tenant         VARCHAR(256) NOT NULL,
  actor          VARCHAR(256) NOT NULL,
  actor_role     VARCHAR(128),
  subject        VARCHAR(256),
  action         VARCHAR(40) NOT NULL,
  purpose        VARCHAR(128),
  legal_basis    VARCHAR(64),
  categories     VARCHAR(2000),
  recipient      VARCHAR(256),
  request_id     VARCHAR(128),
  outcome        VARCHAR(20) NOT NULL,
  body_hash      BYTEA,
  leaf_hash      BYTEA NOT NULL
);
CREATE INDEX audit_entries_subject ON audit_entries (tenant, subject, seq);
CREATE INDEX audit_entries_actor ON audit_entries (tenant, actor, seq);
CREATE INDEX audit_entries_purpose ON audit_entries (tenant, purpose, seq);
CREATE INDEX audit_entries_time ON audit_entries (recorded_at);

-- Entry bodies: personal details, encrypted under the subject's key (crypto-shredding makes them
-- unreadable); prune deletes old ones.
CREATE TABLE audit_bodies (
  seq  BIGINT PRIMARY KEY,
  body BYTEA NOT NULL
);

-- Every complete Merkle subtree above the leaves: node (level, idx) covers leaves
-- [idx * 2^level, (idx + 1) * 2^level); end_leaf is the last of them, the order they complete in.
CREATE TABLE audit_subtrees (
  level    INTEGER NOT NULL,
  idx      BIGINT NOT NULL,
  end_leaf BIGINT NOT NULL,
  hash     BYTEA NOT NULL,
  PRIMARY KEY (level, idx)
);
CREATE INDEX audit_subtrees_end ON audit_subtrees (end_leaf);

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note).
CREATE TABLE audit_checkpoints (
  tree_size  BIGINT PRIMARY KEY,
  root       BYTEA NOT NULL,
  note       VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The checkpoint signing key, wrapped by the root key (see crypto).
CREATE TABLE audit_signing_keys (
  name        VARCHAR(200) PRIMARY KEY,
  public_key  BYTEA NOT NULL,
  wrapped_key BYTEA NOT NULL,
  root_key_id VARCHAR(300) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Each prune: bodies of entries before before_seq were deleted. verify() accepts missing bodies
-- only below the highest before_seq.
CREATE TABLE audit_prunes (
  before_seq BIGINT PRIMARY KEY,
  pruned_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
