-- A random salt in each new entry's leaf (leaf encoding version 3). Proofs hand out sibling leaf
-- hashes, which may be other tenants' entries; without a salt, anyone able to guess an entry's
-- fields (subject, actor, purpose, time to the microsecond) could confirm the guess against them.
-- NULL for entries written before this column existed: they keep their version 1 or 2 encoding.
ALTER TABLE audit_entries ADD COLUMN leaf_salt BYTEA;
