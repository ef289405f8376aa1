-- Who submitted an entry through the HTTP API (the token's issuer and subject), set by the service
-- and never by the caller. NULL for entries PrivacyKit wrote itself and for entries written before
-- this column existed; their leaves keep the version 1 encoding, so old proofs stay valid.
ALTER TABLE audit_entries ADD COLUMN submitted_by VARCHAR(600);
