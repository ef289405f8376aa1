-- Consent decisions per tenant over time (ConsentFigures: the console's charts, withdrawals in 24 h).
CREATE INDEX consent_events_collected ON consent_events (tenant, collected_at);
