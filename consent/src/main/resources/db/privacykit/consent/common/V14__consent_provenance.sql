-- What a consent event carries as proof beyond its evidence (Provenance): the SHA-256 of the exact
-- notice text shown (DPDP s.5, Rule 3; GDPR Art. 7(1)), the verified parent or lawful guardian who
-- acted and the link they acted under (DPDP s.9, Rules 10-11; GDPR Art. 8), and the Consent Manager
-- with its signed artefact (DPDP s.6(7)-(9), Rule 4).
ALTER TABLE consent_events ADD COLUMN notice_hash VARCHAR(64);
ALTER TABLE consent_events ADD COLUMN guardian VARCHAR(256);
ALTER TABLE consent_events ADD COLUMN guardian_link VARCHAR(36);
ALTER TABLE consent_events ADD COLUMN consent_manager VARCHAR(128);
ALTER TABLE consent_events ADD COLUMN artefact VARCHAR(128);

-- The verified guardian link the current consent was given under, if any: the decision engine
-- allows a child's consent only when it was.
ALTER TABLE consent_state ADD COLUMN guardian_link VARCHAR(36);
