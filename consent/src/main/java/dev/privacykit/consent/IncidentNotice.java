package dev.privacykit.consent;

import java.time.Instant;

/**
 * The {@code breach.notice} of one affected principal of an incident.
 *
 * @param subject the principal's pseudonymous reference
 * @param eventId the webhook event telling the host to notify them, or null when not sent yet
 * @param notifiedAt when the event was queued, or null
 * @param status {@code NOT_SENT}, {@code PENDING}, {@code DELIVERED} (a recipient acknowledged it),
 *     {@code FAILED} (every recipient gave up) or {@code NO_RECIPIENT} (no active recipient
 *     subscribes to {@code breach.notice})
 */
public record IncidentNotice(String subject, String eventId, Instant notifiedAt, String status) {}
