package dev.privacykit.consent;

import java.time.Instant;

/**
 * Where one event's delivery to one recipient stands.
 *
 * @param eventId the outbox event
 * @param type the event type
 * @param recipientId the recipient
 * @param status {@code PENDING}, {@code DELIVERED} or {@code FAILED} (gave up)
 * @param attempts attempts made
 * @param nextAttemptAt when the next attempt is due (pending only)
 * @param lastStatus the last HTTP status, or null
 * @param lastError the last transport error class, or null
 * @param deliveredAt when it was delivered, or null
 */
public record WebhookDelivery(
    String eventId,
    String type,
    String recipientId,
    String status,
    int attempts,
    Instant nextAttemptAt,
    Integer lastStatus,
    String lastError,
    Instant deliveredAt) {}
