package dev.privacykit.consent;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Which webhook stands for which recipient of the policy ({@code webhook_policy_links}): at most
 * one active webhook per tenant and policy recipient, enforced by the table's primary key. A linked
 * webhook hears of rectifications, erasures and restrictions only through the notices of the
 * requests whose purposes disclose data to it, never through the tenant-wide announcement, so it
 * gets exactly one notice per step and nothing about subjects whose data it never received.
 * Stateless.
 */
final class RecipientLinks {
  /** The event types of GDPR Art. 19: a recipient must hear of every one of them. */
  static final List<String> NOTICE_TYPES =
      List.of(Outbox.SUBJECT_ERASED, Outbox.SUBJECT_RECTIFIED, Outbox.PROCESSING_RESTRICTED);

  /** The SQL condition (on {@code webhook_recipients r}) that leaves linked webhooks out. */
  static final String NOT_LINKED =
      " AND NOT EXISTS (SELECT 1 FROM webhook_policy_links l WHERE l.webhook_id = r.id)";

  private RecipientLinks() {}

  /**
   * Checks that a webhook standing for a policy recipient subscribes to every notice type.
   *
   * @throws ConsentException {@code invalid-field} naming {@code events}
   */
  static void checkEvents(Set<String> events) {
    if (!events.containsAll(NOTICE_TYPES)) {
      throw new ConsentException(
          ConsentException.Kind.INVALID_FIELD,
          "events",
          "a webhook standing for a recipient of the policy must subscribe to " + NOTICE_TYPES);
    }
  }

  /**
   * Links {@code webhookId} to the policy recipient in the registration's transaction. A link whose
   * webhook was removed is replaced.
   *
   * @throws ConsentException {@code conflict} naming {@code policy_recipient} when an active
   *     webhook of the tenant already stands for it
   */
  static void link(Handle h, String tenant, String policyRecipient, String webhookId) {
    h.createUpdate(
            "DELETE FROM webhook_policy_links WHERE tenant = :t AND policy_recipient = :p AND NOT"
                + " EXISTS (SELECT 1 FROM webhook_recipients r WHERE r.id = webhook_id AND r.active)")
        .bind("t", tenant)
        .bind("p", policyRecipient)
        .execute();
    if (webhookOf(h, tenant, policyRecipient).isPresent()) {
      throw taken();
    }
    try {
      h.createUpdate(
              "INSERT INTO webhook_policy_links (tenant, policy_recipient, webhook_id)"
                  + " VALUES (:t, :p, :w)")
          .bind("t", tenant)
          .bind("p", policyRecipient)
          .bind("w", webhookId)
          .execute();
    } catch (UnableToExecuteStatementException e) {
      // Another registration for the same recipient committed first: the key refuses this one.
      if (dev.privacykit.storage.spi.SqlFailures.isUniqueViolation(e)) {
        throw taken();
      }
      throw e;
    }
  }

  /** The active webhook of the tenant standing for {@code policyRecipient}, if any. */
  static Optional<String> webhookOf(Handle h, String tenant, String policyRecipient) {
    return h.createQuery(
            "SELECT l.webhook_id FROM webhook_policy_links l JOIN webhook_recipients r"
                + " ON r.id = l.webhook_id AND r.active"
                + " WHERE l.tenant = :t AND l.policy_recipient = :p")
        .bind("t", tenant)
        .bind("p", policyRecipient)
        .mapTo(String.class)
        .findOne();
  }

  private static ConsentException taken() {
    return new ConsentException(
        ConsentException.Kind.CONFLICT,
        "policy_recipient",
        "an active webhook of this tenant already stands for this recipient; remove it first");
  }
}
