-- Access packages stream a subject's consent events in id order, a page at a time (keyset on id):
-- this index serves each page without re-reading the pages before it.
CREATE INDEX consent_events_subject_order ON consent_events (tenant, subject, id);
