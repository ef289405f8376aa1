-- Sequenced appends (issue 21): entries ordered by an external sequencer, such as one partition of a
-- Kafka topic, are integrated in batches fenced by the source offset stored on the tree head. A
-- batch is written only if the head still holds the offset its sequencer read, and moves it on in
-- the same transaction, so a stale or duplicate sequencer can never write twice or out of order.
-- NULL: no sequencer has integrated anything yet (the same as offset 0).
ALTER TABLE audit_state ADD COLUMN sequenced_offset BIGINT;

-- Which seq each integrated source offset became: the status of an offset, and a second guard (the
-- primary key) that no offset is integrated twice. Append-only (V12 of each dialect). An offset
-- below the head's sequenced_offset without a row was skipped (its record could not be read).
CREATE TABLE audit_sequenced (
  source_offset BIGINT PRIMARY KEY,
  seq           BIGINT NOT NULL
);
