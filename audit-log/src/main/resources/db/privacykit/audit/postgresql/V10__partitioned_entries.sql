-- audit_entries and audit_bodies become tables partitioned by seq range. Existing rows are not
-- rewritten: each old table is renamed and attached as the first partition, [0, N), N the partition
-- size rounded up to cover the head (ATTACH reads the table once to check the range; it copies
-- nothing). Later partitions are made ahead of need by audit_ensure_partitions, and prune drops the
-- body partitions that lie wholly below its boundary instead of deleting their rows.
--
-- audit_subtrees stays one table: it is never pruned (every proof needs it), holds a small fraction
-- of the entries' rows, and is read by its (level, idx) key, which a range on end_leaf would have to
-- join, so the key would no longer be unique on its own.

-- The partition size in entries. An operator may create this table, with another size, before
-- upgrading: the first partition is then rounded to that size. Changing it later affects only
-- partitions made afterwards.
CREATE TABLE IF NOT EXISTS audit_partitioning (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  rows_per_partition BIGINT NOT NULL CHECK (rows_per_partition > 0)
);
INSERT INTO audit_partitioning (id, rows_per_partition)
  SELECT 1, 1048576 WHERE NOT EXISTS (SELECT 1 FROM audit_partitioning);

-- The partitions of an audit table with their ranges [from_seq, to_seq), read from the catalog.
CREATE FUNCTION audit_partition_bounds(parent REGCLASS)
  RETURNS TABLE (part REGCLASS, from_seq BIGINT, to_seq BIGINT)
  LANGUAGE sql STABLE AS $$
  SELECT c.oid::regclass, b[1]::BIGINT, b[2]::BIGINT
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid,
         regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''?(-?\d+)''?\) TO \(''?(-?\d+)''?\)') b
   WHERE i.inhparent = parent
   ORDER BY 2
$$;

-- What PostgreSQL does not do for a partition by itself: a TRUNCATE trigger (statement triggers are
-- not cloned from the parent), and ENABLE ALWAYS on the row trigger it cloned (set again here, as
-- releases before the 2022 fix cloned it as ENABLE ORIGIN, which replication mode skips).
CREATE FUNCTION audit_protect_partition(parent TEXT, part TEXT) RETURNS VOID
  LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', part, parent || '_append_only');
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I'
                 ' FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()',
                 part || '_no_truncate', part);
  EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', part, part || '_no_truncate');
END
$$;
REVOKE ALL ON FUNCTION audit_protect_partition(TEXT, TEXT) FROM PUBLIC;

-- Turns one audit table into a partitioned one, the old table its first partition [0, upto).
CREATE FUNCTION audit_partition_table(tab TEXT, row_check TEXT, upto BIGINT) RETURNS VOID
  LANGUAGE plpgsql AS $$
DECLARE
  first TEXT := tab || '_p0';
  idx RECORD;
  acl RECORD;
BEGIN
  EXECUTE format('ALTER TABLE %I RENAME TO %I', tab, first);
  EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', first, tab || '_pkey', first || '_pkey');
  EXECUTE format('DROP TRIGGER %I ON %I', tab || '_append_only', first);
  EXECUTE format('DROP TRIGGER %I ON %I', tab || '_no_truncate', first);
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
                 ' PARTITION BY RANGE (seq)', tab, first);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (seq)', tab, tab || '_pkey');
  -- the same secondary indexes under the same names; the old ones become their partitions
  FOR idx IN
    SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def
      FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
     WHERE x.indrelid = first::regclass AND NOT x.indisprimary
  LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', idx.name, first || substr(idx.name, length(tab) + 1));
    EXECUTE regexp_replace(idx.def, ' ON \S+ USING ', ' ON ' || quote_ident(tab) || ' USING ');
  END LOOP;
  -- the grants the application role was given on the old table hold for the new parent
  FOR acl IN
    SELECT a.grantee, a.privilege_type
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.oid = first::regclass AND a.grantee <> c.relowner
  LOOP
    EXECUTE format('GRANT %s ON %I TO %s', acl.privilege_type, tab,
                   CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(acl.grantee)) END);
  END LOOP;
  EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION %s()',
                 tab || '_append_only', tab, row_check);
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()',
                 tab || '_no_truncate', tab);
  EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', tab, tab || '_append_only');
  EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', tab, tab || '_no_truncate');
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (0) TO (%s)', tab, first, upto);
  PERFORM audit_protect_partition(tab, first);
END
$$;

DO $$
DECLARE
  size BIGINT;
  head BIGINT;
  upto BIGINT;
BEGIN
  SELECT rows_per_partition INTO size FROM audit_partitioning WHERE id = 1;
  SELECT GREATEST(s.tree_size, COALESCE((SELECT MAX(seq) + 1 FROM audit_entries), 0),
                  COALESCE((SELECT MAX(seq) + 1 FROM audit_bodies), 0))
    INTO head FROM audit_state s WHERE s.id = 1;
  upto := GREATEST(1, (head + size - 1) / size) * size;
  PERFORM audit_partition_table('audit_entries', 'audit_reject_change', upto);
  PERFORM audit_partition_table('audit_bodies', 'audit_reject_body_change', upto);
END
$$;
DROP FUNCTION audit_partition_table(TEXT, TEXT, BIGINT);

-- Makes partitions of audit_entries and audit_bodies, with their triggers, until the last one
-- starts above upto_seq: whatever an append up to upto_seq needs exists, and a whole partition
-- beyond it. Returns where the last partition starts (ask again once an append would reach it).
-- Runs as its owner, so the application role needs no CREATE privilege; it refuses to run more than
-- 64 partitions ahead of the head, so a caller cannot fill the catalog.
CREATE FUNCTION audit_ensure_partitions(upto_seq BIGINT) RETURNS BIGINT
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  size BIGINT;
  head BIGINT;
  last_start BIGINT;
  next_start BIGINT;
  bodies_end BIGINT;
  tab TEXT;
  part TEXT;
BEGIN
  -- one maker at a time: processes that ask together wait here, then find the work done
  SELECT rows_per_partition INTO size FROM audit_partitioning WHERE id = 1 FOR UPDATE;
  SELECT tree_size INTO head FROM audit_state WHERE id = 1;
  IF upto_seq > head + 64 * size THEN
    RAISE EXCEPTION 'refusing to make partitions up to seq %: more than 64 partitions ahead of the head %',
      upto_seq, head USING ERRCODE = '22023';
  END IF;
  SELECT MAX(from_seq), MAX(to_seq) INTO last_start, next_start
    FROM audit_partition_bounds('audit_entries');
  SELECT MAX(to_seq) INTO bodies_end FROM audit_partition_bounds('audit_bodies');
  IF bodies_end IS NULL OR bodies_end < next_start THEN
    -- bodies lag the entries only if partitions were changed by hand: catch up in one
    part := 'audit_bodies_p' || COALESCE(bodies_end, 0);
    EXECUTE format('CREATE TABLE %I (LIKE audit_bodies INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format('ALTER TABLE audit_bodies ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                   part, COALESCE(bodies_end, 0), next_start);
    PERFORM audit_protect_partition('audit_bodies', part);
  END IF;
  WHILE last_start <= upto_seq LOOP
    FOREACH tab IN ARRAY ARRAY['audit_entries', 'audit_bodies'] LOOP
      part := tab || '_p' || next_start;
      -- CREATE then ATTACH: attaching locks the parent less than CREATE ... PARTITION OF, so
      -- appends and reads go on meanwhile
      EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tab);
      EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                     tab, part, next_start, next_start + size);
      PERFORM audit_protect_partition(tab, part);
    END LOOP;
    last_start := next_start;
    next_start := next_start + size;
  END LOOP;
  RETURN last_start;
END
$$;
REVOKE ALL ON FUNCTION audit_ensure_partitions(BIGINT) FROM PUBLIC;

-- A spare partition beyond the head from the start, so appends never wait for one.
SELECT audit_ensure_partitions(tree_size) FROM audit_state WHERE id = 1;

-- Prune as before (only below a boundary a PRUNE entry announced, recorded in audit_prunes), but
-- body partitions wholly below the boundary are dropped whole; rows are deleted only in the one the
-- boundary cuts. Returns how many bodies went.
CREATE OR REPLACE FUNCTION audit_prune_bodies(boundary BIGINT) RETURNS BIGINT
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  removed BIGINT := 0;
  counted BIGINT;
  p RECORD;
BEGIN
  IF NOT EXISTS (
      SELECT 1 FROM audit_entries
       WHERE action = 'PRUNE' AND request_id = 'prune:' || boundary AND seq >= boundary) THEN
    RAISE EXCEPTION 'no PRUNE entry in the log announces the boundary %', boundary
      USING ERRCODE = '42501';
  END IF;
  FOR p IN SELECT part FROM audit_partition_bounds('audit_bodies') WHERE to_seq <= boundary LOOP
    EXECUTE format('SELECT COUNT(*) FROM %s', p.part) INTO counted;
    EXECUTE format('DROP TABLE %s', p.part);
    removed := removed + counted;
  END LOOP;
  PERFORM set_config('privacykit.audit_prune', 'on', true);
  DELETE FROM audit_bodies WHERE seq < boundary;
  GET DIAGNOSTICS counted = ROW_COUNT;
  PERFORM set_config('privacykit.audit_prune', 'off', true);
  INSERT INTO audit_prunes (before_seq, pruned_at)
    SELECT boundary, CURRENT_TIMESTAMP
     WHERE NOT EXISTS (SELECT 1 FROM audit_prunes WHERE before_seq = boundary);
  RETURN removed + counted;
END
$$;
