-- audit_sequenced (common V11) is append-only like the log's other tables.
CREATE TRIGGER audit_sequenced_append_only BEFORE UPDATE OR DELETE ON audit_sequenced
  FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_sequenced_no_truncate BEFORE TRUNCATE ON audit_sequenced
  FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
ALTER TABLE audit_sequenced ENABLE ALWAYS TRIGGER audit_sequenced_append_only;
ALTER TABLE audit_sequenced ENABLE ALWAYS TRIGGER audit_sequenced_no_truncate;
