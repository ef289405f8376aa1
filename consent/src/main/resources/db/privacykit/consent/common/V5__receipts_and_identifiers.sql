-- The key that signs consent receipts (ES256), its private part wrapped by the root key.
CREATE TABLE consent_signing_keys (
  name         VARCHAR(200) PRIMARY KEY,
  public_jwk   VARCHAR(2000) NOT NULL,
  wrapped_key  BYTEA NOT NULL,
  root_key_id  VARCHAR(300) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Identifiers that are personal data (e-mail, phone): encrypted under the subject's key, found
-- through a blind index; never stored in clear.
CREATE TABLE consent_identifiers (
  tenant     VARCHAR(256) NOT NULL,
  subject    VARCHAR(256) NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  term       VARCHAR(64) NOT NULL,
  ciphertext VARCHAR(1000) NOT NULL,
  PRIMARY KEY (tenant, subject, kind)
);
CREATE INDEX consent_identifiers_term ON consent_identifiers (tenant, kind, term);
