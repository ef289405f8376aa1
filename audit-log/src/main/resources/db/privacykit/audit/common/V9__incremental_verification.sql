-- Verification runs record the tree they proved (size and root) and whether they were incremental:
-- an incremental run starts from the newest run that proved its tree.
ALTER TABLE audit_verifications ADD COLUMN tree_size BIGINT;
ALTER TABLE audit_verifications ADD COLUMN root BYTEA;
ALTER TABLE audit_verifications ADD COLUMN incremental BOOLEAN DEFAULT FALSE NOT NULL;
