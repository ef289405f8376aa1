-- The empty tree: size 0, root SHA-256 of the empty string (RFC 6962).
INSERT INTO audit_state (id, tree_size, root, updated_at) VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), CURRENT_TIMESTAMP);

-- Append-only, enforced by the database. ENABLE ALWAYS: the triggers fire even in replication
-- mode (session_replication_role = replica). A superuser can still disable them; the signed
-- checkpoints are what proves that nothing was changed.
CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END
$$;

-- Bodies may be deleted only by prune, which sets privacykit.audit_prune for its transaction.
CREATE FUNCTION audit_reject_body_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('privacykit.audit_prune', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END
$$;

CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_subtrees_append_only BEFORE UPDATE OR DELETE ON audit_subtrees
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_subtrees_no_truncate BEFORE TRUNCATE ON audit_subtrees
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_bodies_append_only BEFORE UPDATE OR DELETE ON audit_bodies
  FOR EACH ROW EXECUTE FUNCTION audit_reject_body_change();
CREATE TRIGGER audit_bodies_no_truncate BEFORE TRUNCATE ON audit_bodies
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_prunes_append_only BEFORE UPDATE OR DELETE ON audit_prunes
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_prunes_no_truncate BEFORE TRUNCATE ON audit_prunes
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_state_no_delete BEFORE DELETE ON audit_state
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_state_no_truncate BEFORE TRUNCATE ON audit_state
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_append_only;
ALTER TABLE audit_entries ENABLE ALWAYS TRIGGER audit_entries_no_truncate;
ALTER TABLE audit_subtrees ENABLE ALWAYS TRIGGER audit_subtrees_append_only;
ALTER TABLE audit_subtrees ENABLE ALWAYS TRIGGER audit_subtrees_no_truncate;
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_append_only;
ALTER TABLE audit_checkpoints ENABLE ALWAYS TRIGGER audit_checkpoints_no_truncate;
ALTER TABLE audit_bodies ENABLE ALWAYS TRIGGER audit_bodies_append_only;
ALTER TABLE audit_bodies ENABLE ALWAYS TRIGGER audit_bodies_no_truncate;
ALTER TABLE audit_prunes ENABLE ALWAYS TRIGGER audit_prunes_append_only;
ALTER TABLE audit_prunes ENABLE ALWAYS TRIGGER audit_prunes_no_truncate;
ALTER TABLE audit_state ENABLE ALWAYS TRIGGER audit_state_no_delete;
ALTER TABLE audit_state ENABLE ALWAYS TRIGGER audit_state_no_truncate;
