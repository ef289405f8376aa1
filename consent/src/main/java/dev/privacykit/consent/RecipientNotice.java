package dev.privacykit.consent;

import java.time.Instant;
import java.util.List;

/**
 * Where the notice of one request to one recipient of the policy stands (GDPR Art. 19, DPDP Act
 * s.8(7)(b)).
 *
 * @param requestId the data-subject request
 * @param recipient the recipient's id in the policy
 * @param eventType {@code subject.rectified}, {@code subject.erased} or {@code
 *     processing.restricted}
 * @param purposes the purposes concerned for which the policy discloses data to the recipient
 * @param status {@code no_endpoint} (no webhook stands for the recipient: tell it by hand), {@code
 *     sent} (queued to its webhook), {@code delivered} (its webhook answered 2xx), {@code failed}
 *     (delivery gave up, or the webhook was removed first: tell it by hand) or {@code confirmed}
 * @param eventId the webhook event sent, or null for {@code no_endpoint}
 * @param sentAt when the notice was queued (the step's time), or null for {@code no_endpoint}
 * @param deliveredAt when the webhook took it, or null
 * @param dueAt when the recipient's confirmation is due
 * @param confirmedAt when the recipient confirmed, or null
 * @param reference the recipient's reference for what it did, or null
 * @param overdue whether it is unconfirmed past {@code dueAt}
 */
public record RecipientNotice(
    String requestId,
    String recipient,
    String eventType,
    List<String> purposes,
    String status,
    String eventId,
    Instant sentAt,
    Instant deliveredAt,
    Instant dueAt,
    Instant confirmedAt,
    String reference,
    boolean overdue) {

  public RecipientNotice {
    purposes = List.copyOf(purposes);
  }
}
