package dev.privacykit.consent;

import java.time.Instant;

/**
 * A consent change made directly with the fiduciary for a principal who acted through a Consent
 * Manager, queued for that manager so its view stays true.
 *
 * @param cursor its place in the manager's queue: pull with {@code after} = the last cursor read
 * @param subject the data principal's reference
 * @param purpose the purpose
 * @param state the state the change set
 * @param method how the change was made
 * @param noticeVersion the notice version of a give or renew, or null
 * @param eventId the consent event
 * @param occurredAt when the principal acted
 * @param createdAt when it was queued
 * @param delivery the webhook delivery's status (PENDING, DELIVERED, FAILED), or null without one
 * @param pulledAt when the manager first pulled it, or null
 */
public record ManagerChange(
    long cursor,
    String subject,
    String purpose,
    String state,
    String method,
    Integer noticeVersion,
    String eventId,
    Instant occurredAt,
    Instant createdAt,
    String delivery,
    Instant pulledAt) {}
