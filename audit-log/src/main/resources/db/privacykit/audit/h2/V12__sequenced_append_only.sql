-- audit_sequenced (common V11) is append-only like the log's other tables.
CREATE TRIGGER audit_sequenced_append_only BEFORE UPDATE, DELETE ON audit_sequenced
  FOR EACH ROW CALL 'dev.privacykit.audit.internal.H2AppendOnlyTrigger';
