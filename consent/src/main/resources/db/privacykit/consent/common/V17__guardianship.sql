-- Who may consent for a data principal (DPDP Act s.9, Rules 10-11; GDPR Art. 8). A marking says a
-- principal is a child or a person with a disability who has a lawful guardian, with its source,
-- reference and date as evidence; a child's marking may end on a date (the day she is no longer a
-- child; the birth date it was computed from is not kept). A cleared marking is stamped, never
-- deleted.
CREATE TABLE ward_markings (
  id             VARCHAR(36) PRIMARY KEY,
  tenant         VARCHAR(256) NOT NULL,
  subject        VARCHAR(256) NOT NULL,
  kind           VARCHAR(16) NOT NULL,
  source         VARCHAR(32) NOT NULL,
  reference      VARCHAR(128),
  until_date     DATE,
  marked_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  marked_by      VARCHAR(256) NOT NULL,
  cleared_at     TIMESTAMP WITH TIME ZONE,
  cleared_by     VARCHAR(256),
  cleared_reason VARCHAR(1000)
);
CREATE INDEX ward_markings_subject ON ward_markings (tenant, subject);

-- A parent or lawful guardian whose adulthood and identity (Rule 10) or appointment (Rule 11) the
-- fiduciary verified: the method, a reference to what was checked (a token id, an order number;
-- never the document itself), who verified it and when. A revoked link is stamped, never deleted.
CREATE TABLE guardian_links (
  id             VARCHAR(36) PRIMARY KEY,
  tenant         VARCHAR(256) NOT NULL,
  ward           VARCHAR(256) NOT NULL,
  guardian       VARCHAR(256) NOT NULL,
  relation       VARCHAR(24) NOT NULL,
  method         VARCHAR(32) NOT NULL,
  reference      VARCHAR(128) NOT NULL,
  issuer         VARCHAR(128),
  verified_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  verified_by    VARCHAR(256) NOT NULL,
  recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at     TIMESTAMP WITH TIME ZONE,
  revoked_by     VARCHAR(256),
  revoked_reason VARCHAR(1000)
);
CREATE INDEX guardian_links_ward ON guardian_links (tenant, ward);
CREATE INDEX guardian_links_guardian ON guardian_links (tenant, guardian);
