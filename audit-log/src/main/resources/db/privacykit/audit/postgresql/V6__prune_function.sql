-- Prune deletes bodies through this one function, which runs as its owner (the role that migrates).
-- The application role needs no DELETE on audit_bodies, so the switch the trigger reads
-- (privacykit.audit_prune, a setting any role may set) gives it nothing on its own; and the function
-- deletes only below a boundary that a PRUNE entry in the log itself announced.
CREATE FUNCTION audit_prune_bodies(boundary BIGINT) RETURNS BIGINT
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  removed BIGINT;
BEGIN
  IF NOT EXISTS (
      SELECT 1 FROM audit_entries
       WHERE action = 'PRUNE' AND request_id = 'prune:' || boundary AND seq >= boundary) THEN
    RAISE EXCEPTION 'no PRUNE entry in the log announces the boundary %', boundary
      USING ERRCODE = '42501';
  END IF;
  PERFORM set_config('privacykit.audit_prune', 'on', true);
  DELETE FROM audit_bodies WHERE seq < boundary;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('privacykit.audit_prune', 'off', true);
  INSERT INTO audit_prunes (before_seq, pruned_at)
    SELECT boundary, CURRENT_TIMESTAMP
     WHERE NOT EXISTS (SELECT 1 FROM audit_prunes WHERE before_seq = boundary);
  RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION audit_prune_bodies(BIGINT) FROM PUBLIC;
