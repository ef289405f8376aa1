-- Witnesses' cosignatures (C2SP tlog-cosignature) of the log's checkpoints: one line per witness
-- and checkpoint size, verified with the witness's configured key before it is stored.
CREATE TABLE audit_cosignatures (
  tree_size   BIGINT NOT NULL,
  witness     VARCHAR(200) NOT NULL,
  line        VARCHAR(400) NOT NULL,
  cosigned_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (tree_size, witness)
);
