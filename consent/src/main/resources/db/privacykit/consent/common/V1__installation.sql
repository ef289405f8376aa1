-- One row: the identity of this PrivacyKit installation, created on first start.
CREATE TABLE installation (
  id         VARCHAR(36) PRIMARY KEY,
  singleton  BOOLEAN DEFAULT TRUE NOT NULL UNIQUE CHECK (singleton),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
