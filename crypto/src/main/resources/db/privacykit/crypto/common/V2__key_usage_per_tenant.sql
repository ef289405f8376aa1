-- Usage budgets count per (key, tenant). Each tenant's fields have their own subkeys (HKDF over
-- the tenant), so the random-nonce bound is per tenant too, and one tenant's encryptions cannot use
-- up the budget of the others. crypto_keyring.reserved keeps what was reserved before this table
-- existed; it counts against every tenant's budget under that key.
CREATE TABLE crypto_key_usage (
  key_id   INTEGER NOT NULL REFERENCES crypto_keyring (key_id) ON DELETE CASCADE,
  tenant   VARCHAR(256) NOT NULL,
  reserved BIGINT NOT NULL,
  PRIMARY KEY (key_id, tenant)
);
