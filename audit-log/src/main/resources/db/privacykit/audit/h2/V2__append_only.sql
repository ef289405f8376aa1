-- The empty tree: size 0, root SHA-256 of the empty string (RFC 6962).
INSERT INTO audit_state (id, tree_size, root, updated_at) VALUES (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', CURRENT_TIMESTAMP);

-- Append-only on embedded H2: Java triggers reject UPDATE and DELETE (bodies may be deleted only by
-- prune, which sets @AUDIT_PRUNE in its session). H2 fires no trigger on TRUNCATE; verify() finds a
-- truncated log (the checkpoints stop matching).
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE, DELETE ON audit_entries
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE TRIGGER audit_subtrees_append_only BEFORE UPDATE, DELETE ON audit_subtrees
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE, DELETE ON audit_checkpoints
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE TRIGGER audit_bodies_append_only BEFORE UPDATE, DELETE ON audit_bodies
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE TRIGGER audit_prunes_append_only BEFORE UPDATE, DELETE ON audit_prunes
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
CREATE TRIGGER audit_state_no_delete BEFORE DELETE ON audit_state
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
