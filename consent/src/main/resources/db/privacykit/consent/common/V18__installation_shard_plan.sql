-- The audit log's shard plan, fixed at the first start that sets it: a different plan would place
-- tenants on other shards, away from their earlier entries, reports and proofs.
ALTER TABLE installation ADD COLUMN audit_shard_plan VARCHAR(200);
